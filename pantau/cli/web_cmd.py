"""`pantau web demo-user`: a sign-in for the web workspace on the demo store (used by `make serve`)."""

from __future__ import annotations

import os

import typer

from pantau.cli._node import fail, open_node


def register(app: typer.Typer) -> None:
    web = typer.Typer(help="The analyst's web workspace (served by `pantau serve` at /).", no_args_is_help=True)
    app.add_typer(web, name="web")

    @web.command("demo-user")
    def demo_user(ctx: typer.Context, username: str = typer.Option("demo", "--username"),
                  password: str = typer.Option("pantau-demo", "--password")) -> None:
        """Create (or reset) an admin of this node's own organisation with a password, and print how to sign in."""
        from pantau.exc import PantauError
        from pantau.services.webauth import ensure_demo_user

        try:
            ensure_demo_user(open_node(ctx), username, password)
        except PantauError as exc:
            raise fail(str(exc)) from exc
        host = os.environ.get("PANTAU_HOST", "127.0.0.1")
        port = os.environ.get("PANTAU_PORT", "8000")
        typer.echo(f"open http://{host}:{port}/ and sign in as {username} / {password}")
