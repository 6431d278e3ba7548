"""Records: one document as a JSON object {text, title?, url?, published?, publisher?, language?,
authors?}, one per line in JSONL files. Every problem names the record (`file.jsonl:LINE`)."""

from __future__ import annotations

import email.utils
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any

from pantau.exc import InputError
from pantau.services.decoding import control_ratio

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


def read_jsonl_stream(name: str, stream: IO[bytes], max_bytes: int) -> Iterator[Item | InputError]:
    """Records of a JSONL file read line by line, so a file may be far larger than `max_bytes`
    (the limit applies to each record)."""
    seen = False
    for lineno, raw in enumerate(stream, 1):
        source = f"{name}:{lineno}"
        if len(raw) > max_bytes:
            seen = True
            yield InputError(source, f"record too large ({len(raw)} bytes, the limit is {max_bytes})")
            continue
        if not raw.strip():
            continue
        seen = True
        try:
            line = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield InputError(source, f"undecodable (not UTF-8: {exc.reason} at byte {exc.start})")
            continue
        try:
            yield parse_jsonl_line(line, source)
        except InputError as exc:
            yield exc
    if not seen:
        yield InputError(name, "empty input")


def parse_jsonl(name: str, text: str) -> Iterator[Item | InputError]:
    # split on newlines only: JSON strings may hold U+2028 and other characters str.splitlines() breaks on
    for lineno, line in enumerate(text.split("\n"), 1):
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
    if control_ratio(text) > 0.05:
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
    iso = iso_date(published) if published else None
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


def iso_date(value: str | None) -> str | None:
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
