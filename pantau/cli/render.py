"""Print rows as a rich table, JSON or CSV."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from pantau.services.query import cell, to_csv, to_json

Column = tuple[str, str]  # (key in the row, header)


def table(rows: Sequence[dict[str, Any]], columns: Sequence[Column], title: str | None = None,
          widths: dict[str, int] | None = None) -> Table:
    """A rich table; `widths` caps the text of long columns (cut with an ellipsis)."""
    widths = widths or {}
    t = Table(title=Text(title, style="italic") if title else None, title_justify="left", header_style="bold")
    for key, header in columns:
        long = key in widths
        if long:  # long text takes the room that is left, wrapped
            t.add_column(header, overflow="fold", ratio=1, min_width=14)
        else:  # short values (ids, dates, types) stay on one line
            t.add_column(header, no_wrap=True, overflow="ellipsis")
    for r in rows:
        t.add_row(*(Text(_cut(cell(r.get(key)), widths.get(key))) for key, _ in columns))  # no markup
    return t


def _cut(text: str, width: int | None) -> str:
    if width is None or len(text) <= width:
        return text
    return text[: width - 1].rstrip() + "…"


def emit(rows: Sequence[dict[str, Any]], columns: Sequence[Column], fmt: str, *, title: str | None = None,
         widths: dict[str, int] | None = None, empty: str = "nothing found") -> None:
    if fmt == "json":
        sys.stdout.write(to_json(list(rows)) + "\n")
    elif fmt == "csv":
        sys.stdout.write(to_csv(rows, [k for k, _ in columns]))
    else:
        console = Console()
        if rows:
            console.print(table(rows, columns, title, widths))
        else:
            console.print(f"[dim]{empty}[/dim]")
