"""Query helpers shared by the CLI, the web layer and the Python API: date bounds and
JSON/CSV-ready rows."""

from __future__ import annotations

import calendar
import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

_BOUND = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")


def parse_bound(value: str | date | None, *, end: bool = False) -> date | None:
    """`2024`, `2024-04` or `2024-04-06` → a date. With end=True a year or month means its last day
    (so `--until 2024-04` includes all of April)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    m = _BOUND.match(value.strip())
    if not m:
        raise ValueError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)")
    y, mo, d = int(m.group(1)), m.group(2), m.group(3)
    if mo is None:
        return date(y, 12, 31) if end else date(y, 1, 1)
    month = int(mo)
    if d is None:
        return date(y, month, calendar.monthrange(y, month)[1] if end else 1)
    return date(y, month, int(d))


def jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    return value


def to_json(rows: Any) -> str:
    return json.dumps(jsonable(rows), ensure_ascii=False, indent=2)


def cell(value: Any) -> str:
    """A flat text rendering of one value, for tables and CSV."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, list | tuple):
        if value and isinstance(value[0], dict):
            return " | ".join(str(v.get("text") or v) for v in value)
        return "; ".join(str(v) for v in value)
    return str(value)


def to_csv(rows: Iterable[dict[str, Any]], columns: Sequence[str]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([cell(r.get(c)) for c in columns])
    return buf.getvalue()


def event_date(row: dict[str, Any]) -> str:
    s, e = row.get("date_start"), row.get("date_end")
    if not s:
        return ""
    if not e or e == s:
        return s.isoformat()
    if (s.year, s.month) == (e.year, e.month):
        return f"{s.isoformat()}..{e.day:02d}"
    return f"{s.isoformat()}..{e.strftime('%m-%d')}" if s.year == e.year else f"{s.isoformat()}..{e.isoformat()}"


def actors_line(row: dict[str, Any]) -> str:
    """`source names → target names` of an event row."""
    src = ", ".join(row.get("source_names") or row.get("source") or []) or "?"
    tgt = ", ".join(row.get("target_names") or row.get("target") or [])
    return f"{src} → {tgt}" if tgt else src
