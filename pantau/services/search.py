"""Full-text search over documents (SQLite FTS5 / PostgreSQL full-text), joined to their events
and the fused events those belong to."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from pantau.storage.kb_search import ensure_fts, match_documents
from pantau.storage.kb_tables import fused_event_evidence
from pantau.storage.tables import documents, events

if TYPE_CHECKING:
    from pantau.services.access import Viewer
    from pantau.services.store import Store

__all__ = ["search"]


def _visible_docs(viewer: Viewer) -> sa.ColumnElement[bool] | None:
    from pantau.services.access import require_viewer, visible

    if require_viewer(viewer).is_system:
        return None
    return visible(documents, viewer)


def _visible_events(viewer: Viewer) -> sa.ColumnElement[bool]:
    from pantau.services.access import visible_event

    return visible_event(viewer)


def search(store: Store, text: str, *, viewer: Viewer, type: str | None = None,
           limit: int = 50, **filters: Any) -> list[dict[str, Any]]:
    """Documents containing every word of `text`, best first, each with its events (id, type,
    fused event). `type` keeps only documents with an event of that PLOVER type; the fused-event
    filters of `kbquery.fused_filter` (actor, context, since, until, grade, status) keep documents
    with an event in a matching fused event."""
    from pantau.services.kbquery import fused_filter, partial_views
    from pantau.services.kbview import fully_visible
    from pantau.storage.kb_tables import fused_events

    filters = {k: v for k, v in filters.items() if v is not None}
    with store.engine.begin() as conn:
        ensure_fts(conn)
    # the fused-event filters judge each fused event as the viewer sees it (`kbview`); events listed are
    # the visible ones of each document
    with store.engine.connect() as conn:
        hits = match_documents(conn, text, limit=None if (not viewer.is_system or type or filters) else limit)
        if not hits:
            return []
        rank = dict(hits)
        ids = list(rank)
        q = sa.select(documents.c.id, documents.c.title, documents.c.publisher, documents.c.url,
                      documents.c.published_date, documents.c.marking).where(documents.c.id.in_(ids))
        vis = _visible_docs(viewer)
        if vis is not None:
            q = q.where(vis)
        ev_vis = _visible_events(viewer)
        if filters:
            # fused events matching the filters as the viewer sees them (kbview), through its visible events
            fids = (sa.select(fused_events.c.id)
                    .where(*fused_filter(conn, viewer=viewer, **filters), fully_visible(viewer)))
            partial = [v.id for v in partial_views(conn, viewer, **filters)]
            matching = (sa.select(events.c.document_id)
                        .join(fused_event_evidence, fused_event_evidence.c.event_id == events.c.id)
                        .where(sa.or_(fused_event_evidence.c.fused_event_id.in_(fids),
                                      fused_event_evidence.c.fused_event_id.in_(partial)), ev_vis))
            q = q.where(documents.c.id.in_(matching))
        docs = {r.id: dict(r._mapping) for r in conn.execute(q)}
        evs: dict[int, list[dict[str, Any]]] = defaultdict(list)
        eq = (sa.select(events.c.id, events.c.document_id, events.c.type, events.c.date_start,
                        fused_event_evidence.c.fused_event_id)
              .outerjoin(fused_event_evidence, fused_event_evidence.c.event_id == events.c.id)
              .where(events.c.document_id.in_(list(docs)), ev_vis).order_by(events.c.position))
        for r in conn.execute(eq):
            evs[r.document_id].append({"id": r.id, "type": r.type, "date": r.date_start,
                                       "fused_event_id": r.fused_event_id})
    out = []
    for doc_id in ids:
        if doc_id not in docs:
            continue
        d = docs[doc_id]
        d["rank"] = round(rank[doc_id], 4)
        d["events"] = evs[doc_id]
        if type and not any(e["type"] == type.upper() for e in d["events"]):
            continue
        out.append(d)
        if len(out) >= limit:
            break
    return out
