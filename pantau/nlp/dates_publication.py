"""The publication date of an article, read from its header, byline or lead.

Candidates are the day-precision dates in the header lines (the short lines above the first
paragraph) and in the first two paragraphs. Each is scored by where and how it is written:
a stand-alone date line ("Rabu, 30 Oktober 2024 | 01:00 WIB") or a "published" label wins,
then a weekday with the date, a year, a clock time, an early position. Dates after `today`
and "updated" stamps lose. Nothing found → None (never the processing time).
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

from pantau.model import DateValue
from pantau.nlp.dates import DateMention, scan_dates, scan_dates_detail
from pantau.nlp.dates_lexicon import DateLexicon, _alt, date_lexicon

__all__ = ["publication_date"]

_BODY_LINE = 100       # a line this long is a paragraph, not header furniture
_MAX_HEADER_LINES = 25
_MAX_HEADER_CHARS = 2500
_BODY_PARAGRAPHS = 2
_YEAR = re.compile(r"(?:19|20)\d{2}")


def _lines(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for line in text.splitlines(keepends=True):
        s, e = pos, pos + len(line.rstrip("\r\n"))
        pos += len(line)
        if text[s:e].strip():
            out.append((s, e))
    return out


@lru_cache(maxsize=4)
def _regexes(language: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    lex: DateLexicon = date_lexicon(language)
    weekday = re.compile(rf"\b(?:{_alt(list(lex.weekdays))})\b", re.IGNORECASE)
    published = re.compile(rf"\b(?:{_alt(list(lex.published_labels))})\b", re.IGNORECASE)
    updated = re.compile(rf"\b(?:{_alt(list(lex.updated_labels))})\b", re.IGNORECASE)
    clock = re.compile(r"\d{1,2}[.:]\d{2}")
    return weekday, published, updated, clock


_FILLER = re.compile(r"[\W\d_]+|\b(?:WIB|WITA|WIT|KST|GMT|UTC|EDT|EST|am|pm|a\.m|p\.m|pukul|jam|at|"
                     r"oleh|by|penulis|reporter|editor|redaktur)\b", re.IGNORECASE)


# "SEOUL, March 28 (Yonhap) --", "JAKARTA, Kamis (28/3/2024) -": a dateline opens the lead
_DATELINE_BEFORE = re.compile(r"^\W*[A-Z][\w.'’ -]{1,40}?\s*[,(]\s*$")
_DATELINE_AFTER = re.compile(r"^\s*(?:\([^()]{1,40}\)\s*)?[-–—:]")


def _zone(text: str, lines: list[tuple[int, int]] | None) -> list[tuple[int, int, int, int]]:
    """(start, end, line index, paragraph rank): rank 0 header, 1.. body paragraphs.

    Without `lines`, the header is the run of short lines above the first paragraph.
    """
    all_lines = _lines(text)
    out: list[tuple[int, int, int, int]] = []
    if lines:
        out = [(s, e, i, 0) for i, (s, e) in enumerate(sorted(lines)) if s < e]
    body = 0
    for i, (s, e) in enumerate(all_lines):
        if lines:
            if any(s < he and hs < e for hs, he, _i, _r in out[:len(lines)]):
                continue
        elif (e - s) < _BODY_LINE and body == 0:
            if i < _MAX_HEADER_LINES and s < _MAX_HEADER_CHARS:
                out.append((s, e, i, 0))
            continue
        if e - s >= _BODY_LINE:
            body += 1
            if body > _BODY_PARAGRAPHS:
                break
            out.append((s, e, i, body))
    return out


def _score(text: str, m: DateMention, line: tuple[int, int, int, int], language: str) -> float:
    weekday, published, updated, clock = _regexes(language)
    s, e, index, rank = line
    score = {0: 3.0, 1: 2.0, 2: 1.0}.get(rank, 0.0)
    before, after = text[s:m.start], text[m.end:e]
    if len(_FILLER.sub("", before + " " + after)) <= 25:
        score += 4.0
    if weekday.search(m.text):
        score += 2.0
    if _YEAR.search(m.text):
        score += 1.0
    if clock.search(m.text):
        score += 1.0
    if _DATELINE_BEFORE.match(before) and _DATELINE_AFTER.match(after):
        score += 3.0
    if published.search(before):
        score += 2.0
    if updated.search(before):
        score -= 3.0
    if rank and m.start - s <= 200:
        score += 1.0
    return score - 0.01 * max(index, 0)


def publication_date(text: str, *, language: str = "id", lines: list[tuple[int, int]] | None = None,
                     today: date | None = None) -> DateMention | None:
    today = today or date.today()
    zone = _zone(text, lines)
    if not zone:
        return None
    regions = [(s, e) for s, e, _i, _r in zone]
    found, unresolved = scan_dates_detail(text, language=language, today=today, regions=regions)
    if not any(r == 0 and s <= m.start < e for m in found for s, e, _i, r in zone):
        odd = _header_by_dateparser(text, zone, language, today)
        if odd is not None:
            return odd
    if not unresolved and all(_YEAR.search(m.text) for m in found):
        return _best(text, found, zone, language, today)
    # a date written without its year ("Kamis, 29 Februari", "SEOUL, March 28 (Yonhap)") takes the
    # year from the latest full date the text states (the lead first, else the whole text)
    stated = [d for d in found if _YEAR.search(d.text)] or [
        d for d in scan_dates(text, language=language, today=today)
        if d.value.basis == "explicit" and _YEAR.search(d.text)]
    reference = max((date.fromisoformat(d.value.start) for d in stated if d.value.start <= today.isoformat()),
                    default=None)
    if reference is not None:
        found = scan_dates(text, language=language, today=today, reference=reference, regions=regions)
    return _best(text, found, zone, language, today)


_DP_SETTINGS = {"STRICT_PARSING": True, "REQUIRE_PARTS": ["day", "month", "year"],
                "PREFER_DATES_FROM": "past", "RETURN_AS_TIMEZONE_AWARE": False}
_HAS_WORD = re.compile(r"[^\W\d_]{3}")


def _header_by_dateparser(text: str, zone: list[tuple[int, int, int, int]], language: str,
                          today: date) -> DateMention | None:
    """A short header line in a form the patterns do not know ("Kamis, 28-Maret-2024"), read by
    dateparser. Runs only when no header line held a date the patterns could read."""
    candidates = [(s, e) for s, e, _i, r in zone
                  if r == 0 and e - s <= 60 and _YEAR.search(text, s, e) and _HAS_WORD.search(text, s, e)]
    if not candidates:
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    for s, e in candidates:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        try:
            got = dateparser.parse(text[s:e], languages=[language], settings=_DP_SETTINGS)
        except (ValueError, OverflowError):
            got = None
        if got is not None and got.date() <= today:
            iso = got.date().isoformat()
            return DateMention(s, e, text[s:e], DateValue(iso, iso, "day", "text", text[s:e]), "point")
    return None


def _best(text: str, found: list[DateMention], zone: list[tuple[int, int, int, int]], language: str,
          today: date) -> DateMention | None:
    best: tuple[float, DateMention] | None = None
    for m in found:
        if m.value.precision != "day" or m.value.start > today.isoformat() or m.kind != "point":
            continue
        line = next(z for z in zone if z[0] <= m.start < z[1] or z[0] <= m.start <= z[1])
        sc = _score(text, m, line, language)
        if best is None or sc > best[0]:
            best = (sc, m)
    if best is None:
        return None
    m = best[1]
    v = DateValue(m.value.start, m.value.start, "day", "text", m.text)
    return DateMention(m.start, m.end, m.text, v, "point")
