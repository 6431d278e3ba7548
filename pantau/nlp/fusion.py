"""Do two event reports describe the same happening? Pure rules with reasons, no I/O.

Two events fuse when every hard condition holds — compatible PLOVER types, the same actor
roots (the country or body each actor acts for), overlapping date intervals, compatible
locations and quantities — and the soft evidence (same type, same mode, shared contexts,
same place, agreeing numbers, tight dates) scores at least `THRESHOLD`.
The fused date is the tightest interval all reports allow (their intersection).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from pantau.model import DateValue, Entity, Event, Quantity

__all__ = ["THRESHOLD", "EventView", "Decision", "actor_root", "view_of", "compare", "merge_views",
           "tightest", "quantity_conflicts", "types_compatible", "SYMMETRIC_TYPES"]

THRESHOLD = 0.6
# Types one outlet may code where another codes the other, for the same happening.
COMPATIBLE_TYPES: frozenset[frozenset[str]] = frozenset({
    frozenset({"AID", "COOPERATE"}),     # "military cooperation" vs "sent troops/munitions"
    frozenset({"AID", "MOBILIZE"}),      # a deployment abroad seen as a move or as help
    frozenset({"SUPPORT", "AGREE"}),     # endorsement vs agreement (ontology.md alt types)
    frozenset({"SANCTION", "COERCE"}),   # seizure of a vessel reported as a sanction
})
# Types where who is "source" and who is "target" is arbitrary (a meeting of A and B).
SYMMETRIC_TYPES = frozenset({"CONSULT", "COOPERATE", "AGREE"})
# Same unit, values further apart than this factor: not the same happening (a first wave of
# 1,500 troops and a total of 10,000 are still one deployment).
MAX_QUANTITY_RATIO = 10.0
# Numbers within this factor agree; beyond it they are kept side by side as a conflict.
AGREE_QUANTITY_RATIO = 1.15
# What a number counts. Two reports that each count something, but things of different kinds
# (soldiers sent vs shells shipped), describe different transfers even between the same actors.
UNIT_KINDS = {
    **dict.fromkeys(("troops", "soldiers", "personnel", "workers", "officers", "advisers"), "people"),
    **dict.fromkeys(("shells", "munitions", "missiles", "rockets", "containers", "tanks", "aircraft",
                     "warships", "weapons", "launchers", "drones", "helicopters", "vehicles"), "materiel"),
    **dict.fromkeys(("barrels", "tonnes", "tons", "litres", "liters"), "commodity"),
}


def actor_root(actor_id: str, entities: Mapping[str, Entity] | None = None) -> str:
    """The country or body an actor acts for: a code stays itself; a person/ministry → affiliation."""
    if ":" not in actor_id:
        return actor_id
    ent = (entities or {}).get(actor_id)
    if ent is not None:
        if ent.affiliation:
            return ent.affiliation
        if ent.country:
            return ent.country
    return actor_id


@dataclass(slots=True, frozen=True)
class EventView:
    """What fusion needs to know about one event report (or a fused event)."""

    key: str
    type: str
    source_roots: frozenset[str]
    target_roots: frozenset[str]
    start: date | None = None
    end: date | None = None
    mode: str | None = None
    contexts: frozenset[str] = frozenset()
    location: str | None = None
    location_country: str | None = None
    quantities: tuple[Quantity, ...] = ()
    types: frozenset[str] = field(default_factory=frozenset)  # a fused event may hold compatible types
    # For an undated report: the window it can be about (up to its publication date). Used to
    # tell reports apart, never to date the fused event.
    window: tuple[date, date] | None = None

    @property
    def all_types(self) -> frozenset[str]:
        return self.types or frozenset({self.type})


def _d(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


UNDATED_WINDOW_DAYS = 45


def view_of(key: str, event: Event, entities: Mapping[str, Entity] | None = None,
            published: date | None = None) -> EventView:
    """Build the fusion view of one extracted event, resolving actors to their roots. An undated
    event of a report published on `published` is taken to be about the weeks before it."""
    ents = entities or {}
    loc_country = None
    if event.location:
        ent = ents.get(event.location)
        loc_country = ent.country if ent and ent.country else (event.location if ":" not in event.location else None)
    dv = event.date
    return EventView(
        key=key, type=event.type,
        source_roots=frozenset(actor_root(a, ents) for a in event.source),
        target_roots=frozenset(actor_root(a, ents) for a in event.target),
        start=_d(dv.start) if dv else None, end=_d(dv.end) if dv else None,
        mode=event.mode, contexts=frozenset(event.contexts), location=event.location,
        location_country=loc_country, quantities=tuple(event.quantities),
        window=(published - timedelta(days=UNDATED_WINDOW_DAYS), published) if published and not dv else None,
    )


@dataclass(slots=True)
class Decision:
    """The verdict on one pair: `same` if it fuses, with a score and the reasons either way."""

    same: bool
    score: float
    reasons: list[str]


def types_compatible(a: Iterable[str], b: Iterable[str]) -> tuple[bool, bool]:
    """(compatible, identical) for two sets of PLOVER types."""
    sa, sb = set(a), set(b)
    if sa & sb:
        return True, True
    ok = any(frozenset({x, y}) in COMPATIBLE_TYPES for x in sa for y in sb)
    return ok, False


def _roots_match(a: EventView, b: EventView) -> tuple[bool, float, str]:
    """Actor roots agree (directly or, for symmetric types, swapped). Returns (ok, weight, reason)."""
    def side(x: frozenset[str], y: frozenset[str]) -> str:
        if x and y:
            return "same" if x & y else "different"
        return "unknown"

    def judge(s: str, t: str, how: str) -> tuple[bool, float, str] | None:
        if "different" in (s, t) or (s == "unknown" and t == "unknown"):
            return None
        if s == "same" and t == "same":
            return True, 1.0, f"same actors{how}"
        return True, 0.5, f"one side matches{how}, the other is unknown in one report"

    direct = judge(side(a.source_roots, b.source_roots), side(a.target_roots, b.target_roots), "")
    if direct and direct[1] == 1.0:
        return direct
    if a.all_types & SYMMETRIC_TYPES and b.all_types & SYMMETRIC_TYPES:
        swapped = judge(side(a.source_roots, b.target_roots), side(a.target_roots, b.source_roots),
                        " (source and target swapped)")
        if swapped and (direct is None or swapped[1] > direct[1]):
            return swapped
    if direct:
        return direct
    return False, 0.0, (f"different actors: {_fmt(a)} vs {_fmt(b)}")


def _fmt(v: EventView) -> str:
    return f"{'+'.join(sorted(v.source_roots)) or '?'}→{'+'.join(sorted(v.target_roots)) or '?'}"


def tightest(intervals: Iterable[tuple[date | None, date | None]]) -> tuple[date | None, date | None] | None:
    """The intersection of all dated intervals; None if they do not overlap. Undated ones are ignored."""
    lo: date | None = None
    hi: date | None = None
    for s, e in intervals:
        if s is None or e is None:
            continue
        lo = s if lo is None or s > lo else lo
        hi = e if hi is None or e < hi else hi
    if lo is not None and hi is not None and lo > hi:
        return None
    return lo, hi


def quantity_conflicts(a: Iterable[Quantity], b: Iterable[Quantity]) -> tuple[list[str], list[str], list[str]]:
    """Compare numbers with the same unit: (agreeing, conflicting-but-compatible, incompatible) notes."""
    agree, conflict, incompatible = [], [], []
    by_unit: dict[str, list[Quantity]] = {}
    for q in b:
        by_unit.setdefault(q.unit, []).append(q)
    for q in a:
        for other in by_unit.get(q.unit, []):
            x, y = float(q.value), float(other.value)
            if x <= 0 or y <= 0:
                continue
            ratio = max(x, y) / min(x, y)
            note = f"{_num(q.value)} vs {_num(other.value)} {q.unit}"
            if ratio <= AGREE_QUANTITY_RATIO or (q.approx or other.approx) and ratio <= 1.5:
                agree.append(note)
            elif ratio <= MAX_QUANTITY_RATIO:
                conflict.append(note)
            else:
                incompatible.append(note)
    return agree, conflict, incompatible


def _num(v: float | int) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,}"


def compare(a: EventView, b: EventView, threshold: float = THRESHOLD) -> Decision:
    """Decide whether `a` and `b` describe the same happening, with human-readable reasons."""
    reasons: list[str] = []
    ok, same_type = types_compatible(a.all_types, b.all_types)
    if not ok:
        return Decision(False, 0.0, [f"types differ: {'/'.join(sorted(a.all_types))} vs {'/'.join(sorted(b.all_types))}"])
    score = 0.3 if same_type else 0.15
    reasons.append(f"same type {a.type}" if same_type else f"compatible types {a.type}/{b.type}")

    ok, weight, why = _roots_match(a, b)
    if not ok:
        return Decision(False, 0.0, reasons + [why])
    score += 0.25 * weight
    reasons.append(f"{why}: {_fmt(a)}")

    if a.start and a.end and b.start and b.end:
        inter = tightest([(a.start, a.end), (b.start, b.end)])
        if inter is None:
            return Decision(False, 0.0, reasons + [f"dates do not overlap: {a.start}..{a.end} vs {b.start}..{b.end}"])
        lo, hi = inter
        assert lo is not None and hi is not None
        span = max((a.end - a.start).days, (b.end - b.start).days) + 1
        tight = ((hi - lo).days + 1) / span
        score += 0.15 + 0.1 * tight
        reasons.append(f"dates overlap: {lo}..{hi}")
    else:
        wa = (a.start, a.end) if a.start and a.end else a.window
        wb = (b.start, b.end) if b.start and b.end else b.window
        if wa and wb and tightest([wa, wb]) is None:
            return Decision(False, 0.0, reasons + [
                f"an undated report cannot be about the other's dates: {wa[0]}..{wa[1]} vs {wb[0]}..{wb[1]}"])
        score += 0.05
        reasons.append("at least one report is undated" + (" (publication dates agree)" if wa and wb else ""))

    if a.location and b.location:
        if a.location == b.location:
            score += 0.1
            reasons.append(f"same place {a.location}")
        elif a.location_country and a.location_country == b.location_country:
            score += 0.05
            reasons.append(f"places in the same country {a.location_country}")
        else:
            return Decision(False, 0.0, reasons + [f"different places: {a.location} vs {b.location}"])

    kinds_a = {UNIT_KINDS[q.unit] for q in a.quantities if q.unit in UNIT_KINDS}
    kinds_b = {UNIT_KINDS[q.unit] for q in b.quantities if q.unit in UNIT_KINDS}
    if kinds_a and kinds_b and not kinds_a & kinds_b:
        return Decision(False, 0.0, reasons + [f"they count different things: {'/'.join(sorted(kinds_a))} vs "
                                               f"{'/'.join(sorted(kinds_b))}"])
    agree, conflict, incompatible = quantity_conflicts(a.quantities, b.quantities)
    if incompatible:
        return Decision(False, 0.0, reasons + ["numbers too far apart: " + "; ".join(incompatible)])
    if agree:
        score += 0.1
        reasons.append("numbers agree: " + "; ".join(agree))
    if conflict:
        reasons.append("numbers differ, kept side by side: " + "; ".join(conflict))

    if a.mode and b.mode:
        if a.mode == b.mode:
            score += 0.05
            reasons.append(f"same mode {a.mode}")
        else:
            score -= 0.1
            reasons.append(f"modes differ: {a.mode} vs {b.mode}")
    shared = a.contexts & b.contexts
    if shared:
        score += 0.05
        reasons.append("shared contexts " + ", ".join(sorted(shared)))
    elif a.contexts and b.contexts:
        score -= 0.05
        reasons.append("no shared context")

    score = round(min(score, 1.0), 3)
    return Decision(score >= threshold, score, reasons if score >= threshold else reasons + [f"score {score} below {threshold}"])


def merge_views(a: EventView, b: EventView) -> EventView:
    """The fused view after joining `b` to `a`: tightest date, union of roots, contexts and numbers."""
    inter = tightest([(a.start, a.end), (b.start, b.end)])
    start, end = (inter if inter else (a.start, a.end))
    if start is None:
        start, end = b.start, b.end
    return replace(
        a,
        source_roots=a.source_roots or b.source_roots,
        target_roots=a.target_roots or b.target_roots,
        start=start, end=end,
        mode=a.mode or b.mode,
        contexts=a.contexts | b.contexts,
        location=a.location or b.location,
        location_country=a.location_country or b.location_country,
        quantities=a.quantities + b.quantities,
        types=a.all_types | b.all_types,
        window=_widest(a.window, b.window) if start is None else None,
    )


def _widest(a: tuple[date, date] | None, b: tuple[date, date] | None) -> tuple[date, date] | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


def fused_date(views: Iterable[EventView], texts: Iterable[str | None] = ()) -> DateValue | None:
    """DateValue for the tightest interval the views allow (precision from its length)."""
    vs = list(views)
    inter = tightest((v.start, v.end) for v in vs)
    if not inter or inter[0] is None or inter[1] is None:
        return None
    lo, hi = inter
    days = (hi - lo).days + 1
    precision = "day" if days == 1 else "week" if days <= 7 else "month" if days <= 31 else "year"
    return DateValue(lo.isoformat(), hi.isoformat(), precision, "fused", next((t for t in texts if t), None))
