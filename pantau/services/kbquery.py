"""Read the knowledge base: fused events (with why each report was joined), incidents, filters.

Every function takes an optional `viewer` (`pantau.services.access.Viewer`); derived objects exist
for a viewer only through evidence it may see (`_visible_fused`), and show what that evidence
supports (`kbview.fused_views`): grade, date, numbers, actors, incidents recomputed from the visible
evidence alone. Filters, order, counts and pagination apply to the viewer's view.
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
    FusedEvent,
    Incident,
    IncidentChange,
    QuantityClaim,
)
from pantau.model.markings import TLP
from pantau.services.access import Viewer
from pantau.services.kbview import FusedView, fully_visible, fused_views, is_system
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
    from pantau.services.store import Store

__all__ = ["list_fused", "get_fused", "list_incidents", "get_incident", "review", "fused_filter", "partial_views",
           "view_matches", "fusion_of_document"]

_GRADE = re.compile(r"^([A-F])?([1-6])?$")


def _visible_fused(viewer: Viewer) -> sa.ColumnElement[bool] | None:
    """WHERE clause on fused_events.id: the viewer may see at least one piece of its evidence (an
    event and the document it was read from, `access.visible_event`)."""
    if is_system(viewer):
        return None
    from pantau.services.access import visible_event

    seen = (sa.select(fused_event_evidence.c.fused_event_id)
            .join(events, events.c.id == fused_event_evidence.c.event_id).where(visible_event(viewer)))
    return fused_events.c.id.in_(seen)


def actor_ids(conn: Connection, actor: str) -> set[str]:
    """Roots an actor filter means: the code itself, and entities whose name or alias matches."""
    ids = {actor.strip(), actor.strip().upper()}
    return ids | resolve_actor(conn, actor)


def fused_filter(conn: Connection, *, viewer: Viewer, actor: str | None = None,
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


def _views(conn: Connection, rows: list[dict[str, Any]], viewer: Viewer) -> list[FusedView]:
    """The viewer's views of these rows, in their order (rows it may see nothing of are dropped)."""
    got = fused_views(conn, rows, viewer)
    return [got[int(r["id"])] for r in rows if int(r["id"]) in got]


def _to_fused(v: FusedView, with_evidence: bool = True) -> FusedEvent:
    r = v.row
    dv = None
    if r["date_start"]:
        dv = DateValue(r["date_start"].isoformat(), r["date_end"].isoformat(), r["date_precision"] or "day", "fused")
    roots = {"source": v.source_roots, "target": v.target_roots}
    return FusedEvent(
        id=str(r["id"]), type=r["type"], source=list(r["source"] or []), target=list(r["target"] or []),
        source_roots=list(v.source_roots), target_roots=list(v.target_roots), mode=r["mode"],
        contexts=list(r["contexts"] or []), location=r["location"], date=dv,
        quantities=[QuantityClaim(q["value"], q["unit"], q["doc_id"], q.get("approx", False), q.get("text", ""),
                                  q.get("publisher")) for q in r["quantities"] or []],
        evidence=list(v.evidence) if with_evidence else [], reliability=r["reliability"],
        credibility=r["credibility"], tlp=TLP.parse(r["marking"]), owner=str(r["org_id"]),
        summary=_summary(r, roots))


def _stored_incidents(conn: Connection, fids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = defaultdict(list)
    if fids:
        for fid, prov, status in conn.execute(sa.select(incidents.c.fused_event_id, incidents.c.provision_id,
                                                        incidents.c.status)
                                              .where(incidents.c.fused_event_id.in_(list(fids)))):
            out[fid].append((prov, status))
    return out


def view_matches(conn: Connection, views: list[FusedView], *, actor: str | None = None,
                 actor2: str | None = None, type: str | None = None, context: str | None = None,
                 since: str | date | None = None, until: str | date | None = None, grade: str | None = None,
                 status: str | None = None, ids: Sequence[int] | None = None) -> list[FusedView]:
    """The views that pass the filters of `fused_filter`, judged on what the viewer sees."""
    fused_filter(conn, viewer=Viewer.system(), grade=grade, status=status)  # validates grade and status as the SQL path does
    want_types = {t.strip().upper() for t in type.split(",") if t.strip()} if type else None
    lo, hi = parse_bound(since), parse_bound(until, end=True)
    m = _GRADE.match(grade.strip().upper()) if grade else None
    actors = [actor_ids(conn, a) for a in (actor, actor2) if a]
    incs = _stored_incidents(conn, [v.id for v in views]) if status else {}
    out = []
    for v in views:
        r = v.row
        roots = set(v.source_roots) | set(v.target_roots)
        if any(not (roots & a) for a in actors):
            continue
        if want_types is not None and r["type"] not in want_types:
            continue
        if context and context.strip().lower() not in (r["contexts"] or []):
            continue
        if lo and (r["date_end"] is None or r["date_end"] < lo):
            continue
        if hi and (r["date_start"] is None or r["date_start"] > hi):
            continue
        if m:
            letter, cred = m.group(1), m.group(2)
            if letter and cred and r["grade"] != f"{letter}{cred}":
                continue
            if letter and not cred and not r["reliability"] <= letter:
                continue
            if cred and not letter and not r["credibility"] <= int(cred):
                continue
        if status and not any(s == status and v.shows_incident(p) for p, s in incs.get(v.id, [])):
            continue
        if ids is not None and v.id not in {int(i) for i in ids}:
            continue
        out.append(v)
    return out


def partial_views(conn: Connection, viewer: Viewer, **filters: Any) -> list[FusedView]:
    """For a viewer who may see only part of the evidence of some fused events: those fused events,
    recomputed from what it sees, that pass the filters (judged on the view), in date order."""
    if is_system(viewer):
        return []
    q = sa.select(fused_events).where(_visible_fused(viewer), sa.not_(fully_visible(viewer)))  # type: ignore[arg-type]
    if filters.get("ids") is not None:
        q = q.where(fused_events.c.id.in_([int(i) for i in filters["ids"]]))
    rows = [dict(r._mapping) for r in conn.execute(q)]
    views = [v for v in _views(conn, rows, viewer) if not v.full]
    return sorted(view_matches(conn, views, **filters), key=lambda v: v.sort_key())


LIGHT_FILTERS = frozenset({"since", "until", "ids"})


def partial_dates(conn: Connection, viewer: Viewer, *,
                  ids: Sequence[int] | None = None) -> dict[int, tuple[date, date] | None]:
    """The date interval of each fused event the viewer sees only part of, as its view would give it
    (the tightest interval of the visible reports, as `fusion.fused_date`), without recomputing the
    rest of the view: enough to order and page by date and to apply since/until."""
    if is_system(viewer):
        return {}
    from pantau.nlp.fusion import tightest
    from pantau.services.access import visible_event

    fee = fused_event_evidence
    part = sa.select(fused_events.c.id).where(_visible_fused(viewer), sa.not_(fully_visible(viewer)))  # type: ignore[arg-type]
    if ids is not None:
        part = part.where(fused_events.c.id.in_([int(i) for i in ids]))
    spans: dict[int, list[tuple[date | None, date | None]]] = defaultdict(list)
    q = (sa.select(fee.c.fused_event_id, events.c.date_start, events.c.date_end)
         .join(events, events.c.id == fee.c.event_id)
         .where(fee.c.fused_event_id.in_(part), visible_event(viewer)))  # type: ignore[arg-type]
    for fid, start, end in conn.execute(q):
        spans[fid].append((start, end or start) if start else (None, None))
    out: dict[int, tuple[date, date] | None] = {}
    for fid, xs in spans.items():
        inter = tightest(xs)
        out[fid] = inter if inter and inter[0] is not None and inter[1] is not None else None  # type: ignore[assignment]
    return out


def _light_keys(conn: Connection, viewer: Viewer, filters: dict[str, Any]) -> list[tuple[tuple[Any, ...], int]]:
    """Sort keys of the partially seen fused events passing since/until, from their view dates alone."""
    lo, hi = parse_bound(filters.get("since")), parse_bound(filters.get("until"), end=True)
    out = []
    for fid, span in partial_dates(conn, viewer, ids=filters.get("ids")).items():
        if (lo and (span is None or span[1] < lo)) or (hi and (span is None or span[0] > hi)):
            continue
        out.append((_key(span[0] if span else None, fid), fid))
    return sorted(out)


def _order(q: sa.Select) -> sa.Select:
    return q.order_by(fused_events.c.date_start.is_(None), fused_events.c.date_start, fused_events.c.id)


def _summary(r: dict[str, Any], roots: dict[str, list[str]]) -> str:
    src = "+".join(roots["source"]) or "?"
    tgt = "+".join(roots["target"]) or "?"
    when = ""
    if r["date_start"]:
        when = r["date_start"].isoformat() if r["date_start"] == r["date_end"] else \
            f"{r['date_start'].isoformat()}..{r['date_end'].isoformat()}"
    return f"{r['type']}{'/' + r['mode'] if r['mode'] else ''} {src} → {tgt} {when}".strip()


def _merge_page(full: list[tuple[tuple[Any, ...], Any]], partial: list[tuple[tuple[Any, ...], Any]],
                offset: int, limit: int | None) -> list[Any]:
    """One page of the two sorted key lists merged (what the viewer sees, in order)."""
    both = sorted(full + partial, key=lambda kv: kv[0])
    return [x for _, x in (both[offset:] if limit is None else both[offset:offset + limit])]


def _key(d: date | None, i: int) -> tuple[bool, date, int]:
    return (d is None, d or date.min, i)


def list_fused(store: Store, *, viewer: Viewer, limit: int | None = 100, offset: int = 0,
               with_evidence: bool = True, **filters: Any) -> list[FusedEvent]:
    """Fused events matching the filters (see `fused_filter`), in date order, as the viewer sees them
    (`kbview.fused_views`): filters, order and pagination apply to the viewer's view."""
    with store.engine.connect() as conn:
        conds = fused_filter(conn, viewer=viewer, **filters)
        heavy = any(v is not None for k, v in filters.items() if k not in LIGHT_FILTERS)
        # fused events the viewer sees only in part: recomputed in full when a filter needs the view,
        # else ordered by their view dates and recomputed only where they fall on the page
        partial: list[tuple[tuple[Any, ...], Any]] = (
            [(v.sort_key(), v) for v in partial_views(conn, viewer, **filters)] if heavy
            else _light_keys(conn, viewer, filters))
        if not partial:
            q = _order(sa.select(fused_events).where(*conds, fully_visible(viewer)))
            rows = [dict(r._mapping) for r in conn.execute(q.limit(limit).offset(offset))]
            return [_to_fused(v, with_evidence) for v in _views(conn, rows, viewer)]
        q = _order(sa.select(fused_events.c.id, fused_events.c.date_start).where(*conds, fully_visible(viewer)))
        if limit is not None:
            q = q.limit(offset + limit)
        full = [(_key(d, i), i) for i, d in conn.execute(q)]
        page = _merge_page(full, partial, offset, limit)
        ids = [x for x in page if isinstance(x, int)]
        got = {v.id: v for v in _views(conn, kb_io.fused_rows(conn, ids), viewer)} if ids else {}
        out = [got.get(x) if isinstance(x, int) else x for x in page]
        return [_to_fused(v, with_evidence) for v in out if v is not None]


def get_fused(store: Store, fused_id: int | str, *, viewer: Viewer) -> FusedEvent:
    got = list_fused(store, viewer=viewer, ids=[int(fused_id)], limit=1)
    if not got:
        raise NotFound(f"no fused event {fused_id!r}")
    return got[0]


def fused_of_event(store: Store, event_id: int) -> int | None:
    """The fused event a per-document event belongs to."""
    with store.engine.connect() as conn:
        return conn.execute(sa.select(fused_event_evidence.c.fused_event_id)
                            .where(fused_event_evidence.c.event_id == event_id)).scalar()


def _incidents(conn: Connection, rows: list[dict[str, Any]], viewer: Viewer) -> list[Incident]:
    """Incident objects as the viewer sees them: the marking of the fused event's view, and on a partial
    view the reasons the view matches the provision for."""
    views = fused_views(conn, kb_io.fused_rows(conn, sorted({r["fused_event_id"] for r in rows})), viewer)
    hist: dict[int, list[IncidentChange]] = defaultdict(list)
    if rows:
        for h in conn.execute(sa.select(incident_history).where(incident_history.c.incident_id.in_(
                [r["id"] for r in rows])).order_by(incident_history.c.id)):
            hist[h.incident_id].append(IncidentChange(h.at.isoformat() if h.at else "", h.status, h.note, h.user))
    out = []
    for r in rows:
        v = views.get(r["fused_event_id"])
        reasons, marking, owner = r["reasons"], r["marking"], r["org_id"]
        if v is not None:
            marking = v.row["marking"]
            if v.provisions is not None:
                reasons, owner = v.provisions.get(r["provision_id"], []), v.row["org_id"]
        out.append(Incident(id=str(r["id"]), fused_event_id=str(r["fused_event_id"]), provision_id=r["provision_id"],
                            resolution=r["resolution"], paragraph=r["paragraph"], prohibits=r["prohibits"],
                            status=r["status"], reasons=list(reasons or []), history=hist[r["id"]],
                            created=r["created_at"].isoformat() if r["created_at"] else None,
                            tlp=TLP.parse(marking), owner=str(owner)))
    return out


def list_incidents(store: Store, *, viewer: Viewer, status: str | None = None,
                   resolution: int | None = None, limit: int | None = 100, offset: int = 0,
                   incident_ids: Sequence[int] | None = None, **filters: Any) -> list[Incident]:
    """Incidents on fused events matching the filters, as the viewer sees them: an incident exists for a
    viewer only if the provision still matches the fused event recomputed from the evidence it may see."""
    if status and status not in INCIDENT_STATUSES:
        raise ValueError(f"unknown status {status!r}; expected one of {', '.join(INCIDENT_STATUSES)}")
    with store.engine.connect() as conn:
        def narrow(q: sa.Select) -> sa.Select:
            if status:
                q = q.where(incidents.c.status == status)
            if resolution:
                q = q.where(incidents.c.resolution == resolution)
            if incident_ids is not None:
                q = q.where(incidents.c.id.in_([int(i) for i in incident_ids]))
            return q

        base = (sa.select(incidents).join(fused_events, fused_events.c.id == incidents.c.fused_event_id)
                .where(*fused_filter(conn, viewer=viewer, **filters), fully_visible(viewer)))
        order = (fused_events.c.date_start.is_(None), fused_events.c.date_start, incidents.c.id)
        # only fused events seen in part that carry an incident of interest need their view
        with_inc = [] if is_system(viewer) else list(conn.execute(
            narrow(sa.select(incidents.c.fused_event_id).distinct())).scalars())
        if filters.get("ids") is not None:
            with_inc = [i for i in with_inc if i in {int(x) for x in filters["ids"]}]
        partial = {v.id: v for v in partial_views(conn, viewer, **{**filters, "ids": with_inc})} if with_inc else {}
        if not partial:
            q = narrow(base).order_by(*order).limit(limit).offset(offset)
            return _incidents(conn, [dict(r._mapping) for r in conn.execute(q)], viewer)
        q = narrow(base.with_only_columns(incidents.c.id, fused_events.c.date_start)).order_by(*order)
        if limit is not None:
            q = q.limit(offset + limit)
        full = [(_key(d, i), i) for i, d in conn.execute(q)]
        pq = narrow(sa.select(incidents.c.id, incidents.c.fused_event_id, incidents.c.provision_id)
                    .where(incidents.c.fused_event_id.in_(list(partial))))
        mine = [(_key(partial[f].row["date_start"], i), i) for i, f, p in conn.execute(pq)
                if partial[f].shows_incident(p)]
        page = _merge_page(full, mine, offset, limit)
        if not page:
            return []
        rows = {r.id: dict(r._mapping) for r in conn.execute(sa.select(incidents).where(incidents.c.id.in_(page)))}
        return _incidents(conn, [rows[i] for i in page if i in rows], viewer)


def get_incident(store: Store, incident_id: int | str, *, viewer: Viewer) -> Incident:
    got = list_incidents(store, viewer=viewer, incident_ids=[int(incident_id)], limit=1)
    if not got:
        raise NotFound(f"no incident {incident_id!r}")
    return got[0]


def review(store: Store, incident_id: int | str, *, status: str, note: str | None = None,
           user: str | None = None, viewer: Viewer) -> Incident:
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
        from pantau.services.audit import record

        record(store, conn, "incidents.review", object_type="incidents", object_id=int(incident_id),
               detail={"status": status, "note": note, "user": user})
    return get_incident(store, incident_id, viewer=viewer)


def fusion_of_document(store: Store, document_id: int, *, viewer: Viewer) -> list[dict[str, Any]]:
    """For each event of a document: the fused event it joined, why, and how many other reports it has
    (all as the viewer sees the fused event)."""
    fee = fused_event_evidence
    with store.engine.connect() as conn:
        q = (sa.select(events.c.id, events.c.type, fee.c.fused_event_id)
             .join(fee, fee.c.event_id == events.c.id).join(fused_events, fused_events.c.id == fee.c.fused_event_id)
             .where(events.c.document_id == int(document_id), *fused_filter(conn, viewer=viewer))
             .order_by(events.c.position))
        if not is_system(viewer):
            from pantau.services.access import visible_event

            q = q.where(visible_event(viewer))  # type: ignore[arg-type]
        hits = list(conn.execute(q))
        views = fused_views(conn, kb_io.fused_rows(conn, sorted({h.fused_event_id for h in hits})), viewer)
        out = []
        for h in hits:
            v = views.get(h.fused_event_id)
            link = next((e for e in v.evidence if e.event_id == str(h.id)), None) if v else None
            if v is None or link is None:
                continue
            out.append({"event_id": h.id, "type": h.type, "fused_event_id": h.fused_event_id, "score": link.score,
                        "reasons": list(link.reasons), "manual": link.manual, "grade": v.row["grade"],
                        "other_reports": len(v.evidence) - 1})
        return out
