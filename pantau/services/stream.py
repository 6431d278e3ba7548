"""The live stream's source: the change log, read in id order, filtered per viewer.

One `Broker` per server polls the change log and fans new rows out to subscribers; a subscriber
that resumes with Last-Event-ID first reads the backlog from the store, then the broker's queue,
skipping ids it has already sent, so nothing is lost or repeated across a reconnect.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import anyio
import sqlalchemy as sa

from pantau.services.access import Marking, Viewer, may_see_marked
from pantau.services.node import Node
from pantau.services.sharing import marking_from, text_viewer
from pantau.storage.share_tables import change_log

BATCH = 500


@dataclass(frozen=True)
class Change:
    id: int
    kind: str
    object_id: str
    op: str
    at: str
    org_id: int
    marking: str
    release: dict[str, list[str]]
    payload: dict[str, Any]

    def message(self) -> dict[str, Any]:
        return {"id": self.id, "kind": self.kind, "object_id": self.object_id, "op": self.op, "at": self.at,
                "marking": self.marking, "object": self.payload}

    @cached_property
    def data(self) -> str:
        """The message as JSON, encoded once for every subscriber."""
        return json.dumps(self.message(), ensure_ascii=False)

    @cached_property
    def access(self) -> Marking:
        return marking_from(self.org_id, self.marking, self.release)


def read_changes(conn: sa.Connection, after: int, limit: int = BATCH, upto: int | None = None) -> list[Change]:
    q = sa.select(change_log).where(change_log.c.id > after).order_by(change_log.c.id).limit(limit)
    if upto is not None:
        q = q.where(change_log.c.id <= upto)
    return [Change(r.id, r.object_kind, r.object_id, r.op, r.at.isoformat() if r.at else "", r.org_id, r.marking,
                   r.release or {}, r.payload or {}) for r in conn.execute(q)]


def last_change_id(conn: sa.Connection) -> int:
    return int(conn.execute(sa.select(sa.func.coalesce(sa.func.max(change_log.c.id), 0))).scalar_one())


def may_see_change(viewer: Viewer, c: Change) -> bool:
    """`viewer` with text ids (see `sharing.text_viewer`)."""
    return may_see_marked(viewer, c.access)


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

    async def subscribe(self, viewer: Viewer, last_id: int | None) -> AsyncIterator[Change]:
        """Changes the viewer may see: the backlog after `last_id` (if given), then live ones."""
        viewer = text_viewer(viewer)
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
                    if may_see_change(viewer, c):
                        yield c
            while True:
                c = await queue.get()
                if c.id <= sent:
                    continue
                sent = c.id
                if may_see_change(viewer, c):
                    yield c
        finally:
            self.subscribers.discard(queue)
