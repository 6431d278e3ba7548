"""The `pantau` command. Registration happens here, in one place: each command module
exposes `register(app)` and is listed in COMMANDS. Modules are thin over `pantau.services`."""

from __future__ import annotations

import importlib

import typer

COMMANDS: list[str] = [
    "pantau.cli.extract_cmd",
]


def build_app() -> typer.Typer:
    app = typer.Typer(
        name="pantau",
        help="Monitor sanctions and military cooperation from open sources.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    @app.callback()
    def _root() -> None:
        """pantau: ingest reports, extract events, fuse, assess and share them."""

    for mod in COMMANDS:
        importlib.import_module(mod).register(app)
    return app


def main() -> None:
    build_app()()


if __name__ == "__main__":
    main()
