"""`pantau share KIND ID --tlp …`: mark an object and release it to organisations, groups or users."""

from __future__ import annotations

import typer

from pantau.cli._node import fail, open_node


def register(app: typer.Typer) -> None:
    @app.command("share")
    def share_cmd(
        ctx: typer.Context,
        kind: str = typer.Argument(..., help="documents or events (a document's events follow it)"),
        object_id: str = typer.Argument(...),
        tlp: str = typer.Option(..., "--tlp", help="CLEAR, GREEN, AMBER, AMBER+STRICT or RED"),
        to: list[str] = typer.Option([], "--to", help="organisation slug (AMBER), repeatable"),
        group: list[str] = typer.Option([], "--group", help="group slug (AMBER), repeatable"),
        user: list[str] = typer.Option([], "--user", help="username (RED), repeatable"),
        as_user: str = typer.Option(None, "--as", help="act as this user (default: the local node)"),
    ) -> None:
        """Set the TLP 2.0 marking and release list of a stored object."""
        from pantau.exc import PantauError
        from pantau.services.access import Viewer
        from pantau.services.identity import viewer_for_username
        from pantau.services.sharing import share

        node = open_node(ctx)
        try:
            actor = viewer_for_username(node, as_user) if as_user else Viewer.system()
            oid: int | str = int(object_id) if object_id.isdigit() else object_id
            m = share(node, kind, oid, tlp, orgs=to, groups_=group, users_=user, actor=actor)
        except (PantauError, ValueError) as exc:
            raise fail(str(exc)) from exc
        rel = sorted(m.release_orgs) + sorted(m.release_groups) + sorted(m.release_users)
        typer.echo(f"{kind} {object_id}: TLP:{m.tlp.value}" + (f" released to {', '.join(rel)}" if rel else ""))
