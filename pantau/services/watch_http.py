"""The watcher's HTTP side: a polite client (one request at a time per host, at least `min_interval`
seconds apart or the robots.txt Crawl-delay if longer), robots.txt through `protego`, conditional
requests (ETag / Last-Modified) and retries with exponential back-off on 5xx, timeouts and refused
connections. The clock and the sleep are injected so tests run without waiting."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from urllib.parse import urlsplit

import httpx

from pantau.settings import Settings

Clock = Callable[[], datetime]
Sleep = Callable[[float], None]

ROBOTS_TTL = timedelta(hours=1)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(slots=True)
class Response:
    url: str
    status: int  # 0: no HTTP answer (timeout, refused, too large)
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None  # why there was no usable answer

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def retryable(self) -> bool:
        return self.status == 0 or self.status >= 500 or self.status == 429

    def reason(self) -> str:
        return self.error or f"HTTP {self.status}"

    def retry_after(self, now: datetime) -> float | None:
        value = self.headers.get("retry-after")
        if not value:
            return None
        if value.strip().isdigit():
            return float(value.strip())
        try:
            return max(0.0, (parsedate_to_datetime(value) - now).total_seconds())
        except (TypeError, ValueError):
            return None


@dataclass(slots=True)
class _Robots:
    parser: object | None  # protego.Protego, None = everything allowed
    fetched: datetime
    failed: str | None = None  # robots.txt answered 5xx / unreachable: the host is treated as off limits


class PoliteClient:
    def __init__(self, settings: Settings, *, clock: Clock = utcnow, sleep: Sleep = time.sleep,
                 min_interval: float = 1.0, retries: int = 2, backoff: float = 1.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.sleep = sleep
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.client = httpx.Client(timeout=settings.http_timeout, follow_redirects=True, transport=transport,
                                   headers={"User-Agent": settings.user_agent})
        self._last: dict[str, datetime] = {}
        self._robots: dict[str, _Robots] = {}

    def close(self) -> None:
        self.client.close()

    # -- robots.txt --------------------------------------------------------------------------------
    def robots(self, url: str) -> _Robots:
        parts = urlsplit(url)
        host = f"{parts.scheme}://{parts.netloc}"
        got = self._robots.get(host)
        if got is not None and self.clock() - got.fetched < ROBOTS_TTL:
            return got
        r = self._get(f"{host}/robots.txt", {})
        if r.ok:
            from protego import Protego

            got = _Robots(Protego.parse(r.body.decode("utf-8", "replace")), self.clock())
        elif 400 <= r.status < 500:  # no robots.txt: everything is allowed
            got = _Robots(None, self.clock())
        else:  # RFC 9309: an unreachable robots.txt means "disallow everything" for now
            got = _Robots(None, self.clock(), failed=r.reason() if r.status == 0 else
                          f"robots.txt unavailable ({r.reason()})")
        self._robots[host] = got
        return got

    def allowed(self, url: str) -> str | None:
        """None when robots.txt lets us fetch `url`, else the reason it does not."""
        rb = self.robots(url)
        if rb.failed:
            return rb.failed
        if rb.parser is not None and not rb.parser.can_fetch(url, self.settings.user_agent):  # type: ignore[attr-defined]
            return "disallowed by robots.txt"
        return None

    def _delay(self, url: str) -> float:
        rb = self._robots.get(_origin(url))
        crawl = None
        if rb is not None and rb.parser is not None:
            crawl = rb.parser.crawl_delay(self.settings.user_agent)  # type: ignore[attr-defined]
        return max(self.min_interval, float(crawl or 0))

    # -- requests ------------------------------------------------------------------------------------
    def get(self, url: str, *, etag: str | None = None, last_modified: str | None = None) -> Response:
        """GET with conditional headers; retried with back-off on 5xx, 429 and network errors."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        wait = self.backoff
        r = self._get(url, headers)
        for _ in range(self.retries):
            if not r.retryable:
                break
            after = r.retry_after(self.clock())
            self.sleep(min(max(wait, after or 0), 60.0))
            wait *= 2
            r = self._get(url, headers)
        return r

    def _get(self, url: str, headers: dict[str, str]) -> Response:
        origin = _origin(url)
        last = self._last.get(origin)
        if last is not None:
            gap = self._delay(url) - (self.clock() - last).total_seconds()
            if gap > 0:
                self.sleep(gap)
        self._last[origin] = self.clock()
        limit = self.settings.max_bytes
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                hdrs = {k.lower(): v for k, v in resp.headers.items()}
                buf = bytearray()
                if resp.status_code == 200:
                    for chunk in resp.iter_bytes():
                        buf += chunk
                        if len(buf) > limit:
                            return Response(url, 0, hdrs, error=f"too large (over {limit} bytes)")
                return Response(str(resp.url), resp.status_code, hdrs, bytes(buf))
        except httpx.TimeoutException:
            return Response(url, 0, error=f"timed out after {self.settings.http_timeout:g}s")
        except httpx.HTTPError as exc:
            return Response(url, 0, error=f"unreachable ({type(exc).__name__}: {exc})")
        finally:
            self._last[origin] = self.clock()


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
