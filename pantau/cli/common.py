"""Small helpers shared by command modules: the settings (with `--db`) and the store."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from pantau.settings import Settings

if TYPE_CHECKING:
    from pantau.services.store import Store

FORMATS = ("table", "json", "csv")


def settings_from(ctx: typer.Context) -> Settings:
    """The Settings built by the root callback (PANTAU_* env and the global `--db`)."""
    obj = ctx.find_root().obj
    return obj if isinstance(obj, Settings) else Settings.from_env()


def open_store(ctx: typer.Context) -> Store:
    """Open (and migrate) the store; a bad URL or unreachable server is one clear line, exit 2."""
    from sqlalchemy.exc import SQLAlchemyError

    from pantau.services.store import Store

    settings = settings_from(ctx)
    try:
        return Store(settings.db_url, settings=settings)
    except (SQLAlchemyError, ValueError, OSError) as exc:
        typer.echo(f"error: cannot open the store {settings.db_url!r}: {exc}".splitlines()[0], err=True)
        raise typer.Exit(2) from exc


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        typer.echo(f"error: --format must be one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    return fmt
