"""Read inputs into items of text: files, folders, `-` (stdin), http(s) URLs, RSS/Atom feeds,
JSON/JSONL records, plain text and HTML (main text via trafilatura).

Every problem with an input becomes an `InputError(source, reason)` naming the input (for a
JSONL line: `file.jsonl:LINE`), so one bad input never stops the others.
"""

from __future__ import annotations

import email.utils
import json
import sys
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from pantau.exc import InputError
from pantau.settings import Settings

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
FEED_SUFFIXES = {".xml", ".rss", ".atom"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
JSON_SUFFIXES = {".json"}
KNOWN_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | FEED_SUFFIXES | JSONL_SUFFIXES | JSON_SUFFIXES
RECORD_FIELDS = ("text", "title", "url", "published", "publisher", "language", "authors")


@dataclass(slots=True)
class Item:
    """One document to ingest, with whatever metadata its input gave."""

    source: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None  # ISO date
    publisher: str | None = None
    language: str | None = None
    authors: list[str] = field(default_factory=list)


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


# -- decoding -----------------------------------------------------------------------------------
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(name: str, data: bytes, content_type: str | None = None) -> str:
    """Bytes → text: BOM, then UTF-8, then the declared charset, then charset detection.
    Empty, binary and undecodable inputs raise InputError."""
    if not data.strip():
        raise InputError(name, "empty input")
    text = None
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as exc:
                raise InputError(name, f"undecodable ({enc} byte order mark, but {exc.reason})") from exc
            break
    if text is None:
        if b"\x00" in data[:65536]:
            raise InputError(name, "binary content (NUL bytes), not text")
        text = _decode_guess(name, data, content_type)
    if _control_ratio(text) > 0.05:
        raise InputError(name, "binary content (too many control characters), not text")
    if not text.strip():
        raise InputError(name, "empty input")
    return text


def _decode_guess(name: str, data: bytes, content_type: str | None) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"{exc.reason} at byte {exc.start}"
    charset = _charset(content_type)
    if charset:
        try:
            return data.decode(charset)
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - installed with httpx/trafilatura
        raise InputError(name, f"undecodable (not UTF-8: {utf8_error})") from None
    best = from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise InputError(name, f"undecodable (not UTF-8: {utf8_error}; no other encoding fits)")
    return str(best)


def _charset(content_type: str | None) -> str | None:
    for part in (content_type or "").split(";")[1:]:
        k, _, v = part.strip().partition("=")
        if k.lower() == "charset" and v:
            return v.strip('"').strip()
    return None


def _control_ratio(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ch not in "\t\n\r\f\v" and unicodedata.category(ch) == "Cc")
    return bad / len(sample)


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
    published = _iso_date(getattr(doc, "date", None))
    author = getattr(doc, "author", None)
    authors = [a.strip() for a in author.split(";") if a.strip()] if author else []
    return Item(source=name, text=text, title=title, url=url or getattr(doc, "url", None), published=published,
                publisher=getattr(doc, "sitename", None) or None, authors=authors)


def parse_jsonl(name: str, text: str) -> Iterator[Item | InputError]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            yield parse_jsonl_line(line, f"{name}:{lineno}")
        except InputError as exc:
            yield exc


def parse_json(name: str, text: str) -> Iterator[Item | InputError]:
    try:
        obj = json.loads(text)
    except ValueError as exc:
        yield InputError(name, f"malformed JSON ({exc})")
        return
    records = obj if isinstance(obj, list) else [obj]
    for i, rec in enumerate(records):
        try:
            yield parse_record(rec, f"{name}[{i}]" if isinstance(obj, list) else name)
        except InputError as exc:
            yield exc


def parse_jsonl_line(line: str, source: str) -> Item:
    try:
        obj = json.loads(line)
    except ValueError as exc:
        raise InputError(source, f"malformed JSON ({exc})") from exc
    return parse_record(obj, source)


def parse_record(obj: Any, source: str) -> Item:
    """A JSON record {text, title?, url?, published?, publisher?, language?, authors?} → Item."""
    if not isinstance(obj, dict):
        raise InputError(source, f"a record must be a JSON object, not {type(obj).__name__}")
    text = obj.get("text")
    if not isinstance(text, str):
        raise InputError(source, "record has no 'text' string")
    if not text.strip():
        raise InputError(source, "record 'text' is empty")
    if _control_ratio(text) > 0.05:
        raise InputError(source, "record 'text' is binary (too many control characters)")
    fields: dict[str, str | None] = {}
    for key in ("title", "url", "publisher", "language"):
        v = obj.get(key)
        if v is not None and not isinstance(v, str):
            raise InputError(source, f"record '{key}' must be a string")
        fields[key] = (v.strip() or None) if isinstance(v, str) else None
    published = obj.get("published")
    if published is not None and not isinstance(published, str):
        raise InputError(source, "record 'published' must be a date string")
    iso = _iso_date(published) if published else None
    if published and published.strip() and iso is None:
        raise InputError(source, f"record 'published' is not a date: {published!r}")
    authors = obj.get("authors") or []
    if isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise InputError(source, "record 'authors' must be a list of strings")
    lang = (fields["language"] or "").lower()
    return Item(source=source, text=text, title=fields["title"], url=fields["url"], published=iso,
                publisher=fields["publisher"], language=lang if lang in ("id", "en") else None,
                authors=[a.strip() for a in authors if a.strip()])


def _iso_date(value: str | None) -> str | None:
    """ISO date or datetime, or an RFC 2822 date (feeds, mail) → `YYYY-MM-DD`; None if unreadable."""
    if not value or not value.strip():
        return None
    v = value.strip()
    for parse in (lambda s: date.fromisoformat(s[:10]), lambda s: datetime.fromisoformat(s).date(),
                  lambda s: email.utils.parsedate_to_datetime(s).date()):
        try:
            return parse(v).isoformat()
        except (ValueError, TypeError, IndexError):
            continue
    return None
