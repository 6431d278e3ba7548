"""Fusion after a posted document, off the request: `request(node)` asks for a fusion run and returns
at once; one worker thread per node runs `kb.fuse` while requests keep coming (requests made during
a run are folded into the next one), so a burst of posts costs one or two runs, never one each, and
a post's latency does not include fusion. The change log then announces the new fused events on
the live stream. `wait(node)` blocks until no run is wanted or running (tests, shutdown)."""

from __future__ import annotations

import logging
import threading
from typing import Any

log = logging.getLogger("pantau.kb")


class _Queue:
    def __init__(self, node: Any) -> None:
        self.node = node
        self.lock = threading.Lock()
        self.wanted = False
        self.idle = threading.Event()
        self.idle.set()
        self.thread: threading.Thread | None = None

    def request(self) -> None:
        with self.lock:
            self.wanted = True
            self.idle.clear()
            if self.thread is None:
                self.thread = threading.Thread(target=self._run, name="pantau-fusion", daemon=True)
                self.thread.start()

    def _run(self) -> None:
        from pantau.services.kb import fuse_quietly

        while True:
            with self.lock:
                if not self.wanted:
                    self.thread = None
                    self.idle.set()
                    return
                self.wanted = False
            try:
                fuse_quietly(self.node)
            except Exception:  # noqa: BLE001 - a worker must not die silently; the documents stay pending
                log.exception("fusion after a posted document failed (run `pantau fuse`)")


_queues: dict[int, _Queue] = {}
_guard = threading.Lock()


def _queue(node: Any) -> _Queue:
    with _guard:
        q = _queues.get(id(node.engine))
        if q is None or q.node is not node:
            q = _queues[id(node.engine)] = _Queue(node)
        return q


def request(node: Any) -> None:
    """Ask for a fusion run of `node` (returns at once)."""
    _queue(node).request()


def wait(node: Any, timeout: float | None = None) -> bool:
    """Block until `node` has no fusion run wanted or running; False on timeout."""
    return _queue(node).idle.wait(timeout)
