"""The `pantau` command. Registration happens here, in one place: each command module
exposes `register(app)` and is listed in COMMANDS. Modules are thin over `pantau.services`."""

from __future__ import annotations

import importlib

import typer

COMMANDS: list[str] = [
    "pantau.cli.extract_cmd",
    "pantau.cli.bench_cmd",
    "pantau.cli.ner_cmd",
    "pantau.cli.parse_cmd",
    "pantau.cli.ingest_cmd",
    "pantau.cli.read_cmd",
    "pantau.cli.demo_cmd",
    "pantau.cli.identity_cmd",
    "pantau.cli.share_cmd",
    "pantau.cli.audit_cmd",
    "pantau.cli.serve_cmd",
    "pantau.cli.partners_cmd",
    "pantau.cli.misp_cmd",
    "pantau.cli.kb_cmd",
    "pantau.cli.incidents_cmd",
    "pantau.cli.kbquery_cmd",
    "pantau.cli.bench_kb_cmd",
    "pantau.cli.publishers_cmd",
    "pantau.cli.watch_cmd",
    "pantau.cli.lists_cmd",
    "pantau.cli.alerts_cmd",
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
    def _root(
        ctx: typer.Context,
        db: str = typer.Option(None, "--db", metavar="URL", show_default=False,
                               help="store URL: sqlite:///PATH or postgresql+psycopg://... "
                                    "(env PANTAU_DB_URL; default: pantau.db in the user data folder)"),
    ) -> None:
        """pantau: ingest reports, extract events, fuse, assess and share them."""
        from pantau.settings import Settings

        if db:
            _check_db_folder(db)
        ctx.obj = Settings.from_env(db_url=db)  # read by commands via pantau.cli.common.settings_from

    for mod in COMMANDS:
        importlib.import_module(mod).register(app)
    return app


def _check_db_folder(url: str) -> None:
    """`--db sqlite:///PATH` whose folder does not exist is a typo, not a request for a new store."""
    from pathlib import Path

    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        u = make_url(url)
    except ArgumentError:
        typer.echo(f"error: --db {url!r} is not a database URL (sqlite:///PATH or postgresql+psycopg://...)",
                   err=True)
        raise typer.Exit(2) from None
    if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:"):
        folder = Path(u.database).expanduser().parent
        if not folder.is_dir():
            typer.echo(f"error: --db {url!r}: the folder {str(folder)!r} does not exist", err=True)
            raise typer.Exit(2)


def main() -> None:
    build_app()()


if __name__ == "__main__":
    main()
