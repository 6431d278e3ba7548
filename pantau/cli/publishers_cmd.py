"""`pantau publishers` (the registry with default source reliability) and `pantau publishers set NAME -r B`."""

from __future__ import annotations

import typer

from pantau.cli.common import check_format, open_store
from pantau.cli.render import emit


def register(app: typer.Typer) -> None:
    pub_app = typer.Typer(help="Publisher registry: default Admiralty source reliability (A–F) per outlet.",
                          invoke_without_command=True)
    app.add_typer(pub_app, name="publishers")

    @pub_app.callback()
    def list_cmd(ctx: typer.Context, fmt: str = typer.Option("table", "--format", "-f")) -> None:
        """List publishers with their reliability (edited = changed on this node)."""
        if ctx.invoked_subcommand:
            return
        from pantau.services.publishers import list_publishers

        check_format(fmt)
        with open_store(ctx) as store:
            rows = list_publishers(store)
        emit(rows, [("id", "id"), ("name", "name"), ("reliability", "rel."), ("kind", "kind"),
                    ("country", "country"), ("edited", "edited"), ("aliases", "aliases")], fmt,
             title="Publishers", widths={"aliases": 50})

    @pub_app.command("set")
    def set_cmd(ctx: typer.Context, name: str = typer.Argument(..., help="publisher id, name, alias or domain"),
                reliability: str = typer.Option(..., "--reliability", "-r", help="A, B, C, D, E or F")) -> None:
        """Set a publisher's reliability on this node and regrade the fused events."""
        from pantau.services.publishers import set_reliability

        with open_store(ctx) as store:
            try:
                pub = set_reliability(store, name, reliability)
            except ValueError as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from exc
        typer.echo(f"{pub.name}: reliability {pub.reliability}")
