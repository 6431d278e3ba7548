"""TAXII 2.1 collections over the store, under the same access rules as every other read path.

Collections: one per TLP marking (`tlp-clear` … `tlp-red`), `all`, and per partner organisation
`shared-with-<org>`: what was released to that organisation by name (or through a group). A viewer
lists only the collections it can read, and reads in each only what `access.visible` lets through.
Served objects are the node's events (as STIX reports with their actors) and objects pulled from
partners, which keep the partner's marking and are never re-served beyond it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from pantau.exc import InputError, NotFound
from pantau.interop.stix_share import (
    PANTAU_NS,
    Mapper,
    event_report,
    revoked_report,
    stix_timestamp,
)
from pantau.model.markings import TLP
from pantau.services.access import Viewer, visible
from pantau.services.node import Node
from pantau.services.reads import EVENT_COLS, _jsonable, attach_event_details
from pantau.storage.share_tables import (
    change_log,
    group_members,
    partner_documents,
    pulled_objects,
    releases,
    taxii_served,
)
from pantau.storage.tables import documents, events, organisations
from pantau.storage.writer import insert_ignore

MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    slug: str
    title: str
    description: str
    marking: TLP | None = None
    for_org: int | None = None
    can_write: bool = False

    def resource(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "description": self.description,
                "can_read": True, "can_write": self.can_write, "media_types": ["application/stix+json;version=2.1"]}


def _cid(slug: str) -> str:
    return str(uuid.uuid5(PANTAU_NS, f"collection/{slug}"))


def collections(conn: sa.Connection, viewer: Viewer) -> list[Collection]:
    writer = viewer.can_write() and isinstance(viewer.org_id, int) and not viewer.is_system
    out = [Collection(_cid("all"), "all", "Everything you may see", "All objects visible to you, any marking; "
                      "analysts may add objects, kept under their own markings.", can_write=writer)]
    for t in TLP:
        slug = "tlp-" + t.value.lower().replace("+", "-")
        out.append(Collection(_cid(slug), slug, f"TLP:{t.value}", f"Objects marked TLP:{t.value} visible to you.",
                              marking=t))
    if viewer.org_id is not None:
        slug = conn.execute(sa.select(organisations.c.slug).where(organisations.c.id == viewer.org_id)).scalar()
        if slug:
            out.append(Collection(_cid(f"shared-with-{slug}"), f"shared-with-{slug}", f"Shared with {slug}",
                                  f"What was released to {slug} by name or through one of its groups.",
                                  for_org=int(viewer.org_id)))
    return out


def get_collection(conn: sa.Connection, viewer: Viewer, cid: str) -> Collection:
    for c in collections(conn, viewer):
        if c.id == cid or c.slug == cid:
            return c
    raise NotFound(f"no collection {cid}")


@dataclass(frozen=True, slots=True)
class Entry:
    date_added: str
    obj: dict[str, Any]
    source: tuple[str, str] | None = None  # (kind, id) of this node's own object behind a report


def _released_to(table: sa.Table, kind: str, org_id: int) -> sa.ColumnElement[bool]:
    gids = sa.select(sa.cast(group_members.c.group_id, sa.String)).where(group_members.c.org_id == org_id)
    return sa.exists(sa.select(releases.c.id).where(
        releases.c.object_kind == kind, releases.c.object_id == sa.cast(table.c.id, sa.String),
        sa.or_(releases.c.org_id == str(org_id), releases.c.group_id.in_(gids))))


def _sources(conn: sa.Connection, viewer: Viewer, rows: list[dict[str, Any]]) -> dict[int, list[dict[str, Any]]]:
    """Per event, the source documents the viewer may see (publisher, url, title, text hash)."""
    docs = {r["document_id"] for r in rows}
    if not docs:
        return {}
    got = {d.id: {"publisher": d.publisher, "url": d.url, "title": d.title, "sha256": d.content_hash}
           for d in conn.execute(sa.select(documents.c.id, documents.c.publisher, documents.c.url,
                                           documents.c.title, documents.c.content_hash)
                                 .where(documents.c.id.in_(docs), visible(documents, viewer)))}
    return {r["id"]: [got[r["document_id"]]] for r in rows if r["document_id"] in got}


def entries(node: Node, conn: sa.Connection, viewer: Viewer, coll: Collection) -> list[Entry]:
    """Every object of the collection the viewer may see, oldest `date_added` first; reports this
    node served the viewer's organisation before and that it may no longer see come as `revoked`."""
    from pantau.services.stix_node import mapper_for

    m = mapper_for(node, conn)
    ns = m.ns
    from_partner = sa.select(partner_documents.c.document_id)
    q = sa.select(*EVENT_COLS, events.c.created_at).where(visible(events, viewer),
                                                         events.c.document_id.not_in(from_partner))
    pq = sa.select(pulled_objects).where(visible(pulled_objects, viewer))
    if coll.marking is not None:
        q = q.where(events.c.marking == coll.marking.value)
        pq = pq.where(pulled_objects.c.marking == coll.marking.value)
    if coll.for_org is not None:
        q = q.where(_released_to(events, "events", coll.for_org))
        pq = pq.where(_released_to(pulled_objects, "pulled_objects", coll.for_org))
    rows = [dict(r._mapping) for r in conn.execute(q.order_by(events.c.id))]
    created = {r["id"]: r.pop("created_at") for r in rows}
    rows = [_jsonable(r) for r in rows]
    attach_event_details(conn, viewer, rows)
    srcs = _sources(conn, viewer, rows)
    changed = dict(conn.execute(
        sa.select(change_log.c.object_id, sa.func.max(change_log.c.at))
        .where(change_log.c.object_kind == "events",
               change_log.c.object_id.in_([str(r["id"]) for r in rows]))
        .group_by(change_log.c.object_id)).all()) if rows else {}
    out: dict[str, Entry] = {}
    for obj in m.preamble():
        out[obj["id"]] = Entry(obj["modified"], obj)
    for r in rows:
        added = max(_utc(created[r["id"]]), _utc(changed.get(str(r["id"])) or created[r["id"]]))
        stamp = stix_timestamp(added)
        r["sources"] = srcs.get(r["id"], [])
        for i, obj in enumerate(event_report(r, ns, modified=added, created=created[r["id"]], mapper=m)):
            if obj["id"] not in out or out[obj["id"]].date_added > stamp:
                out[obj["id"]] = Entry(stamp, obj, ("events", str(r["id"])) if i == 0 else None)
    for p in conn.execute(pq):
        stamp = stix_timestamp(_utc(p.pulled_at))
        out.setdefault(p.stix_id, Entry(stamp, dict(p.object)))
    for e in withdrawn(conn, viewer, set(out), m):
        out.setdefault(e.obj["id"], e)
    return sorted(out.values(), key=lambda e: (e.date_added, e.obj["id"]))


def withdrawn(conn: sa.Connection, viewer: Viewer, present: set[str], m: Mapper) -> list[Entry]:
    """Revoked versions of the reports served to the viewer's organisation that it may no longer see
    (re-marked, release withdrawn, deleted). The withdrawal time is fixed when first noticed, so
    every later read gives the same version; a report seen again is served normally again."""
    if viewer.is_system or not isinstance(viewer.org_id, int):
        return []
    rows = conn.execute(sa.select(taxii_served).where(taxii_served.c.org_id == viewer.org_id)).all()
    gone = [r for r in rows if r.stix_id not in present]
    if not gone:
        return []
    visible_ids = {str(i) for i in conn.execute(sa.select(events.c.id).where(
        events.c.id.in_([int(r.object_id) for r in gone if r.object_id.isdigit()]), visible(events, viewer)
    )).scalars()}
    now = datetime.now(UTC)
    out = []
    for r in gone:
        if r.object_id in visible_ids:
            continue  # still visible, only outside this collection's filter
        when = r.withdrawn_at
        if when is None:
            when = now
            conn.execute(taxii_served.update().where(taxii_served.c.org_id == r.org_id,
                                                     taxii_served.c.stix_id == r.stix_id).values(withdrawn_at=now))
        obj = revoked_report(r.stix_id, r.created, _utc(when), m)
        out.append(Entry(obj["modified"], obj))
    return out


def record_served(conn: sa.Connection, viewer: Viewer, served: list[Entry]) -> None:
    """Remember which of this node's reports the viewer's organisation received (for withdrawals)."""
    if viewer.is_system or not isinstance(viewer.org_id, int):
        return
    own = [e for e in served if e.source is not None]
    if not own:
        return
    known = {r.stix_id: r.withdrawn_at for r in conn.execute(
        sa.select(taxii_served.c.stix_id, taxii_served.c.withdrawn_at).where(
            taxii_served.c.org_id == viewer.org_id, taxii_served.c.stix_id.in_([e.obj["id"] for e in own])))}
    now = datetime.now(UTC)
    fresh = [e for e in own if e.obj["id"] not in known]
    # concurrent reads by one organisation may record the same object: the first one wins
    insert_ignore(conn, taxii_served, [
        {"org_id": viewer.org_id, "stix_id": e.obj["id"], "object_kind": e.source[0],  # type: ignore[index]
         "object_id": e.source[1], "created": e.obj["created"], "first_served": now}  # type: ignore[index]
        for e in fresh], ["org_id", "stix_id"])
    for e in own:
        if e.obj["id"] in known and known[e.obj["id"]] is not None:
            conn.execute(taxii_served.update().where(taxii_served.c.org_id == viewer.org_id,
                                                     taxii_served.c.stix_id == e.obj["id"]).values(withdrawn_at=None))


def _utc(v: datetime | str) -> datetime:
    if isinstance(v, str):
        v = datetime.fromisoformat(v)
    return v if v.tzinfo else v.replace(tzinfo=UTC)


@dataclass(slots=True)
class Page:
    entries: list[Entry]
    more: bool
    next: str | None


def query(node: Node, conn: sa.Connection, viewer: Viewer, coll: Collection, *, added_after: str | None = None,
          ids: list[str] | None = None, types: list[str] | None = None, versions: list[str] | None = None,
          limit: int | None = None, next_: str | None = None) -> Page:
    """Filter and page the collection as TAXII 2.1 asks (`added_after`, `match[id|type|version]`,
    `limit`, `next`). Every object has one version here: the latest."""
    cut = _timestamp(added_after, "added_after") if added_after else None
    stamps = {_timestamp(v, "match[version]") for v in versions or () if v not in ("all", "last", "first")}
    if next_ and not next_.isdigit():
        raise InputError("next", "not a page token from this server")
    items = entries(node, conn, viewer, coll)
    if cut is not None:
        items = [e for e in items if e.date_added > cut]
    if ids:
        items = [e for e in items if e.obj["id"] in ids]
    if types:
        items = [e for e in items if e.obj["type"] in types]
    if versions:
        wanted = set(versions)
        items = [e for e in items if wanted & {"all", "last", "first"}
                 or stix_timestamp(e.obj.get("modified", e.date_added)) in stamps]
    start = int(next_) if next_ and next_.isdigit() else 0
    size = min(limit or MAX_LIMIT, MAX_LIMIT)
    chunk = items[start:start + size]
    more = start + size < len(items)
    return Page(chunk, more, str(start + size) if more else None)


def _timestamp(value: str, param: str) -> str:
    """A STIX timestamp from a query parameter; InputError (400) naming the parameter otherwise."""
    try:
        return stix_timestamp(value)
    except (ValueError, OverflowError) as exc:
        raise InputError(param, "not a timestamp (e.g. 2024-03-28T00:00:00.000Z)") from exc


def manifest_record(e: Entry) -> dict[str, Any]:
    return {"id": e.obj["id"], "date_added": e.date_added, "version": e.obj.get("modified", e.date_added),
            "media_type": "application/stix+json;version=2.1"}
