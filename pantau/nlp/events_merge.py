"""One event per happening within a document: merge repeats of the same type and actors.

Two events merge when they have the same type and the same actor roots (a person or body
counts as its affiliation): for symmetric types (CONSULT, AGREE, COOPERATE) the participants
as a set, otherwise the sources, with targets overlapping or one side unknown; what happened and
what is planned or hypothetical for another day never merge. The merged
event keeps all evidence, the union of actors (the most specific actor per root), the best
date (explicit in the trigger's clause beats relative beats publication-bounded), the
strongest factuality and all quantities.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from pantau.model import Event
from pantau.nlp.registry import load_registry

__all__ = ["merge_events"]

_IRREALIS = frozenset({"planned", "hypothetical"})
_FACT_RANK = {"asserted": 0, "reported": 1, "alleged": 2, "planned": 3, "hypothetical": 4, "negated": 5}


def _roots(ids: Iterable[str], root_of: Callable[[str], str]) -> set[str]:
    return {root_of(i) for i in ids}


def _same(a: Event, b: Event, root_of: Callable[[str], str], symmetric: frozenset[str]) -> bool:
    if a.type != b.type:
        return False
    if (a.factuality == "negated") != (b.factuality == "negated"):
        return False
    if (a.factuality in _IRREALIS) != (b.factuality in _IRREALIS) and _apart(a, b):
        return False  # a meeting that took place on one day and one planned for another are two happenings
    sa, ta = _roots(a.source, root_of), _roots(a.target, root_of)
    sb, tb = _roots(b.source, root_of), _roots(b.target, root_of)
    if a.type in symmetric:
        pa, pb = sa | ta, sb | tb
        return pa == pb or (len(pa & pb) >= 2) or (len(pa & pb) >= 1 and min(len(pa), len(pb)) == 1)
    return bool(sa & sb) and (not ta or not tb or bool(ta & tb) or bool(_up(ta) & tb) or bool(ta & _up(tb)))


def _up(ids: set[str]) -> set[str]:
    """The parent bodies of international bodies ("UNSC" -> "UN"): a statement blocked in "the UN" and
    one blocked in "the Security Council" are one happening."""
    actors = load_registry().actors
    return {p for i in ids if (a := actors.get(i)) is not None and (p := a.parent)}


def _apart(a: Event, b: Event) -> bool:
    """Both events have dates of their own (not the publication default) and these do not overlap."""
    if a.date is None or b.date is None or "publication" in (a.date.basis, b.date.basis):
        return False
    return a.date.end < b.date.start or b.date.end < a.date.start


def _specific(ids: list[str], root_of: Callable[[str], str]) -> list[str]:
    """Drop a bare root id when a person or body with that root is also there."""
    rooted = {root_of(i) for i in ids if root_of(i) != i}
    return [i for i in ids if root_of(i) != i or i not in rooted]


def _union(a: list[str], b: list[str]) -> list[str]:
    return a + [x for x in b if x not in a]


def merge_events(raw: list[tuple[Event, float]], root_of: Callable[[str], str],
                 symmetric: frozenset[str]) -> list[Event]:
    """`raw` holds (event, date score) in document order; lower date scores are better."""
    merged: list[tuple[Event, float]] = []
    for ev, dscore in raw:
        for k, (m, mscore) in enumerate(merged):
            if not _same(m, ev, root_of, symmetric):
                continue
            m.source = _union(m.source, [i for i in ev.source if i not in m.target or m.type not in symmetric])
            m.target = _union(m.target, [i for i in ev.target if i not in m.source])
            for e in ev.evidence:
                if all((x.start, x.end) != (e.start, e.end) for x in m.evidence):
                    m.evidence.append(e)
            m.evidence.sort(key=lambda e: e.start)
            if dscore < mscore:
                m.date, mscore = ev.date, dscore
            if _FACT_RANK.get(ev.factuality, 9) < _FACT_RANK.get(m.factuality, 9):
                m.factuality = ev.factuality
            m.mode = m.mode or ev.mode
            m.contexts = _union(m.contexts, ev.contexts)
            m.location = m.location or ev.location
            seen = {(q.unit, q.value) for q in m.quantities}
            m.quantities += [q for q in ev.quantities if (q.unit, q.value) not in seen]
            m.confidence = min(0.95, max(m.confidence, ev.confidence) + 0.05)
            merged[k] = (m, mscore)
            break
        else:
            merged.append((ev, dscore))
    out = []
    for m, _ in merged:
        m.source = _specific(m.source, root_of)
        m.target = _specific([t for t in m.target if t not in m.source], root_of)
        out.append(m)
    return out
