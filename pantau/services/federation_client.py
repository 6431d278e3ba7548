"""A TAXII 2.1 client for pulling from partners that trusts them with nothing, on `taxii2-client`.

`taxii2-client` does the protocol (discovery, API root, collections, objects with `added_after`,
`limit` and `next`); its `requests` session gets an adapter that enforces what the library leaves
open: a size limit on every answer (read in chunks, never whole), a timeout, no redirects at all
(so our credentials never follow a partner's redirect), and it keeps the last answer's headers
(the library returns only the body, and `X-TAXII-Date-Added-Last` is where the next pull starts).
The discovery document's `default`/`api_roots` must stay on the partner's own scheme, host and port.
Paging stops at `MAX_PAGES` per collection and when a partner repeats a `next` it already gave.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import requests
from requests.adapters import HTTPAdapter

from pantau.exc import PantauError

TAXII = "application/taxii+json;version=2.1"
MAX_BYTES = 16 * 1024 * 1024  # one answer
MAX_PAGES = 1000  # per collection and pull
PAGE = 500
TIMEOUT = 30.0


class PartnerError(PantauError):
    """A partner that cannot be pulled from (unreachable, refused, malformed or hostile answer)."""


class _Guard(HTTPAdapter):
    def __init__(self, max_bytes: int, timeout: float) -> None:
        super().__init__(max_retries=0)
        self.max_bytes = max_bytes
        self.timeout = timeout
        self.last_headers: dict[str, str] = {}

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,  # type: ignore[override]
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        resp = super().send(request, stream=True, timeout=timeout or self.timeout, verify=verify, cert=cert,
                            proxies=proxies)
        if resp.is_redirect or 300 <= resp.status_code < 400:
            where = resp.headers.get("Location", "?")
            resp.close()
            raise PartnerError(f"{request.url}: redirected to {where[:200]}; redirects are not followed")
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > self.max_bytes:
            resp.close()
            raise PartnerError(f"{request.url}: answer of {declared} bytes is over the limit of {self.max_bytes}")
        chunks, total = [], 0
        for chunk in resp.raw.stream(65536, decode_content=True):
            total += len(chunk)
            if total > self.max_bytes:
                resp.close()
                raise PartnerError(f"{request.url}: answer over the limit of {self.max_bytes} bytes")
            chunks.append(chunk)
        resp._content = b"".join(chunks)
        resp._content_consumed = True
        self.last_headers = dict(resp.headers)
        return resp


@dataclass(slots=True)
class Page:
    objects: list[Any]
    sizes: list[int]
    date_added_last: str | None


@dataclass(slots=True)
class CollectionInfo:
    id: str
    title: str
    can_read: bool
    can_write: bool


@dataclass(slots=True)
class PartnerClient:
    url: str
    token: str
    max_bytes: int = MAX_BYTES
    timeout: float = TIMEOUT
    max_pages: int = MAX_PAGES
    warnings: list[str] = field(default_factory=list)
    _guard: _Guard | None = None
    _conn: Any = None

    def __post_init__(self) -> None:
        from taxii2client.common import _HTTPConnection

        self._conn = _HTTPConnection(user="pantau", password=self.token, version="2.1")
        self._guard = _Guard(self.max_bytes, self.timeout)
        session = self._conn.session
        session.max_redirects = 0
        session.trust_env = False  # no proxies or .netrc credentials from the environment
        session.mount("http://", self._guard)
        session.mount("https://", self._guard)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> PartnerClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _same_origin(self, url: str) -> bool:
        a, b = urlsplit(self.url), urlsplit(url)
        return (a.scheme, a.hostname, a.port) == (b.scheme, b.hostname, b.port)

    def _get(self, url: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        return self._call(url, lambda: self._conn.get(url, headers={"Accept": TAXII}, params=params))

    def _call(self, url: str, fn: Any) -> dict[str, Any]:
        """Run one library call; every failure becomes a one-line PartnerError naming the URL."""
        from taxii2client.exceptions import TAXIIServiceException

        try:
            body = fn()
        except PartnerError:
            raise
        except (TAXIIServiceException, ValueError) as exc:
            raise PartnerError(f"{url}: {_one_line(exc)}") from None
        except RecursionError:
            raise PartnerError(f"{url}: answer nested too deeply") from None
        except requests.HTTPError as exc:
            code = exc.response.status_code if exc.response is not None else "?"
            raise PartnerError(f"{url}: HTTP {code}") from None
        except requests.RequestException as exc:
            raise PartnerError(f"{url}: {_one_line(exc)}") from None
        except (KeyError, TypeError) as exc:
            raise PartnerError(f"{url}: malformed answer ({_one_line(exc)})") from None
        if not isinstance(body, dict):
            raise PartnerError(f"{url}: answer is not a JSON object")
        return body

    def api_root(self) -> str:
        """The API root: the configured URL if it is one, else the discovery's `default` (or first root),
        which must be on the partner's own origin."""
        body = self._get(self.url)
        if "api_roots" not in body:
            return self.url
        roots = body.get("api_roots")
        root = body.get("default") or (roots[0] if isinstance(roots, list) and roots else None)
        if not isinstance(root, str) or not root:
            raise PartnerError(f"{self.url}: the partner's TAXII server lists no API root")
        root = urljoin(self.url, root)
        if not self._same_origin(root):
            raise PartnerError(f"{self.url}: discovery points to another host ({root[:200]}); refused, "
                               "our credentials go only to the partner's own address")
        return root.rstrip("/") + "/"

    def collections(self, root: str) -> list[CollectionInfo]:
        from taxii2client.v21 import ApiRoot

        api = ApiRoot(root, conn=self._conn)
        self._call(f"{root}collections/", lambda: api.refresh_collections() or {})
        out = []
        for c in api.collections:
            cid = str(c.id)
            if len(cid) > 100 or "/" in cid or not cid.strip():
                self.warnings.append(f"collection {cid[:80]!r} skipped: not a usable id")
                continue
            out.append(CollectionInfo(cid, str(c.title or cid)[:100], bool(c.can_read), bool(c.can_write)))
        return out

    def pages(self, root: str, coll: CollectionInfo, added_after: str | None) -> Iterator[Page]:
        """Pages of a collection's objects; stops on `more: false`, a repeated `next`, or MAX_PAGES."""
        from taxii2client.v21 import Collection

        c = Collection(f"{root}collections/{coll.id}/", conn=self._conn,
                       collection_info={"id": coll.id, "title": coll.title, "can_read": coll.can_read,
                                        "can_write": coll.can_write})
        params: dict[str, Any] = {"limit": PAGE, "added_after": added_after}
        seen: set[str] = set()
        for _ in range(self.max_pages):
            env = self._call(c.objects_url, lambda p=params: c.get_objects(**p))
            objs = env.get("objects", [])
            if not isinstance(objs, list):
                raise PartnerError(f"{c.objects_url}: `objects` is not a list")
            yield Page(objs, [len(json.dumps(o, default=str)) for o in objs],
                       self._guard.last_headers.get("X-TAXII-Date-Added-Last") if self._guard else None)
            nxt = env.get("next")
            if env.get("more") is not True or not isinstance(nxt, str) or not nxt:
                return
            if nxt in seen:
                self.warnings.append(f"collection {coll.title}: the partner repeated `next` {nxt[:40]!r}; "
                                     "paging stopped")
                return
            seen.add(nxt)
            params = {"limit": PAGE, "added_after": added_after, "next": nxt}
        self.warnings.append(f"collection {coll.title}: stopped after {self.max_pages} pages")


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
