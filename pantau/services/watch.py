"""Watching sources: poll RSS/Atom feeds and sitemaps on a schedule, fetch the full article behind each
new entry and ingest it through the normal path (`ingest_item`: dedupe, extraction, audit; then fusion).

Crash safety: a poll records the entries it saw (state `pending`) together with the new ETag /
Last-Modified in one transaction; each item is then fetched, ingested and marked `ingested` in the
document's own transaction order. A kill -9 at any point leaves either pending items (done on the
next poll, even when the feed answers 304) or ingested ones (never fetched again); an item ingested
but not yet marked is recognised by its content hash and marked, not stored twice.

A failing source (5xx after retries, 4xx, a malformed body, robots.txt) is backed off exponentially
(`every` × 2^failures, at most MAX_BACKOFF) and its error is reported once, not on every poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from pantau.exc import InputError, StoreError
from pantau.model.markings import TLP
from pantau.services.sources import html_item, is_url
from pantau.services.watch_http import Clock, PoliteClient, Sleep, utcnow
from pantau.services.watch_parse import NotASource, parse_listing
from pantau.storage import watch_io

if TYPE_CHECKING:
    from pantau.services.store import Store

log = logging.getLogger("pantau.watch")

MAX_BACKOFF = timedelta(hours=24)
MAX_ITEM_ATTEMPTS = 3
MAX_SITEMAPS = 5


def parse_every(text: str) -> int:
    """'10m', '1h', '30s', '2d' or plain seconds → seconds (at least 10)."""
    t = text.strip().lower()
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    try:
        n = float(t[:-1]) * units[t[-1]] if t and t[-1] in units else float(t)
    except ValueError as exc:
        raise StoreError(f"--every {text!r}: expected a duration such as 30s, 10m, 1h") from exc
    if n < 10:
        raise StoreError(f"--every {text!r}: at least 10s between polls")
    return int(n)


# -- the watch list ------------------------------------------------------------------------------------
def add(store: Store, url: str, *, every: str = "10m", language: str | None = None, publisher: str | None = None,
        tlp: str = "AMBER", now: datetime | None = None) -> dict[str, Any]:
    if not is_url(url):
        raise StoreError(f"{url}: not an http(s) URL")
    if language and language not in ("id", "en"):
        raise StoreError(f"--language {language!r}: expected id or en")
    try:
        marking = TLP.parse(tlp).value
    except ValueError as exc:
        raise StoreError(f"--tlp: {exc}") from exc
    with store.engine.begin() as conn:
        if watch_io.find_source(conn, url) is not None:
            raise StoreError(f"{url}: already watched")
        sid = watch_io.add_source(conn, {"url": url, "every_s": parse_every(every), "language": language,
                                         "publisher": publisher, "marking": marking,
                                         "created_at": now or utcnow()})
        return watch_io.find_source(conn, sid) or {}


def remove(store: Store, ref: str) -> dict[str, Any]:
    with store.engine.begin() as conn:
        src = watch_io.find_source(conn, ref)
        if src is None:
            raise StoreError(f"{ref}: no such watched source (give its id or URL; see `pantau watch list`)")
        watch_io.remove_source(conn, src["id"])
        return src


def listing(store: Store) -> list[dict[str, Any]]:
    with store.engine.connect() as conn:
        counts = watch_io.item_counts(conn)
        out = []
        for s in watch_io.sources(conn):
            c = counts.get(s["id"], {})
            out.append({"id": s["id"], "url": s["url"], "every_s": s["every_s"], "tlp": s["marking"],
                        "last_poll": s["last_poll_at"].isoformat(timespec="seconds") if s["last_poll_at"] else None,
                        "next_poll": s["next_poll_at"].isoformat(timespec="seconds") if s["next_poll_at"] else None,
                        "status": s["last_status"], "new_last_poll": s["new_last"],
                        "ingested": c.get("ingested", 0), "pending": c.get("pending", 0),
                        "failed": c.get("failed", 0), "skipped": c.get("skipped", 0),
                        "errors": s["errors"], "last_error": s["last_error"]})
        return out


# -- polling --------------------------------------------------------------------------------------------
@dataclass(slots=True)
class PollResult:
    source_id: int
    url: str
    status: str
    new: int = 0
    ingested: int = 0
    duplicates: int = 0
    failed: int = 0
    error: str | None = None
    report_error: bool = False  # first time this error is seen: say it once
    document_ids: list[int] = field(default_factory=list)


class Watcher:
    """Polls the due sources. `clock`/`sleep` are injectable (tests); `min_interval` is the per-host
    politeness gap in seconds (robots.txt Crawl-delay wins when longer)."""

    def __init__(self, store: Store, *, clock: Clock = utcnow, sleep: Sleep | None = None,
                 min_interval: float = 1.0, retries: int = 2, backoff: float = 1.0, transport: Any = None,
                 after_ingest: Callable[[Store, list[int]], None] | None = None) -> None:
        import time

        self.store = store
        self.clock = clock
        self.sleep = sleep or time.sleep
        self.http = PoliteClient(store.settings, clock=clock, sleep=self.sleep, min_interval=min_interval,
                                 retries=retries, backoff=backoff, transport=transport)
        self.after_ingest = after_ingest

    def close(self) -> None:
        self.http.close()

    def poll_due(self) -> list[PollResult]:
        with self.store.engine.connect() as conn:
            due = watch_io.due_sources(conn, self.clock())
        results = [self.poll(src) for src in due]
        added = [d for r in results for d in r.document_ids]
        if added:
            from pantau.services.kb import fuse_quietly

            fuse_quietly(self.store)
            if self.after_ingest is not None:
                self.after_ingest(self.store, added)
        return results

    def poll(self, src: dict[str, Any]) -> PollResult:
        res = PollResult(src["id"], src["url"], "ok")
        self._html: dict[str, str] = {}
        why = self.http.allowed(src["url"])
        if why:
            self._fail(src, res, "robots" if "robots.txt" in why else "error", why)
            return res
        r = self.http.get(src["url"], etag=src["etag"], last_modified=src["last_modified"])
        now = self.clock()
        if r.status == 304:
            res.status = "not-modified"
            self._ok(src, now, res, {})
        elif r.ok:
            try:
                entries = self._entries(r.body)
            except NotASource as exc:
                self._fail(src, res, "malformed", f"{exc}")
                entries = None
            if entries is not None:
                with self.store.engine.begin() as conn:  # validators and the new items together
                    res.new = watch_io.add_items(conn, src["id"], entries, now)
                    self._ok(src, now, res, {"etag": r.headers.get("etag"),
                                             "last_modified": r.headers.get("last-modified"),
                                             "items_total": src["items_total"] + res.new}, conn=conn)
        else:
            self._fail(src, res, f"http {r.status}" if r.status else "error", r.reason(), r.retry_after(now))
        self._work(src, res)
        return res

    def _entries(self, body: bytes) -> list[dict[str, Any]]:
        got = parse_listing(body)
        self._html = {e["key"]: e.get("html") or "" for e in got.entries}
        if got.kind != "sitemapindex":
            return got.entries
        entries: list[dict[str, Any]] = []
        for url in got.sitemaps[:MAX_SITEMAPS]:
            if self.http.allowed(url):
                continue
            r = self.http.get(url)
            if r.ok:
                try:
                    entries += parse_listing(r.body).entries
                except NotASource:
                    continue
        return entries

    def _ok(self, src: dict[str, Any], now: datetime, res: PollResult, values: dict[str, Any],
            conn: Any = None) -> None:
        values = {"last_poll_at": now, "next_poll_at": now + timedelta(seconds=src["every_s"]),
                  "last_status": res.status, "errors": 0, "error_reported": False, "last_error": None,
                  "new_last": res.new, **{k: v for k, v in values.items() if k in ("items_total",)},
                  **({"etag": values.get("etag"), "last_modified": values.get("last_modified")}
                     if "etag" in values else {})}
        if conn is not None:
            watch_io.update_source(conn, src["id"], **values)
            return
        with self.store.engine.begin() as c:
            watch_io.update_source(c, src["id"], **values)

    def _fail(self, src: dict[str, Any], res: PollResult, status: str, reason: str,
              retry_after: float | None = None) -> None:
        now = self.clock()
        errors = src["errors"] + 1
        wait = timedelta(seconds=min(src["every_s"] * 2 ** (errors - 1), MAX_BACKOFF.total_seconds()))
        if retry_after:
            wait = max(wait, timedelta(seconds=min(retry_after, MAX_BACKOFF.total_seconds())))
        res.status, res.error = status, reason
        res.report_error = not (src["error_reported"] and src["last_error"] == reason)
        if res.report_error:
            log.warning("watch: %s: %s (next try in %s)", src["url"], reason, wait)
        with self.store.engine.begin() as conn:
            watch_io.update_source(conn, src["id"], last_poll_at=now, next_poll_at=now + wait, last_status=status,
                                   last_error=reason, errors=errors, error_reported=True, new_last=0)

    # -- items -------------------------------------------------------------------------------------------
    def _work(self, src: dict[str, Any], res: PollResult) -> None:
        from pantau.services.ingest import ingest_item

        with self.store.engine.connect() as conn:
            todo = watch_io.pending_items(conn, src["id"])
        html_of = self._html
        for it in todo:
            now = self.clock()
            try:
                item = self._article(src, it, html_of.get(it["key"], ""))
            except _Later as exc:  # the site is having trouble: try again next poll
                self._item_error(it, str(exc), final=it["attempts"] + 1 >= MAX_ITEM_ATTEMPTS)
                res.failed += 1
                continue
            except _Skip as exc:
                with self.store.engine.begin() as conn:
                    watch_io.finish_item(conn, it["id"], state="skipped", error=str(exc), done_at=now)
                continue
            except InputError as exc:
                self._item_error(it, exc.reason, final=True)
                res.failed += 1
                continue
            got = ingest_item(self.store, item, org_id=src["org_id"], marking=src["marking"])
            if got.status == "failed":
                self._item_error(it, got.reason or "failed", final=it["attempts"] + 1 >= MAX_ITEM_ATTEMPTS)
                res.failed += 1
                continue
            with self.store.engine.begin() as conn:
                watch_io.finish_item(conn, it["id"], state="ingested", document_id=got.document_id,
                                     attempts=it["attempts"] + 1, error=None, done_at=self.clock())
            if got.status == "added":
                res.ingested += 1
                res.document_ids.append(int(got.document_id or 0))
            else:
                res.duplicates += 1

    def _item_error(self, it: dict[str, Any], reason: str, *, final: bool) -> None:
        with self.store.engine.begin() as conn:
            watch_io.finish_item(conn, it["id"], state="failed" if final else "pending", error=reason,
                                 attempts=it["attempts"] + 1, done_at=self.clock() if final else None)

    def _article(self, src: dict[str, Any], it: dict[str, Any], entry_html: str) -> Any:
        """The full article behind an entry, as an ingest Item (title, date and publisher kept)."""
        from pantau.services.feeds import html_fragment_text
        from pantau.services.records import Item

        url = it["url"]
        if url:
            why = self.http.allowed(url)
            if why:
                raise _Skip(why)
            r = self.http.get(url)
            if r.retryable:
                raise _Later(r.reason())
            if not r.ok:
                raise InputError(url, r.reason())
            from pantau.services.decoding import decode

            html = decode(url, r.body, r.headers.get("content-type"))
            item = html_item(url, html, url=r.url)
        else:  # an entry without a link: its own content is all there is
            body = html_fragment_text(entry_html)
            if not body:
                raise InputError(it["key"], "feed entry has no link and no text")
            title = it["title"]
            item = Item(source=src["url"], text=f"{title}\n\n{body}" if title else body, title=title)
        item.source = url or src["url"]
        item.title = item.title or it["title"]
        item.published = item.published or it["published"]
        item.publisher = src["publisher"] or item.publisher
        item.language = src["language"] or item.language
        return item

    # -- the loop ----------------------------------------------------------------------------------------
    def run(self, *, once: bool = False, stop: threading.Event | None = None,
            on_result: Callable[[PollResult], None] | None = None, idle_max: float = 30.0) -> None:
        """Poll due sources until `stop` is set (or once). Sleeps until the next source is due."""
        stop = stop or threading.Event()
        while not stop.is_set():
            for r in self.poll_due():
                if on_result:
                    on_result(r)
            if once:
                return
            with self.store.engine.connect() as conn:
                nxt = watch_io.next_due(conn)
            wait = idle_max if nxt is None else (nxt - self.clock()).total_seconds()
            stop.wait(min(max(wait, 0.5), idle_max))


class _Later(Exception):
    """A temporary failure (5xx, timeout): the item stays pending."""


class _Skip(Exception):
    """The item will never be fetched (robots.txt)."""
