"""SQL of the sanctions lists (`list_entities`) and of the designation matches."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.storage.monitor_tables import designation_matches, incident_designations, list_entities
from pantau.storage.writer import insert_ignore, now


def replace_list(conn: Connection, list_name: str, rows: Sequence[tuple[str, str, str, dict[str, Any]]]) -> None:
    conn.execute(sa.delete(list_entities).where(list_entities.c.list == list_name))
    ts = now()
    seen: set[str] = set()
    batch = []
    for eid, schema, caption, data in rows:
        if eid in seen:
            continue
        seen.add(eid)
        batch.append({"list": list_name, "entity_id": eid, "schema": schema, "caption": caption[:1000],
                      "data": data, "loaded_at": ts})
    for i in range(0, len(batch), 1000):
        conn.execute(sa.insert(list_entities), batch[i:i + 1000])


def counts(conn: Connection) -> list[dict[str, Any]]:
    q = (sa.select(list_entities.c.list, list_entities.c.schema, sa.func.count(), sa.func.max(list_entities.c.loaded_at))
         .group_by(list_entities.c.list, list_entities.c.schema))
    out: dict[str, dict[str, Any]] = {}
    for lst, schema, n, at in conn.execute(q):
        d = out.setdefault(lst, {"list": lst, "parties": 0, "Person": 0, "Organization": 0, "Vessel": 0,
                                 "Sanction": 0, "loaded_at": at})
        d[schema] = d.get(schema, 0) + int(n)
        if schema != "Sanction":
            d["parties"] += int(n)
    return [out[k] for k in sorted(out)]


def entity_dicts(conn: Connection, list_name: str | None = None) -> list[dict[str, Any]]:
    q = sa.select(list_entities.c.list, list_entities.c.data).order_by(list_entities.c.id)
    if list_name:
        q = q.where(list_entities.c.list == list_name)
    return [dict(d, datasets=[lst]) for lst, d in conn.execute(q)]


def save_matches(conn: Connection, rows: list[dict[str, Any]]) -> None:
    insert_ignore(conn, designation_matches, rows, ["document_id", "list", "entity_id", "start"])


def matches_for_documents(conn: Connection, doc_ids: Sequence[int]) -> list[dict[str, Any]]:
    if not doc_ids:
        return []
    q = sa.select(designation_matches).where(designation_matches.c.document_id.in_(list(doc_ids)))
    return [dict(r._mapping) for r in conn.execute(q)]


def save_incident_designations(conn: Connection, rows: list[dict[str, Any]]) -> None:
    insert_ignore(conn, incident_designations, rows, ["incident_id", "list", "entity_id"])


def incident_listings(conn: Connection, incident_ids: Sequence[int]) -> dict[int, list[dict[str, Any]]]:
    out: dict[int, list[dict[str, Any]]] = {}
    if not incident_ids:
        return out
    q = sa.select(incident_designations).where(incident_designations.c.incident_id.in_(list(incident_ids)))
    for r in conn.execute(q):
        out.setdefault(r.incident_id, []).append(dict(r._mapping))
    return out
