"""Alert rules fire over a signed webhook (a local receiver) and e-mail (a local aiosmtpd server) within
5 s of the ingest that triggers them, and never to a recipient who may not see the event."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from pantau.exc import InputError
from pantau.services import alerts
from pantau.services.node import Node
from pantau.services.store import Store
from pantau.storage.monitor_tables import alert_deliveries
from pantau.storage.share_tables import change_log

REPORT = ("Korea Utara mengirim 10.000 tentara ke Rusia untuk membantu pasukan Rusia di wilayah Kursk, "
          "kata badan intelijen Korea Selatan pada Rabu, 23 Oktober 2024.\n")


class Receiver:
    """Webhook receiver: records (path, headers, body); `fail` answers 500 that many times first."""

    def __init__(self) -> None:
        self.got: list[tuple[str, dict[str, str], bytes, float]] = []
        self.fail = 0
        rec = self

        class H(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                if rec.fail > 0:
                    rec.fail -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                rec.got.append((self.path, {k.lower(): v for k, v in self.headers.items()}, body, time.monotonic()))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *a: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes, float]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((list(envelope.rcpt_tos), envelope.content, time.monotonic()))
        return "250 OK"


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def smtp() -> Iterator[tuple[Mailbox, int]]:
    import socket

    from aiosmtpd.controller import Controller

    with socket.socket() as sock:  # a free port (the controller checks it by connecting, so not 0)
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    box = Mailbox()
    c = Controller(box, hostname="127.0.0.1", port=port)
    c.start()
    try:
        yield box, port
    finally:
        c.stop()


def _people(store_url: str, tmp_path: Path) -> None:
    from pantau.services import identity

    node = Node.open(store_url, data_dir=tmp_path)
    identity.add_org(node, "mitra", "Mitra", member=False)
    identity.add_user(node, "ana", "local")   # the owning organisation: sees its AMBER reports
    identity.add_user(node, "budi", "mitra")  # a guest organisation: may not see them
    node.close()


def _wait(pred: Any, timeout: float) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if pred():
            return True
        time.sleep(0.05)
    return bool(pred())


def test_fires_within_5s_and_never_to_who_may_not_see(store: Store, store_url: str, tmp_path: Path,
                                                      receiver: Receiver, smtp: tuple[Mailbox, int]) -> None:
    box, port = smtp
    _people(store_url, tmp_path)
    ana = alerts.add_rule(store, user="ana", name="PRK troops", actor="PRK", event_type="AID",
                          webhook=receiver.url + "/ana", secret="s3cret", email="ana@example.org")
    budi = alerts.add_rule(store, user="budi", name="PRK too", actor="PRK", webhook=receiver.url + "/budi",
                           email="budi@example.org")
    d = alerts.Dispatcher(store, smtp=alerts.SmtpConfig("127.0.0.1", port), backoff=0.05)
    stop = threading.Event()
    t = threading.Thread(target=d.run, args=(stop, 0.2), daemon=True)
    t.start()
    try:
        f = tmp_path / "laporan.txt"
        f.write_text(REPORT, encoding="utf-8")
        report = store.ingest([str(f)])
        done = time.monotonic()
        assert report.added
        assert _wait(lambda: receiver.got and box.messages, 5.0), "no alert within 5 s of the ingest"
        assert receiver.got[0][3] - done < 5.0 and box.messages[0][2] - done < 5.0
        time.sleep(1.0)  # a few more dispatch rounds: nothing may reach budi
    finally:
        stop.set()
        t.join(10)
    path, headers, body, _ = receiver.got[0]
    assert path == "/ana" and [g[0] for g in receiver.got] == ["/ana"]
    assert headers["x-pantau-signature"] == alerts.sign("s3cret", body)
    sent = json.loads(body)
    assert sent["rule"]["name"] == "PRK troops" and sent["fused_event"]["type"] == "AID"
    assert "PRK" in sent["fused_event"]["source"] and any("Kursk" in e for e in sent["evidence"])
    assert [m[0] for m in box.messages] == [["ana@example.org"]]
    assert b"PRK troops" in box.messages[0][1]
    with store.engine.connect() as conn:
        log = {(r.rule_id, r.channel): r for r in conn.execute(sa.select(alert_deliveries))}
        stream = list(conn.execute(sa.select(change_log).where(change_log.c.object_kind == "alerts")))
    assert {k for k in log} == {(ana["id"], "webhook"), (ana["id"], "email"), (ana["id"], "stream")}
    assert all(r.status == "sent" for r in log.values())
    assert not any(k[0] == budi["id"] for k in log)
    # the live stream carries it to ana alone (TLP:RED released to her)
    assert len(stream) == 1 and stream[0].marking == "RED" and stream[0].release["users"] == [str(ana["user_id"])]
    # a second run sends nothing again
    assert alerts.Dispatcher(store, smtp=alerts.SmtpConfig("127.0.0.1", port)).run_once() == 0


def test_webhook_retries_with_backoff(store: Store, store_url: str, tmp_path: Path, receiver: Receiver) -> None:
    _people(store_url, tmp_path)
    alerts.add_rule(store, user="ana", name="any PRK", actor="PRK", webhook=receiver.url + "/x", stream=False)
    receiver.fail = 2
    f = tmp_path / "laporan.txt"
    f.write_text(REPORT, encoding="utf-8")
    store.ingest([str(f)])
    slept: list[float] = []
    assert alerts.Dispatcher(store, retries=3, backoff=0.5, sleep=slept.append).run_once() == 1
    assert slept == [0.5, 1.0] and len(receiver.got) == 1
    assert alerts.deliveries(store)[0]["attempts"] == 3


def test_rule_validation(store: Store, store_url: str, tmp_path: Path) -> None:
    _people(store_url, tmp_path)
    with pytest.raises(InputError, match="at least one condition"):
        alerts.add_rule(store, user="ana", name="x")
    with pytest.raises(InputError, match="grade"):
        alerts.add_rule(store, user="ana", name="x", min_grade="Z9")
    with pytest.raises(InputError, match="not an http"):
        alerts.add_rule(store, user="ana", name="x", actor="PRK", webhook="ftp://x")
    from pantau.exc import NotFound

    with pytest.raises(NotFound):
        alerts.add_rule(store, user="nobody", name="x", actor="PRK")
    assert alerts.grade_at_least("B2", "C3") and not alerts.grade_at_least("D2", "C3")
    assert not alerts.grade_at_least("B4", "C3")
