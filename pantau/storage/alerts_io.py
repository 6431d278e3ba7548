"""SQL of alerts: rules, the delivery log, the dispatcher's position in the change log."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.storage.kb_tables import incidents
from pantau.storage.monitor_tables import (
    alert_cursor,
    alert_deliveries,
    alert_rules,
    designation_matches,
    incident_designations,
)
from pantau.storage.share_tables import change_log
from pantau.storage.tables import users
from pantau.storage.writer import insert_ignore, now


def user_id(conn: Connection, ref: str | int) -> int | None:
    key = users.c.id == int(ref) if str(ref).isdigit() else users.c.username == str(ref)
    return conn.execute(sa.select(users.c.id).where(key)).scalar()


def add_rule(conn: Connection, values: dict[str, Any]) -> int:
    rid = int(conn.execute(sa.insert(alert_rules).values(created_at=now(), **values)).inserted_primary_key[0])
    if conn.execute(sa.select(alert_cursor.c.position).where(alert_cursor.c.id == 1)).first() is None:
        # the first rule starts from now: alerts are about what arrives from here on, not the backlog
        last = conn.execute(sa.select(sa.func.coalesce(sa.func.max(change_log.c.id), 0))).scalar_one()
        conn.execute(sa.insert(alert_cursor).values(id=1, position=int(last)))
    return rid


def rules(conn: Connection, active_only: bool = False) -> list[dict[str, Any]]:
    q = (sa.select(alert_rules, users.c.username).join(users, users.c.id == alert_rules.c.user_id)
         .order_by(alert_rules.c.id))
    if active_only:
        q = q.where(alert_rules.c.active.is_(True))
    return [dict(r._mapping) for r in conn.execute(q)]


def remove_rule(conn: Connection, rule_id: int) -> bool:
    conn.execute(sa.delete(alert_deliveries).where(alert_deliveries.c.rule_id == rule_id))
    return bool(conn.execute(sa.delete(alert_rules).where(alert_rules.c.id == rule_id)).rowcount)


def position(conn: Connection) -> int:
    got = conn.execute(sa.select(alert_cursor.c.position).where(alert_cursor.c.id == 1)).scalar()
    return int(got or 0)


def set_position(conn: Connection, pos: int) -> None:
    if conn.execute(sa.update(alert_cursor).where(alert_cursor.c.id == 1).values(position=pos)).rowcount == 0:
        conn.execute(sa.insert(alert_cursor).values(id=1, position=pos))


def changed_fused(conn: Connection, after: int, limit: int = 2000) -> tuple[list[int], int]:
    """Fused events created or updated (or given an incident) after change `after`; and the last id read."""
    rows = list(conn.execute(sa.select(change_log.c.id, change_log.c.object_kind, change_log.c.object_id)
                             .where(change_log.c.id > after,
                                    change_log.c.object_kind.in_(["fused_events", "incidents"]))
                             .order_by(change_log.c.id).limit(limit)))
    if not rows:
        last = conn.execute(sa.select(sa.func.coalesce(sa.func.max(change_log.c.id), after))
                            .where(change_log.c.id > after)).scalar_one()
        return [], int(max(last or after, after))
    fused = {int(r.object_id) for r in rows if r.object_kind == "fused_events" and r.object_id.isdigit()}
    inc_ids = [int(r.object_id) for r in rows if r.object_kind == "incidents" and r.object_id.isdigit()]
    if inc_ids:
        fused |= set(conn.execute(sa.select(incidents.c.fused_event_id).where(incidents.c.id.in_(inc_ids))).scalars())
    return sorted(fused), int(rows[-1].id)


def incidents_of(conn: Connection, fused_id: int) -> list[dict[str, Any]]:
    rows = [dict(r._mapping) for r in conn.execute(sa.select(incidents).where(incidents.c.fused_event_id == fused_id))]
    listed: dict[int, list[dict[str, Any]]] = {}
    if rows:
        for r in conn.execute(sa.select(incident_designations).where(
                incident_designations.c.incident_id.in_([x["id"] for x in rows]))):
            listed.setdefault(r.incident_id, []).append(dict(r._mapping))
    for r in rows:
        r["listings"] = listed.get(r["id"], [])
    return rows


def designations_in(conn: Connection, doc_ids: Sequence[int]) -> list[dict[str, Any]]:
    if not doc_ids:
        return []
    return [dict(r._mapping) for r in conn.execute(sa.select(designation_matches).where(
        designation_matches.c.document_id.in_(list(doc_ids))))]


def add_deliveries(conn: Connection, rows: list[dict[str, Any]]) -> None:
    insert_ignore(conn, alert_deliveries, rows, ["rule_id", "fused_event_id", "channel"])


def pending_deliveries(conn: Connection) -> list[dict[str, Any]]:
    q = (sa.select(alert_deliveries, alert_rules.c.webhook_secret, alert_rules.c.user_id, alert_rules.c.name)
         .join(alert_rules, alert_rules.c.id == alert_deliveries.c.rule_id)
         .where(alert_deliveries.c.status == "pending").order_by(alert_deliveries.c.id))
    return [dict(r._mapping) for r in conn.execute(q)]


def finish_delivery(conn: Connection, delivery_id: int, **values: Any) -> None:
    conn.execute(sa.update(alert_deliveries).where(alert_deliveries.c.id == delivery_id).values(**values))


def deliveries(conn: Connection, rule_id: int | None = None, limit: int = 100) -> list[dict[str, Any]]:
    q = sa.select(alert_deliveries).order_by(alert_deliveries.c.id.desc()).limit(limit)
    if rule_id is not None:
        q = q.where(alert_deliveries.c.rule_id == rule_id)
    return [dict(r._mapping) for r in conn.execute(q)]
