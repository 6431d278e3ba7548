"""Knowledge-base objects: fused events (one happening, many reports), their evidence, incidents.

Plain dataclasses, like the rest of `pantau.model`; the store, services and exporters share them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pantau.model.extraction import DateValue
from pantau.model.markings import TLP

INCIDENT_STATUSES = ("new", "under_review", "confirmed", "dismissed")
CREDIBILITY_TO_CONFIDENCE = {1: 90, 2: 70, 3: 50, 4: 30, 5: 10}


@dataclass(slots=True)
class QuantityClaim:
    """A number one report gives for the event; conflicting claims are kept side by side."""

    value: float | int
    unit: str
    doc_id: str
    approx: bool = False
    text: str = ""
    publisher: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "approx": self.approx, "text": self.text,
                "doc_id": self.doc_id, "publisher": self.publisher}


@dataclass(slots=True)
class EvidenceLink:
    """One per-document event joined to a fused event, with why it was joined."""

    doc_id: str
    event_id: str
    text: str = ""
    title: str | None = None
    publisher: str | None = None
    url: str | None = None
    published: str | None = None
    factuality: str = "asserted"
    score: float = 1.0
    reasons: list[str] = field(default_factory=list)
    near_duplicate_of: str | None = None
    manual: bool = False

    @property
    def independent(self) -> bool:
        return self.near_duplicate_of is None

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "event_id": self.event_id, "text": self.text, "title": self.title,
                "publisher": self.publisher, "url": self.url, "published": self.published,
                "factuality": self.factuality, "score": round(self.score, 3), "reasons": list(self.reasons),
                "near_duplicate_of": self.near_duplicate_of, "manual": self.manual}


@dataclass(slots=True)
class FusedEvent:
    """One real-world happening, fused from every report of it."""

    id: str
    type: str
    source: list[str]
    target: list[str]
    source_roots: list[str] = field(default_factory=list)
    target_roots: list[str] = field(default_factory=list)
    mode: str | None = None
    contexts: list[str] = field(default_factory=list)
    location: str | None = None
    date: DateValue | None = None
    quantities: list[QuantityClaim] = field(default_factory=list)
    evidence: list[EvidenceLink] = field(default_factory=list)
    reliability: str = "F"
    credibility: int = 6
    tlp: TLP = TLP.CLEAR
    owner: str | None = None
    summary: str = ""

    @property
    def grade(self) -> str:
        """Admiralty grade, e.g. `B2`."""
        return f"{self.reliability}{self.credibility}"

    @property
    def confidence(self) -> int | None:
        """STIX 2.1 confidence from the information credibility (6 = cannot be judged → None)."""
        return CREDIBILITY_TO_CONFIDENCE.get(self.credibility)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "type": self.type, "mode": self.mode, "contexts": list(self.contexts),
            "source": list(self.source), "target": list(self.target),
            "source_roots": list(self.source_roots), "target_roots": list(self.target_roots),
            "location": self.location, "date": self.date.to_dict() if self.date else None,
            "quantities": [q.to_dict() for q in self.quantities],
            "evidence": [e.to_dict() for e in self.evidence],
            "grade": self.grade, "reliability": self.reliability, "credibility": self.credibility,
            "confidence": self.confidence, "tlp": str(self.tlp), "owner": self.owner, "summary": self.summary,
        }


@dataclass(slots=True)
class IncidentChange:
    at: str
    status: str
    note: str | None = None
    user: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"at": self.at, "status": self.status, "note": self.note, "user": self.user}


@dataclass(slots=True)
class Incident:
    """A fused event that matches a sanctions provision: a *possible* violation for review."""

    id: str
    fused_event_id: str
    provision_id: str
    resolution: int
    paragraph: str
    prohibits: str
    status: str = "new"
    reasons: list[str] = field(default_factory=list)
    history: list[IncidentChange] = field(default_factory=list)
    created: str | None = None
    tlp: TLP = TLP.CLEAR
    owner: str | None = None

    @property
    def title(self) -> str:
        return f"possible violation of UNSCR {self.resolution} para {self.paragraph}"

    @property
    def notes(self) -> list[str]:
        return [h.note for h in self.history if h.note]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "fused_event_id": self.fused_event_id,
                "provision_id": self.provision_id, "resolution": self.resolution, "paragraph": self.paragraph,
                "prohibits": self.prohibits, "status": self.status, "reasons": list(self.reasons),
                "history": [h.to_dict() for h in self.history], "created": self.created,
                "tlp": str(self.tlp), "owner": self.owner}
