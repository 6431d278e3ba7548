"""`pantau misp-import PATH`: MISP events (a JSON file or a feed folder) as documents with their markings.
(Exporting is `pantau export --format misp`.)"""

from __future__ import annotations

import typer

from pantau.cli._node import fail, open_node


def register(app: typer.Typer) -> None:
    @app.command("misp-import")
    def misp_import(
        ctx: typer.Context,
        path: str = typer.Argument(..., help="a MISP event JSON file or a MISP feed folder (manifest.json)"),
        as_user: str = typer.Option(None, "--as", help="import as this user's organisation (default: the node)"),
    ) -> None:
        """Import MISP events as documents, marked by their tlp: tags (AMBER when none), and fuse them."""
        from pantau.exc import PantauError
        from pantau.services.access import Viewer
        from pantau.services.identity import viewer_for_username
        from pantau.services.misp_import import import_misp

        node = open_node(ctx)
        try:
            viewer = viewer_for_username(node, as_user) if as_user else Viewer.system()
            r = import_misp(node, viewer, path)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        marks = ", ".join(f"{k} {v}" for k, v in sorted(r.by_marking.items())) or "nothing new"
        typer.echo(f"{len(r.added)} MISP event(s) imported ({marks}), {r.duplicates} duplicate(s)")
