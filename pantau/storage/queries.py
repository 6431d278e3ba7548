"""Read queries over the store. Plain dicts out (JSON-ready apart from dates)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.model import DateValue, DocumentMeta, Entity, Event, Evidence, Extraction, Mention, Quantity
from pantau.storage.tables import (
    document_entities,
    documents,
    entities,
    entity_aliases,
    event_actors,
    event_evidence,
    event_quantities,
    events,
    mentions,
)
from pantau.storage.writer import norm_alias


def _num(v: float) -> float | int:
    return int(v) if float(v).is_integer() else v


def list_documents(conn: Connection, *, text: str | None = None, since: date | None = None,
                   until: date | None = None, publisher: str | None = None, language: str | None = None,
                   limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    d = documents
    n_events = (sa.select(sa.func.count()).select_from(events)
                .where(events.c.document_id == d.c.id).scalar_subquery())
    q = sa.select(d.c.id, d.c.title, d.c.published_date, d.c.language, d.c.publisher, d.c.url,
                  d.c.source, d.c.ingested_at, d.c.content_hash, d.c.marking,
                  n_events.label("events")).order_by(d.c.id)
    if text:
        q = q.where(sa.or_(d.c.title.icontains(text, autoescape=True), d.c.text.icontains(text, autoescape=True)))
    if since:
        q = q.where(d.c.published_date >= since)
    if until:
        q = q.where(d.c.published_date <= until)
    if publisher:
        q = q.where(d.c.publisher.icontains(publisher, autoescape=True))
    if language:
        q = q.where(d.c.language == language)
    q = q.limit(limit).offset(offset)
    return [dict(r._mapping) for r in conn.execute(q)]


def resolve_actor(conn: Connection, actor: str) -> set[str]:
    """Entity ids an actor filter means: an entity id (or affiliation code) if one matches exactly,
    else every entity whose name or an alias contains the words."""
    q = actor.strip()
    exact = set(conn.execute(sa.select(entities.c.id).where(sa.func.lower(entities.c.id) == q.lower())).scalars())
    exact |= set(conn.execute(sa.select(document_entities.c.affiliation).distinct()
                              .where(sa.func.lower(document_entities.c.affiliation) == q.lower())).scalars())
    if exact:
        return exact
    ids = set(conn.execute(sa.select(entities.c.id).where(entities.c.name.icontains(q, autoescape=True))).scalars())
    ids |= set(conn.execute(sa.select(entity_aliases.c.entity_id)
                            .where(entity_aliases.c.norm.contains(norm_alias(q), autoescape=True))).scalars())
    return ids


def list_entities(conn: Connection, *, type: str | None = None, text: str | None = None,
                  limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    e = entities
    n_docs = (sa.select(sa.func.count()).select_from(document_entities)
              .where(document_entities.c.entity_id == e.c.id).scalar_subquery())
    n_ment = (sa.select(sa.func.count()).select_from(mentions)
              .where(mentions.c.entity_id == e.c.id).scalar_subquery())
    n_ev = (sa.select(sa.func.count(sa.distinct(event_actors.c.event_id)))
            .where(event_actors.c.entity_id == e.c.id).scalar_subquery())
    q = sa.select(e.c.id, e.c.type, e.c.name, e.c.country, n_docs.label("documents"),
                  n_ment.label("mentions"), n_ev.label("events"))
    if type:
        q = q.where(e.c.type == type)
    if text:
        q = q.where(e.c.id.in_(resolve_actor(conn, text)))
    q = q.order_by(n_ment.desc(), e.c.id).limit(limit).offset(offset)
    return [dict(r._mapping) for r in conn.execute(q)]


def list_events(conn: Connection, *, actor: str | None = None, type: str | None = None,
                since: date | None = None, until: date | None = None, text: str | None = None,
                document_id: int | None = None, limit: int | None = 100, offset: int = 0) -> list[dict[str, Any]]:
    ev = events
    q = (sa.select(ev.c.id, ev.c.document_id, documents.c.title.label("document_title"), ev.c.type, ev.c.mode,
                   ev.c.contexts, ev.c.location, ev.c.date_start, ev.c.date_end, ev.c.date_precision,
                   ev.c.date_basis, ev.c.date_text, ev.c.factuality, ev.c.confidence, ev.c.trigger,
                   ev.c.marking)
         .join(documents, documents.c.id == ev.c.document_id))
    if actor:
        ids = resolve_actor(conn, actor)
        ea, de = event_actors.alias("ea"), document_entities.alias("de")
        e2 = events.alias("e2")
        sub = (sa.select(ea.c.event_id).join(e2, e2.c.id == ea.c.event_id)
               .outerjoin(de, sa.and_(de.c.document_id == e2.c.document_id, de.c.entity_id == ea.c.entity_id))
               .where(sa.or_(ea.c.entity_id.in_(ids), de.c.affiliation.in_(ids))))
        q = q.where(ev.c.id.in_(sub))
    if type:
        q = q.where(ev.c.type == type.strip().upper())
    if since:
        q = q.where(ev.c.date_end >= since)
    if until:
        q = q.where(ev.c.date_start <= until)
    if text:
        hit = sa.select(event_evidence.c.event_id).where(event_evidence.c.text.icontains(text, autoescape=True))
        q = q.where(sa.or_(ev.c.id.in_(hit), ev.c.trigger.icontains(text, autoescape=True)))
    if document_id is not None:
        q = q.where(ev.c.document_id == document_id)
    q = q.order_by(ev.c.date_start.is_(None), ev.c.date_start, ev.c.id).limit(limit).offset(offset)
    rows = [dict(r._mapping) for r in conn.execute(q)]
    _attach_event_details(conn, rows)
    return rows


def _attach_event_details(conn: Connection, rows: list[dict[str, Any]]) -> None:
    ids = [r["id"] for r in rows]
    if not ids:
        return
    actors: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"source": [], "target": []})
    names: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"source": [], "target": []})
    q = (sa.select(event_actors.c.event_id, event_actors.c.role, event_actors.c.entity_id, entities.c.name)
         .join(entities, entities.c.id == event_actors.c.entity_id)
         .where(event_actors.c.event_id.in_(ids)).order_by(event_actors.c.position))
    for eid, role, ent, name in conn.execute(q):
        actors[eid][role].append(ent)
        names[eid][role].append(name)
    evid: dict[int, list[dict[str, Any]]] = defaultdict(list)
    q = (sa.select(event_evidence.c.event_id, event_evidence.c.start, event_evidence.c.end, event_evidence.c.text)
         .where(event_evidence.c.event_id.in_(ids)).order_by(event_evidence.c.position))
    for eid, s, e, t in conn.execute(q):
        evid[eid].append({"start": s, "end": e, "text": t})
    qty: dict[int, list[dict[str, Any]]] = defaultdict(list)
    q = (sa.select(event_quantities).where(event_quantities.c.event_id.in_(ids))
         .order_by(event_quantities.c.position))
    for r in conn.execute(q):
        qty[r.event_id].append({"value": _num(r.value), "unit": r.unit, "approx": bool(r.approx), "text": r.text,
                                "start": r.start, "end": r.end})
    for r in rows:
        i = r["id"]
        r["source"], r["target"] = actors[i]["source"], actors[i]["target"]
        r["source_names"], r["target_names"] = names[i]["source"], names[i]["target"]
        r["quantities"] = qty[i]
        r["evidence"] = evid[i]


def get_document_row(conn: Connection, ref: int | str) -> dict[str, Any] | None:
    """A document by id, or by a content-hash prefix of at least 8 hex characters."""
    d = documents
    if isinstance(ref, int) or (isinstance(ref, str) and ref.isdigit()):
        q = sa.select(d).where(d.c.id == int(ref))
    elif isinstance(ref, str) and len(ref) >= 8:
        q = sa.select(d).where(d.c.content_hash.startswith(ref.lower(), autoescape=True)).limit(2)
    else:
        return None
    rows = conn.execute(q).all()
    return dict(rows[0]._mapping) if len(rows) == 1 else None


def load_extraction(conn: Connection, doc: dict[str, Any]) -> Extraction:
    """Rebuild the `pantau.extract/1` result of a stored document."""
    doc_id = doc["id"]
    pub = None
    if doc["published_date"]:
        iso = doc["published_date"].isoformat()
        pub = DateValue(iso, iso, doc["published_precision"] or "day", doc["published_basis"] or "metadata",
                        doc["published_text"])
    meta = DocumentMeta(title=doc["title"], language=doc["language"] or "", published=pub,
                        text_sha256=doc["content_hash"], authors=list(doc["authors"] or []),
                        editors=list(doc["editors"] or []), publisher=doc["publisher"], url=doc["url"])
    ments: dict[str, list[Mention]] = defaultdict(list)
    for r in conn.execute(sa.select(mentions).where(mentions.c.document_id == doc_id).order_by(mentions.c.id)):
        ments[r.entity_id].append(Mention(r.start, r.end, r.text))
    de = document_entities
    ents = [Entity(id=r.entity_id, type=r.type, name=r.name, mentions=ments[r.entity_id],
                   affiliation=r.affiliation, role=r.role, country=r.country, source=r.source or "registry")
            for r in conn.execute(sa.select(de, entities.c.type).join(entities, entities.c.id == de.c.entity_id)
                                  .where(de.c.document_id == doc_id).order_by(de.c.position))]
    rows = list_events(conn, document_id=doc_id, limit=None)
    rows.sort(key=lambda r: r["id"])
    evs = []
    for r in rows:
        date_v = None
        if r["date_start"]:
            date_v = DateValue(r["date_start"].isoformat(), (r["date_end"] or r["date_start"]).isoformat(),
                               r["date_precision"] or "day", r["date_basis"] or "explicit", r["date_text"])
        evs.append(Event(
            id=str(r["id"]), type=r["type"], source=r["source"], target=r["target"],
            evidence=[Evidence(**e) for e in r["evidence"]], mode=r["mode"], contexts=list(r["contexts"] or []),
            location=r["location"], date=date_v,
            quantities=[Quantity(q["value"], q["unit"], q["approx"], q["text"], q["start"], q["end"])
                        for q in r["quantities"]],
            factuality=r["factuality"], confidence=r["confidence"], trigger=r["trigger"]))
    return Extraction(document=meta, entities=ents, events=evs)


def counts(conn: Connection) -> dict[str, int]:
    return {name: conn.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for name, t in (("documents", documents), ("entities", entities), ("events", events),
                            ("mentions", mentions))}
