"""Numbers in Indonesian and English text: numerals, number words and vague amounts.

`number_regex(language)` matches one number expression; `parse_number(text, language)` turns
it into `(value, approx)`. The conventions follow the language: Indonesian "10.000" is ten
thousand and "3,9" is 3.9; English "10,000" and "3.9". A dot or comma not followed by exactly
three digits is read as a decimal mark in either language ("1.5 juta", "1,5 million"); in
Indonesian text a comma before exactly three digits ("10,000") is English-style grouping.
Vocabulary lives in `pantau/lang/<code>/quantities.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

__all__ = ["NumberLexicon", "lexicon", "load_quantities_yaml", "number_regex", "parse_match", "parse_number",
           "parse_numeral"]


@lru_cache(maxsize=8)
def load_quantities_yaml(language: str) -> dict[str, Any]:
    lang = language if language in ("id", "en") else "en"
    path = resources.files("pantau.lang").joinpath(lang, "quantities.yaml")
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _calt(words: list[str]) -> str:
    """`_alt` over the lower-case, Capitalised and UPPER forms (a case-sensitive scan is faster)."""
    return _alt([f(w) for w in words for f in (str.lower, str.capitalize, str.upper)])


def _alt(words: list[str]) -> str:
    """A regex alternation of literal words, longest first, spaces matching any whitespace."""
    parts = sorted({w for w in words if w}, key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in parts)


@dataclass(frozen=True, slots=True)
class NumberLexicon:
    language: str
    units: dict[str, float]
    teen: frozenset[str]
    tens: frozenset[str]
    hundreds: frozenset[str]
    fused: dict[str, float]
    scales: dict[str, float]
    scale_abbrev: dict[str, float]
    vague: dict[str, float]
    regex: re.Pattern[str]


@lru_cache(maxsize=8)
def lexicon(language: str) -> NumberLexicon:
    data = load_quantities_yaml(language)["numbers"]
    lang = language if language in ("id", "en") else "en"
    units = {k.lower(): float(v) for k, v in data["units"].items()}
    fused = {k.lower(): float(v) for k, v in (data.get("fused") or {}).items()}
    scales = {k.lower(): float(v) for k, v in data["scales"].items()}
    abbrev = {k: float(v) for k, v in (data.get("scale_abbrev") or {}).items()}
    vague = {" ".join(k.lower().split()): float(v) for k, v in data["vague"].items()}
    teen, tens, hundreds = (frozenset(data.get(k) or []) for k in ("teen", "tens", "hundreds"))
    # "se" and "a"/"an" only count as one before a multiplier ("se ratus", "a hundred")
    solo_units = [w for w in units if w not in ("se", "a", "an", "half", "dozen")]
    multipliers = list(teen | tens | hundreds) + list(scales) + ["dozen"] * (lang == "en")
    word = _calt(solo_units + list(fused) + multipliers)
    lead = _calt([w for w in ("a", "an") if w in units])
    connectors = _calt(data.get("connectors") or [])
    sep = rf"(?:\s+(?:(?:{connectors})\s+)?|-)" if connectors else r"(?:\s+|-)"
    words = rf"(?:(?:{lead})\s+(?={_calt(multipliers)}))?(?:{word})(?:{sep}(?:{word}))*" if lead else \
        rf"(?:{word})(?:{sep}(?:{word}))*"
    vague_of = _calt(data.get("vague_of") or [])
    vague_re = rf"(?:{_calt(list(vague))})(?:\s+(?:{_calt(list(scales))}))?"
    if vague_of:
        vague_re += rf"(?:\s+(?:{vague_of})\b)?"
    if lang == "id":
        numeral = (r"\d{1,3}(?:\.\d{3})+(?![.,]?\d)(?:,\d+)?|\d{1,3}(?:,\d{3})+(?![.,]?\d)"
                   r"|\d+(?:[,.]\d+)?")
    else:
        numeral = r"\d{1,3}(?:,\d{3})+(?![.,]?\d)(?:\.\d+)?|\d+(?:[.,]\d+)?"
    abbrev_re = _calt(list(abbrev)) if lang == "en" else _alt(list(abbrev))  # Indonesian "M"/"T" only
    scale_re = rf"(?:\s*(?:{_calt(list(scales))})\b|(?:{abbrev_re})\b)" if abbrev_re else \
        rf"(?:\s*(?:{_calt(list(scales))})\b)"
    pattern = (rf"(?P<numeral>{numeral})(?P<scale>{scale_re})?(?:(?:\s+|-)(?P<half>(?i:setengah|half)))?"
               rf"|\b(?P<vague>{vague_re})(?![\w-])"
               rf"|\b(?P<words>{words})\b(?!-)")
    return NumberLexicon(lang, units, teen, tens, hundreds, fused, scales, abbrev, vague,
                         re.compile(pattern))


def number_regex(language: str) -> re.Pattern[str]:
    """Compiled pattern matching one number expression (named groups numeral/scale/vague/words)."""
    return lexicon(language).regex


def _num(v: float) -> int | float:
    return int(v) if float(v).is_integer() else round(v, 6)


_GROUPED = {".": re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d+)?"), ",": re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?")}
_COMMA_GROUPED = re.compile(r"\d{1,3}(?:,\d{3})+")
_DECIMAL = re.compile(r"\d+[.,]\d+")


def parse_numeral(s: str, language: str = "id") -> int | float | None:
    """'10.000' (id) → 10000, '3,9' (id) → 3.9, '10,000' (en) → 10000, '1.5' → 1.5."""
    s = s.strip()
    if not s or not s[0].isdigit():
        return None
    if s.isdigit():
        return int(s)
    thousands, decimal = (".", ",") if language == "id" else (",", ".")
    if _GROUPED[thousands].fullmatch(s):
        s = s.replace(thousands, "").replace(decimal, ".")
    elif language == "id" and _COMMA_GROUPED.fullmatch(s):
        s = s.replace(",", "")  # "10,000" in Indonesian text: English grouping, not three decimals
    elif _DECIMAL.fullmatch(s):
        s = s.replace(",", ".")
    else:
        return None
    return _num(float(s))


def _parse_words(s: str, lex: NumberLexicon) -> float | None:
    tokens = [t for t in re.split(r"[\s-]+", s.lower()) if t and t != "and"]
    total = 0.0
    acc = 0.0    # below the current scale word
    small = 0.0  # being built since the last multiplier
    seen = False
    for t in tokens:
        if t in lex.fused:
            v = lex.fused[t]
            if v >= 1000:
                total += (acc + small or 1) * v if (acc + small) else v
                acc = small = 0.0
            else:
                acc += v
            seen = True
        elif t in lex.teen:
            small = (small or 1) + 10
            seen = True
        elif t in lex.tens:
            acc += (small or 1) * 10
            small = 0.0
            seen = True
        elif t in lex.hundreds:
            acc += (small or 1) * 100
            small = 0.0
            seen = True
        elif t in lex.scales:
            total += (acc + small or 1) * lex.scales[t]
            acc = small = 0.0
            seen = True
        elif t == "dozen":
            small = (small or 1) * 12
            seen = True
        elif t in lex.units:
            v = lex.units[t]
            if v == 0.5 and (acc + small) and t in ("setengah", "half"):
                small += 0.5
            else:
                small += v
            seen = True
        else:
            return None
    return total + acc + small if seen else None


def parse_number(s: str, language: str = "id") -> tuple[int | float, bool] | None:
    """Value and approx flag of one number expression matched by `number_regex`."""
    lex = lexicon(language)
    m = lex.regex.fullmatch(s.strip())
    return parse_match(m, language) if m else None


def parse_match(m: re.Match[str], language: str = "id") -> tuple[int | float, bool] | None:
    """Value and approx flag of a match of `number_regex(language)`."""
    lex = lexicon(language)
    if m.group("numeral"):
        v = parse_numeral(m.group("numeral"), lex.language)
        if v is None:
            return None
        value = float(v)
        if m.group("half"):
            value += 0.5
        sc = (m.group("scale") or "").strip()
        if sc:
            value *= lex.scales.get(sc.lower()) or lex.scale_abbrev.get(sc) or lex.scale_abbrev.get(
                sc.lower(), 1.0)
        return _num(value), False
    if m.group("vague"):
        text = " ".join(m.group("vague").lower().split())
        if text.endswith(" of"):
            text = text[:-3]
        if text in lex.vague:
            return _num(lex.vague[text]), True
        head, _, scale = text.rpartition(" ")
        if head in lex.vague and scale in lex.scales:
            return _num(lex.vague[head] * lex.scales[scale]), True
        return None
    v = _parse_words(m.group("words"), lex)
    return (_num(v), False) if v is not None else None
