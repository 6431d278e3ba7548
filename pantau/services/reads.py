"""Viewer-filtered reads for the REST API: documents, events, entities, search, timeline, graph.

Every query carries `access.visible(...)` in its WHERE clause, so lists, counts and single-object
lookups only ever see what the viewer may see (a hidden object is NotFound, like a missing one).
Evidence of an event is shown only where the viewer may also see the document it quotes.
Pagination is by cursor: `after` is the last id of the previous page.
"""

from __future__ import annotations

import base64
from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa

from pantau.exc import InputError, NotFound
from pantau.services.access import Viewer, visible, visible_entity, visible_event
from pantau.services.query import parse_bound
from pantau.services.sharing import release_lists
from pantau.storage.queries import resolve_actor
from pantau.storage.tables import (
    document_entities,
    documents,
    entities,
    event_actors,
    event_evidence,
    event_quantities,
    events,
)


def encode_cursor(value: int | str) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> str | None:
    if not cursor:
        return None
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except ValueError as exc:
        raise InputError("cursor", "not a cursor from this API") from exc


MAX_ID = 2**63 - 1


def int_cursor(cursor: str | None) -> int | None:
    """A cursor that must hold an id (a non-negative 64-bit integer)."""
    raw = decode_cursor(cursor)
    if raw is None:
        return None
    if not raw.isascii() or not raw.isdigit() or int(raw) > MAX_ID:
        raise InputError("cursor", "not a cursor from this API")
    return int(raw)


def bound(value: str | None, name: str, *, end: bool = False) -> Any:
    """A date bound of a filter; InputError naming the parameter when it is not a date."""
    try:
        return parse_bound(value, end=end)
    except (ValueError, OverflowError) as exc:
        raise InputError(name, f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from exc


def page(rows: list[dict[str, Any]], limit: int, key: str = "id") -> dict[str, Any]:
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next": encode_cursor(rows[-1][key]) if more and rows else None}


def _date(v: Any) -> Any:
    return v.isoformat() if isinstance(v, date) else v


def _jsonable(row: dict[str, Any]) -> dict[str, Any]:
    return {k: _date(v) for k, v in row.items()}


# ---------------------------------------------------------------- documents

DOC_COLS = (documents.c.id, documents.c.title, documents.c.url, documents.c.publisher, documents.c.language,
            documents.c.published_date, documents.c.source, documents.c.ingested_at, documents.c.org_id,
            documents.c.marking)


def list_documents(conn: sa.Connection, viewer: Viewer, *, text: str | None = None, since: str | None = None,
                   until: str | None = None, publisher: str | None = None, language: str | None = None,
                   after: str | None = None, limit: int = 50) -> dict[str, Any]:
    q = sa.select(*DOC_COLS).where(visible(documents, viewer)).order_by(documents.c.id)
    if text:
        q = q.where(sa.or_(documents.c.title.icontains(text, autoescape=True),
                           documents.c.text.icontains(text, autoescape=True)))
    if (s := bound(since, "since")) is not None:
        q = q.where(documents.c.published_date >= s)
    if (u := bound(until, "until", end=True)) is not None:
        q = q.where(documents.c.published_date <= u)
    if publisher:
        q = q.where(documents.c.publisher.icontains(publisher, autoescape=True))
    if language:
        q = q.where(documents.c.language == language)
    if (a := int_cursor(after)) is not None:
        q = q.where(documents.c.id > a)
    rows = [_jsonable(dict(r._mapping)) for r in conn.execute(q.limit(limit + 1))]
    _attach_releases(conn, "documents", rows)
    return page(rows, limit)


def get_document(conn: sa.Connection, viewer: Viewer, doc_id: int) -> dict[str, Any]:
    row = conn.execute(sa.select(*DOC_COLS, documents.c.text)
                       .where(documents.c.id == doc_id, visible(documents, viewer))).first()
    if row is None:
        raise NotFound(f"no document {doc_id}")
    out = _jsonable(dict(row._mapping))
    _attach_releases(conn, "documents", [out])
    out["events"] = [e["id"] for e in list_events(conn, viewer, document=doc_id, limit=1000)["items"]]
    return out


# ---------------------------------------------------------------- events

EVENT_COLS = (events.c.id, events.c.document_id, events.c.type, events.c.mode, events.c.contexts,
              events.c.location, events.c.date_start, events.c.date_end, events.c.date_precision,
              events.c.factuality, events.c.confidence, events.c.trigger, events.c.org_id, events.c.marking)


def event_query(conn: sa.Connection, viewer: Viewer, *, actor: str | None = None, type: str | None = None,
                since: str | None = None, until: str | None = None, text: str | None = None,
                document: int | None = None) -> sa.Select:
    q = sa.select(*EVENT_COLS).where(visible_event(viewer))
    if actor:
        ids = resolve_actor(conn, actor)
        de = document_entities
        direct = sa.select(event_actors.c.event_id).where(event_actors.c.entity_id.in_(ids))
        affiliated = (sa.select(event_actors.c.event_id)
                      .join(de, de.c.entity_id == event_actors.c.entity_id).where(de.c.affiliation.in_(ids)))
        q = q.where(sa.or_(events.c.id.in_(direct), events.c.id.in_(affiliated)))
    if type:
        q = q.where(events.c.type == type.strip().upper())
    if (s := bound(since, "since")) is not None:
        q = q.where(events.c.date_end >= s)
    if (u := bound(until, "until", end=True)) is not None:
        q = q.where(events.c.date_start <= u)
    if text:
        # only evidence the viewer is shown: quotes from documents it may see
        hit = (sa.select(event_evidence.c.event_id)
               .join(documents, documents.c.id == event_evidence.c.document_id)
               .where(event_evidence.c.text.icontains(text, autoescape=True), visible(documents, viewer)))
        q = q.where(sa.or_(events.c.id.in_(hit), events.c.trigger.icontains(text, autoescape=True)))
    if document is not None:
        q = q.where(events.c.document_id == document)
    return q


def list_events(conn: sa.Connection, viewer: Viewer, *, after: str | None = None, limit: int = 50,
                **filters: Any) -> dict[str, Any]:
    q = event_query(conn, viewer, **filters).order_by(events.c.id)
    if (a := int_cursor(after)) is not None:
        q = q.where(events.c.id > a)
    rows = [_jsonable(dict(r._mapping)) for r in conn.execute(q.limit(limit + 1))]
    attach_event_details(conn, viewer, rows)
    return page(rows, limit)


def get_event(conn: sa.Connection, viewer: Viewer, event_id: int) -> dict[str, Any]:
    row = conn.execute(sa.select(*EVENT_COLS).where(events.c.id == event_id, visible_event(viewer))).first()
    if row is None:
        raise NotFound(f"no event {event_id}")
    out = [_jsonable(dict(row._mapping))]
    attach_event_details(conn, viewer, out)
    return out[0]


def attach_event_details(conn: sa.Connection, viewer: Viewer, rows: list[dict[str, Any]]) -> None:
    """Actors, quantities, release lists, and the evidence whose document the viewer may see."""
    ids = [r["id"] for r in rows]
    if not ids:
        return
    actors: dict[int, dict[str, list[dict[str, str]]]] = defaultdict(lambda: {"source": [], "target": []})
    q = (sa.select(event_actors.c.event_id, event_actors.c.role, event_actors.c.entity_id, entities.c.name)
         .join(entities, entities.c.id == event_actors.c.entity_id)
         .where(event_actors.c.event_id.in_(ids)).order_by(event_actors.c.position))
    for eid, role, ent, name in conn.execute(q):
        actors[eid][role].append({"id": ent, "name": name})
    doc_ids = set(conn.execute(sa.select(event_evidence.c.document_id)
                               .where(event_evidence.c.event_id.in_(ids))).scalars())
    seen_docs = set(conn.execute(sa.select(documents.c.id).where(
        documents.c.id.in_(doc_ids), visible(documents, viewer))).scalars()) if doc_ids else set()
    evid: dict[int, list[dict[str, Any]]] = defaultdict(list)
    q = (sa.select(event_evidence.c.event_id, event_evidence.c.document_id, event_evidence.c.start,
                   event_evidence.c.end, event_evidence.c.text)
         .where(event_evidence.c.event_id.in_(ids)).order_by(event_evidence.c.position))
    for eid, doc, s, e, t in conn.execute(q):
        if doc in seen_docs:
            evid[eid].append({"document_id": doc, "start": s, "end": e, "text": t})
    qty: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(sa.select(event_quantities).where(event_quantities.c.event_id.in_(ids))
                          .order_by(event_quantities.c.position)):
        qty[r.event_id].append({"value": r.value, "unit": r.unit, "approx": bool(r.approx), "text": r.text})
    for r in rows:
        r["source"], r["target"] = actors[r["id"]]["source"], actors[r["id"]]["target"]
        r["evidence"], r["quantities"] = evid[r["id"]], qty[r["id"]]
    _attach_releases(conn, "events", rows)


def _attach_releases(conn: sa.Connection, kind: str, rows: list[dict[str, Any]]) -> None:
    rel = release_lists(conn, kind, [r["id"] for r in rows])
    for r in rows:
        r["release"] = rel[str(r["id"])]


# ---------------------------------------------------------------- entities, search, timeline, graph

def list_entities(conn: sa.Connection, viewer: Viewer, *, type: str | None = None, text: str | None = None,
                  after: str | None = None, limit: int = 50) -> dict[str, Any]:
    q = (sa.select(entities.c.id, entities.c.type, entities.c.name, entities.c.country)
         .where(visible_entity(viewer)).order_by(entities.c.id))
    if type:
        q = q.where(entities.c.type == type)
    if text:
        q = q.where(entities.c.id.in_(resolve_actor(conn, text)))
    if (a := decode_cursor(after)) is not None:
        q = q.where(entities.c.id > a)
    return page([dict(r._mapping) for r in conn.execute(q.limit(limit + 1))], limit)


def get_entity(conn: sa.Connection, viewer: Viewer, entity_id: str) -> dict[str, Any]:
    row = conn.execute(sa.select(entities.c.id, entities.c.type, entities.c.name, entities.c.country)
                       .where(entities.c.id == entity_id, visible_entity(viewer))).first()
    if row is None:
        raise NotFound(f"no entity {entity_id}")
    return dict(row._mapping)


def search(conn: sa.Connection, viewer: Viewer, q: str, *, limit: int = 20) -> dict[str, Any]:
    if not q.strip():
        raise InputError("q", "empty query")
    return {"documents": list_documents(conn, viewer, text=q, limit=limit)["items"],
            "events": list_events(conn, viewer, text=q, limit=limit)["items"]}


def timeline(conn: sa.Connection, viewer: Viewer, **filters: Any) -> list[dict[str, Any]]:
    """Visible events per month and type."""
    sub = event_query(conn, viewer, **filters).subquery()
    month = sa.func.substr(sa.cast(sub.c.date_start, sa.String), 1, 7)
    q = (sa.select(month.label("month"), sub.c.type, sa.func.count().label("events"))
         .where(sub.c.date_start.is_not(None)).group_by(month, sub.c.type).order_by(month, sub.c.type))
    return [dict(r._mapping) for r in conn.execute(q)]


def graph(conn: sa.Connection, viewer: Viewer, **filters: Any) -> dict[str, Any]:
    """Actor graph of the visible events: an edge source → target per event type, with counts."""
    sub = event_query(conn, viewer, **filters).subquery()
    s, t = event_actors.alias("s"), event_actors.alias("t")
    q = (sa.select(s.c.entity_id.label("source"), t.c.entity_id.label("target"), sub.c.type,
                   sa.func.count().label("events"))
         .select_from(sub)
         .join(s, sa.and_(s.c.event_id == sub.c.id, s.c.role == "source"))
         .join(t, sa.and_(t.c.event_id == sub.c.id, t.c.role == "target"))
         .group_by(s.c.entity_id, t.c.entity_id, sub.c.type))
    edges = [dict(r._mapping) for r in conn.execute(q)]
    ids = sorted({e["source"] for e in edges} | {e["target"] for e in edges})
    names = dict(conn.execute(sa.select(entities.c.id, entities.c.name).where(entities.c.id.in_(ids))).all())
    return {"nodes": [{"id": i, "name": names.get(i, i)} for i in ids], "edges": edges}
