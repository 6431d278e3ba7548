"""The watcher against a local news site whose feed, sitemap and articles change between polls."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from pantau.services import watch
from pantau.services.store import Store
from pantau.storage.monitor_tables import watch_items
from pantau.storage.tables import documents
from tests.monitor_site import FakeClock, Site, rss, sitemap

LEADS = [
    "Kapal tanker Yu Jong 2 terlihat merapat ke sebuah kapal tak dikenal di lepas pantai Nampo.",
    "The vessel Chon Ma San was seen alongside a foreign tanker in the East China Sea.",
    "Otoritas pelabuhan menahan kapal kargo Wise Honest yang membawa batu bara dari Korea Utara.",
    "A tanker flagged in Sierra Leone switched off its transponder near Ningbo for three days.",
    "Kementerian Keuangan AS menjatuhkan sanksi kepada dua perusahaan pelayaran di Hong Kong.",
]


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    s.set("/robots.txt", "User-agent: *\nDisallow: /private/\n", ctype="text/plain")
    yield s
    s.close()


def _articles(site: Site, n: int, start: int = 0) -> list[dict[str, str]]:
    items = []
    for i in range(start, start + n):
        path = f"/berita/{i}.html"
        site.article(path, f"Laporan {i}", LEADS[i % len(LEADS)], f"PENANDA-{i}")
        items.append({"title": f"Laporan {i}", "link": site.base + path, "summary": "Ringkasan singkat saja."})
    return items


def _watcher(store: Store, clock: FakeClock) -> watch.Watcher:
    return watch.Watcher(store, clock=clock, sleep=clock.sleep, min_interval=1.0, retries=2, backoff=1.0)


def _doc_texts(store: Store) -> list[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(sa.select(documents.c.text)).scalars())


def test_new_items_full_articles_never_twice_and_etag(store: Store, site: Site) -> None:
    clock = FakeClock()
    items = _articles(site, 2)
    site.set("/feed.xml", rss(items), ctype="application/rss+xml", etag='"v1"')
    watch.add(store, site.base + "/feed.xml", every="10m", now=clock())
    w = _watcher(store, clock)

    r1 = w.poll_due()
    assert [(r.status, r.new, r.ingested) for r in r1] == [("ok", 2, 2)]
    texts = _doc_texts(store)
    assert len(texts) == 2
    # the full article, not the feed's summary, and no page furniture
    assert all("alih muat antarkapal" in t for t in texts)
    assert not any("Ringkasan singkat" in t or "Hak cipta" in t for t in texts)
    assert sorted(re.findall(r"PENANDA-\d+", " ".join(texts))) == ["PENANDA-0", "PENANDA-1"]

    # not due yet: nothing is fetched
    before = sum(site.hits.values())
    assert w.poll_due() == []
    assert sum(site.hits.values()) == before

    # the feed gains an item: one poll picks it up, the old ones are not fetched again
    items += _articles(site, 1, start=2)
    site.set("/feed.xml", rss(items), ctype="application/rss+xml", etag='"v2"')
    clock.advance(600)
    r2 = w.poll_due()
    assert [(r.new, r.ingested) for r in r2] == [(1, 1)]
    assert site.hits["/berita/0.html"] == 1 and site.hits["/berita/2.html"] == 1
    feed_reqs = [h for p, h in site.requests if p == "/feed.xml"]
    assert feed_reqs[-1].get("if-none-match") == '"v1"'

    # unchanged feed: the server answers 304 to the conditional request; nothing new
    clock.advance(600)
    r3 = w.poll_due()
    assert [(r.status, r.new) for r in r3] == [("not-modified", 0)]
    assert feed_reqs[-1] != [h for p, h in site.requests if p == "/feed.xml"][-1]
    assert [h for p, h in site.requests if p == "/feed.xml"][-1].get("if-none-match") == '"v2"'
    assert len(_doc_texts(store)) == 3
    listed = watch.listing(store)
    assert listed[0]["ingested"] == 3 and listed[0]["status"] == "not-modified" and listed[0]["last_poll"]
    w.close()


def test_last_modified_and_sitemap(store: Store, site: Site) -> None:
    clock = FakeClock()
    items = _articles(site, 2)
    lm = "Tue, 02 Apr 2024 07:00:00 GMT"
    site.set("/sitemap.xml", sitemap([i["link"] for i in items]), ctype="application/xml", last_modified=lm)
    watch.add(store, site.base + "/sitemap.xml", every="1h", now=clock())
    w = _watcher(store, clock)
    assert [(r.new, r.ingested) for r in w.poll_due()] == [(2, 2)]
    clock.advance(3600)
    assert [r.status for r in w.poll_due()] == ["not-modified"]
    sm = [h for p, h in site.requests if p == "/sitemap.xml"]
    assert sm[-1].get("if-modified-since") == lm
    assert len(_doc_texts(store)) == 2
    w.close()


def test_backoff_on_5xx_reported_once(store: Store, site: Site) -> None:
    clock = FakeClock()
    site.set("/feed.xml", "overloaded", status=503)
    watch.add(store, site.base + "/feed.xml", every="10m", now=clock())
    w = _watcher(store, clock)
    r1 = w.poll_due()
    assert r1[0].status == "http 503" and r1[0].report_error
    assert site.hits["/feed.xml"] == 3  # one try and two retries, with back-off between them
    assert clock.slept == [1.0, 1.0, 2.0]  # the per-host gap after robots.txt, then back-off 1 s and 2 s
    # within the back-off nothing is requested, however often the loop runs
    for _ in range(5):
        clock.advance(60)
        assert w.poll_due() == []
    assert site.hits["/feed.xml"] == 3
    clock.advance(600)
    r2 = w.poll_due()
    assert r2[0].status == "http 503" and not r2[0].report_error  # the same error is not reported again
    src = watch.listing(store)[0]
    assert src["errors"] == 2 and src["last_error"] == "HTTP 503"
    # the second failure waits twice as long
    clock.advance(1200 - 1)
    assert w.poll_due() == []
    # the source recovers
    site.set("/feed.xml", rss(_articles(site, 1)), ctype="application/rss+xml")
    clock.advance(2)
    r3 = w.poll_due()
    assert (r3[0].status, r3[0].ingested) == ("ok", 1)
    assert watch.listing(store)[0]["errors"] == 0
    w.close()


def test_robots_txt_disallow(store: Store, site: Site) -> None:
    clock = FakeClock()
    site.set("/private/feed.xml", rss(_articles(site, 1)), ctype="application/rss+xml")
    items = _articles(site, 1, start=1)
    site.article("/private/x.html", "Rahasia", LEADS[0], "PENANDA-X")
    items.append({"title": "Rahasia", "link": site.base + "/private/x.html"})
    site.set("/feed.xml", rss(items), ctype="application/rss+xml")
    watch.add(store, site.base + "/private/feed.xml", every="10m", now=clock())
    watch.add(store, site.base + "/feed.xml", every="10m", now=clock())
    w = _watcher(store, clock)
    res = {r.url.rsplit("/", 2)[-2] + "/" + r.url.rsplit("/", 1)[-1]: r for r in w.poll_due()}
    blocked = res["private/feed.xml"]
    assert blocked.status == "robots" and "robots.txt" in (blocked.error or "")
    assert site.hits["/private/feed.xml"] == 0 and site.hits["/private/x.html"] == 0
    ok = next(r for k, r in res.items() if k != "private/feed.xml")
    assert ok.ingested == 1
    with store.engine.connect() as conn:
        states = dict(conn.execute(sa.select(watch_items.c.url, watch_items.c.state)).all())
    assert states[site.base + "/private/x.html"] == "skipped"
    # backed off: not asked again at the next minute
    clock.advance(60)
    assert all(r.url != site.base + "/private/feed.xml" for r in w.poll_due())
    w.close()


def test_dead_and_malformed_sources(store: Store, site: Site) -> None:
    clock = FakeClock()
    site.set("/junk.xml", "this is not a feed at all", ctype="text/plain")
    watch.add(store, site.base + "/gone.xml", every="10m", now=clock())
    watch.add(store, site.base + "/junk.xml", every="10m", now=clock())
    w = _watcher(store, clock)
    got = {r.url.rsplit("/", 1)[-1]: r for r in w.poll_due()}
    assert got["gone.xml"].status == "http 404" and got["gone.xml"].report_error
    assert got["junk.xml"].status == "malformed" and "not an RSS/Atom feed" in (got["junk.xml"].error or "")
    assert site.hits["/gone.xml"] == 1  # a 404 is not retried in a loop
    w.close()


def test_add_rejects_bad_input(store: Store) -> None:
    from pantau.exc import StoreError

    with pytest.raises(StoreError, match="not an http"):
        watch.add(store, "ftp://x/feed")
    with pytest.raises(StoreError, match="duration"):
        watch.add(store, "http://x/feed", every="soon")
    with pytest.raises(StoreError, match="TLP"):
        watch.add(store, "http://x/feed", tlp="PURPLE")
    watch.add(store, "http://x/feed")
    with pytest.raises(StoreError, match="already watched"):
        watch.add(store, "http://x/feed")


def _wait(pred, timeout: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.1)
    return False


def test_resume_after_kill_9(tmp_path: Path, site: Site) -> None:
    """A watcher process killed with SIGKILL in the middle of its work: a new one finishes the job,
    nothing is lost and nothing is stored twice."""
    url = f"sqlite:///{tmp_path / 'w.db'}"
    store = Store(url)
    items = _articles(site, 4)
    for i in range(4):  # slow articles, so the kill lands while items are pending
        site.article(f"/berita/{i}.html", f"Laporan {i}", LEADS[i], f"PENANDA-{i}", delay=0.6)
    site.set("/feed.xml", rss(items), ctype="application/rss+xml", etag='"k1"')
    watch.add(store, site.base + "/feed.xml", every="10s")
    env = {**os.environ, "PANTAU_DB_URL": url}
    proc = subprocess.Popen([sys.executable, "-m", "pantau.cli.main", "watch", "run", "--polite", "0"],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        def ingested() -> int:
            with store.engine.connect() as conn:
                return int(conn.execute(sa.select(sa.func.count()).select_from(watch_items)
                                        .where(watch_items.c.state == "ingested")).scalar_one())
        assert _wait(lambda: ingested() >= 1, 120), "the watcher process ingested nothing"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert ingested() < 4, "killed too late to test anything"
    # the feed moves on while the watcher is down
    items += _articles(site, 1, start=4)
    site.set("/feed.xml", rss(items), ctype="application/rss+xml", etag='"k2"')
    from datetime import UTC, datetime, timedelta

    clock = FakeClock()
    clock.now = datetime.now(UTC) + timedelta(minutes=5)
    w = watch.Watcher(store, clock=clock, sleep=clock.sleep, min_interval=0)
    w.poll_due()
    w.close()
    texts = _doc_texts(store)
    assert len(texts) == 5
    assert sorted(re.findall(r"PENANDA-\d+", " ".join(texts))) == [f"PENANDA-{i}" for i in range(5)]
    assert ingested() == 5
    assert all(site.hits[f"/berita/{i}.html"] <= 2 for i in range(4)) and site.hits["/berita/4.html"] == 1
    store.close()
