"""Admiralty (NATO) grading of fused events: source reliability A–F, information credibility 1–6.

- Source reliability comes from the publisher registry (`ontology/publishers.yaml`, overridable
  per node): the best-graded *independent* source of the event.
- Information credibility comes from independent corroboration and contradiction. Reports that
  are near-duplicates of another report (a re-published wire story) never count; several
  reports from the same publisher count once.
- STIX 2.1 confidence: 1→90, 2→70, 3→50, 4→30, 5→10, 6→none.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from pantau.model.kb import CREDIBILITY_TO_CONFIDENCE, EvidenceLink
from pantau.ontology import kb_data

RELIABILITIES = ("A", "B", "C", "D", "E", "F")
POSITIVE = frozenset({"asserted", "reported"})
WEAK = frozenset({"alleged", "planned", "hypothetical"})
CONTRA = frozenset({"negated"})

__all__ = ["Publisher", "PublisherRegistry", "Grade", "grade", "credibility", "reliability", "stix_confidence"]


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.casefold())


@dataclass(slots=True, frozen=True)
class Publisher:
    id: str
    name: str
    reliability: str = "F"
    country: str | None = None
    kind: str | None = None
    wire: bool = False
    aliases: tuple[str, ...] = field(default_factory=tuple)


class PublisherRegistry:
    """Publishers by id, name, alias or web domain; `overrides` (id → letter) win over the defaults."""

    def __init__(self, entries: Iterable[Mapping[str, object]] | None = None,
                 overrides: Mapping[str, str] | None = None) -> None:
        self._by_id: dict[str, Publisher] = {}
        self._by_key: dict[str, str] = {}
        for e in kb_data.publishers() if entries is None else entries:
            self.add(Publisher(
                id=str(e["id"]), name=str(e["name"]), reliability=str(e.get("reliability") or "F"),
                country=e.get("country") or None,  # type: ignore[arg-type]
                kind=e.get("kind") or None,  # type: ignore[arg-type]
                wire=bool(e.get("wire", False)),
                aliases=tuple(str(a) for a in e.get("aliases") or ()),  # type: ignore[union-attr]
            ))
        for pid, letter in (overrides or {}).items():
            self.set_reliability(pid, letter)

    def add(self, pub: Publisher) -> None:
        if pub.reliability not in RELIABILITIES:
            raise ValueError(f"{pub.id}: reliability must be one of {'/'.join(RELIABILITIES)}, not {pub.reliability!r}")
        self._by_id[pub.id] = pub
        for name in (pub.id, pub.name, *pub.aliases):
            self._by_key.setdefault(_key(name), pub.id)

    def set_reliability(self, name: str, letter: str) -> Publisher:
        pub = self.resolve(name) or Publisher(id=_key(name), name=name)
        letter = letter.strip().upper()
        new = Publisher(pub.id, pub.name, letter, pub.country, pub.kind, pub.wire, pub.aliases)
        self.add(new)
        return new

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(sorted(self._by_id.values(), key=lambda p: p.id))

    def resolve(self, name_or_url: str | None) -> Publisher | None:
        """Find a publisher by id, name, alias, or the host of a URL (`www.kompas.com/...` → Kompas)."""
        if not name_or_url:
            return None
        hit = self._by_key.get(_key(name_or_url))
        if hit:
            return self._by_id[hit]
        host = urlsplit(name_or_url if "//" in name_or_url else f"//{name_or_url}").hostname or ""
        parts = host.split(".")
        for i in range(len(parts) - 1):
            hit = self._by_key.get(_key(".".join(parts[i:])))
            if hit:
                return self._by_id[hit]
        return None

    def reliability(self, name_or_url: str | None) -> str:
        pub = self.resolve(name_or_url)
        return pub.reliability if pub else "F"


def _independent(links: Iterable[EvidenceLink], registry: PublisherRegistry) -> dict[str, list[EvidenceLink]]:
    """Independent voices: not near-duplicates, grouped by publisher (unknown publisher → its document)."""
    groups: dict[str, list[EvidenceLink]] = {}
    for link in links:
        if not link.independent:
            continue
        pub = registry.resolve(link.publisher) or registry.resolve(link.url)
        key = pub.id if pub else (link.publisher and _key(link.publisher)) or f"doc:{link.doc_id}"
        groups.setdefault(key, []).append(link)
    return groups


def reliability(links: Iterable[EvidenceLink], registry: PublisherRegistry) -> str:
    """The best (lowest letter) reliability among the independent sources; F if none can be judged."""
    best = "F"
    for group in _independent(links, registry).values():
        link = group[0]
        pub = registry.resolve(link.publisher) or registry.resolve(link.url)
        letter = pub.reliability if pub else "F"
        if letter != "F" and (best == "F" or letter < best):
            best = letter
    return best


def credibility(links: Iterable[EvidenceLink], registry: PublisherRegistry) -> int:
    """Information credibility 1–6 from independent corroboration and contradiction."""
    voices = _independent(links, registry)
    if not voices:
        return 6
    positive = weak = contra = 0
    for group in voices.values():
        facts = {link.factuality for link in group}
        if facts & POSITIVE:
            positive += 1
        elif facts & WEAK:
            weak += 1
        if facts & CONTRA and not facts & POSITIVE:
            contra += 1
    if contra:
        return 5 if contra >= positive + weak else 4
    if positive >= 3:
        return 1
    if positive == 2 or (positive == 1 and weak >= 1):
        return 2
    if positive == 1 or weak >= 2:
        return 3
    if weak == 1:
        return 4
    return 6


def stix_confidence(cred: int) -> int | None:
    return CREDIBILITY_TO_CONFIDENCE.get(cred)


@dataclass(slots=True, frozen=True)
class Grade:
    reliability: str
    credibility: int
    independent_sources: int

    def __str__(self) -> str:
        return f"{self.reliability}{self.credibility}"

    @property
    def confidence(self) -> int | None:
        return stix_confidence(self.credibility)


def grade(links: Iterable[EvidenceLink], registry: PublisherRegistry | None = None) -> Grade:
    reg = registry or PublisherRegistry()
    items = list(links)
    return Grade(reliability(items, reg), credibility(items, reg), len(_independent(items, reg)))
