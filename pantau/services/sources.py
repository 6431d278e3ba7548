"""Read inputs into items of text: files, folders, `-` (stdin), http(s) URLs, RSS/Atom feeds,
JSON/JSONL records, plain text and HTML (main text via trafilatura).

Every problem with an input becomes an `InputError(source, reason)` naming the input (for a
JSONL line: `file.jsonl:LINE`), so one bad input never stops the others.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from pantau.exc import InputError
from pantau.services.decoding import decode
from pantau.services.records import Item, iso_date, parse_json, parse_jsonl, read_jsonl_stream
from pantau.settings import Settings

__all__ = ["Item", "html_item", "is_url", "plan", "read_input", "sniff", "text_item"]

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES


# -- planning -----------------------------------------------------------------------------------
def is_url(s: str) -> bool:
    return s.startswith(("http://", "https://"))


def plan(paths: list[str], glob: str | None = None) -> list[str]:
    """Expand folders (recursively; `glob` filters file names, default: the known text, HTML,
    feed and JSON suffixes; hidden files skipped) and keep files, URLs and `-` as given."""
    out: list[str] = []
    for p in paths:
        path = Path(p)
        if p == "-" or is_url(p) or not path.is_dir():
            out.append(p)
            continue
        for f in sorted(path.rglob(glob or "*")):
            rel = f.relative_to(path)
            if not f.is_file() or any(part.startswith(".") for part in rel.parts):
                continue
            if glob or f.suffix.lower() in KNOWN_SUFFIXES:
                out.append(str(f))
    return out


def read_input(name: str, settings: Settings, stdin: IO[bytes] | None = None) -> Iterator[Item | InputError]:
    """The items of one planned input; errors are yielded (not raised) so that the other items
    of a JSONL file or a feed still come through."""
    try:
        if name == "-":
            stream = stdin if stdin is not None else sys.stdin.buffer
            data = stream.read(settings.max_bytes + 1)
            _check_size(name, len(data), settings.max_bytes)
            yield from parse_bytes(name, data, kind=None, content_type=None)
        elif is_url(name):
            data, ctype, final = fetch(name, settings)
            yield from parse_bytes(name, data, kind=kind_from_content_type(ctype, final), content_type=ctype,
                                   url=final)
        else:
            path = Path(name)
            if not path.exists():
                raise InputError(name, "no such file or folder")
            if not path.is_file():
                raise InputError(name, "not a regular file")
            if kind_from_suffix(path.suffix) == "jsonl":  # streamed: the size limit is per record
                with path.open("rb") as stream:
                    yield from read_jsonl_stream(name, stream, settings.max_bytes)
                return
            _check_size(name, path.stat().st_size, settings.max_bytes)
            data = path.read_bytes()
            yield from parse_bytes(name, data, kind=kind_from_suffix(path.suffix))
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(name, exc.strerror or str(exc))
    except Exception as exc:  # noqa: BLE001 - a parser bug must not stop the other inputs
        yield InputError(name, f"could not be read ({type(exc).__name__}: {exc})")


def _check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise InputError(name, f"too large ({size} bytes, the limit is {limit}; set PANTAU_MAX_BYTES)")


# -- fetching -----------------------------------------------------------------------------------
def fetch(url: str, settings: Settings) -> tuple[bytes, str, str]:
    """GET `url` with a timeout and a size limit; returns (body, content type, final URL)."""
    import httpx

    try:
        with httpx.Client(timeout=settings.http_timeout, follow_redirects=True,
                          headers={"User-Agent": settings.user_agent}) as client:
            with client.stream("GET", url) as r:
                if r.status_code >= 400:
                    raise InputError(url, f"HTTP {r.status_code} {r.reason_phrase}".strip())
                declared = r.headers.get("content-length")
                if declared and declared.isdigit():
                    _check_size(url, int(declared), settings.max_bytes)
                buf = bytearray()
                for chunk in r.iter_bytes():
                    buf += chunk
                    _check_size(url, len(buf), settings.max_bytes)
                return bytes(buf), r.headers.get("content-type", ""), str(r.url)
    except httpx.TimeoutException as exc:
        raise InputError(url, f"timed out after {settings.http_timeout:g}s") from exc
    except httpx.ConnectError as exc:
        raise InputError(url, f"unreachable ({exc})") from exc
    except httpx.HTTPError as exc:
        raise InputError(url, f"fetch failed ({type(exc).__name__}: {exc})") from exc


def kind_from_suffix(suffix: str) -> str | None:
    s = suffix.lower()
    for kind, group in (("text", TEXT_SUFFIXES), ("html", HTML_SUFFIXES), ("feed", FEED_SUFFIXES),
                        ("jsonl", JSONL_SUFFIXES), ("json", JSON_SUFFIXES)):
        if s in group:
            return kind
    return None


def kind_from_content_type(ctype: str, url: str) -> str | None:
    c = ctype.split(";")[0].strip().lower()
    if c in ("text/html", "application/xhtml+xml"):
        return "html"
    if c in ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml"):
        return "feed"
    if c in ("application/x-ndjson", "application/jsonl", "application/x-jsonlines"):
        return "jsonl"
    if c == "application/json":
        return "json"
    if c == "text/plain":
        return "text"
    return kind_from_suffix(Path(url.split("?")[0]).suffix)


# -- parsing ------------------------------------------------------------------------------------
def parse_bytes(name: str, data: bytes, *, kind: str | None, content_type: str | None = None,
                url: str | None = None) -> Iterator[Item | InputError]:
    text = decode(name, data, content_type)
    if kind is None:
        kind = sniff(text)
    if kind == "jsonl":
        yield from parse_jsonl(name, text)
    elif kind == "json":
        yield from parse_json(name, text)
    elif kind == "feed":
        from pantau.services.feeds import parse_feed

        yield from parse_feed(name, data)
    elif kind == "html":
        yield html_item(name, text, url=url)
    else:
        yield text_item(name, text, url=url)


def sniff(text: str) -> str:
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html")):
        return "html"
    if head.startswith("<?xml") or head.startswith(("<rss", "<feed", "<rdf:rdf")):
        return "feed" if any(t in head for t in ("<rss", "<feed", "<rdf:rdf")) else "html"
    if head.startswith("{"):
        first = text.lstrip().split("\n", 1)[0]
        try:
            json.loads(first)
            return "jsonl"
        except ValueError:
            return "json"
    return "text"


def text_item(name: str, text: str, url: str | None = None) -> Item:
    """Plain text: the first non-empty line is the title; the stored text is the input as read."""
    title = next((ln.strip() for ln in text.splitlines() if ln.strip()), None)
    return Item(source=name, text=text, title=title, url=url)


def html_item(name: str, html: str, url: str | None = None) -> Item:
    """HTML page: main text without page furniture (trafilatura); stored as `title\\n\\ntext`."""
    import trafilatura

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                      include_tables=False, favor_precision=True)
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body:
        raise InputError(name, "no main text found in the HTML page")
    title = (getattr(doc, "title", None) or "").strip() or None
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    published = iso_date(getattr(doc, "date", None))
    author = getattr(doc, "author", None)
    authors = [a.strip() for a in author.split(";") if a.strip()] if author else []
    return Item(source=name, text=text, title=title, url=url or getattr(doc, "url", None), published=published,
                publisher=getattr(doc, "sitename", None) or None, authors=authors)
