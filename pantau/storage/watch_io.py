"""SQL of the watcher: watched sources and their items (tables in `monitor_tables`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.storage.monitor_tables import watch_items, watch_sources
from pantau.storage.writer import insert_ignore


def aware(dt: datetime | None) -> datetime | None:
    """SQLite hands timestamps back naive; they are stored in UTC."""
    if dt is None:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)


def _row(r: Any) -> dict[str, Any]:
    d = dict(r._mapping)
    for k in ("last_poll_at", "next_poll_at", "created_at", "seen_at", "done_at"):
        if k in d:
            d[k] = aware(d[k])
    return d


def add_source(conn: Connection, values: dict[str, Any]) -> int:
    return int(conn.execute(sa.insert(watch_sources).values(**values)).inserted_primary_key[0])


def find_source(conn: Connection, ref: str | int) -> dict[str, Any] | None:
    key = watch_sources.c.id == int(ref) if str(ref).isdigit() else watch_sources.c.url == str(ref)
    r = conn.execute(sa.select(watch_sources).where(key)).first()
    return _row(r) if r else None


def sources(conn: Connection) -> list[dict[str, Any]]:
    return [_row(r) for r in conn.execute(sa.select(watch_sources).order_by(watch_sources.c.id))]


def item_counts(conn: Connection) -> dict[int, dict[str, int]]:
    out: dict[int, dict[str, int]] = {}
    q = sa.select(watch_items.c.source_id, watch_items.c.state, sa.func.count()).group_by(
        watch_items.c.source_id, watch_items.c.state)
    for sid, state, n in conn.execute(q):
        out.setdefault(sid, {})[state] = int(n)
    return out


def remove_source(conn: Connection, source_id: int) -> None:
    conn.execute(sa.delete(watch_items).where(watch_items.c.source_id == source_id))
    conn.execute(sa.delete(watch_sources).where(watch_sources.c.id == source_id))


def update_source(conn: Connection, source_id: int, **values: Any) -> None:
    conn.execute(sa.update(watch_sources).where(watch_sources.c.id == source_id).values(**values))


def due_sources(conn: Connection, now: datetime) -> list[dict[str, Any]]:
    q = sa.select(watch_sources).where(sa.or_(watch_sources.c.next_poll_at.is_(None),
                                              watch_sources.c.next_poll_at <= now)).order_by(watch_sources.c.id)
    return [_row(r) for r in conn.execute(q)]


def next_due(conn: Connection) -> datetime | None:
    return aware(conn.execute(sa.select(sa.func.min(watch_sources.c.next_poll_at))).scalar())


def add_items(conn: Connection, source_id: int, entries: Iterable[dict[str, Any]], now: datetime) -> int:
    """Record the entries a poll listed; returns how many were new (unseen keys)."""
    rows = [{"source_id": source_id, "key": e["key"][:2000], "url": e.get("url"), "title": e.get("title"),
             "published": e.get("published"), "state": "pending", "seen_at": now} for e in entries]
    if not rows:
        return 0
    keys = [r["key"] for r in rows]
    have = set(conn.execute(sa.select(watch_items.c.key).where(watch_items.c.source_id == source_id,
                                                               watch_items.c.key.in_(keys))).scalars())
    fresh, seen = [], set(have)
    for r in rows:
        if r["key"] not in seen:
            seen.add(r["key"])
            fresh.append(r)
    insert_ignore(conn, watch_items, fresh, ["source_id", "key"])
    return len(fresh)


def pending_items(conn: Connection, source_id: int) -> list[dict[str, Any]]:
    q = (sa.select(watch_items).where(watch_items.c.source_id == source_id, watch_items.c.state == "pending")
         .order_by(watch_items.c.id))
    return [_row(r) for r in conn.execute(q)]


def finish_item(conn: Connection, item_id: int, **values: Any) -> None:
    conn.execute(sa.update(watch_items).where(watch_items.c.id == item_id).values(**values))
