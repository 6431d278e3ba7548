"""A small news site for the watcher tests: a threading HTTP server on 127.0.0.1 (random port) whose
feed, sitemap, articles and robots.txt the test changes between polls. It honours If-None-Match and
If-Modified-Since, and records every request."""

from __future__ import annotations

import threading
import time
from collections import Counter
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

ARTICLE_BODY = (
    "<p>{lead}</p>"
    "<p>Menurut laporan Panel Ahli PBB, kapal itu melakukan alih muat antarkapal di Laut Kuning pada malam hari "
    "dengan transponder AIS dimatikan. Muatan yang dipindahkan diperkirakan mencapai ribuan barel produk minyak "
    "olahan, melampaui batas yang ditetapkan Dewan Keamanan.</p>"
    "<p>Pejabat kementerian luar negeri menolak berkomentar ketika dihubungi wartawan pada Selasa. Seorang analis "
    "maritim mengatakan pola pelayaran kapal tersebut konsisten dengan praktik penghindaran sanksi yang telah "
    "didokumentasikan selama bertahun-tahun. {marker}</p>"
)


def article_html(title: str, lead: str, marker: str) -> str:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><nav>Beranda | Dunia | Ekonomi</nav>"
            f"<article><h1>{title}</h1>{ARTICLE_BODY.format(lead=lead, marker=marker)}</article>"
            "<footer>Hak cipta 2024 Kabar Contoh</footer></body></html>")


def rss(items: list[dict[str, str]], title: str = "Kabar Contoh") -> str:
    out = [f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{title}</title>'
           "<link>http://example.test/</link><description>contoh</description>"]
    for it in items:
        out.append(f"<item><title>{it['title']}</title><link>{it['link']}</link><guid>{it['link']}</guid>"
                   f"<pubDate>Tue, 02 Apr 2024 08:00:00 +0000</pubDate>"
                   f"<description>{it.get('summary', 'Ringkasan singkat.')}</description></item>")
    out.append("</channel></rss>")
    return "".join(out)


def sitemap(urls: list[str]) -> str:
    body = "".join(f"<url><loc>{u}</loc><lastmod>2024-04-02</lastmod></url>" for u in urls)
    return f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{body}</urlset>'


class Site:
    """routes: path -> dict(status, body, ctype, etag, last_modified, delay). Thread-safe enough for tests."""

    def __init__(self) -> None:
        self.routes: dict[str, dict[str, Any]] = {}
        self.hits: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                path = self.path
                with site.lock:
                    site.hits[path] += 1
                    site.requests.append((path, {k.lower(): v for k, v in self.headers.items()}))
                    route = dict(site.routes.get(path) or {"status": 404, "body": "not found"})
                if route.get("delay"):
                    time.sleep(route["delay"])
                status = int(route.get("status", 200))
                etag, lm = route.get("etag"), route.get("last_modified")
                if status == 200 and ((etag and self.headers.get("If-None-Match") == etag)
                                      or (lm and not etag and self.headers.get("If-Modified-Since") == lm)):
                    self.send_response(304)
                    self.end_headers()
                    return
                body = str(route.get("body", "")).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", route.get("ctype", "text/html; charset=utf-8"))
                self.send_header("Content-Length", str(len(body)))
                if etag:
                    self.send_header("ETag", etag)
                if lm:
                    self.send_header("Last-Modified", lm)
                for k, v in (route.get("headers") or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def set(self, path: str, body: str = "", **kw: Any) -> None:
        with self.lock:
            self.routes[path] = {"body": body, **kw}

    def article(self, path: str, title: str, lead: str, marker: str, **kw: Any) -> None:
        self.set(path, article_html(title, lead, marker), **kw)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def http_date(ts: float) -> str:
    from datetime import UTC, datetime

    return format_datetime(datetime.fromtimestamp(ts, UTC), usegmt=True)


class FakeClock:
    """A clock the tests move; `sleep` advances it instead of waiting."""

    def __init__(self) -> None:
        from datetime import UTC, datetime

        self.now = datetime(2024, 4, 2, 8, 0, tzinfo=UTC)
        self.slept: list[float] = []

    def __call__(self) -> Any:
        return self.now

    def sleep(self, s: float) -> None:
        from datetime import timedelta

        self.slept.append(s)
        self.now += timedelta(seconds=s)

    def advance(self, s: float) -> None:
        from datetime import timedelta

        self.now += timedelta(seconds=s)
