"""Keys under which a fused event is a fusion candidate, and its fusion view as JSON. Pure, no I/O.

An event report can only fuse with a fused event that shares an actor root, a type family and a
month of its date interval (`compare` requires overlapping dates, compatible types and the same
roots). A fused event is therefore indexed under (root, family, month) for every root, every
type family and every month of its interval; an interval longer than `WIDE_DAYS` or an undated
one is indexed under the bucket `WIDE` instead. A dated report looks up its own months and
`WIDE`; an undated one or a wide one looks up every bucket of its (root, family).

The keys are stored (`fusion_keys`) so that fusion looks candidates up in the database instead
of holding every fused event in memory; the view is stored (`fused_event_views`) so that a
fused event read back compares exactly as the one fusion held in memory when it wrote it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pantau.model import Quantity
from pantau.nlp.fusion import EventView

__all__ = ["FAMILY", "WIDE", "WIDE_DAYS", "family", "months", "index_keys", "lookup",
           "view_to_json", "view_from_json"]

# Types that may fuse with each other share a family (the candidate index is per family).
FAMILY = {"AID": "AID", "COOPERATE": "AID", "MOBILIZE": "AID", "SUPPORT": "SUPPORT", "AGREE": "SUPPORT",
          "SANCTION": "SANCTION", "COERCE": "SANCTION"}
WIDE_DAYS = 400  # intervals longer than this are indexed as "wide" rather than month by month
WIDE = "*"


def family(event_type: str) -> str:
    return FAMILY.get(event_type, event_type)


def months(v: EventView) -> list[str] | None:
    """The months 'YYYY-MM' of the view's interval; None when undated or wider than WIDE_DAYS."""
    if not v.start or not v.end or (v.end - v.start).days > WIDE_DAYS:
        return None
    out, y, m = [], v.start.year, v.start.month
    while (y, m) <= (v.end.year, v.end.month):
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def index_keys(v: EventView) -> set[tuple[str, str, str]]:
    """(root, family, bucket) keys a fused event with view `v` is found under."""
    ms = months(v) or [WIDE]
    return {(root, family(t), m) for root in v.source_roots | v.target_roots for t in v.all_types for m in ms}


def lookup(v: EventView) -> tuple[str, set[str], list[str] | None]:
    """What a report with view `v` looks up: (family, roots, buckets); buckets None means all of them."""
    ms = months(v)
    return family(v.type), set(v.source_roots | v.target_roots), None if ms is None else [*ms, WIDE]


def _d(x: str | None) -> date | None:
    return date.fromisoformat(x) if x else None


def view_to_json(v: EventView) -> dict[str, Any]:
    return {
        "type": v.type, "types": sorted(v.types), "source_roots": sorted(v.source_roots),
        "target_roots": sorted(v.target_roots), "start": v.start.isoformat() if v.start else None,
        "end": v.end.isoformat() if v.end else None, "mode": v.mode, "contexts": sorted(v.contexts),
        "location": v.location, "location_country": v.location_country,
        "quantities": [[q.value, q.unit, q.approx, q.text] for q in v.quantities],
        "window": [v.window[0].isoformat(), v.window[1].isoformat()] if v.window else None,
    }


def view_from_json(key: str, d: dict[str, Any]) -> EventView:
    w = d.get("window")
    return EventView(
        key=key, type=d["type"], types=frozenset(d.get("types") or ()),
        source_roots=frozenset(d["source_roots"]), target_roots=frozenset(d["target_roots"]),
        start=_d(d.get("start")), end=_d(d.get("end")), mode=d.get("mode"), contexts=frozenset(d.get("contexts") or ()),
        location=d.get("location"), location_country=d.get("location_country"),
        quantities=tuple(Quantity(q[0], q[1], q[2], q[3]) for q in d.get("quantities") or ()),
        window=(date.fromisoformat(w[0]), date.fromisoformat(w[1])) if w else None,
    )
