"""What an event's sentence says about it beyond its actors: factuality, date, location,
quantities and vote counts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from pantau.model import DateValue, Quantity
from pantau.nlp.events_sentence import Trig, _is_reporting, _Sent, _tok_index

_ACCORDING = frozenset({"menurut", "according", "berdasarkan"})


def _factuality(s: _Sent, tr: Trig, governor: Trig | None) -> str:
    lex = s.lex
    lo = max(0, tr.i - 4)
    window = [t.low for t in s.toks[lo:tr.i]]
    # stop the window at a clause break
    for q in range(len(window) - 1, -1, -1):  # a topic ("… terkait pengiriman X") is not what is planned
        if window[q] in (",", ";") or window[q] in lex.cue("clause_breaks") or window[q] in lex.cue("prep.topic"):
            window = window[q + 1:]
            break
    before_all = [t.low for t in s.toks[:tr.i]]
    if any(w in lex.cue("factuality.conditional") for w in before_all):
        return "hypothetical"
    for w in reversed(window):  # the cue nearest the trigger wins: "tidak menutup kemungkinan memasok"
        for fact in ("negated", "hypothetical", "planned"):
            if w in lex.cue(f"factuality.{fact}"):
                return fact
        if w in lex.cue("factuality.purpose") and lex.language == "id":
            if any(t.low in lex.cue("factuality.arrival") for t in s.toks[max(0, tr.i - 10):tr.i]):
                continue  # "tiba di Pyongyang untuk kunjungan": the visit is under way
            return "planned"  # "untuk mengadakan pertemuan": what someone sets out to do
    if governor is not None and governor.spec.mode == "allege":
        return "alleged"
    if any(w in lex.cue("factuality.alleged") for w in window):
        return "alleged"
    if tr.spec.mode == "allege":
        return "asserted"
    inside = {k for a in s.actors for k in range(a.i, a.j + 1)} | set(range(tr.i, tr.j + 1))
    if any(_is_reporting(lex, t.low) for k, t in enumerate(s.toks) if k not in inside and k not in s.place_toks):
        return "reported"
    if s.sent.text[:1] in "“\"" or s.sent.text.rstrip(".")[-1:] in "”\"":
        return "reported"
    return "asserted"


def _clause_bounds(s: _Sent, pos: int) -> tuple[int, int]:
    """Character bounds of the comma/semicolon clause around document offset pos."""
    txt, base = s.sent.text, s.sent.start
    rel = pos - base
    lo = max(txt.rfind(",", 0, rel), txt.rfind(";", 0, rel))
    hi_c = [x for x in (txt.find(",", rel), txt.find(";", rel)) if x >= 0]
    hi = min(hi_c) if hi_c else len(txt)
    return base + lo + 1, base + hi


def _speech_date(s: _Sent, d: Any) -> bool:
    """A date that belongs to the act of saying ("X pada Sabtu (6/4) mengatakan", "…, kata X, Kamis")."""
    span = _tok_index(s.toks, d.start, d.end)
    if span is None:
        return False
    i, j = span
    near = list(range(max(0, i - 7), i)) + list(range(j + 1, min(len(s.toks), j + 3)))
    return any(_is_reporting(s.lex, s.toks[q].low) and s.toks[q].low not in _ACCORDING
               and q not in s.name_toks for q in near)


def _pick_date(s: _Sent, tr: Trig, fact: str, dates: Sequence[Any], nearby: Sequence[Any],
               published: DateValue | None) -> tuple[DateValue | None, float]:
    pos = s.toks[tr.i].start
    c_lo, c_hi = _clause_bounds(s, pos)
    best: tuple[float, DateValue] | None = None
    planned_cues = s.lex.cue("factuality.planned")
    for d in dates:
        if not (s.sent.start <= d.start < s.sent.end) or _speech_date(s, d):
            continue
        dv: DateValue = d.value
        if fact == "planned":
            dv = _next_weekday(dv, published)
        if fact != "planned" and published is not None and dv.start > published.start[:10]:
            continue  # a past happening cannot start after the article appeared
        d_lo, d_hi = _clause_bounds(s, d.start)
        # a clause that is nothing but the date (", Sabtu (12/7/2025).") dates the clause before it
        bare = not re.sub(r"[\W\d_]+", "", s.text[d_lo:d.start] + s.text[d.end:d_hi]) and d_lo - 1 == c_hi
        same = c_lo <= d.start <= c_hi or bare
        clause_words = {w.lower() for w in s.text[d_lo:d_hi].split()}
        if fact != "planned" and not same and clause_words & planned_cues:
            continue
        score = (0.0 if same else 2.0) + (0.5 if dv.basis == "relative" else 0.0) + abs(d.start - pos) / 1000
        if best is None or score < best[0]:
            best = (score, dv)
    if best:
        return best[1], best[0]
    for d in nearby:
        if d.value.basis == "relative" and not _speech_date(s, d):
            return d.value, 3.0
    if published is not None and fact in ("asserted", "reported", "alleged"):
        try:  # the week up to the publication day (or the whole period a coarse publication date spans)
            first, end = date.fromisoformat(published.start[:10]), date.fromisoformat(published.end[:10])
        except ValueError:
            return None, 9.0
        start = first - timedelta(days=6)
        return DateValue(start.isoformat(), end.isoformat(), "week", "publication", None), 5.0
    return None, 9.0


def _next_weekday(dv: DateValue, published: DateValue | None) -> DateValue:
    """A bare weekday resolves to the past; for a planned event ("bertemu … pada Minggu") it is the
    coming one."""
    if published is None or dv.precision != "day" or dv.basis != "relative" or not dv.text \
            or any(ch.isdigit() for ch in dv.text):
        return dv
    try:
        day, pub = date.fromisoformat(dv.start[:10]), date.fromisoformat(published.start[:10])
    except ValueError:
        return dv
    if not 0 < (pub - day).days < 7:
        return dv
    nxt = (day + timedelta(days=7)).isoformat()
    return DateValue(nxt, nxt, dv.precision, dv.basis, dv.text)


def _location(s: _Sent, tr: Trig, after_only: bool = False) -> str | None:
    """A place introduced by di/ke/in/at in the trigger's clause (for a visit: the place visited)."""
    if not s.places:
        return None
    loc = s.lex.cue("prep.location") | {"ke", "to", "into"}
    c_lo, c_hi = _clause_bounds(s, s.toks[tr.i].start)
    cands = [(abs(i - tr.i), pid) for i, pid in s.places
             if c_lo <= s.toks[i].start <= c_hi and (i > tr.j or not after_only)
             and (after_only and i == tr.j + 1 or any(t.low in loc for t in s.toks[max(0, i - 2):i]))]
    return min(cands)[1] if cands else None


def _quantities(s: _Sent, tr: Trig, quantities: Sequence[Quantity]) -> list[Quantity]:
    pos = s.toks[tr.i].start
    c_lo, c_hi = _clause_bounds(s, pos)
    out = []
    for q in quantities:
        if q.start is None or not (s.sent.start <= q.start < s.sent.end):
            continue
        if c_lo <= q.start <= c_hi or abs(q.start - pos) <= 60:
            out.append(q)
    return out


def _votes(s: _Sent, tr: Trig, quantities: Sequence[Quantity]) -> list[Quantity]:
    """Vote counts in a sentence about a veto / vote: 13 for, 1 against, abstentions."""
    lex = s.lex
    out: list[Quantity] = []
    low = s.sent.text.lower()
    for q in quantities:
        if q.start is None or not (s.sent.start <= q.start < s.sent.end):
            continue
        if q.unit in ("votes_for", "votes_against", "abstentions"):
            out.append(q)
            continue
        tail = low[q.end - s.sent.start if q.end else q.start - s.sent.start:][:60].split(",")[0]
        for unit, cue in (("votes_for", "votes.for"), ("votes_against", "votes.against"),
                          ("abstentions", "votes.abstain")):
            words = lex.cue(cue) | {" ".join(p) for p in lex.phrases.get(cue, ())}
            if any(f" {w}" in f" {tail}" for w in words if len(w) > 3):
                out.append(Quantity(int(q.value), unit, q.approx, q.text, q.start, q.end))
                break
    units = {q.unit for q in out}
    if "abstentions" not in units:
        n = sum(len(s.group_of(a)) for k, t in enumerate(s.toks) if t.low in lex.cue("votes.abstain")
                for a in s.actors if a.j == k - 1)
        if n:
            out.append(Quantity(n, "abstentions", False, ""))
    if "votes_against" not in units and tr.spec.mode == "veto":
        out.append(Quantity(max(1, len(tr.source)), "votes_against", False, ""))
    return out
