"""Timeline of an actor, or of a pair of actors: their fused events in date order."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pantau.model.kb import FusedEvent
from pantau.services.kbquery import list_fused

if TYPE_CHECKING:
    from pantau.services.access import Viewer
    from pantau.services.store import Store


def timeline(store: Store, actor: str, actor2: str | None = None, *, viewer: Viewer,
             limit: int | None = None, with_evidence: bool = True, **filters: Any) -> list[FusedEvent]:
    """Fused events in which `actor` (and `actor2`, if given) take part, on either side, oldest first.
    Actors are codes (PRK, NATO) or names/aliases of stored entities; filters as in `kbquery.fused_filter`."""
    return list_fused(store, viewer=viewer, actor=actor, actor2=actor2, limit=limit,
                      with_evidence=with_evidence, **filters)
