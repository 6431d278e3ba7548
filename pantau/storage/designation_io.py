"""SQL of designation matching: documents with their entity mentions, the evidence that names a listed
party, and incidents raised or strengthened by a listing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.storage.kb_tables import fused_event_evidence, fused_events, incident_history, incidents
from pantau.storage.lists_io import save_matches  # noqa: F401 - re-exported for the service
from pantau.storage.monitor_tables import designation_matches, incident_designations
from pantau.storage.tables import documents, entities, event_evidence, events, mentions
from pantau.storage.writer import now  # noqa: F401 - re-exported for the service


def all_document_ids(conn: Connection) -> list[int]:
    return list(conn.execute(sa.select(documents.c.id).order_by(documents.c.id)).scalars())


def documents_with_entities(conn: Connection, ids: Sequence[int]) -> Iterator[tuple[int, str, list[tuple[str, str, int, int]]]]:
    for i in range(0, len(ids), 200):
        chunk = list(ids[i:i + 200])
        ments: dict[int, list[tuple[str, str, int, int]]] = {}
        q = (sa.select(mentions.c.document_id, mentions.c.text, entities.c.type, mentions.c.start, mentions.c.end)
             .join(entities, entities.c.id == mentions.c.entity_id).where(mentions.c.document_id.in_(chunk)))
        for d, text, typ, s, e in conn.execute(q):
            ments.setdefault(d, []).append((text, typ, s, e))
        for d, text in conn.execute(sa.select(documents.c.id, documents.c.text).where(documents.c.id.in_(chunk))):
            yield d, text, ments.get(d, [])


def evidence_with_matches(conn: Connection, doc_ids: Sequence[int]) -> list[dict[str, Any]]:
    """Fused events whose evidence names a matched listed party: one row per (fused event, party)."""
    if not doc_ids:
        return []
    dm, ee = designation_matches, event_evidence
    q = (sa.select(fused_event_evidence.c.fused_event_id, fused_events.c.types, ee.c.text.label("evidence"),
                   documents.c.text.label("doc_text"), dm.c.entity_id, dm.c.list, dm.c.schema, dm.c.caption,
                   dm.c.mention, dm.c.score, dm.c.reasons)
         .select_from(dm)
         .join(ee, sa.and_(ee.c.document_id == dm.c.document_id, ee.c.start <= dm.c.start, dm.c.end <= ee.c.end))
         .join(events, events.c.id == ee.c.event_id)
         .join(fused_event_evidence, fused_event_evidence.c.event_id == events.c.id)
         .join(fused_events, fused_events.c.id == fused_event_evidence.c.fused_event_id)
         .join(documents, documents.c.id == dm.c.document_id)
         .where(dm.c.document_id.in_(list(doc_ids)), events.c.factuality.not_in(["negated", "hypothetical"]))
         .order_by(fused_event_evidence.c.fused_event_id, dm.c.score.desc()))
    out, seen = [], set()
    for r in conn.execute(q):
        key = (r.fused_event_id, r.entity_id)
        if key in seen:
            continue
        seen.add(key)
        out.append(dict(r._mapping))
    return out


def raise_or_strengthen(conn: Connection, fused_id: int, provision_id: str, resolution: int, paragraph: str,
                        prohibits: str, reasons: list[str], listing: dict[str, Any]) -> str | None:
    """'raised' (a new incident), 'strengthened' (a listing added to an existing one) or None (known)."""
    ts = now()
    inc = conn.execute(sa.select(incidents.c.id, incidents.c.reasons, incidents.c.status).where(
        incidents.c.fused_event_id == fused_id, incidents.c.provision_id == provision_id)).first()
    if inc is None:
        fe = conn.execute(sa.select(fused_events.c.org_id, fused_events.c.marking)
                          .where(fused_events.c.id == fused_id)).first()
        if fe is None:
            return None
        inc_id = conn.execute(sa.insert(incidents).values(
            fused_event_id=fused_id, provision_id=provision_id, resolution=resolution, paragraph=paragraph,
            prohibits=prohibits, status="new", reasons=reasons, created_at=ts, updated_at=ts, org_id=fe.org_id,
            marking=fe.marking)).inserted_primary_key[0]
        conn.execute(sa.insert(incident_history).values(incident_id=inc_id, at=ts, status="new",
                                                        note="raised by a designation match", user=None))
        result = "raised"
    else:
        inc_id = inc.id
        have = conn.execute(sa.select(incident_designations.c.entity_id).where(
            incident_designations.c.incident_id == inc_id, incident_designations.c.list == listing["list"],
            incident_designations.c.entity_id == listing["entity_id"])).first()
        if have is not None:
            return None
        merged = list(inc.reasons or []) + [r for r in reasons if r not in (inc.reasons or [])]
        conn.execute(sa.update(incidents).where(incidents.c.id == inc_id).values(reasons=merged, updated_at=ts))
        conn.execute(sa.insert(incident_history).values(
            incident_id=inc_id, at=ts, status=inc.status, user=None,
            note=f"strengthened: {listing['caption']} is listed ({listing['list'].upper()})"))
        result = "strengthened"
    conn.execute(sa.insert(incident_designations).values(incident_id=inc_id, at=ts, **listing))
    return result
