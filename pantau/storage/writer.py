"""Write one document and its extraction. The caller owns the transaction: call
`save_document` inside `engine.begin()` so a failure or a kill leaves nothing behind."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from pantau.model import Entity, Event, Extraction
from pantau.storage.tables import (
    DEFAULT_MARKING,
    NODE_ORG_ID,
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


@dataclass(slots=True)
class DocumentRecord:
    """What the store keeps about a document besides its extraction."""

    text: str
    content_hash: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    source: str | None = None
    authors: list[str] = field(default_factory=list)
    org_id: int = NODE_ORG_ID
    marking: str = DEFAULT_MARKING


def now() -> datetime:
    return datetime.now(UTC)


def parse_iso_date(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def norm_alias(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def find_document(conn: Connection, content_hash: str, org_id: int = NODE_ORG_ID) -> int | None:
    """The holding of this text by organisation `org_id` (another organisation's copy is never found)."""
    return conn.execute(sa.select(documents.c.id).where(documents.c.content_hash == content_hash,
                                                        documents.c.org_id == org_id)).scalar()


def insert_ignore(conn: Connection, table: sa.Table, rows: Sequence[dict[str, Any]], keys: list[str]) -> None:
    """INSERT ... ON CONFLICT (keys) DO NOTHING on both backends."""
    if not rows:
        return
    mod = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(mod.insert(table).on_conflict_do_nothing(index_elements=keys), list(rows))


def save_document(conn: Connection, doc: DocumentRecord, ex: Extraction) -> int:
    """Insert the document, its entities, mentions, events, actors, quantities and evidence.
    Returns the new document id. Raises IntegrityError when the content hash is already stored."""
    meta = ex.document
    pub = meta.published
    ts = now()
    doc_id = conn.execute(sa.insert(documents).values(
        content_hash=doc.content_hash, text=doc.text,
        title=doc.title or meta.title, url=doc.url or meta.url,
        publisher=doc.publisher or meta.publisher, language=meta.language,
        published_date=parse_iso_date(pub.start) if pub else None,
        published_precision=pub.precision if pub else None,
        published_basis=pub.basis if pub else None,
        published_text=pub.text if pub else None,
        authors=list(doc.authors or meta.authors), editors=list(meta.editors),
        source=doc.source, extract_schema="pantau.extract/1", ingested_at=ts,
        org_id=doc.org_id, marking=doc.marking,
    )).inserted_primary_key[0]
    _save_entities(conn, doc_id, doc, ex.entities, ts)
    known = {e.id for e in ex.entities}
    for pos, ev in enumerate(ex.events):
        _save_event(conn, doc_id, doc, pos, ev, known, ts)
    return int(doc_id)


def _save_entities(conn: Connection, doc_id: int, doc: DocumentRecord, ents: Iterable[Entity],
                   ts: datetime) -> None:
    ents = _unique_by_id(ents)
    insert_ignore(conn, entities, [
        {"id": e.id, "type": e.type, "name": e.name, "country": e.country, "created_at": ts,
         "org_id": doc.org_id, "marking": doc.marking} for e in ents], ["id"])
    aliases: dict[tuple[str, str], str] = {}
    for e in ents:
        for alias in [e.name, *e.aliases, *(m.text for m in e.mentions)]:
            if alias and alias.strip():
                aliases.setdefault((e.id, norm_alias(alias)), alias.strip())
    insert_ignore(conn, entity_aliases, [
        {"entity_id": eid, "norm": n, "alias": a} for (eid, n), a in aliases.items()], ["entity_id", "norm"])
    if ents:
        conn.execute(sa.insert(document_entities), [
            {"document_id": doc_id, "entity_id": e.id, "position": i, "name": e.name,
             "affiliation": e.affiliation, "role": e.role, "country": e.country, "source": e.source}
            for i, e in enumerate(ents)])
    rows = [{"document_id": doc_id, "entity_id": e.id, "start": m.start, "end": m.end, "text": m.text}
            for e in ents for m in e.mentions]
    if rows:
        conn.execute(sa.insert(mentions), rows)


def _unique_by_id(ents: Iterable[Entity]) -> list[Entity]:
    """One entity per id (mentions of repeats merged), without touching the caller's objects."""
    seen: dict[str, Entity] = {}
    for e in ents:
        if e.id in seen:
            seen[e.id].mentions.extend(e.mentions)
        else:
            seen[e.id] = replace(e, mentions=list(e.mentions))
    return list(seen.values())


def stub_entity_type(entity_id: str) -> str:
    prefix = entity_id.split(":", 1)[0] if ":" in entity_id else ""
    if prefix in ("person", "place"):
        return prefix
    if prefix == "org":
        return "organization"
    if re.fullmatch(r"[A-Z]{3}", entity_id):
        return "country"
    return "organization" if entity_id.isupper() else "other"


def _save_event(conn: Connection, doc_id: int, doc: DocumentRecord, pos: int, ev: Event,
                known: set[str], ts: datetime) -> None:
    d = ev.date
    event_id = conn.execute(sa.insert(events).values(
        document_id=doc_id, local_id=str(ev.id)[:100], position=pos, type=ev.type, mode=ev.mode,
        contexts=list(ev.contexts), location=ev.location,
        date_start=parse_iso_date(d.start) if d else None, date_end=parse_iso_date(d.end) if d else None,
        date_precision=d.precision if d else None, date_basis=d.basis if d else None,
        date_text=d.text if d else None, factuality=ev.factuality, confidence=float(ev.confidence),
        trigger=ev.trigger, created_at=ts, org_id=doc.org_id, marking=doc.marking,
    )).inserted_primary_key[0]
    actors: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    for role, ids in (("source", ev.source), ("target", ev.target)):
        for i, eid in enumerate(ids):
            if (role, eid) in seen:
                continue
            seen.add((role, eid))
            actors.append({"event_id": event_id, "role": role, "entity_id": eid, "position": i})
    missing = {a["entity_id"] for a in actors} - known
    insert_ignore(conn, entities, [
        {"id": eid, "type": stub_entity_type(eid), "name": eid, "created_at": ts,
         "org_id": doc.org_id, "marking": doc.marking} for eid in sorted(missing)], ["id"])
    known |= missing
    if actors:
        conn.execute(sa.insert(event_actors), actors)
    if ev.quantities:
        conn.execute(sa.insert(event_quantities), [
            {"event_id": event_id, "position": i, "value": float(q.value), "unit": q.unit,
             "approx": bool(q.approx), "text": q.text or "", "start": q.start, "end": q.end}
            for i, q in enumerate(ev.quantities)])
    if ev.evidence:
        conn.execute(sa.insert(event_evidence), [
            {"event_id": event_id, "document_id": doc_id, "position": i, "start": e.start, "end": e.end,
             "text": e.text} for i, e in enumerate(ev.evidence)])
