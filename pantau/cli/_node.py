"""How the sharing commands find their node: the root settings (PANTAU_* env and the global `--db`);
the node's signing key lives in PANTAU_DATA_DIR when set, else next to an SQLite store."""

from __future__ import annotations

import os

import typer

from pantau.cli.common import settings_from
from pantau.services.node import Node


def open_node(ctx: typer.Context) -> Node:
    return Node.open(settings_from(ctx).db_url, data_dir=os.environ.get("PANTAU_DATA_DIR") or None)


def fail(msg: str, code: int = 1) -> typer.Exit:
    typer.echo(f"error: {msg}", err=True)
    return typer.Exit(code)
