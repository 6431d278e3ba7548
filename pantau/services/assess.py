"""Sanctions assessment: match fused events against the UN provisions on the DPRK
(`ontology/sanctions.yaml`). A match is an incident *candidate* for an analyst, never a finding.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pantau.ontology import kb_data

__all__ = ["Provision", "Match", "Subject", "provisions", "assess"]

# Events that say something did *not* happen, or only might, do not raise incidents.
NO_INCIDENT_FACTUALITY = frozenset({"negated", "hypothetical"})


@dataclass(slots=True, frozen=True)
class Provision:
    id: str
    resolution: int
    year: int
    paragraph: str
    prohibits: str
    category: str
    patterns: tuple[Mapping[str, Any], ...]
    check: bool = False

    @property
    def title(self) -> str:
        return f"possible violation of UNSCR {self.resolution} para {self.paragraph}"


@cache
def provisions() -> tuple[Provision, ...]:
    return tuple(Provision(id=p["id"], resolution=int(p["resolution"]), year=int(p["year"]),
                           paragraph=str(p["paragraph"]), prohibits=p["prohibits"], category=p["category"],
                           patterns=tuple(p.get("patterns") or ()), check=bool(p.get("check", False)))
                 for p in kb_data.provisions())


@dataclass(slots=True)
class Subject:
    """What assessment looks at in a (fused) event."""

    types: frozenset[str]
    source_roots: frozenset[str]
    target_roots: frozenset[str]
    mode: str | None = None
    contexts: frozenset[str] = frozenset()
    units: frozenset[str] = frozenset()
    texts: Sequence[str] = ()
    factualities: frozenset[str] = field(default_factory=lambda: frozenset({"asserted"}))


@dataclass(slots=True, frozen=True)
class Match:
    provision: Provision
    reasons: tuple[str, ...]


@cache
def _kw_re(keyword: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(keyword.lower()) + r"\w{0,4}(?!\w)")


def _actors(want: Any, have: frozenset[str]) -> str | None:
    """None when the actor condition fails, else a reason ('' for 'any')."""
    if want is None or want == "any":
        return ""
    wanted = [want] if isinstance(want, str) else list(want)
    if "any" in wanted:
        return ""
    hit = sorted(have & set(wanted))
    return ",".join(hit) if hit else None


def _match_pattern(pat: Mapping[str, Any], s: Subject, text: str) -> list[str] | None:
    reasons: list[str] = []
    types = set(pat.get("types") or ())
    if types:
        hit = sorted(s.types & types)
        if not hit:
            return None
        reasons.append(f"type {'/'.join(hit)}")
    modes = pat.get("modes")
    if modes:
        if s.mode not in modes:
            return None
        reasons.append(f"mode {s.mode}")
    contexts = set(pat.get("contexts") or ())
    if contexts and s.contexts:
        if not s.contexts & contexts:
            return None
    for role, have in (("source", s.source_roots), ("target", s.target_roots)):
        why = _actors(pat.get(role), have)
        if why is None:
            return None
        if why:
            reasons.append(f"{role} {why}")
    either = pat.get("either")
    if either:
        if either not in s.source_roots and either not in s.target_roots:
            return None
        reasons.append(f"{either} on one side")
    units, keywords = set(pat.get("units") or ()), list(pat.get("keywords") or ())
    if units or keywords:
        unit_hit = sorted(s.units & units)
        kw_hit = [k for k in keywords if _kw_re(k).search(text)]
        if not unit_hit and not kw_hit:
            return None
        if unit_hit:
            reasons.append("quantity in " + ", ".join(unit_hit))
        if kw_hit:
            reasons.append("evidence mentions " + ", ".join(repr(k) for k in kw_hit[:3]))
    return reasons


def _types_of(provs: tuple[Provision, ...]) -> frozenset[str]:
    return frozenset(t for p in provs for pat in p.patterns for t in pat.get("types") or ())


def assess(subject: Subject, provs: Iterable[Provision] | None = None) -> list[Match]:
    """Provisions the subject may breach, with the reasons of each match (first matching pattern)."""
    if subject.factualities and subject.factualities <= NO_INCIDENT_FACTUALITY:
        return []
    provs = provisions() if provs is None else tuple(provs)
    if not subject.types & _types_of(provs):
        return []
    text = " ".join(subject.texts).lower()
    out = []
    for prov in provs:
        for pat in prov.patterns:
            reasons = _match_pattern(pat, subject, text)
            if reasons is not None:
                out.append(Match(prov, tuple(reasons)))
                break
    return out
