"""The result of reading one document: the `pantau.extract/1` contract as dataclasses.

`Extraction.to_dict()` is exactly the JSON printed by `pantau extract --format json`
(see ../shared/design/extract-output.md). Offsets are Python string indices into
the document text as read, so `text[m.start:m.end] == m.text` always holds.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

SCHEMA = "pantau.extract/1"

Precision = Literal["day", "week", "month", "quarter", "year"]
Basis = Literal["explicit", "relative", "publication", "metadata", "text"]
Factuality = Literal["asserted", "reported", "alleged", "planned", "hypothetical", "negated"]
EntityType = Literal["country", "organization", "person", "place", "other"]


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class DateValue:
    """An interval of days [start, end] (ISO dates) with the precision the text supports."""

    start: str
    end: str
    precision: str
    basis: str
    text: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "precision": self.precision,
                "basis": self.basis, "text": self.text}

    def published_dict(self) -> dict[str, Any]:
        """Shape used for `document.published`: a single `date` plus precision."""
        return {"date": self.start, "precision": self.precision, "basis": self.basis, "text": self.text}


@dataclass(slots=True)
class Quantity:
    value: float | int
    unit: str
    approx: bool = False
    text: str = ""
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"value": self.value, "unit": self.unit, "approx": self.approx, "text": self.text}


@dataclass(slots=True)
class Evidence:
    start: int
    end: int
    text: str


@dataclass(slots=True)
class Entity:
    id: str
    type: str
    name: str
    mentions: list[Mention] = field(default_factory=list)
    affiliation: str | None = None
    role: str | None = None
    country: str | None = None
    aliases: list[str] = field(default_factory=list)
    source: str = "registry"  # registry | title | ner | metadata

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "type": self.type, "name": self.name}
        if self.affiliation:
            d["affiliation"] = self.affiliation
        if self.role:
            d["role"] = self.role
        if self.country:
            d["country"] = self.country
        if self.aliases:
            d["aliases"] = list(self.aliases)
        d["mentions"] = [asdict(m) for m in self.mentions]
        return d


@dataclass(slots=True)
class Event:
    id: str
    type: str
    source: list[str]
    target: list[str]
    evidence: list[Evidence]
    mode: str | None = None
    contexts: list[str] = field(default_factory=list)
    location: str | None = None
    date: DateValue | None = None
    quantities: list[Quantity] = field(default_factory=list)
    factuality: str = "asserted"
    confidence: float = 0.5
    trigger: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "mode": self.mode,
            "contexts": list(self.contexts),
            "source": list(self.source),
            "target": list(self.target),
            "location": self.location,
            "date": self.date.to_dict() if self.date else None,
            "quantities": [q.to_dict() for q in self.quantities],
            "factuality": self.factuality,
            "evidence": [asdict(e) for e in self.evidence],
            "confidence": round(self.confidence, 3),
            "trigger": self.trigger,
        }


@dataclass(slots=True)
class DocumentMeta:
    title: str | None
    language: str
    published: DateValue | None
    text_sha256: str
    authors: list[str] = field(default_factory=list)
    editors: list[str] = field(default_factory=list)
    publisher: str | None = None
    url: str | None = None
    dateline: str | None = None  # place of the dateline ("SEOUL, KOMPAS.com -" -> "Seoul"), title-cased

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "language": self.language,
            "published": self.published.published_dict() if self.published else None,
            "text_sha256": self.text_sha256,
            "authors": list(self.authors),
            "editors": list(self.editors),
            "publisher": self.publisher,
            "url": self.url,
            "dateline": self.dateline,
        }


@dataclass(slots=True)
class Extraction:
    document: DocumentMeta
    entities: list[Entity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "document": self.document.to_dict(),
            "entities": [e.to_dict() for e in self.entities],
            "events": [e.to_dict() for e in self.events],
        }
