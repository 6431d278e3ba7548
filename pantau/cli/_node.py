"""How the sharing commands find their node: the root settings (PANTAU_* env and the global `--db`);
the node's signing key lives in PANTAU_DATA_DIR when set, else next to an SQLite store."""

from __future__ import annotations

import os

import typer

from pantau.cli.common import settings_from
from pantau.services.node import Node


def open_node(ctx: typer.Context) -> Node:
    """The node; a bad URL or an unreachable server is one clear line (exit 2), not a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    url = settings_from(ctx).db_url
    try:
        return Node.open(url, data_dir=os.environ.get("PANTAU_DATA_DIR") or None)
    except (SQLAlchemyError, ValueError, OSError) as exc:
        typer.echo(f"error: cannot open the store {url!r}: {exc}".splitlines()[0], err=True)
        raise typer.Exit(2) from exc


def fail(msg: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(code)
