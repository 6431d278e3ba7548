"""Reads and writes of the knowledge-base tables, in bulk. The caller owns the transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.storage.kb_tables import (
    analyst_decisions,
    fused_event_evidence,
    fused_event_roots,
    fused_event_views,
    fused_events,
    fusion_keys,
    kb_bands,
    kb_documents,
    near_duplicates,
    publishers,
)
from pantau.storage.tables import (
    document_entities,
    documents,
    event_actors,
    event_evidence,
    event_quantities,
    events,
)

CHUNK = 500


def _chunks(ids: Sequence[int], n: int = CHUNK) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), n):
        yield ids[i:i + n]


def pending_documents(conn: Connection, among: Sequence[int] | None = None) -> list[int]:
    """Documents fusion has not processed yet (all, or those of `among`), oldest publication first."""
    d = documents
    q = (sa.select(d.c.id, d.c.published_date).outerjoin(kb_documents, kb_documents.c.document_id == d.c.id)
         .where(kb_documents.c.document_id.is_(None)))
    if among is None:
        q = q.order_by(d.c.published_date.is_(None), d.c.published_date, d.c.id)
        return list(conn.execute(q.with_only_columns(d.c.id)).scalars())
    rows = [r for chunk in _chunks(sorted(set(among))) for r in conn.execute(q.where(d.c.id.in_(chunk)))]
    rows.sort(key=lambda r: (r.published_date is None, r.published_date or 0, r.id))
    return [r.id for r in rows]


def document_rows(conn: Connection, ids: Sequence[int]) -> list[dict[str, Any]]:
    d = documents
    out: list[dict[str, Any]] = []
    for chunk in _chunks(ids):
        q = sa.select(d.c.id, d.c.text, d.c.title, d.c.url, d.c.publisher, d.c.content_hash,
                      d.c.published_date).where(d.c.id.in_(chunk))
        out.extend(dict(r._mapping) for r in conn.execute(q))
    out.sort(key=lambda r: ids.index(r["id"]) if len(ids) < 2000 else r["id"])
    return out


def minhashes(conn: Connection, ids: Iterable[int] | None = None) -> list[tuple[int, bytes]]:
    q = sa.select(kb_documents.c.document_id, kb_documents.c.minhash)
    if ids is None:
        return [(int(i), bytes(b)) for i, b in conn.execute(q)]
    return [(int(i), bytes(b)) for chunk in _chunks(sorted(set(ids)))
            for i, b in conn.execute(q.where(kb_documents.c.document_id.in_(chunk)))]


def band_rows(conn: Connection, keys: Sequence[int]) -> list[tuple[int, int]]:
    """(band key, fused document id) for the stored documents that have any of these band keys."""
    q = sa.select(kb_bands.c.band, kb_bands.c.document_id)
    return [(int(b), int(i)) for chunk in _chunks(list(keys)) for b, i in conn.execute(q.where(kb_bands.c.band.in_(chunk)))]


def insert_bands(conn: Connection, rows: Sequence[dict[str, int]]) -> None:
    if rows:
        conn.execute(sa.insert(kb_bands), list(rows))


def fusion_candidates(conn: Connection, root: str, family: str, buckets: Sequence[str] | None
                      ) -> list[tuple[str, int]]:
    """(bucket, fused event id) under (root, family), in `buckets` or in any bucket when None."""
    fk = fusion_keys
    q = sa.select(fk.c.bucket, fk.c.fused_event_id).where(fk.c.root == root, fk.c.family == family)
    if buckets is not None:
        q = q.where(fk.c.bucket.in_(list(buckets)))
    return [(b, int(i)) for b, i in conn.execute(q)]


def fusion_candidates_bulk(conn: Connection, dated: Sequence[tuple[str, str, str]],
                           wide: Sequence[tuple[str, str]]) -> list[tuple[str, str, str, int]]:
    """(root, family, bucket, fused event id) for the (root, family, bucket) keys of `dated` and
    every bucket of the (root, family) keys of `wide`. Written as an OR of index lookups
    (`root = ? AND family = ? AND bucket IN (...)`): SQLite scans the table for a row-value IN list."""
    fk = fusion_keys
    groups: dict[tuple[str, str], list[str] | None] = {}
    for r, f in wide:
        groups[(r, f)] = None
    for r, f, b in dated:
        if (r, f) not in groups or groups[(r, f)] is not None:
            groups.setdefault((r, f), []).append(b)  # type: ignore[union-attr]
    conds = [sa.and_(fk.c.root == r, fk.c.family == f, *([] if bs is None else [fk.c.bucket.in_(sorted(set(bs)))]))
             for (r, f), bs in sorted(groups.items())]
    out: list[tuple[str, str, str, int]] = []
    for i in range(0, len(conds), 50):
        q = sa.select(fk.c.root, fk.c.family, fk.c.bucket, fk.c.fused_event_id).where(sa.or_(*conds[i:i + 50]))
        out.extend((r, f, b, int(x)) for r, f, b, x in conn.execute(q))
    return out


def replace_fusion_keys(conn: Connection, keys: dict[int, set[tuple[str, str, str]]],
                        views: dict[int, dict[str, Any]], *, existing: Sequence[int] = ()) -> None:
    """Store the candidate keys and the fusion view of fused events (replacing those of `existing`)."""
    for chunk in _chunks(list(existing)):
        conn.execute(sa.delete(fusion_keys).where(fusion_keys.c.fused_event_id.in_(chunk)))
        conn.execute(sa.delete(fused_event_views).where(fused_event_views.c.fused_event_id.in_(chunk)))
    rows = [{"root": r, "family": f, "bucket": b, "fused_event_id": fid}
            for fid, ks in keys.items() for r, f, b in sorted(ks)]
    for i in range(0, len(rows), 5000):
        conn.execute(sa.insert(fusion_keys), rows[i:i + 5000])
    if views:
        conn.execute(sa.insert(fused_event_views), [{"fused_event_id": k, "view": v} for k, v in views.items()])


def fused_views(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    out: dict[int, dict[str, Any]] = {}
    for chunk in _chunks(list(ids)):
        q = sa.select(fused_event_views).where(fused_event_views.c.fused_event_id.in_(chunk))
        out.update({int(r.fused_event_id): r.view for r in conn.execute(q)})
    return out


def fused_roots(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, set[str]]]:
    out: dict[int, dict[str, set[str]]] = defaultdict(lambda: {"source": set(), "target": set()})
    for chunk in _chunks(list(ids)):
        for fid, role, root in conn.execute(sa.select(fused_event_roots)
                                            .where(fused_event_roots.c.fused_event_id.in_(chunk))):
            out[int(fid)][role].add(root)
    return out


def cluster_of_keys(conn: Connection, keys: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """The fused event holding each (document content hash, event local id), where there is one."""
    out: dict[tuple[str, str], int] = {}
    for h, local in keys:
        q = (sa.select(fused_event_evidence.c.fused_event_id)
             .join(events, events.c.id == fused_event_evidence.c.event_id)
             .join(documents, documents.c.id == events.c.document_id)
             .where(documents.c.content_hash == h, events.c.local_id == local))
        fid = conn.execute(q).scalar()
        if fid is not None:
            out[(h, local)] = int(fid)
    return out


def fused_ids(conn: Connection, after: int = 0, limit: int = 1000) -> list[int]:
    q = sa.select(fused_events.c.id).where(fused_events.c.id > after).order_by(fused_events.c.id).limit(limit)
    return [int(i) for i in conn.execute(q).scalars()]


def event_rows(conn: Connection, *, document_ids: Sequence[int] | None = None,
               event_ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    """Per-document events with what fusion needs: actors, actor affiliations in their document,
    quantities, evidence text, and their document's publisher, url, title, hash and near-duplicate link."""
    key_col, keys = (events.c.document_id, document_ids) if document_ids is not None else (events.c.id, event_ids)
    assert keys is not None
    rows: list[dict[str, Any]] = []
    for chunk in _chunks(list(keys)):
        q = (sa.select(events.c.id, events.c.document_id, events.c.local_id, events.c.type, events.c.mode,
                       events.c.contexts, events.c.location, events.c.date_start, events.c.date_end,
                       events.c.date_text, events.c.factuality, events.c.org_id, events.c.marking,
                       documents.c.content_hash, documents.c.publisher, documents.c.url, documents.c.title,
                       documents.c.published_date, near_duplicates.c.original_id.label("near_duplicate_of"))
             .join(documents, documents.c.id == events.c.document_id)
             .outerjoin(near_duplicates, near_duplicates.c.document_id == events.c.document_id)
             .where(key_col.in_(chunk)).order_by(events.c.document_id, events.c.position))
        part = [dict(r._mapping) for r in conn.execute(q)]
        if not part:
            continue
        ids = [r["id"] for r in part]
        docs = sorted({r["document_id"] for r in part})
        actors: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"source": [], "target": []})
        for eid, role, ent in conn.execute(
                sa.select(event_actors.c.event_id, event_actors.c.role, event_actors.c.entity_id)
                .where(event_actors.c.event_id.in_(ids)).order_by(event_actors.c.position)):
            actors[eid][role].append(ent)
        qty: dict[int, list[dict[str, Any]]] = defaultdict(list)
        for r in conn.execute(sa.select(event_quantities).where(event_quantities.c.event_id.in_(ids))
                              .order_by(event_quantities.c.position)):
            qty[r.event_id].append({"value": int(r.value) if float(r.value).is_integer() else r.value,
                                    "unit": r.unit, "approx": bool(r.approx), "text": r.text})
        texts: dict[int, list[str]] = defaultdict(list)
        for eid, text in conn.execute(sa.select(event_evidence.c.event_id, event_evidence.c.text)
                                      .where(event_evidence.c.event_id.in_(ids))
                                      .order_by(event_evidence.c.position)):
            texts[eid].append(text)
        aff: dict[int, dict[str, tuple[str | None, str | None]]] = defaultdict(dict)
        for did, ent, a, c in conn.execute(
                sa.select(document_entities.c.document_id, document_entities.c.entity_id,
                          document_entities.c.affiliation, document_entities.c.country)
                .where(document_entities.c.document_id.in_(docs))):
            aff[did][ent] = (a, c)
        for r in part:
            r["source"], r["target"] = actors[r["id"]]["source"], actors[r["id"]]["target"]
            r["quantities"] = qty[r["id"]]
            r["texts"] = texts[r["id"]]
            r["affiliations"] = aff[r["document_id"]]
        rows.extend(part)
    return rows


def fused_rows(conn: Connection, ids: Sequence[int] | None = None) -> list[dict[str, Any]]:
    q = sa.select(fused_events)
    if ids is None:
        return [dict(r._mapping) for r in conn.execute(q.order_by(fused_events.c.id))]
    out = [dict(r._mapping) for chunk in _chunks(sorted(set(ids)))
           for r in conn.execute(q.where(fused_events.c.id.in_(chunk)))]
    return sorted(out, key=lambda r: r["id"])


def members(conn: Connection, fused_ids: Sequence[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    """Evidence links per fused event with their join reasons."""
    fee = fused_event_evidence
    q = sa.select(fee)
    if fused_ids is not None:
        q = q.where(fee.c.fused_event_id.in_(list(fused_ids)))
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for r in conn.execute(q.order_by(fee.c.fused_event_id, fee.c.joined_at, fee.c.event_id)):
        out[r.fused_event_id].append(dict(r._mapping))
    return out


def decisions(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(sa.select(analyst_decisions).order_by(analyst_decisions.c.id))]


def publisher_overrides(conn: Connection) -> list[dict[str, Any]]:
    return [dict(r._mapping) for r in conn.execute(sa.select(publishers).order_by(publishers.c.id))]


def replace_roots(conn: Connection, fused_id: int, source: Iterable[str], target: Iterable[str]) -> None:
    conn.execute(sa.delete(fused_event_roots).where(fused_event_roots.c.fused_event_id == fused_id))
    rows = [{"fused_event_id": fused_id, "role": "source", "root": r} for r in sorted(set(source))]
    rows += [{"fused_event_id": fused_id, "role": "target", "root": r} for r in sorted(set(target))]
    if rows:
        conn.execute(sa.insert(fused_event_roots), rows)
