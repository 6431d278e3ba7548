"""The live stream's source: the change log, read in id order, filtered per viewer.

One `Broker` per server polls the change log and fans new rows out to subscribers; a subscriber
that resumes with Last-Event-ID first reads the backlog from the store, then the broker's queue,
skipping ids it has already sent, so nothing is lost or repeated across a reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from collections import defaultdict
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import anyio
import sqlalchemy as sa

from pantau.exc import AccessDenied
from pantau.services.access import Marking, Viewer, may_see_marked, most_restrictive
from pantau.services.node import Node
from pantau.services.sharing import marking_from, release_lists, text_viewer
from pantau.storage.share_tables import change_log
from pantau.storage.tables import events

BATCH = 500

Reauth = Callable[[], Viewer]

Piece = tuple[Marking, ...]
"""One source of a change: the object's (or report's) own marking first, then the marking of the
document it quotes; a viewer who is not allowed by all of them sees a derived object recomputed."""


@dataclass(frozen=True)
class Change:
    """One change-log row, with the markings that decide who sees it, read at delivery time: the
    object's own marking (events), or the markings of the evidence a derived object exposes (fused
    events, incidents: visible to whoever may see at least one piece of it). Kinds without a table
    keep the marking recorded with the change."""

    id: int
    kind: str
    object_id: str
    op: str
    at: str
    markings: tuple[Piece, ...]  # the object is visible through any piece whose markings all allow
    payload: dict[str, Any]
    marking: str

    def message(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "object_id": self.object_id, "op": self.op, "at": self.at,
                "marking": self.marking, "object": self.payload}

    @cached_property
    def data(self) -> str:
        """The message as JSON, encoded once for every subscriber."""
        return json.dumps(self.message(), ensure_ascii=False, default=str)


def read_changes(conn: sa.Connection, after: int, limit: int = BATCH, upto: int | None = None) -> list[Change]:
    """Changes after id `after` (up to `upto`), oldest first; changes of objects deleted since are dropped."""
    q = sa.select(change_log).where(change_log.c.id > after).order_by(change_log.c.id).limit(limit)
    if upto is not None:
        q = q.where(change_log.c.id <= upto)
    rows = list(conn.execute(q))
    by_kind: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        by_kind[r.object_kind].add(r.object_id)
    state: dict[tuple[str, str], tuple[tuple[Piece, ...], dict[str, Any], str]] = {}
    for kind, ids in by_kind.items():
        if kind in CURRENT:
            for oid, v in CURRENT[kind](conn, sorted(ids, key=_num)).items():
                state[(kind, oid)] = v
    out = []
    for r in rows:
        at = r.at.isoformat() if hasattr(r.at, "isoformat") else str(r.at or "")
        if r.object_kind in CURRENT:
            got = state.get((r.object_kind, r.object_id))
            if got is None:
                continue
            marks, payload, label = got
        else:
            marks = ((marking_from(r.org_id, r.marking, r.release or {}),),)
            payload, label = r.payload or {}, r.marking
        out.append(Change(r.id, r.object_kind, r.object_id, r.op, at, marks, payload, label))
    return out


def _num(v: str) -> int:
    return int(v) if v.isdigit() else 0


def _doc_markings(conn: sa.Connection, doc_ids: set[int]) -> dict[int, Marking]:
    from pantau.storage.tables import documents

    rows = list(conn.execute(sa.select(documents.c.id, documents.c.org_id, documents.c.marking)
                             .where(documents.c.id.in_(sorted(doc_ids))))) if doc_ids else []
    rel = release_lists(conn, "documents", [r.id for r in rows])
    return {r.id: marking_from(r.org_id, r.marking, rel[str(r.id)]) for r in rows}


def _events_state(conn: sa.Connection, ids: list[str]) -> dict[str, tuple[tuple[Piece, ...], dict[str, Any], str]]:
    keys = [int(i) for i in ids if i.isdigit()]
    rows = list(conn.execute(sa.select(events.c.id, events.c.org_id, events.c.marking, events.c.type, events.c.mode,
                                       events.c.document_id, events.c.date_start, events.c.date_end)
                             .where(events.c.id.in_(keys))))
    rel = release_lists(conn, "events", [r.id for r in rows])
    return {str(r.id): (((marking_from(r.org_id, r.marking, rel[str(r.id)]),),),
                        {"id": r.id, "type": r.type, "mode": r.mode, "document_id": r.document_id,
                         "date_start": _iso(r.date_start), "date_end": _iso(r.date_end)}, r.marking)
            for r in rows}


def _evidence_markings(conn: sa.Connection, fused_ids: list[int]) -> dict[int, tuple[Piece, ...]]:
    """Per fused event, one piece per report: the event's marking and its document's, both needed."""
    from pantau.storage.kb_tables import fused_event_evidence as fee

    rows = list(conn.execute(sa.select(fee.c.fused_event_id, events.c.id, events.c.org_id, events.c.marking,
                                       events.c.document_id)
                             .join(events, events.c.id == fee.c.event_id).where(fee.c.fused_event_id.in_(fused_ids))))
    rel = release_lists(conn, "events", [r.id for r in rows])
    docs = _doc_markings(conn, {r.document_id for r in rows})
    out: dict[int, list[Piece]] = defaultdict(list)
    for r in rows:
        if r.document_id in docs:
            out[r.fused_event_id].append((marking_from(r.org_id, r.marking, rel[str(r.id)]), docs[r.document_id]))
    return {k: tuple(v) for k, v in out.items()}


def _fused_state(conn: sa.Connection, ids: list[str]) -> dict[str, tuple[tuple[Piece, ...], dict[str, Any], str]]:
    from pantau.storage.kb_tables import fused_events as fe

    keys = [int(i) for i in ids if i.isdigit()]
    rows = list(conn.execute(sa.select(fe.c.id, fe.c.type, fe.c.date_start, fe.c.date_end, fe.c.grade, fe.c.reports)
                             .where(fe.c.id.in_(keys))))
    ev = _evidence_markings(conn, [r.id for r in rows])
    return {str(r.id): (ev.get(r.id, ()), {"id": r.id, "type": r.type, "date_start": _iso(r.date_start),
                                           "date_end": _iso(r.date_end), "grade": r.grade, "reports": r.reports},
                        most_restrictive(m.tlp for p in ev.get(r.id, ()) for m in p).value)
            for r in rows}


def _incident_state(conn: sa.Connection, ids: list[str]) -> dict[str, tuple[tuple[Piece, ...], dict[str, Any], str]]:
    from pantau.storage.kb_tables import incidents as inc

    keys = [int(i) for i in ids if i.isdigit()]
    rows = list(conn.execute(sa.select(inc.c.id, inc.c.fused_event_id, inc.c.provision_id, inc.c.status)
                             .where(inc.c.id.in_(keys))))
    ev = _evidence_markings(conn, sorted({r.fused_event_id for r in rows}))
    return {str(r.id): (ev.get(r.fused_event_id, ()),
                        {"id": r.id, "fused_event_id": r.fused_event_id, "provision_id": r.provision_id,
                         "status": r.status},
                        most_restrictive(m.tlp for p in ev.get(r.fused_event_id, ()) for m in p).value)
            for r in rows}


def _iso(v: Any) -> str | None:
    return v.isoformat() if v is not None else None


CURRENT = {"events": _events_state, "fused_events": _fused_state, "incidents": _incident_state}


def last_change_id(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(change_log.c.id), 0))).scalar_one())


def may_see_change(viewer: Viewer, c: Change) -> bool:
    """Whether `viewer` (with text ids, see `sharing.text_viewer`) may see this change: for a derived
    object, whether it may see at least one of its reports (events; the first marking of each piece)."""
    return any(may_see_marked(viewer, p[0]) for p in c.markings)


def _sees(viewer: Viewer, piece: Piece) -> bool:
    return all(may_see_marked(viewer, m) for m in piece)


DERIVED = frozenset({"fused_events", "incidents"})


def sees_part(viewer: Viewer, c: Change) -> bool:
    """Whether `viewer` (text ids) may see some but not all evidence of a derived object's change."""
    return c.kind in DERIVED and not viewer.is_system and not all(_sees(viewer, p) for p in c.markings)


def derived_view(conn: sa.Connection, viewer: Viewer, c: Change) -> Change | None:
    """A fused event's or incident's change as a viewer who sees only part of its evidence sees it: the
    payload and marking of the fused event recomputed from that evidence (`kbview`); None when the
    object does not exist for that viewer (an incident whose provision the view no longer matches)."""
    from dataclasses import replace

    from pantau.services.kbview import fused_views
    from pantau.storage import kb_io

    fid = int(c.payload["fused_event_id"] if c.kind == "incidents" else c.payload["id"])
    v = fused_views(conn, kb_io.fused_rows(conn, [fid]), viewer).get(fid)
    if v is None:
        return None
    if c.kind == "incidents":
        if not v.shows_incident(str(c.payload["provision_id"])):
            return None
        return replace(c, marking=v.row["marking"])
    r = v.row
    payload = {"id": fid, "type": r["type"], "date_start": _iso(r["date_start"]), "date_end": _iso(r["date_end"]),
               "grade": r["grade"], "reports": r["reports"]}
    return replace(c, payload=payload, marking=r["marking"])


class Broker:
    """Polls the change log (every `interval` seconds) and hands new rows to every subscriber queue."""

    def __init__(self, node: Node, *, interval: float = 0.05) -> None:
        self.node = node
        self.interval = interval
        self.position = 0
        self.subscribers: set[asyncio.Queue[Change]] = set()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        self.position = await anyio.to_thread.run_sync(self._last)
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    def _last(self) -> int:
        with self.node.engine.connect() as conn:
            return last_change_id(conn)

    def _read(self, after: int, upto: int | None = None) -> list[Change]:
        with self.node.engine.connect() as conn:
            return read_changes(conn, after, upto=upto)

    async def _run(self) -> None:
        while True:
            try:
                rows = await anyio.to_thread.run_sync(self._read, self.position)
            except Exception:  # noqa: BLE001 - a failed poll is retried, never kills the stream
                rows = []
            for c in rows:
                for q in list(self.subscribers):
                    q.put_nowait(c)
                self.position = c.id
            if len(rows) < BATCH:
                await asyncio.sleep(self.interval)

    def _derived(self, viewer: Viewer, c: Change) -> Change | None:
        with self.node.engine.connect() as conn:
            return derived_view(conn, viewer, c)

    async def subscribe(self, viewer: Viewer, last_id: int | None, *, reauth: Reauth | None = None,
                        recheck: float = 2.0) -> AsyncIterator[Change]:
        """Changes the viewer may see: the backlog after `last_id` (if given), then live ones. A fused
        event or incident whose evidence the viewer sees only part of is sent as that part shows it,
        and a change that does not alter what the viewer sees of it is not sent.

        `reauth` returns the viewer as it is now (or raises AccessDenied): it is called before every
        message and at least every `recheck` seconds, so a revoked or expired token or a disabled user
        ends the stream, and a changed role, membership, group or release re-filters it at once."""
        sql_viewer, viewer = viewer, text_viewer(viewer)
        shown: dict[tuple[str, str], str] = {}
        checked = time.monotonic()

        async def current() -> bool:
            """Re-read the viewer; False when the stream must end."""
            nonlocal sql_viewer, viewer, checked
            if reauth is None:
                return True
            try:
                fresh = await anyio.to_thread.run_sync(reauth)
            except AccessDenied:
                return False
            checked = time.monotonic()
            if fresh != sql_viewer:
                sql_viewer, viewer = fresh, text_viewer(fresh)
                shown.clear()
            return True

        async def as_seen(c: Change) -> Change | None:
            if not may_see_change(viewer, c):
                return None
            if not sees_part(viewer, c):
                return c
            got = await anyio.to_thread.run_sync(self._derived, sql_viewer, c)
            if got is None:
                return None
            key, body = (c.kind, c.object_id), json.dumps([got.payload, got.marking], default=str, sort_keys=True)
            if shown.get(key) == body:
                return None
            shown[key] = body
            return got
        queue: asyncio.Queue[Change] = asyncio.Queue()
        self.subscribers.add(queue)
        upto = self.position  # everything after this reaches the queue
        sent = upto if last_id is None else last_id
        try:
            while last_id is not None and sent < upto:
                rows = await anyio.to_thread.run_sync(self._read, sent, upto)
                if not rows:
                    break
                for c in rows:
                    sent = c.id
                    if not await current():
                        return
                    if (got := await as_seen(c)) is not None:
                        yield got
            while True:
                try:
                    wait = max(0.05, recheck - (time.monotonic() - checked)) if reauth else None
                    c = await asyncio.wait_for(queue.get(), timeout=wait)
                except TimeoutError:
                    if not await current():
                        return
                    continue
                if c.id <= sent:
                    continue
                sent = c.id
                if not await current():
                    return
                if (got := await as_seen(c)) is not None:
                    yield got
        finally:
            self.subscribers.discard(queue)
