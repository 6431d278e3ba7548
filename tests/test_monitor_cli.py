"""The watch and alerts commands, and the background watcher `pantau serve --watch` starts."""

from __future__ import annotations

import json
import time
from pathlib import Path

from typer.testing import CliRunner

from pantau.cli.main import build_app
from pantau.services import watch
from pantau.services.store import Store
from tests.monitor_site import Site, rss


def test_watch_commands(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    app, run = build_app(), CliRunner()
    r = run.invoke(app, ["--db", db, "watch", "add", "http://127.0.0.1:9/feed.xml", "--every", "15m", "--tlp", "green"])
    assert r.exit_code == 0 and "every 900s" in r.output and "TLP:GREEN" in r.output
    r = run.invoke(app, ["--db", db, "watch", "add", "http://127.0.0.1:9/feed.xml"])
    assert r.exit_code == 2 and "already watched" in r.output
    r = run.invoke(app, ["--db", db, "watch", "add", "not-a-url"])
    assert r.exit_code == 2 and "not an http(s) URL" in r.output
    r = run.invoke(app, ["--db", db, "watch", "run", "--once", "--polite", "0"])
    assert r.exit_code == 0 and "unreachable" in r.output  # reported once, with the reason
    r = run.invoke(app, ["--db", db, "watch", "list", "--format", "json"])
    row = json.loads(r.stdout)[0]
    assert row["status"] == "error" and row["errors"] == 1 and "unreachable" in row["last_error"]
    r = run.invoke(app, ["--db", db, "watch", "run", "--once", "--polite", "0"])
    assert "unreachable" not in r.output  # backed off: not polled again at once
    r = run.invoke(app, ["--db", db, "watch", "remove", "1"])
    assert r.exit_code == 0
    r = run.invoke(app, ["--db", db, "watch", "remove", "1"])
    assert r.exit_code == 1 and "no such watched source" in r.output


def test_alerts_commands(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'c.db'}"
    app, run = build_app(), CliRunner()
    env = {"PANTAU_DATA_DIR": str(tmp_path)}
    r = run.invoke(app, ["--db", db, "users", "add", "ana", "--org", "local"], env=env)
    assert r.exit_code == 0, r.output
    r = run.invoke(app, ["--db", db, "alerts", "add", "STS", "--user", "ana", "--provision", "unscr-2397-9",
                         "--webhook", "http://127.0.0.1:9/hook"])
    assert r.exit_code == 0 and "webhook secret:" in r.output
    r = run.invoke(app, ["--db", db, "alerts", "add", "bad", "--user", "ana", "--min-grade", "Q7"])
    assert r.exit_code == 2 and "--min-grade" in r.output
    r = run.invoke(app, ["--db", db, "alerts", "list", "--format", "json"])
    rules = json.loads(r.stdout)
    assert [x["provision"] for x in rules] == ["unscr-2397-9"] and "webhook_secret" not in rules[0]
    r = run.invoke(app, ["--db", db, "alerts", "run", "--once"])
    assert r.exit_code == 0 and "0 alert(s)" in r.output


def test_background_watcher(tmp_path: Path) -> None:
    from pantau.services.monitor_hooks import start_background

    site = Site()
    store = Store(f"sqlite:///{tmp_path / 'b.db'}")
    try:
        site.article("/a.html", "Laporan", "Kapal tanker Yu Jong 2 terlihat di lepas pantai Nampo.", "PENANDA-B")
        site.set("/feed.xml", rss([{"title": "Laporan", "link": site.base + "/a.html"}]), ctype="application/rss+xml")
        watch.add(store, site.base + "/feed.xml", every="10s")
        halt = start_background(store, polite=0)
        try:
            end = time.monotonic() + 60
            while time.monotonic() < end and not watch.listing(store)[0]["ingested"]:
                time.sleep(0.2)
        finally:
            halt()
        assert watch.listing(store)[0]["ingested"] == 1
    finally:
        store.close()
        site.close()
