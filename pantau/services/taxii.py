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

from pantau.exc import NotFound
from pantau.interop.stix_share import PANTAU_NS, event_report, node_namespace, stix_timestamp
from pantau.model.markings import TLP
from pantau.services.access import Viewer, visible
from pantau.services.audit import public_hex
from pantau.services.node import Node
from pantau.services.reads import EVENT_COLS, _jsonable, attach_event_details
from pantau.storage.share_tables import change_log, group_members, pulled_objects, releases
from pantau.storage.tables import events, organisations

MAX_LIMIT = 1000


@dataclass(frozen=True, slots=True)
class Collection:
    id: str
    slug: str
    title: str
    description: str
    marking: TLP | None = None
    for_org: int | None = None

    def resource(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "description": self.description,
                "can_read": True, "can_write": False, "media_types": ["application/stix+json;version=2.1"]}


def _cid(slug: str) -> str:
    return str(uuid.uuid5(PANTAU_NS, f"collection/{slug}"))


def collections(conn: sa.Connection, viewer: Viewer) -> list[Collection]:
    out = [Collection(_cid("all"), "all", "Everything you may see", "All objects visible to you, any marking.")]
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


def _released_to(table: sa.Table, kind: str, org_id: int) -> sa.ColumnElement[bool]:
    gids = sa.select(sa.cast(group_members.c.group_id, sa.String)).where(group_members.c.org_id == org_id)
    return sa.exists(sa.select(releases.c.id).where(
        releases.c.object_kind == kind, releases.c.object_id == sa.cast(table.c.id, sa.String),
        sa.or_(releases.c.org_id == str(org_id), releases.c.group_id.in_(gids))))


def entries(node: Node, conn: sa.Connection, viewer: Viewer, coll: Collection) -> list[Entry]:
    """Every object of the collection the viewer may see, oldest `date_added` first."""
    ns = node_namespace(public_hex(node.audit.key))
    q = sa.select(*EVENT_COLS, events.c.created_at).where(visible(events, viewer))
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
    changed = dict(conn.execute(
        sa.select(change_log.c.object_id, sa.func.max(change_log.c.at))
        .where(change_log.c.object_kind == "events",
               change_log.c.object_id.in_([str(r["id"]) for r in rows]))
        .group_by(change_log.c.object_id)).all()) if rows else {}
    out: dict[str, Entry] = {}
    for r in rows:
        added = max(_utc(created[r["id"]]), _utc(changed.get(str(r["id"])) or created[r["id"]]))
        stamp = stix_timestamp(added)
        for obj in event_report(r, ns, modified=added, created=created[r["id"]]):
            if obj["id"] not in out or out[obj["id"]].date_added > stamp:
                out[obj["id"]] = Entry(stamp, obj)
    for p in conn.execute(pq):
        stamp = stix_timestamp(_utc(p.pulled_at))
        out.setdefault(p.stix_id, Entry(stamp, dict(p.object)))
    return sorted(out.values(), key=lambda e: (e.date_added, e.obj["id"]))


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
    items = entries(node, conn, viewer, coll)
    if added_after:
        cut = stix_timestamp(added_after)
        items = [e for e in items if e.date_added > cut]
    if ids:
        items = [e for e in items if e.obj["id"] in ids]
    if types:
        items = [e for e in items if e.obj["type"] in types]
    if versions:
        wanted = set(versions)
        items = [e for e in items if wanted & {"all", "last", "first"}
                 or stix_timestamp(e.obj.get("modified", e.date_added)) in {stix_timestamp(v) for v in wanted
                                                                            if v not in ("all", "last", "first")}]
    start = int(next_) if next_ and next_.isdigit() else 0
    size = min(limit or MAX_LIMIT, MAX_LIMIT)
    chunk = items[start:start + size]
    more = start + size < len(items)
    return Page(chunk, more, str(start + size) if more else None)


def manifest_record(e: Entry) -> dict[str, Any]:
    return {"id": e.obj["id"], "date_added": e.date_added, "version": e.obj.get("modified", e.date_added),
            "media_type": "application/stix+json;version=2.1"}
