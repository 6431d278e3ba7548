"""What `make demo` prints after ingesting the samples: documents, actors, events."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pantau.services.store import Store

ACTOR_TYPES = ("country", "organization", "person")


@dataclass(slots=True)
class DemoSummary:
    counts: dict[str, int]
    documents: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    example_actor: str | None = None
    example_type: str | None = None


def summarise(store: Store, *, max_rows: int = 15) -> DemoSummary:
    """Documents, the most mentioned actors and the events, for a first look at a store."""
    actors = [e for e in store.entities(limit=None) if e["type"] in ACTOR_TYPES][:max_rows]
    events = store.events(limit=max_rows * 2)
    in_events = [a for a in actors if a["events"]]
    types = sorted({e["type"] for e in events})
    return DemoSummary(
        counts=store.counts(),
        documents=store.documents(limit=max_rows),
        actors=actors,
        events=events,
        example_actor=(in_events or actors or [{"id": None}])[0]["id"],
        example_type=types[0] if types else None,
    )
