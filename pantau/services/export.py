"""Export the knowledge base as JSON, CSV, a STIX 2.1 bundle or MISP events (filters and viewer as in `kbquery`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from pantau.interop import csv_json, stix
from pantau.model import Entity
from pantau.services.kbquery import list_fused, list_incidents
from pantau.storage.tables import document_entities, entities

if TYPE_CHECKING:
    from pantau.services.access import Viewer
    from pantau.services.store import Store

FORMATS = ("json", "csv", "stix", "misp")


def _entities(store: Store, ids: set[str]) -> dict[str, Entity]:
    if not ids:
        return {}
    out: dict[str, Entity] = {}
    with store.engine.connect() as conn:
        for eid, typ, name, country in conn.execute(
                sa.select(entities.c.id, entities.c.type, entities.c.name, entities.c.country)
                .where(entities.c.id.in_(ids))):
            out[eid] = Entity(eid, typ, name, country=country)
        for eid, aff, role, country in conn.execute(
                sa.select(document_entities.c.entity_id, document_entities.c.affiliation, document_entities.c.role,
                          document_entities.c.country)
                .where(document_entities.c.entity_id.in_(ids)).order_by(document_entities.c.document_id)):
            e = out.get(eid)
            if e is not None:
                e.affiliation = aff or e.affiliation
                e.role = role or e.role
                e.country = country or e.country
    return out


def export(store: Store, fmt: str, *, viewer: Viewer, limit: int | None = None,
           **filters: Any) -> str:
    """The fused events (and their incidents) matching the filters, as text in `fmt`."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; expected one of {', '.join(FORMATS)}")
    fused = list_fused(store, viewer=viewer, limit=limit, **filters)
    ids = {f.id for f in fused}
    incs = [i for i in list_incidents(store, viewer=viewer, limit=None, **filters) if i.fused_event_id in ids]
    with store.engine.begin() as conn:  # exports are audited like writes
        from pantau.services.audit import record

        record(store, conn, f"export.{fmt}", object_type="fused_events",
               detail={"fused_events": len(fused), "incidents": len(incs),
                       **{k: str(v) for k, v in filters.items() if v is not None}})
    if fmt == "json":
        return csv_json.to_json(fused, incs)
    if fmt == "csv":
        return csv_json.to_csv(fused, incs)
    if fmt == "misp":
        from pantau.interop import misp

        with store.engine.connect() as conn:
            from pantau.services.stix_node import mapper_for

            org = mapper_for(store, conn).org_name
        return misp.to_json(fused, incs, org_name=org)
    wanted = {a for f in fused for a in [*f.source, *f.target, *f.source_roots, *f.target_roots]}
    wanted |= {f.location for f in fused if f.location}
    with store.engine.connect() as conn:
        from pantau.services.stix_node import mapper_for

        mapper = mapper_for(store, conn)
        stamps, hashes = _stamps_and_hashes(conn, fused)
    return json.dumps(stix.bundle(fused, incs, entities=_entities(store, wanted), mapper=mapper, stamps=stamps,
                                  hashes=hashes), ensure_ascii=False, indent=2)


def _stamps_and_hashes(conn: sa.Connection, fused: list[Any]) -> tuple[dict[str, tuple[Any, Any]], dict[str, str]]:
    """Each fused event's (created, updated) times, and the SHA-256 of each quoted document's text."""
    from pantau.storage.kb_tables import fused_events
    from pantau.storage.tables import documents

    ids = [int(f.id) for f in fused if str(f.id).isdigit()]
    stamps = {str(i): (c, u) for i, c, u in conn.execute(
        sa.select(fused_events.c.id, fused_events.c.created_at, fused_events.c.updated_at)
        .where(fused_events.c.id.in_(ids)))} if ids else {}
    docs = sorted({int(e.doc_id) for f in fused for e in f.evidence if str(e.doc_id).isdigit()})
    hashes = {str(i): h for i, h in conn.execute(
        sa.select(documents.c.id, documents.c.content_hash).where(documents.c.id.in_(docs)))} if docs else {}
    return stamps, hashes
