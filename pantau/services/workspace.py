"""What the web workspace shows, built on the same per-viewer services as the REST API (`reads`,
`kbquery`, `kbview` through them, `identity`, `federation`, `audit`). Every function takes a viewer;
nothing here decides access, it only asks the services that do."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from pantau.exc import AccessDenied, InputError, NotFound
from pantau.model.kb import FusedEvent, Incident
from pantau.model.markings import TLP
from pantau.services import reads
from pantau.services.access import Viewer, most_restrictive, visible
from pantau.services.kbquery import get_fused, get_incident, list_fused, list_incidents
from pantau.services.node import Node
from pantau.storage.kb_tables import fused_event_evidence
from pantau.storage.tables import documents, entities, entity_aliases, event_evidence, events, mentions

SORTS = {"date": (False, "date"), "-date": (True, "date"), "type": (False, "type"), "-type": (True, "type"),
         "grade": (False, "grade"), "-grade": (True, "grade"), "reports": (True, "reports")}
TLPS = [t.value for t in TLP]
COUNT_CAP = 1000


@dataclass(slots=True)
class EventFilter:
    """The events page's filters (all optional); `fused_kwargs` are those `kbquery.list_fused` takes."""

    actor: str | None = None
    type: str | None = None
    since: str | None = None
    until: str | None = None
    text: str | None = None
    tlp: str | None = None
    publisher: str | None = None
    language: str | None = None
    grade: str | None = None

    @classmethod
    def from_query(cls, q: dict[str, str]) -> EventFilter:
        f = cls(**{k: (q.get(k) or "").strip() or None for k in cls.__dataclass_fields__})
        if f.tlp and f.tlp.upper() not in TLPS:
            raise InputError("tlp", f"unknown marking {f.tlp!r}; expected one of {', '.join(TLPS)}")
        if f.language and f.language not in ("id", "en"):
            raise InputError("language", f"unknown language {f.language!r}; expected id or en")
        return f

    def fused_kwargs(self) -> dict[str, Any]:
        return {"actor": self.actor, "type": self.type, "since": self.since, "until": self.until,
                "grade": self.grade}

    def query(self) -> dict[str, str]:
        return {k: v for k in self.__dataclass_fields__ if (v := getattr(self, k))}


def _document_side_ids(node: Node, viewer: Viewer, f: EventFilter) -> list[int] | None:
    """Fused events with a report the viewer may see matching text / publisher / language (None: no such filter)."""
    if not (f.text or f.publisher or f.language):
        return None
    fee = fused_event_evidence
    q = (sa.select(fee.c.fused_event_id).distinct().join(events, events.c.id == fee.c.event_id)
         .join(documents, documents.c.id == events.c.document_id)
         .where(visible(events, viewer), visible(documents, viewer)))
    if f.publisher:
        q = q.where(documents.c.publisher.icontains(f.publisher, autoescape=True))
    if f.language:
        q = q.where(documents.c.language == f.language)
    if f.text:
        hit = sa.select(event_evidence.c.event_id).where(event_evidence.c.text.icontains(f.text, autoescape=True))
        q = q.where(sa.or_(events.c.id.in_(hit), documents.c.title.icontains(f.text, autoescape=True)))
    with node.engine.connect() as conn:
        return list(conn.execute(q).scalars())


def _sort_value(e: FusedEvent, key: str) -> Any:
    if key == "date":
        return (e.date is None, e.date.start if e.date else "", int(e.id))
    if key == "grade":
        return (e.grade, int(e.id))
    if key == "reports":
        return (len(e.evidence), int(e.id))
    return (e.type, int(e.id))


def fused_page(node: Node, viewer: Viewer, f: EventFilter, *, sort: str = "date", page: int = 1,
               per_page: int = 25) -> tuple[list[FusedEvent], bool]:
    """One page of fused events as the viewer sees them, and whether there is a next page. The date
    order is the services' own (paged in SQL); other orders and the TLP filter sort the viewer's
    whole filtered list."""
    if sort not in SORTS:
        raise InputError("sort", f"unknown order {sort!r}; expected one of {', '.join(SORTS)}")
    if page < 1:
        raise InputError("page", "pages start at 1")
    ids = _document_side_ids(node, viewer, f)
    kw = f.fused_kwargs()
    if ids is not None:
        kw["ids"] = ids
    off = (page - 1) * per_page
    try:
        if sort == "date" and not f.tlp:
            got = list_fused(node, viewer=viewer, limit=per_page + 1, offset=off, **kw)  # type: ignore[arg-type]
            return got[:per_page], len(got) > per_page
        got = list_fused(node, viewer=viewer, limit=None, **kw)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError("grade", str(exc)) from exc
    if f.tlp:
        got = [e for e in got if str(e.tlp) == f.tlp.upper()]
    desc, key = SORTS[sort]
    got.sort(key=lambda e: _sort_value(e, key), reverse=desc)
    return got[off:off + per_page], len(got) > off + per_page


def count_fused(node: Node, viewer: Viewer, **filters: Any) -> int:
    """How many fused events the viewer sees (capped at COUNT_CAP + 1: shown as "1000+")."""
    return len(list_fused(node, viewer=viewer, limit=COUNT_CAP + 1, with_evidence=False, **filters))  # type: ignore[arg-type]


def export_fused(node: Node, viewer: Viewer, f: EventFilter, fmt: str) -> str:
    from pantau.services.export import export

    kw = f.fused_kwargs()
    ids = _document_side_ids(node, viewer, f)
    if ids is not None:
        kw["ids"] = ids
    if f.tlp:
        kw["ids"] = [int(e.id) for e in list_fused(node, viewer=viewer, limit=None, with_evidence=False, **kw)  # type: ignore[arg-type]
                     if str(e.tlp) == f.tlp.upper()]
    try:
        return export(node, fmt, viewer=viewer, **kw)  # type: ignore[arg-type]
    except ValueError as exc:
        raise InputError("format", str(exc)) from exc


# ---------------------------------------------------------------- overview

@dataclass(slots=True)
class Overview:
    fused: int
    new_fused: list[FusedEvent]
    incidents_new: int
    incidents: list[Incident]
    partners: list[dict[str, Any]] = field(default_factory=list)
    since: datetime | None = None
    new_since: int | None = None  # fused events made or updated since the previous visit


def overview(node: Node, viewer: Viewer, since: datetime | None) -> Overview:
    from pantau.services.federation import list_partners

    recent = list_fused(node, viewer=viewer, limit=None, with_evidence=False)  # type: ignore[arg-type]
    recent.sort(key=lambda e: int(e.id), reverse=True)
    inc = list_incidents(node, viewer=viewer, status="new", limit=COUNT_CAP + 1)  # type: ignore[arg-type]
    partners = list_partners(node) if viewer.is_admin() else []
    new_since = None
    if since is not None:
        from pantau.services.kbquery import fused_filter
        from pantau.storage.kb_tables import fused_events

        with node.engine.connect() as conn:
            conds = fused_filter(conn, viewer=viewer)
            new_since = conn.execute(sa.select(sa.func.count()).select_from(fused_events)
                                     .where(*conds, fused_events.c.updated_at > since)).scalar_one()
    return Overview(fused=min(len(recent), COUNT_CAP + 1), new_fused=recent[:10], incidents_new=len(inc),
                    incidents=inc[:10], partners=partners, since=since, new_since=new_since)


# ---------------------------------------------------------------- one fused event

def report_contexts(node: Node, viewer: Viewer, fe: FusedEvent, width: int = 240) -> list[dict[str, Any]]:
    """Each visible report of a fused event with its evidence sentence in context (before, hit, after)."""
    out = []
    with node.engine.connect() as conn:
        for link in fe.evidence:
            try:
                ev = reads.get_event(conn, viewer, int(link.event_id))
                doc = reads.get_document(conn, viewer, int(link.doc_id))
            except NotFound:
                continue
            text = doc["text"]
            spans = [(e["start"], e["end"]) for e in ev["evidence"] if e["document_id"] == int(link.doc_id)]
            s, e = spans[0] if spans else (0, 0)
            out.append({"link": link, "document": doc, "event": ev, "before": text[max(0, s - width):s],
                        "hit": text[s:e], "after": text[e:e + width], "cut_before": s > width,
                        "cut_after": e + width < len(text)})
    return out


def grade_reasons(fe: FusedEvent) -> list[str]:
    from pantau.services.grading import grade

    g = grade(fe.evidence)
    pubs = sorted({e.publisher for e in fe.evidence if e.publisher and e.independent})
    dup = sum(1 for e in fe.evidence if not e.independent)
    facts = Counter(e.factuality for e in fe.evidence)
    out = [f"reliability {fe.reliability}: the best-rated independent publisher"
           + (f" among {', '.join(pubs)}" if pubs else " (no rated publisher)"),
           f"credibility {fe.credibility}: {g.independent_sources} independent source(s), "
           + ", ".join(f"{n} {k}" for k, n in sorted(facts.items()))]
    if dup:
        out.append(f"{dup} near-duplicate report(s) not counted as independent")
    return out


def owned_reports(node: Node, viewer: Viewer, fe: FusedEvent) -> list[dict[str, Any]]:
    """The reports of this fused event the viewer's organisation owns (their marking it may change)."""
    if viewer.org_id is None:
        return []
    ids = [int(e.event_id) for e in fe.evidence]
    with node.engine.connect() as conn:
        rows = conn.execute(sa.select(events.c.id, events.c.document_id, events.c.marking)
                            .where(events.c.id.in_(ids), events.c.org_id == viewer.org_id,
                                   visible(events, viewer))).all()
        rel = reads.release_lists(conn, "events", [r.id for r in rows])
    return [{"event_id": r.id, "document_id": r.document_id, "tlp": r.marking, "release": rel[str(r.id)]}
            for r in rows]


def remark_fused(node: Node, viewer: Viewer, fused_id: int, tlp: str, *, orgs: list[str], groups_: list[str],
                 users_: list[str], documents_too: bool = True) -> int:
    """Re-mark every report of a fused event that the viewer's organisation owns (its events, and by
    default the documents they quote). Returns how many reports changed."""
    from pantau.services.sharing import share

    if tlp.upper() not in TLPS:
        raise InputError("tlp", f"unknown marking {tlp!r}; expected one of {', '.join(TLPS)}")
    if not viewer.can_write():
        raise AccessDenied("changing a marking needs the analyst role in the owner organisation")
    fe = get_fused(node, fused_id, viewer=viewer)  # type: ignore[arg-type]
    mine = owned_reports(node, viewer, fe)
    if not mine:
        raise AccessDenied(f"your organisation owns no report of fused event {fused_id}")
    for r in mine:
        share(node, "events", r["event_id"], tlp, orgs=orgs, groups_=groups_, users_=users_, actor=viewer)
        if documents_too:
            share(node, "documents", r["document_id"], tlp, orgs=orgs, groups_=groups_, users_=users_, actor=viewer)
    return len(mine)


def split_report(node: Node, viewer: Viewer, fused_id: int, event_id: int, note: str | None, user: str) -> int:
    from pantau.services.kb import split

    if not viewer.can_write():
        raise AccessDenied("splitting a fused event needs the analyst role")
    fe = get_fused(node, fused_id, viewer=viewer)  # type: ignore[arg-type]
    if str(event_id) not in {e.event_id for e in fe.evidence}:
        raise NotFound(f"no report {event_id} in fused event {fused_id}")
    return split(node, event_id, note=note, user=user)  # type: ignore[arg-type]


def merge_fused(node: Node, viewer: Viewer, into: int, other: int, note: str | None, user: str) -> int:
    from pantau.services.kb import merge

    if not viewer.can_write():
        raise AccessDenied("merging fused events needs the analyst role")
    a = get_fused(node, into, viewer=viewer)  # type: ignore[arg-type]
    b = get_fused(node, other, viewer=viewer)  # type: ignore[arg-type]
    if len(b.evidence) == 0 or len(a.evidence) == 0:
        raise NotFound("nothing to merge")
    return merge(node, into, other, note=note, user=user)  # type: ignore[arg-type]


def provision(provision_id: str) -> Any:
    """The sanctions provision (resolution, paragraph, what it prohibits) of an incident."""
    from pantau.services.assess import provisions

    return next((p for p in provisions() if p.id == provision_id), None)


def incidents_of(node: Node, viewer: Viewer, fused_id: int) -> list[Incident]:
    return list_incidents(node, viewer=viewer, ids=[fused_id], limit=None)  # type: ignore[arg-type]


# ---------------------------------------------------------------- a document, displaCy-style

def document_marks(node: Node, viewer: Viewer, doc_id: int) -> dict[str, Any]:
    """The document text cut into segments, each with its marks: entity mentions (linked to the actor
    page), event evidence and triggers (linked to the fused event), dates, quantities, furniture."""
    from pantau.nlp.furniture import find_furniture
    from pantau.services.kbquery import fusion_of_document

    with node.engine.connect() as conn:
        doc = reads.get_document(conn, viewer, doc_id)
        evs = reads.list_events(conn, viewer, document=doc_id, limit=1000)["items"]
        ments = conn.execute(sa.select(mentions.c.start, mentions.c.end, mentions.c.entity_id, entities.c.type)
                             .join(entities, entities.c.id == mentions.c.entity_id)
                             .where(mentions.c.document_id == doc_id)).all()
        qty = conn.execute(sa.select(reads.event_quantities.c.start, reads.event_quantities.c.end,
                                     reads.event_quantities.c.event_id)
                           .where(reads.event_quantities.c.event_id.in_([e["id"] for e in evs]),
                                  reads.event_quantities.c.start.is_not(None))).all() if evs else []
        date_texts = dict(conn.execute(sa.select(events.c.id, events.c.date_text)
                                       .where(events.c.id.in_([e["id"] for e in evs]))).all()) if evs else {}
    text: str = doc["text"]
    fused = {f["event_id"]: f["fused_event_id"] for f in fusion_of_document(node, doc_id, viewer=viewer)}  # type: ignore[arg-type]
    marks: list[tuple[int, int, str, str, str]] = []  # start, end, kind, label, href
    for s, e, ent, typ in ments:
        marks.append((s, e, "ent", typ.upper(), f"/actors/{ent}"))
    for ev in evs:
        href = f"/events/{fused[ev['id']]}" if ev["id"] in fused else f"/documents/{doc_id}#ev{ev['id']}"
        for x in ev["evidence"]:
            if x["document_id"] != doc_id:
                continue
            marks.append((x["start"], x["end"], "evidence", ev["type"], href))
            trig = ev.get("trigger")
            if trig and (i := text.find(trig, x["start"], x["end"])) >= 0:
                marks.append((i, i + len(trig), "trigger", ev["type"], href))
            dt = date_texts.get(ev["id"])
            if dt and (i := text.find(dt, x["start"], x["end"])) >= 0:
                marks.append((i, i + len(dt), "date", "DATE", href))
    for s, e, eid in qty:
        href = f"/events/{fused[eid]}" if eid in fused else ""
        marks.append((s, e, "qty", "QUANTITY", href))
    layout = find_furniture(text, language=doc.get("language") or "id", title=doc.get("title"))
    for fu in layout.furniture:
        marks.append((fu.start, fu.end, "furniture", fu.label, ""))
    return {"document": doc, "segments": segments(text, marks), "events": evs, "fused": fused}


def segments(text: str, marks: list[tuple[int, int, str, str, str]]) -> list[dict[str, Any]]:
    """Cut `text` at every mark boundary; each piece lists the marks covering it (outermost first)."""
    cuts = sorted({0, len(text), *[m[0] for m in marks], *[m[1] for m in marks]} & set(range(len(text) + 1)))
    out = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        cover = sorted((m for m in marks if m[0] <= a and b <= m[1] and m[0] < m[1]),
                       key=lambda m: (m[0] - m[1], m[2]))
        out.append({"text": text[a:b], "marks": [{"kind": k, "label": lab, "href": h} for _, _, k, lab, h in cover]})
    return out


# ---------------------------------------------------------------- an actor

def actor_view(node: Node, viewer: Viewer, actor_id: str) -> dict[str, Any]:
    """Names and aliases, affiliations and roles seen in documents (with their dates), a timeline of
    the reports of its events by month and type, its counterparts (graph), its fused events and
    incidents — all from what the viewer sees."""
    from pantau.storage.tables import document_entities

    with node.engine.connect() as conn:
        ent = reads.get_entity(conn, viewer, actor_id)
        aliases = sorted(set(conn.execute(sa.select(entity_aliases.c.alias)
                                          .where(entity_aliases.c.entity_id == actor_id)).scalars()))
        de = document_entities
        offices = [dict(r._mapping) for r in conn.execute(
            sa.select(de.c.name, de.c.affiliation, de.c.role, documents.c.published_date, documents.c.id)
            .join(documents, documents.c.id == de.c.document_id)
            .where(de.c.entity_id == actor_id, visible(documents, viewer),
                   sa.or_(de.c.affiliation.is_not(None), de.c.role.is_not(None)))
            .order_by(documents.c.published_date).limit(50))]
        # the same per-viewer aggregates as GET /api/timeline and /api/graph (SQL, so a busy actor stays fast)
        months = reads.timeline(conn, viewer, actor=actor_id)
        net = reads.graph(conn, viewer, actor=actor_id)
    labels = sorted({m["month"] for m in months})
    types = sorted({m["type"] for m in months})
    counts = {(m["month"], m["type"]): m["events"] for m in months}
    timeline = {"labels": labels, "series": [{"type": t, "data": [counts.get((m, t), 0) for m in labels]}
                                             for t in types]}
    fused = list_fused(node, viewer=viewer, limit=50, with_evidence=False, actor=actor_id)  # type: ignore[arg-type]
    incs = list_incidents(node, viewer=viewer, actor=actor_id, limit=50)  # type: ignore[arg-type]
    return {"entity": ent, "aliases": aliases, "offices": offices, "fused": fused, "count": sum(counts.values()),
            "timeline": timeline, "graph": net, "incidents": incs}


# ---------------------------------------------------------------- map

def map_points(node: Node, viewer: Viewer, f: EventFilter) -> list[dict[str, Any]]:
    """Fused events placed on the map: their location (a place or a country), else the country of
    their first target or source (marked approximate). Coordinates from the packaged gazetteer."""
    from pantau.services.geo import locate

    kw = f.fused_kwargs()
    got = list_fused(node, viewer=viewer, limit=5000, with_evidence=False, **kw)  # type: ignore[arg-type]
    places: dict[tuple[float, float], dict[str, Any]] = {}
    for e in got:
        approx = False
        where = locate(e.location) if e.location else None
        if where is None:
            approx = True
            for a in [*(e.target_roots or e.target), *(e.source_roots or e.source)]:
                if (where := locate(a)) is not None:
                    break
        if where is None:
            continue
        name, lat, lon = where
        p = places.setdefault((lat, lon), {"name": name, "lat": lat, "lon": lon, "events": [], "approx": approx})
        p["events"].append({"id": e.id, "summary": e.summary, "tlp": str(e.tlp)})
    return list(places.values())


# ---------------------------------------------------------------- reports

def report(node: Node, viewer: Viewer, *, incident_ids: list[int] | None = None, actor: str | None = None,
           since: str | None = None, until: str | None = None) -> dict[str, Any]:
    """A Panel-of-Experts style annex: each incident with its provision, evidence quoted with source
    and date, grade; a timeline; and the highest TLP of everything included."""
    from pantau.services.assess import provisions

    provs = {p.id: p for p in provisions()}
    if not incident_ids and not actor:
        raise InputError("report", "choose incidents, or an actor and a period")
    if incident_ids:
        incs = [get_incident(node, i, viewer=viewer) for i in incident_ids]  # type: ignore[arg-type]
    else:
        incs = list_incidents(node, viewer=viewer, actor=actor, since=since, until=until, limit=500)  # type: ignore[arg-type]
    items = []
    for inc in incs:
        fe = get_fused(node, int(inc.fused_event_id), viewer=viewer)  # type: ignore[arg-type]
        items.append({"incident": inc, "fused": fe, "provision": provs.get(inc.provision_id)})
    from pantau.services.geo import locate

    places: dict[str, tuple[str, float, float]] = {}
    for i in items:
        fe = i["fused"]
        for ref in [fe.location, *(fe.target_roots or fe.target), *(fe.source_roots or fe.source)]:
            if ref and (where := locate(ref)) is not None:
                places.setdefault(where[0], where)
                break
    tlp = most_restrictive([*(i["incident"].tlp for i in items), *(i["fused"].tlp for i in items)])
    dates = sorted(((i["fused"].date.start, i) for i in items if i["fused"].date), key=lambda di: di[0])
    return {"items": items, "tlp": str(tlp), "actor": actor, "since": since, "until": until,
            "timeline": [{"date": d, "title": i["incident"].title, "id": i["incident"].id} for d, i in dates],
            "places": list(places.values()), "generated": date.today().isoformat()}


# ---------------------------------------------------------------- administration (admins only)

def _admin(viewer: Viewer) -> None:
    if not viewer.is_admin():
        raise AccessDenied("administration pages are for admins")


def admin_overview(node: Node, viewer: Viewer, *, audit_rows: int = 50) -> dict[str, Any]:
    """Organisations, groups, users, tokens, partners with their last pull, the tail of the audit log
    and whether it verifies."""
    from pantau.services import identity
    from pantau.services.federation import list_partners
    from pantau.storage.share_tables import audit_log, group_members, groups
    from pantau.storage.tables import organisations

    _admin(viewer)
    with node.engine.connect() as conn:
        members: dict[int, list[str]] = defaultdict(list)
        for gid, slug in conn.execute(sa.select(group_members.c.group_id, organisations.c.slug)
                                      .join(organisations, organisations.c.id == group_members.c.org_id)):
            members[gid].append(slug)
        grps = [{"id": r.id, "slug": r.slug, "name": r.name, "orgs": sorted(members[r.id])}
                for r in conn.execute(sa.select(groups).order_by(groups.c.id))]
        audit = [dict(r._mapping) for r in conn.execute(
            sa.select(audit_log.c.seq, audit_log.c.at, audit_log.c.org_id, audit_log.c.user_id, audit_log.c.action,
                      audit_log.c.object_type, audit_log.c.object_id)
            .order_by(audit_log.c.seq.desc()).limit(audit_rows))]
        verify = node.audit.verify(conn)
    return {"orgs": identity.list_orgs(node), "groups": grps, "users": identity.list_users(node),
            "tokens": identity.list_tokens(node), "partners": list_partners(node), "audit": audit,
            "verify": verify}


def admin_add_user(node: Node, viewer: Viewer, username: str, org: str, role: str, password: str | None) -> int:
    from pantau.services import identity
    from pantau.services.webauth import set_password

    _admin(viewer)
    if not username.strip():
        raise InputError("username", "empty")
    uid = identity.add_user(node, username.strip(), org, role=role, actor=viewer)
    if password:
        set_password(node, username.strip(), password, actor=viewer)
    return uid


def admin_set_password(node: Node, viewer: Viewer, username: str, password: str) -> None:
    from pantau.services.webauth import set_password

    _admin(viewer)
    set_password(node, username, password, actor=viewer)


def admin_create_token(node: Node, viewer: Viewer, username: str, name: str, days: float | None) -> str:
    from pantau.services import identity

    _admin(viewer)
    return identity.create_token(node, username, name=name, days=days, actor=viewer)[1]


def admin_revoke_token(node: Node, viewer: Viewer, token_id: int) -> None:
    from pantau.services import identity

    _admin(viewer)
    identity.revoke_token(node, token_id, actor=viewer)


def admin_add_org(node: Node, viewer: Viewer, slug: str, name: str | None, member: bool) -> int:
    from pantau.services import identity

    _admin(viewer)
    if not slug.strip():
        raise InputError("slug", "empty")
    return identity.add_org(node, slug.strip(), name or None, member=member, actor=viewer)


def actor_suggestions(node: Node, viewer: Viewer, prefix: str, limit: int = 10) -> list[dict[str, Any]]:
    """Autocomplete for actor fields: entities the viewer may see whose id, name or alias matches."""
    if len(prefix.strip()) < 2:
        return []
    with node.engine.connect() as conn:
        return reads.list_entities(conn, viewer, text=prefix.strip(), limit=limit)["items"]
