"""Date vocabulary (from `pantau/lang/<code>/dates.yaml`) compiled into the regexes of `dates.py`.

Everything is built once per language on first use and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["DateLexicon", "date_lexicon", "load_dates_yaml"]


@lru_cache(maxsize=4)
def load_dates_yaml(language: str) -> dict[str, Any]:
    lang = language if language in ("id", "en") else "en"
    path = resources.files("pantau.lang").joinpath(lang, "dates.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _alt(words: list[str] | set[str], *, dot: bool = False) -> str:
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    out = []
    for w in parts:
        p = re.escape(w).replace(r"\ ", r"\s+")
        if dot and len(w) <= 4 and not w.endswith("."):
            p += r"\.?"
        out.append(p)
    return "|".join(out)


@dataclass(frozen=True, slots=True)
class DateLexicon:
    language: str
    months: dict[str, int]
    full_months: frozenset[str]
    weekdays: dict[str, int]
    weekday_needs_capital: frozenset[str]
    day_words: dict[str, int]
    units: dict[str, str]
    relations: dict[str, int]
    parts: dict[str, str]
    recent: dict[str, tuple[int, str]]
    ordinals: dict[str, int]
    prepositions: dict[str, str]  # word → since | until | point
    published_labels: tuple[str, ...]
    updated_labels: tuple[str, ...]
    patterns: dict[str, re.Pattern[str]]
    triggers: dict[str, tuple[str, ...]]  # a pattern runs only if its text has one of these (lower-case)
    lefts: dict[str, re.Pattern[str]]
    prep_before: re.Pattern[str]

    def month(self, word: str) -> int | None:
        return self.months.get(word.lower().rstrip("."))

    def weekday(self, word: str) -> int | None:
        return self.weekdays.get(word.lower().rstrip("."))

    def part(self, word: str | None) -> str | None:
        if not word:
            return None
        return self.parts.get(" ".join(word.lower().replace("-", " ").split()))

    def relation(self, word: str | None) -> int | None:
        if not word:
            return None
        return self.relations.get(" ".join(word.lower().split()))


def _cased(words: list[str]) -> list[str]:
    return [f(w) for w in words for f in (str.capitalize, str.upper)]


def _time(tz: str) -> str:
    """An optional clock time after a date: '| 01:00 WIB', ', pukul 14.30 WIB', '10:30 a.m. EDT'."""
    clock = r"[0-2]?\d[.:][0-5]\d"
    return (rf"(?:\s*[|,/–-]?\s*(?:(?:pukul|jam|at)\s+)?"
            rf"(?:{clock}(?:\s*[ap]\.?m\.?)?\s*(?:{tz})\b|[0-2]?\d:[0-5]\d(?:\s*[ap]\.?m\.?)?)"
            rf"|\s*[|,]?\s*(?:pukul|jam)\s+{clock}(?:\s*(?:{tz})\b)?)?")


@lru_cache(maxsize=4)
def date_lexicon(language: str) -> DateLexicon:
    lang = language if language in ("id", "en") else "en"
    d = load_dates_yaml(lang)
    months = {k.lower(): int(v) for k, v in {**(d.get("foreign_months") or {}), **d["months"]}.items()}
    own_weekdays = [k.lower() for k in d["weekdays"]]
    weekdays = {k.lower(): int(v) for k, v in {**(d.get("foreign_weekdays") or {}), **d["weekdays"]}.items()}
    full_months = frozenset(d["full_months"])
    full_weekdays = [w for w in own_weekdays if len(w) > 4 or lang == "id"]
    parts = {" ".join(k.lower().split()): v for k, v in d["parts"].items()}
    relations = {" ".join(k.lower().split()): int(v) for k, v in d["relations"].items()}
    units = {k.lower(): v for k, v in d["units"].items()}
    preps: dict[str, str] = {}
    for kind in ("point", "until", "since"):
        for w in d["prepositions"].get(kind, []):
            preps[" ".join(w.lower().split())] = kind
    tz = _alt(list(d["timezones"]))
    time = _time(tz)
    MON = rf"(?P<mon>{_alt(list(months), dot=True)})(?![\w])"
    WD = rf"(?P<wd>{_alt(list(weekdays), dot=True)})"
    # month and weekday names standing alone must be capitalised: scan them case-sensitively
    MONCAP = rf"(?P<mon>{_alt(_cased(list(months)), dot=True)})(?![\w])"
    WDCAP = rf"(?P<wd>{_alt(_cased(full_weekdays))})"
    YEAR = r"(?P<y>(?:19|20)\d{2})(?![\d])"
    JOIN = _alt(d["range_joiners"])
    PART = _alt(list(parts))
    REL = _alt(list(relations))
    UNIT = _alt(list(units) + ([d["weekend"]] if lang == "en" else []))
    SEP = r"(?:\s*,\s*|\s+)"
    DP = rf"(?:\s+(?:{_alt(d['day_parts'])}))?"  # "Senin pagi (27/5/2024)"
    ago = _alt(d["ago"])
    numw = (r"\d{1,3}|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|dua\s+belas|se"
            if lang == "id" else
            r"\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|a\s+couple\s+of")
    # Each pattern is a core (found by scanning) and an optional left context (matched backwards
    # from the core's start over a short window): optional leading groups make a scan slow.
    p: dict[str, str] = {}
    left: dict[str, str] = {}
    close = r"(?P<close>\s*\))?"
    WB = r"(?<![\w])"
    if lang == "id":
        p["dmy"] = (rf"(?<![\d/.,])(?P<d>[0-3]?\d)(?!\d)(?:\s*(?:{JOIN})\s*(?P<d2>[0-3]?\d))?\s+{MON}"
                    rf"(?:{SEP}{YEAR})?{close}{time}")
        left["dmy"] = rf"(?:{WB}{WD}{DP}\s*(?:,\s*|(?P<par>\()\s*|\s+))?(?:{WB}(?:tanggal|tgl\.?)\s+)?\Z"
        p["month"] = (rf"\b{MONCAP}(?i:{SEP}(?:tahun\s+)?{YEAR}|\s+(?P<rel>tahun\s+(?:{REL})|{REL})\b)?")
        left["month"] = rf"(?:{WB}(?P<part>{PART})\s+)?(?:{WB}(?P<bulan>bulan)\s+)?\Z"
        p["year"] = rf"(?<![\w.,/-]){YEAR}(?P<dec>-?an\b)?(?![.,/-]\d)"
        left["year"] = rf"(?:{WB}(?P<part>{PART})\s+)?(?:{WB}(?P<kw>tahun|thn\.?)\s+)?\Z"
        p["quarter"] = (r"\b(?:kuartal|triwulan|kwartal)\s+(?:ke-?)?(?P<q>pertama|kedua|ketiga|keempat|"
                        rf"IV|I{{1,3}}|[1-4])\s+(?:tahun\s+)?{YEAR}")
        p["rel"] = rf"\b(?P<unit>{UNIT})\s+(?P<rel>{REL})\b"
        left["rel"] = rf"(?:{WB}(?P<part>{PART})\s+)?\Z"
        p["ago"] = rf"\b(?P<n>{numw})\s*(?P<unit>hari|pekan|minggu|bulan|tahun)\s+(?P<rel>{ago})\b"
        p["span"] = rf"\b(?P<n>{numw})\s*(?P<unit>hari|pekan|minggu|bulan|tahun)\s+(?:terakhir|belakangan)\b"
        p["weekday"] = (rf"\b{WDCAP}\b(?i:\s+(?P<dp>{_alt(d['day_parts'])}))?"
                        rf"(?i:\s+(?P<wk>pekan|minggu)\s+(?P<wkrel>{REL})|\s+(?P<rel>{REL}))?\b"
                        rf"(?:\s*\((?P<paren>[^()\d]{{1,30}})\))?")
        left["weekday"] = rf"(?:{WB}(?P<hari>hari)\s+)?\Z"
    else:
        p["dmy"] = (rf"(?<![\d/.,])(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)"
                    rf"(?:\s*(?:{JOIN})\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?)?\s+(?:of\s+)?{MON}"
                    rf"(?:{SEP}{YEAR})?{time}")
        left["dmy"] = rf"(?:{WB}{WD}{SEP}(?:the\s+)?)?\Z"
        p["mdy"] = (rf"\b{MONCAP}\s+(?P<d>[0-3]?\d)(?i:(?:st|nd|rd|th)?(?![\d:])"
                    rf"(?:\s*(?:{JOIN})\s*(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?!\d))?(?:{SEP}{YEAR})?{time})")
        left["mdy"] = rf"(?:{WB}{WD}{SEP})?\Z"
        p["month"] = (rf"\b{MONCAP}(?i:{SEP}(?:of\s+)?{YEAR}|\s+(?P<rel2>last\s+year|this\s+year|next\s+year))?")
        left["month"] = rf"(?:{WB}(?P<part>{PART})[\s-]+)?(?:{WB}(?P<rel>this|last|next|coming)\s+)?\Z"
        p["year"] = rf"(?<![\w.,/-]){YEAR}(?P<dec>s\b)?(?![.,/-]\d|\s*(?:%|percent))"
        left["year"] = rf"(?:{WB}(?P<part>{PART})[\s-]+)?\Z"
        p["quarter"] = (rf"\b(?:the\s+)?(?P<q>first|second|third|fourth)\s+quarter\s+(?:of\s+)?{YEAR}"
                        rf"|\b(?P<q2>Q[1-4])\s*(?P<y2>(?:19|20)\d{{2}})\b")
        p["rel"] = rf"\b(?P<rel>{REL})\s+(?P<unit>{UNIT})\b"
        left["rel"] = rf"(?:{WB}(?P<part>{PART})[\s-]+)?\Z"
        p["ago"] = rf"\b(?P<n>{numw})\s+(?P<unit>days?|weeks?|months?|years?)\s+(?P<rel>ago)\b"
        p["span"] = rf"\b(?:the\s+)?(?:past|last)\s+(?P<n>{numw})\s+(?P<unit>days|weeks|months|years)\b"
        p["weekday"] = rf"\b{WDCAP}\b(?:'s)?(?i:\s+(?P<dp>{_alt(d['day_parts'])}))?"
        left["weekday"] = rf"(?:{WB}(?P<rel>last|next|this|coming)\s+)?\Z"
    p["num"] = (rf"(?<![\d/.,:])(?P<d>[0-3]?\d)/(?P<m>[0-3]?\d)"
                rf"(?:/(?P<y>(?:19|20)?\d{{2}}))?(?![\d/]){close}{time}")
    left["num"] = rf"(?:{WB}{WD}{DP}\s*(?:,\s*)?(?P<par>\()?\s*)?\Z"
    p["num2"] = (r"(?<![\d.,-])(?P<d>[0-3]?\d)(?P<sep>[.-])(?P<m>[01]?\d)(?P=sep)(?P<y>(?:19|20)\d{2})"
                 rf"(?![\d]|[.,-]\d){time}")
    p["iso"] = (r"(?<![\d./-])(?P<y>(?:19|20)\d{2})(?P<sep>[-./])(?P<m>[01]?\d)(?P=sep)(?P<d>[0-3]?\d)"
                r"(?![\d]|[./-]\d)"
                r"(?:[T ]\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?)?")
    p["dayword"] = rf"\b(?P<w>{_alt(list(d['day_words']))})\b"
    p["recent"] = rf"(?<![\w-])(?P<w>{_alt(list(d['recent']))})(?![\w-])"
    patterns = {k: re.compile(v, 0 if k in ("month", "weekday", "mdy") else re.IGNORECASE) for k, v in p.items()}
    lefts = {k: re.compile(v, re.IGNORECASE) for k, v in left.items()}
    def longest(words: list[str]) -> tuple[str, ...]:
        return tuple(sorted({max(w.lower().replace("-", " ").split(), key=len) for w in words}))

    triggers = {
        "dayword": longest(d["day_words"]), "recent": longest(d["recent"]), "ago": tuple(d["ago"]),
        "quarter": ("kuartal", "triwulan", "kwartal") if lang == "id" else ("quarter", "q1", "q2", "q3", "q4"),
        "span": ("terakhir", "belakangan") if lang == "id" else ("past", "last"),
        "num": ("/",),
    }
    prep_before = re.compile(
        rf"(?:^|[^\w])(?P<prep>{_alt(list(preps))})\s+(?:(?:tanggal|hari|bulan|tahun|the)\s+)?$",
        re.IGNORECASE)
    return DateLexicon(
        language=lang, months=months, full_months=full_months, weekdays=weekdays,
        weekday_needs_capital=frozenset(d.get("weekday_needs_capital") or []),
        day_words={" ".join(k.lower().split()): int(v) for k, v in d["day_words"].items()},
        units=units, relations=relations, parts=parts,
        recent={" ".join(k.lower().split()): (int(v[0]), str(v[1])) for k, v in d["recent"].items()},
        ordinals={k.lower(): int(v) for k, v in d["ordinals"].items()},
        prepositions=preps,
        published_labels=tuple(d.get("published_labels") or []),
        updated_labels=tuple(d.get("updated_labels") or []),
        patterns=patterns, triggers=triggers, lefts=lefts, prep_before=prep_before)
