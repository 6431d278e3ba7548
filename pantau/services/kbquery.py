"""Read the knowledge base: fused events (with why each report was joined), incidents, filters.

Every function takes an optional `viewer` (`pantau.services.access.Viewer`); derived objects are
only shown through evidence the viewer may see (`_visible_fused`), the one place the access
filter is applied for fused events and incidents.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from pantau.exc import NotFound
from pantau.model import DateValue
from pantau.model.kb import (
    INCIDENT_STATUSES,
    EvidenceLink,
    FusedEvent,
    Incident,
    IncidentChange,
    QuantityClaim,
)
from pantau.model.markings import TLP
from pantau.services.query import parse_bound
from pantau.storage import kb_io
from pantau.storage.kb_tables import (
    fused_event_evidence,
    fused_event_roots,
    fused_events,
    incident_history,
    incidents,
)
from pantau.storage.queries import resolve_actor
from pantau.storage.tables import events
from pantau.storage.writer import now

if TYPE_CHECKING:
    from pantau.services.access import Viewer
    from pantau.services.store import Store

__all__ = ["list_fused", "get_fused", "list_incidents", "get_incident", "review", "fused_filter"]

_GRADE = re.compile(r"^([A-F])?([1-6])?$")


def _visible_fused(viewer: Viewer | None) -> sa.ColumnElement[bool] | None:
    """WHERE clause on fused_events.id: the viewer may see at least one piece of its evidence."""
    if viewer is None or getattr(viewer, "is_system", False):
        return None
    from pantau.services.access import visible

    seen = (sa.select(fused_event_evidence.c.fused_event_id)
            .join(events, events.c.id == fused_event_evidence.c.event_id).where(visible(events, viewer)))
    return fused_events.c.id.in_(seen)


def _visible_event_ids(conn: Connection, viewer: Viewer | None, ids: Sequence[int]) -> set[int] | None:
    if viewer is None or getattr(viewer, "is_system", False) or not ids:
        return None
    from pantau.services.access import visible

    return set(conn.execute(sa.select(events.c.id).where(events.c.id.in_(list(ids)), visible(events, viewer)))
               .scalars())


def actor_ids(conn: Connection, actor: str) -> set[str]:
    """Roots an actor filter means: the code itself, and entities whose name or alias matches."""
    ids = {actor.strip(), actor.strip().upper()}
    return ids | resolve_actor(conn, actor)


def fused_filter(conn: Connection, *, viewer: Viewer | None = None, actor: str | None = None,
                 actor2: str | None = None, type: str | None = None, context: str | None = None,
                 since: str | date | None = None, until: str | date | None = None, grade: str | None = None,
                 status: str | None = None, ids: Sequence[int] | None = None) -> list[sa.ColumnElement[bool]]:
    """WHERE conditions on `fused_events` for the common filters."""
    fe, fr = fused_events, fused_event_roots
    conds: list[sa.ColumnElement[bool]] = []
    vis = _visible_fused(viewer)
    if vis is not None:
        conds.append(vis)
    for a in (actor, actor2):
        if a:
            conds.append(fe.c.id.in_(sa.select(fr.c.fused_event_id).where(fr.c.root.in_(actor_ids(conn, a)))))
    if type:
        want = [t.strip().upper() for t in type.split(",") if t.strip()]
        conds.append(fe.c.type.in_(want))
    if context:
        conds.append(sa.cast(fe.c.contexts, sa.Text).like(f'%"{context.strip().lower()}"%'))
    lo, hi = parse_bound(since), parse_bound(until, end=True)
    if lo:
        conds.append(fe.c.date_end >= lo)
    if hi:
        conds.append(fe.c.date_start <= hi)
    if grade:
        m = _GRADE.match(grade.strip().upper())
        if not m or not (m.group(1) or m.group(2)):
            raise ValueError(f"not a grade: {grade!r} (use e.g. B2, B or 2)")
        letter, cred = m.group(1), m.group(2)
        if letter and cred:
            conds.append(fe.c.grade == f"{letter}{cred}")
        elif letter:  # that reliability or better
            conds.append(fe.c.reliability <= letter)
        else:  # that credibility or better
            conds.append(fe.c.credibility <= int(cred))
    if status:
        if status not in INCIDENT_STATUSES:
            raise ValueError(f"unknown status {status!r}; expected one of {', '.join(INCIDENT_STATUSES)}")
        conds.append(fe.c.id.in_(sa.select(incidents.c.fused_event_id).where(incidents.c.status == status)))
    if ids is not None:
        conds.append(fe.c.id.in_(list(ids)))
    return conds


def _build(conn: Connection, rows: list[dict[str, Any]], viewer: Viewer | None,
           with_evidence: bool = True) -> list[FusedEvent]:
    if not rows:
        return []
    fids = [r["id"] for r in rows]
    roots: dict[int, dict[str, list[str]]] = defaultdict(lambda: {"source": [], "target": []})
    for fid, role, root in conn.execute(sa.select(fused_event_roots).where(fused_event_roots.c.fused_event_id.in_(fids))
                                        .order_by(fused_event_roots.c.root)):
        roots[fid][role].append(root)
    links: dict[int, list[EvidenceLink]] = defaultdict(list)
    if with_evidence:
        mem = kb_io.members(conn, fids)
        eids = [m["event_id"] for ms in mem.values() for m in ms]
        allowed = _visible_event_ids(conn, viewer, eids)
        info = {r["id"]: r for r in kb_io.event_rows(conn, event_ids=eids)}
        for fid, ms in mem.items():
            for m in ms:
                r = info.get(m["event_id"])
                if r is None or (allowed is not None and m["event_id"] not in allowed):
                    continue
                links[fid].append(EvidenceLink(
                    doc_id=str(r["document_id"]), event_id=str(r["id"]), text=" ".join(r["texts"]),
                    title=r["title"], publisher=r["publisher"], url=r["url"],
                    published=r["published_date"].isoformat() if r["published_date"] else None,
                    factuality=r["factuality"], score=m["score"], reasons=list(m["reasons"]),
                    near_duplicate_of=str(r["near_duplicate_of"]) if r["near_duplicate_of"] else None,
                    manual=bool(m["manual"])))
    out = []
    for r in rows:
        dv = None
        if r["date_start"]:
            dv = DateValue(r["date_start"].isoformat(), r["date_end"].isoformat(), r["date_precision"] or "day",
                           "fused")
        out.append(FusedEvent(
            id=str(r["id"]), type=r["type"], source=list(r["source"] or []), target=list(r["target"] or []),
            source_roots=roots[r["id"]]["source"], target_roots=roots[r["id"]]["target"], mode=r["mode"],
            contexts=list(r["contexts"] or []), location=r["location"], date=dv,
            quantities=[QuantityClaim(q["value"], q["unit"], q["doc_id"], q.get("approx", False), q.get("text", ""),
                                      q.get("publisher")) for q in r["quantities"] or []
                        if not with_evidence or q["doc_id"] in {e.doc_id for e in links[r["id"]]}],
            evidence=links[r["id"]], reliability=r["reliability"], credibility=r["credibility"],
            tlp=TLP.parse(r["marking"]), owner=str(r["org_id"]),
            summary=_summary(r, roots[r["id"]])))
    return out


def _summary(r: dict[str, Any], roots: dict[str, list[str]]) -> str:
    src = "+".join(roots["source"]) or "?"
    tgt = "+".join(roots["target"]) or "?"
    when = ""
    if r["date_start"]:
        when = r["date_start"].isoformat() if r["date_start"] == r["date_end"] else \
            f"{r['date_start'].isoformat()}..{r['date_end'].isoformat()}"
    return f"{r['type']}{'/' + r['mode'] if r['mode'] else ''} {src} → {tgt} {when}".strip()


def list_fused(store: Store, *, viewer: Viewer | None = None, limit: int | None = 100, offset: int = 0,
               with_evidence: bool = True, **filters: Any) -> list[FusedEvent]:
    """Fused events matching the filters (see `fused_filter`), in date order."""
    with store.engine.connect() as conn:
        q = sa.select(fused_events).where(*fused_filter(conn, viewer=viewer, **filters))
        q = q.order_by(fused_events.c.date_start.is_(None), fused_events.c.date_start, fused_events.c.id)
        rows = [dict(r._mapping) for r in conn.execute(q.limit(limit).offset(offset))]
        return [f for f in _build(conn, rows, viewer, with_evidence) if f.evidence or not with_evidence]


def get_fused(store: Store, fused_id: int | str, *, viewer: Viewer | None = None) -> FusedEvent:
    got = list_fused(store, viewer=viewer, ids=[int(fused_id)], limit=1)
    if not got:
        raise NotFound(f"no fused event {fused_id!r}")
    return got[0]


def fused_of_event(store: Store, event_id: int) -> int | None:
    """The fused event a per-document event belongs to."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(fused_event_evidence.c.fused_event_id)
                            .where(fused_event_evidence.c.event_id == event_id)).scalar()


def _incidents(conn: Connection, rows: list[dict[str, Any]]) -> list[Incident]:
    hist: dict[int, list[IncidentChange]] = defaultdict(list)
    if rows:
        for h in conn.execute(sa.select(incident_history).where(incident_history.c.incident_id.in_(
                [r["id"] for r in rows])).order_by(incident_history.c.id)):
            hist[h.incident_id].append(IncidentChange(h.at.isoformat() if h.at else "", h.status, h.note, h.user))
    return [Incident(id=str(r["id"]), fused_event_id=str(r["fused_event_id"]), provision_id=r["provision_id"],
                     resolution=r["resolution"], paragraph=r["paragraph"], prohibits=r["prohibits"],
                     status=r["status"], reasons=list(r["reasons"] or []), history=hist[r["id"]],
                     created=r["created_at"].isoformat() if r["created_at"] else None,
                     tlp=TLP.parse(r["marking"]), owner=str(r["org_id"])) for r in rows]


def list_incidents(store: Store, *, viewer: Viewer | None = None, status: str | None = None,
                   resolution: int | None = None, limit: int | None = 100, offset: int = 0,
                   **filters: Any) -> list[Incident]:
    with store.engine.connect() as conn:
        q = (sa.select(incidents).join(fused_events, fused_events.c.id == incidents.c.fused_event_id)
             .where(*fused_filter(conn, viewer=viewer, **filters)))
        if status:
            if status not in INCIDENT_STATUSES:
                raise ValueError(f"unknown status {status!r}; expected one of {', '.join(INCIDENT_STATUSES)}")
            q = q.where(incidents.c.status == status)
        if resolution:
            q = q.where(incidents.c.resolution == resolution)
        q = q.order_by(fused_events.c.date_start.is_(None), fused_events.c.date_start, incidents.c.id)
        rows = [dict(r._mapping) for r in conn.execute(q.limit(limit).offset(offset))]
        return _incidents(conn, rows)


def get_incident(store: Store, incident_id: int | str, *, viewer: Viewer | None = None) -> Incident:
    with store.engine.connect() as conn:
        q = (sa.select(incidents).join(fused_events, fused_events.c.id == incidents.c.fused_event_id)
             .where(incidents.c.id == int(incident_id), *fused_filter(conn, viewer=viewer)))
        rows = [dict(r._mapping) for r in conn.execute(q)]
        if not rows:
            raise NotFound(f"no incident {incident_id!r}")
        return _incidents(conn, rows)[0]


def review(store: Store, incident_id: int | str, *, status: str, note: str | None = None,
           user: str | None = None, viewer: Viewer | None = None) -> Incident:
    """Set an incident's review status (new, under_review, confirmed, dismissed) with a note; kept in its history."""
    if status not in INCIDENT_STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(INCIDENT_STATUSES)}")
    if viewer is not None and not viewer.can_write():
        from pantau.exc import AccessDenied

        raise AccessDenied("reviewing incidents needs the analyst role")
    get_incident(store, incident_id, viewer=viewer)  # NotFound if invisible
    ts = now()
    with store.engine.begin() as conn:
        conn.execute(sa.update(incidents).where(incidents.c.id == int(incident_id))
                     .values(status=status, updated_at=ts))
        conn.execute(sa.insert(incident_history).values(incident_id=int(incident_id), at=ts, status=status,
                                                        note=note, user=user))
        from pantau.services.kb_audit import record

        record(store, conn, "incidents.review", object_type="incidents", object_id=int(incident_id),
               detail={"status": status, "note": note, "user": user})
    return get_incident(store, incident_id, viewer=viewer)


def fusion_of_document(store: Store, document_id: int, *, viewer: Viewer | None = None) -> list[dict[str, Any]]:
    """For each event of a document: the fused event it joined, why, and how many other reports it has."""
    from pantau.storage.tables import documents

    fee = fused_event_evidence
    with store.engine.connect() as conn:
        q = (sa.select(events.c.id, events.c.type, fee.c.fused_event_id, fee.c.score, fee.c.reasons, fee.c.manual,
                       fused_events.c.grade, fused_events.c.reports)
             .join(fee, fee.c.event_id == events.c.id).join(fused_events, fused_events.c.id == fee.c.fused_event_id)
             .join(documents, documents.c.id == events.c.document_id)
             .where(events.c.document_id == int(document_id), *fused_filter(conn, viewer=viewer))
             .order_by(events.c.position))
        return [{"event_id": r.id, "type": r.type, "fused_event_id": r.fused_event_id, "score": r.score,
                 "reasons": list(r.reasons or []), "manual": bool(r.manual), "grade": r.grade,
                 "other_reports": r.reports - 1} for r in conn.execute(q)]
