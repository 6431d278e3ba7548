"""Dates in Indonesian and English news text, normalised to day intervals.

`find_dates(text, anchor=…)` returns every date expression with its offsets and a
`DateValue` (ISO start/end, precision, basis): explicit dates ("Kamis (28/3/2024)",
"30 Oktober 2024", "March 28, 2024", "2024-03-28", "Juli 2023", "tahun 2017"), partial ones
resolved against the anchor ("Kamis, 29 Februari", "Minggu (21/12)", "30 April") and
relative ones ("awal pekan ini", "pertengahan Oktober", "September lalu", "last week",
"yesterday", "on Monday"). `anchor` is the publication date; without it, expressions that
need it are skipped (a weekday-confirmed partial date is still resolved against today).
Durations ("satu tahun lagi", "15 tahun") are not dates.

All patterns are compiled once per language (`dates_lexicon.py`); no dateparser search runs
here, so a 3 KB article takes about a millisecond.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from pantau.model import DateValue
from pantau.nlp.dates_calendar import (
    add_months,
    month_bounds,
    nearest_month_year,
    part_of,
    period,
    resolve_day_month,
    week_bounds,
)
from pantau.nlp.dates_lexicon import DateLexicon, date_lexicon
from pantau.nlp.numbers import parse_number

__all__ = ["DateMention", "find_dates", "find_publication_date"]


@dataclass(slots=True)
class DateMention:
    start: int
    end: int
    text: str
    value: DateValue
    kind: str = "point"  # point | since | until | range


@dataclass(slots=True)
class _Ctx:
    text: str
    lex: DateLexicon
    anchor: date | None
    today: date | None
    reference: date | None
    unresolved: int = 0  # days written without a year that could not be placed


_Result = tuple[date, date, str, str, str] | None  # start, end, precision, basis, kind


class _M:
    """A core match joined with its left context; offers the parts of `re.Match` the handlers use."""

    __slots__ = ("key", "g", "s", "e", "text")

    def __init__(self, key: str, g: dict[str, str | None], s: int, e: int, text: str) -> None:
        self.key, self.g, self.s, self.e, self.text = key, g, s, e, text

    def group(self, name: str | int = 0) -> str | None:
        return self.text[self.s:self.e] if name == 0 else self.g.get(str(name))

    def groupdict(self) -> dict[str, str | None]:
        return self.g

    def start(self) -> int:
        return self.s

    def end(self) -> int:
        return self.e


def _join(key: str, m: _M, left: re.Pattern[str] | None, text: str, lo: int) -> _M:
    g = m.groupdict()
    s, e = m.start(), m.end()
    if left is not None and s > lo:
        lm = left.search(text, max(lo, s - 40), s)
        if lm and lm.start() < s:
            lg = lm.groupdict()
            if lg.get("par") and not g.get("close"):
                lm = None  # an opening bracket with no closing one: not a "Kamis (28/3)" form
            else:
                g = {**g, **{k: v for k, v in lg.items() if v is not None}}
                s = lm.start()
    if g.get("close") and not g.get("par"):
        e = m.start("close")
    return _M(key, g, s, e, text)


def _prep(ctx: _Ctx, start: int) -> str | None:
    m = ctx.lex.prep_before.search(ctx.text, max(0, start - 30), start)
    return ctx.lex.prepositions.get(" ".join(m.group("prep").lower().split())) if m else None


def _kind(ctx: _Ctx, start: int, is_range: bool = False) -> str:
    if is_range:
        return "range"
    k = _prep(ctx, start)
    return k if k in ("since", "until") else "point"


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 4):start].rstrip(" \t\"“'(")
    return not before or before[-1] in ".!?\n"


def _capitalised(word: str) -> bool:
    return word[:1].isupper()


def _day_month(ctx: _Ctx, m: _M, day: int, month: int | None, year: int | None) -> _Result:
    if month is None:
        return None
    wd = ctx.lex.weekday(m.group("wd")) if m.groupdict().get("wd") else None
    d2 = int(m.group("d2")) if m.groupdict().get("d2") else None
    if year is not None:
        first = _safe(year, month, day)
        basis = "explicit"
    else:
        first = resolve_day_month(day, month, wd, ctx.anchor, ctx.today, ctx.reference)
        basis = "explicit"
        if first is None:
            ctx.unresolved += 1
    if first is None:
        return None
    last = first
    if d2 is not None:
        last = _safe(first.year, first.month, d2)
        if last is None or last <= first:
            return None
    return first, last, "day", basis, _kind(ctx, m.start(), d2 is not None)


def _h_dmy(ctx: _Ctx, m: _M) -> _Result:
    mon = m.group("mon")
    if ctx.lex.language == "en" and not m.group("y") and not _capitalised(mon):
        return None
    y = int(m.group("y")) if m.group("y") else None
    return _day_month(ctx, m, int(m.group("d")), ctx.lex.month(mon), y)


def _h_num(ctx: _Ctx, m: _M) -> _Result:
    a, b = int(m.group("d")), int(m.group("m"))
    ys = m.group("y")
    if not ys and not m.groupdict().get("wd"):
        return None
    if ctx.lex.language == "en" and m.key == "num" and a <= 12:
        a, b = b, a  # US month/day order unless the first number cannot be a month
    if not 1 <= b <= 12:
        return None
    y = None
    if ys:
        y = int(ys) if len(ys) == 4 else 2000 + int(ys)
    return _day_month(ctx, m, a, b, y)


def _h_iso(ctx: _Ctx, m: _M) -> _Result:
    d = _safe(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    return (d, d, "day", "explicit", _kind(ctx, m.start())) if d else None


def _rel_year(ctx: _Ctx, rel: str | None, month: int) -> int | None:
    """Year of a month named without one: 'Oktober lalu', 'April mendatang', 'last March'."""
    anchor = ctx.anchor
    if anchor is None:
        return None
    if not rel:
        return nearest_month_year(month, anchor, 0)
    words = rel.lower().split()
    if words[0] in ("tahun", "year") or words[-1] in ("tahun", "year"):
        other = words[-1] if words[0] in ("tahun",) else words[0]
        return anchor.year + (ctx.lex.relation(other) or 0)
    r = ctx.lex.relation(rel)
    if r == 0:
        return anchor.year
    return nearest_month_year(month, anchor, r or 0)


def _h_month(ctx: _Ctx, m: _M) -> _Result:
    word = m.group("mon")
    month = ctx.lex.month(word)
    if month is None or not _capitalised(word):
        return None
    part = ctx.lex.part(m.group("part"))
    gd = m.groupdict()
    rel = gd.get("rel") or gd.get("rel2")
    if m.group("y"):
        year, basis = int(m.group("y")), "explicit"
    else:
        if word.lower().rstrip(".") not in ctx.lex.full_months:
            return None
        has_context = part or rel or "bulan" in m.group(0).lower() or _prep(ctx, m.start())
        if not has_context:
            return None
        y = _rel_year(ctx, rel, month)
        if y is None:
            return None
        year, basis = y, "relative"
    lo, hi = part_of("month", month_bounds(year, month), part, ctx.anchor)
    return lo, hi, "month", basis, _kind(ctx, m.start())


def _h_year(ctx: _Ctx, m: _M) -> _Result:
    part = ctx.lex.part(m.group("part"))
    if not (part or m.groupdict().get("kw") or _prep(ctx, m.start())):
        return None
    y = int(m.group("y"))
    if m.group("dec"):  # "tahun 1990-an", "the 1990s"
        if y % 10:
            return None
        return date(y, 1, 1), date(y + 9, 12, 31), "year", "explicit", _kind(ctx, m.start())
    lo, hi = part_of("year", (date(y, 1, 1), date(y, 12, 31)), part, ctx.anchor)
    return lo, hi, "year", "explicit", _kind(ctx, m.start())


def _h_quarter(ctx: _Ctx, m: _M) -> _Result:
    gd = m.groupdict()
    q = (gd.get("q") or gd.get("q2") or "").lower()
    y = int(gd.get("y") or gd.get("y2") or 0)
    n = ctx.lex.ordinals.get(q) or (int(q) if q.isdigit() else None)
    if not n or not 1 <= n <= 4 or not y:
        return None
    lo, hi = period("quarter", date(y, 3 * n - 2, 1), 0)
    return lo, hi, "quarter", "explicit", _kind(ctx, m.start())


def _h_rel(ctx: _Ctx, m: _M) -> _Result:
    if ctx.anchor is None:
        return None
    a = ctx.anchor
    unit_word = m.group("unit")
    unit = "weekend" if unit_word.lower() == "weekend" else ctx.lex.units.get(unit_word.lower())
    part_word = m.group("part")
    if unit is None or (unit_word.lower() in ctx.lex.weekday_needs_capital and _capitalised(unit_word)
                        and not part_word and not _sentence_start(ctx.text, m.start())):
        return None
    rel_word = m.group("rel").lower()
    rel = ctx.lex.relation(rel_word)
    if rel is None:
        return None
    part = ctx.lex.part(part_word)
    if rel_word in ("past",) and unit in ("week", "month", "year"):
        days = {"week": 7, "month": 30, "year": 365}[unit]
        return a - timedelta(days=days), a, unit, "relative", "range"
    if unit == "weekend":
        mon, _ = period("week", a, rel)
        return mon + timedelta(days=5), mon + timedelta(days=6), "week", "relative", _kind(ctx, m.start())
    if unit == "day":
        lo, hi = period("day", a, rel)
        return lo, hi, "day", "relative", _kind(ctx, m.start())
    bounds = period(unit, a, rel)
    if unit == "week" and part == "early" and rel == 0:
        lo = bounds[0]
        hi = min(max(a, lo + timedelta(days=2)), bounds[1])
    else:
        lo, hi = part_of(unit, bounds, part, a)
    return lo, hi, unit, "relative", _kind(ctx, m.start())


def _count(word: str, language: str) -> int | None:
    w = " ".join(word.lower().split())
    if w in ("se", "a", "an"):
        return 1
    if w == "a couple of":
        return 2
    p = parse_number(w, language)
    return int(p[0]) if p and float(p[0]).is_integer() else None


def _h_ago(ctx: _Ctx, m: _M) -> _Result:
    if ctx.anchor is None:
        return None
    n = _count(m.group("n"), ctx.lex.language)
    if n is None or n > 200:
        return None
    a = ctx.anchor
    unit = _unit(m.group("unit"))
    if unit == "day":
        d = a - timedelta(days=n)
        return d, d, "day", "relative", "point"
    if unit == "week":
        c = a - timedelta(days=7 * n)
        return c - timedelta(days=3), c + timedelta(days=3), "week", "relative", "point"
    if unit == "month":
        lo, hi = month_bounds(*add_months(a, -n))
        return lo, hi, "month", "relative", "point"
    if unit == "year":
        return date(a.year - n, 1, 1), date(a.year - n, 12, 31), "year", "relative", "point"
    return None


_UNIT_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def _unit(word: str) -> str:
    u = word.lower().rstrip("s")
    return {"hari": "day", "pekan": "week", "minggu": "week", "bulan": "month", "tahun": "year"}.get(u, u)


def _h_span(ctx: _Ctx, m: _M) -> _Result:
    """'dua pekan terakhir', 'the past three months': from that long before the anchor to it."""
    if ctx.anchor is None:
        return None
    n = _count(m.group("n") or "", ctx.lex.language)
    unit = _unit(m.group("unit") or "")
    if n is None or n > 100 or unit not in _UNIT_DAYS:
        return None
    return ctx.anchor - timedelta(days=n * _UNIT_DAYS[unit]), ctx.anchor, unit, "relative", "range"


def _h_weekday(ctx: _Ctx, m: _M) -> _Result:
    word = m.group("wd")
    wd = ctx.lex.weekday(word)
    if wd is None or not _capitalised(word) or ctx.anchor is None:
        return None
    gd = m.groupdict()
    rel_word = gd.get("rel")
    if word.lower() in ctx.lex.weekday_needs_capital:
        # "Minggu" is Sunday when backed by context, but "Minggu lalu, …" opening a sentence is a week
        if not (rel_word or gd.get("dp") or gd.get("paren") or gd.get("hari") or _prep(ctx, m.start())):
            return None
        if rel_word and not gd.get("hari") and _sentence_start(ctx.text, m.start()):
            return None
    a = ctx.anchor
    rel = ctx.lex.relation(rel_word) if rel_word else None
    if gd.get("wk") and gd.get("wkrel"):  # "Jumat pekan lalu": that weekday of the named week
        week = ctx.lex.relation(gd["wkrel"])
        if week is None:
            return None
        d = period("week", a, week)[0] + timedelta(days=wd)
        return d, d, "day", "relative", _kind(ctx, m.start())
    if rel == 0:
        d = week_bounds(a)[0] + timedelta(days=wd)
    elif rel is not None and rel > 0:
        d = a + timedelta(days=(wd - a.weekday()) % 7 or 7)
    elif rel is not None and rel < 0:
        d = a - timedelta(days=(a.weekday() - wd) % 7 or 7)
    else:
        d = a - timedelta(days=(a.weekday() - wd) % 7)
    return d, d, "day", "relative", _kind(ctx, m.start())


def _h_dayword(ctx: _Ctx, m: _M) -> _Result:
    if ctx.anchor is None:
        return None
    off = ctx.lex.day_words.get(" ".join(m.group("w").lower().split()))
    if off is None:
        return None
    d = ctx.anchor + timedelta(days=off)
    return d, d, "day", "relative", _kind(ctx, m.start())


def _h_recent(ctx: _Ctx, m: _M) -> _Result:
    if ctx.anchor is None:
        return None
    spec = ctx.lex.recent.get(" ".join(m.group("w").lower().split()))
    if spec is None:
        return None
    days, precision = spec
    return ctx.anchor - timedelta(days=days), ctx.anchor, precision, "relative", "range"


_HANDLERS: dict[str, Callable[[_Ctx, _M], _Result]] = {
    "dmy": _h_dmy, "mdy": _h_dmy, "num": _h_num, "num2": _h_num, "iso": _h_iso, "month": _h_month,
    "year": _h_year, "quarter": _h_quarter, "rel": _h_rel, "ago": _h_ago, "weekday": _h_weekday,
    "dayword": _h_dayword, "recent": _h_recent, "span": _h_span,
}


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in " \t\n,|(":
        start += 1
    while end > start and text[end - 1] in " \t\n,|":
        end -= 1
    return start, end


def _spans(text: str, regions: list[tuple[int, int]] | None) -> list[tuple[int, int]]:
    """The regions, with neighbours on one line joined (sentences of a paragraph are searched as one
    span: fewer pattern runs, the same matches, since no date pattern crosses a sentence end)."""
    if not regions:
        return [(0, len(text))]
    out: list[tuple[int, int]] = []
    for s, e in sorted(regions):
        if out and out[-1][1] <= s and not text[out[-1][1]:s].strip(" \t") and text[out[-1][1] - 1:out[-1][1]] in ".!?\"”":
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def scan_dates(text: str, *, language: str = "id", anchor: date | None = None, today: date | None = None,
               reference: date | None = None,
               regions: list[tuple[int, int]] | None = None) -> list[DateMention]:
    """All date mentions, longest first where they overlap, in text order.

    `today` resolves weekday-confirmed partial dates when there is no anchor; `reference` is a
    date the text states, preferred over `today` for that.
    """
    return scan_dates_detail(text, language=language, anchor=anchor, today=today, reference=reference,
                             regions=regions)[0]


def scan_dates_detail(text: str, *, language: str = "id", anchor: date | None = None,
                      today: date | None = None, reference: date | None = None,
                      regions: list[tuple[int, int]] | None = None) -> tuple[list[DateMention], int]:
    """`scan_dates` plus the number of days written without a year that could not be placed."""
    ctx = _Ctx(text, date_lexicon(language), anchor, today, reference)
    cands: list[tuple[int, int, str, _Result]] = []
    low = text.lower()
    active = [(k, p) for k, p in ctx.lex.patterns.items()
              if k not in ctx.lex.triggers or any(t in low for t in ctx.lex.triggers[k])]
    for rs, re_ in _spans(text, regions):
        for key, pat in active:
            handler = _HANDLERS[key]
            left = ctx.lex.lefts.get(key)
            for cm in pat.finditer(text, rs, re_):
                m = _join(key, cm, left, text, rs)
                res = handler(ctx, m)
                if res is not None:
                    s, e = _trim(text, m.start(), m.end())
                    cands.append((s, e, key, res))
    cands.sort(key=lambda c: (c[0] - c[1], c[0]))
    taken = bytearray(len(text))
    out: list[DateMention] = []
    for s, e, _key, res in cands:
        if 1 in taken[s:e]:
            continue
        assert res is not None
        lo, hi, precision, basis, kind = res
        taken[s:e] = b"\x01" * (e - s)
        out.append(DateMention(s, e, text[s:e], DateValue(lo.isoformat(), hi.isoformat(), precision, basis,
                                                          text[s:e]), kind))
    out.sort(key=lambda d: d.start)
    return out, ctx.unresolved


def find_dates(text: str, *, anchor: date | None, language: str = "id",
               regions: list[tuple[int, int]] | None = None) -> list[DateMention]:
    """Date mentions in `text` (or only inside `regions`), resolved against `anchor`.

    With no anchor, relative expressions are skipped and a day written with its weekday but no
    year takes the latest year (not after today) in which that day fell on that weekday.
    """
    return scan_dates(text, language=language, anchor=anchor, regions=regions,
                      today=date.today() if anchor is None else None)


def find_publication_date(text: str, *, language: str = "id", lines: list[tuple[int, int]] | None = None,
                          today: date | None = None) -> DateMention | None:
    """The date the article was published, from its header, byline or lead; None if it says none."""
    from pantau.nlp.dates_publication import publication_date

    return publication_date(text, language=language, lines=lines, today=today)
