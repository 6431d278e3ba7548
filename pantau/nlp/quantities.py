"""Quantities in Indonesian and English news: a number attached to its unit noun or currency.

"sekitar 10.000 tentara" → 10000 troops (approx); "13 negara memberikan suara mendukung"
→ 13 votes_for; "Rp3,9 Miliar" → 3900000000 IDR; "dozens of North Korean soldiers" → 12
troops (approx). A number with no unit, a year, a date, an ordinal ("ke-2", "2nd"), a
model name ("KN-23") or "2+2" is not a quantity. Unit nouns and currencies live in
`pantau/lang/<code>/quantities.yaml`; numbers are read by `numbers.py`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from pantau.model import Quantity
from pantau.nlp.numbers import _alt, load_quantities_yaml, number_regex, parse_match

__all__ = ["find_quantities"]

_STOP_EN = ("of|the|a|an|and|or|to|in|on|for|with|by|from|at|were|was|are|is|have|has|had|that|which|who|"
            "per|than|more|less|been|be|will|would|said|says|say|its|their|his|her|this|these|those|as|"
            "into|over|under|about|after|before|during|since|against|between|while|not|no")
_VOTE_CONTEXT = re.compile(r"pemungutan\s+suara|voting|memberikan\s+suara|\bsuara\b|\bvot(?:e|ed|es|ing)\b|"
                           r"veto|\babstain|\babstention|\bresolusi|\bresolution",
                           re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _QLex:
    language: str
    units: dict[str, str]
    currencies_before: dict[str, str]
    currencies_after: dict[str, str]
    voters: frozenset[str]
    vote_nouns: frozenset[str]
    approx_before: re.Pattern[str]
    currency_before: re.Pattern[str]
    after: re.Pattern[str]
    vote: re.Pattern[str]
    vote_direct: re.Pattern[str]


def _key(s: str) -> str:
    return " ".join(s.lower().split())


@lru_cache(maxsize=4)
def _qlex(language: str) -> _QLex:
    lang = language if language in ("id", "en") else "en"
    d = load_quantities_yaml(lang)
    units = {_key(k): v for k, v in d["units"].items()}
    cur_b = {k: v for k, v in d["currencies_before"].items()}
    cur_a = {_key(k): v for k, v in d["currencies_after"].items()}
    approx = _alt(d["approx_before"])
    cur_b_re = _alt(list(cur_b))
    classifiers = _alt(d.get("classifiers") or [])
    # "3,000 more troops": "more" is a stop word elsewhere ("more than"), but not right after a number
    between = (rf"(?:(?:more|additional|extra|further)\s+)?(?:(?!(?:{_STOP_EN})\b)[A-Za-z][\w'’-]*\s+){{0,2}}?"
               if lang == "en" else
               rf"(?:(?:{classifiers})\s+)?")
    after = re.compile(
        rf"(?P<pct>\s?%|\s+(?:persen|percent|per\s+cent)\b)"
        rf"|\s*(?P<cur>{_alt(list(cur_a))})\b"
        rf"|(?:\s+(?P<aa>{_alt(d.get('approx_after') or [])}))?\s+{between}(?P<unit>{_alt(list(units))})\b",
        re.IGNORECASE)
    v = d["votes"]
    side = rf"(?P<for>{v['for']})|(?P<against>{v['against']})|(?P<abstain>{v['abstain']})"
    vote = re.compile(rf"\s+{v['verb']}?(?:{side})\b", re.IGNORECASE)
    vote_direct = re.compile(rf"\s+{v['verb']}?(?:{side})\b", re.IGNORECASE)
    return _QLex(
        language=lang, units=units, currencies_before=cur_b, currencies_after=cur_a,
        voters=frozenset(_key(x) for x in v["voters"]), vote_nouns=frozenset(_key(x) for x in v["vote_nouns"]),
        approx_before=re.compile(rf"(?:^|[^\w])(?:{approx})\s*$", re.IGNORECASE),
        currency_before=re.compile(rf"(?:^|(?<=[^\w$]))(?P<cur>{cur_b_re})\s?$"),
        after=after, vote=vote, vote_direct=vote_direct)


def _side(m: re.Match[str]) -> str:
    return "votes_for" if m.group("for") else "votes_against" if m.group("against") else "abstentions"


_YEARLIKE = re.compile(r"(?:19|20)\d{2}")
_DATE_WORD_BEFORE = re.compile(
    r"(?:^|\W)(?:in|since|by|during|until|of|on|from|to|pada|sejak|tahun|hingga|sampai|selama|"
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"januari|februari|maret|mei|juni|juli|agustus|oktober|desember|jan|feb|mar|apr|jun|jul|aug|agu|"
    r"sep|sept|oct|okt|nov|dec|des)\.?,?\s*$", re.IGNORECASE)


def _is_year(text: str, s: int, e: int) -> bool:
    """'in 2023 North Korean troops…', 'pada 2023 tentara…': a year, not a count."""
    return bool(_YEARLIKE.fullmatch(text, s, e)) and bool(_DATE_WORD_BEFORE.search(text, max(0, s - 12), s))


def _blocked(text: str, s: int, e: int, has_currency: bool) -> bool:
    """Numbers glued to other tokens: dates, model names, ordinals, '2+2'."""
    before = text[s - 1] if s > 0 else " "
    after = text[e] if e < len(text) else " "
    if after in "/+" or (after in ".,-" and e + 1 < len(text) and text[e + 1].isdigit()):
        return True
    if before in "/+:" or (before.isalnum() and not has_currency):
        return True
    if before == "-" and s >= 2 and (text[s - 2].isalnum()):
        return True
    if after.isalpha() and text[s].isdigit():
        return True  # "2nd", "4x4"; scale abbreviations are part of the match
    return bool(re.search(r"\bke-?\s*$", text[max(0, s - 4):s], re.IGNORECASE))


def _unit_after(text: str, q: _QLex, m: re.Match[str], cm: re.Match[str] | None, s: int, e: int,
                re_: int) -> tuple[str | None, int, bool]:
    """The unit of the number matched by `m` (a currency before it, or what follows), where the
    quantity ends, and whether the words after it make it approximate ("10.000 lebih tentara")."""
    if cm:
        return q.currencies_before[cm.group("cur")], e, False
    am2 = q.after.match(text, e, re_)
    if am2 and am2.group("cur"):
        return q.currencies_after[_key(am2.group("cur"))], am2.end(), False
    if am2 and am2.group("pct"):
        return "percent", am2.end(), False
    if am2 and am2.group("unit"):
        noun = _key(am2.group("unit"))
        unit, qe = q.units[noun], am2.end()
        if noun in q.voters:
            vm = q.vote.match(text, qe, re_)
            context = _VOTE_CONTEXT.search(text, max(0, s - 200), min(len(text), qe + 200))
            if vm and (context or vm.group("abstain")):
                unit, qe = _side(vm), vm.end()
            elif noun in q.vote_nouns:
                unit = "votes"
        return unit, qe, bool(am2.group("aa"))
    vm = q.vote_direct.match(text, e, re_)
    if vm and (vm.group("abstain") or _VOTE_CONTEXT.search(text, max(0, s - 200), vm.end())):
        return _side(vm), vm.end(), False
    return None, e, False


def find_quantities(text: str, *, language: str = "id",
                    regions: list[tuple[int, int]] | None = None) -> list[Quantity]:
    """Numbers attached to a unit noun, a currency or a vote, in text order."""
    q = _qlex(language)
    num_re = number_regex(q.language)
    out: list[Quantity] = []
    for rs, re_ in regions or [(0, len(text))]:
        for m in num_re.finditer(text, rs, re_):
            s, e = m.span()
            cm = q.currency_before.search(text, max(rs, s - 6), s)
            if _blocked(text, s, e, cm is not None):
                continue
            if cm is None and _is_year(text, s, e):
                continue
            unit, qe, unit_approx = _unit_after(text, q, m, cm, s, e, re_)
            if unit is None:
                continue
            parsed = parse_match(m, q.language)
            if parsed is None:
                continue
            value, approx = parsed
            approx = approx or unit_approx
            qs = cm.start("cur") if cm else s
            am = q.approx_before.search(text, max(rs, qs - 30), qs)
            if am:
                approx = True
                qs = am.start() + (1 if not text[am.start()].isalnum() and am.start() < qs else 0)
                while qs < len(text) and text[qs].isspace():
                    qs += 1
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            out.append(Quantity(value=value, unit=unit, approx=approx, text=text[qs:qe], start=qs, end=qe))
    out.sort(key=lambda x: x.start or 0)
    return out
