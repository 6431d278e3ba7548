"""Marking and releasing stored objects, and the change log the live stream reads.

`share` sets an object's TLP marking and release list (organisations, groups, users), in one
transaction with its audit record (the change log gets its entry from a database trigger). Only the owner organisation's analysts
and admins (or the local CLI) may change a marking.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from pantau.exc import AccessDenied, InputError, NotFound
from pantau.model.markings import TLP
from pantau.services.access import Marking, Viewer, visible
from pantau.services.node import Node
from pantau.storage.share_tables import change_log, groups, releases
from pantau.storage.tables import metadata, organisations, users

MARKABLE = ("documents", "events")
"""Kinds that carry a marking of their own that an owner may change. Everything else is derived
(entities, fused events and incidents are seen through their sources), system state (change log,
audit) or keeps its origin's marking (objects pulled from a partner)."""

STREAM_KINDS = ("events", "fused_events", "incidents")
"""Kinds whose inserts and updates reach the change log through database triggers (revision s002)."""


def marked_table(kind: str) -> sa.Table:
    table = metadata.tables.get(kind)
    if table is None or not {"id"} <= set(table.c.keys()) or not (
            {"org_id", "owner_org_id"} & set(table.c.keys()) and {"marking", "tlp"} & set(table.c.keys())):
        raise InputError(kind, "not a marked object kind")
    return table


def _owner_cols(table: sa.Table) -> tuple[sa.Column, sa.Column]:
    owner = table.c["org_id"] if "org_id" in table.c else table.c["owner_org_id"]
    tlp = table.c["marking"] if "marking" in table.c else table.c["tlp"]
    return owner, tlp


def release_lists(conn: sa.Connection, kind: str, ids: Iterable[Any]) -> dict[str, dict[str, list[str]]]:
    """{object id (text): {"orgs": [...], "groups": [...], "users": [...]}} for these objects."""
    keys = [str(i) for i in ids]
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: {"orgs": [], "groups": [], "users": []})
    if not keys:
        return out
    q = sa.select(releases).where(releases.c.object_kind == kind, releases.c.object_id.in_(keys))
    for r in conn.execute(q):
        if r.org_id is not None:
            out[r.object_id]["orgs"].append(r.org_id)
        elif r.group_id is not None:
            out[r.object_id]["groups"].append(r.group_id)
        else:
            out[r.object_id]["users"].append(r.user_id)
    return out


def marking_of(conn: sa.Connection, kind: str, object_id: Any) -> Marking:
    table = marked_table(kind)
    owner, tlp = _owner_cols(table)
    row = conn.execute(sa.select(owner, tlp).where(table.c.id == object_id)).first()
    if row is None:
        raise NotFound(f"no {kind} {object_id}")
    rel = release_lists(conn, kind, [object_id])[str(object_id)]
    return marking_from(row[0], row[1], rel)


def marking_from(owner: Any, tlp: str, rel: dict[str, list[str]]) -> Marking:
    """A Marking whose release ids are compared as text (release rows store text ids)."""
    return Marking(owner_org=str(owner), tlp=TLP.parse(tlp), release_orgs=frozenset(rel.get("orgs", ())),
                   release_groups=frozenset(rel.get("groups", ())), release_users=frozenset(rel.get("users", ())))


def text_viewer(v: Viewer) -> Viewer:
    """The same viewer with text ids, to compare with `marking_from` markings."""
    return Viewer(user_id=None if v.user_id is None else str(v.user_id),
                  org_id=None if v.org_id is None else str(v.org_id), role=v.role,
                  group_ids=frozenset(str(g) for g in v.group_ids), is_member=v.is_member, is_system=v.is_system)


def resolve_refs(conn: sa.Connection, table: sa.Table, col: sa.Column, refs: Iterable[str | int]) -> list[str]:
    out = []
    for ref in refs:
        key = table.c.id if isinstance(ref, int) or str(ref).isdigit() else col
        value = int(ref) if key is table.c.id else ref
        rid = conn.execute(sa.select(table.c.id).where(key == value)).scalar()
        if rid is None:
            raise NotFound(f"no {table.name} {ref!r}")
        out.append(str(rid))
    return out


def share(node: Node, kind: str, object_id: Any, tlp: TLP | str, *, orgs: Iterable[str | int] = (),
          groups_: Iterable[str | int] = (), users_: Iterable[str | int] = (), actor: Viewer) -> Marking:
    """Set the marking and release list of one object (replacing the old list)."""
    if kind == "pulled_objects":
        raise AccessDenied("objects pulled from a partner keep the partner's marking")
    if kind not in MARKABLE:
        raise InputError("kind", f"{kind!r} cannot be re-marked; only {' and '.join(MARKABLE)} carry a marking "
                                 "of their own (derived objects follow their sources)")
    table = marked_table(kind)
    owner_col, tlp_col = _owner_cols(table)
    mark = TLP.parse(tlp) if not isinstance(tlp, TLP) else tlp
    with node.engine.begin() as conn:
        row = conn.execute(sa.select(owner_col).where(table.c.id == object_id, visible(table, actor))).first()
        if row is None:
            raise NotFound(f"no {kind} {object_id}")
        if not actor.is_system and (row[0] != actor.org_id or not actor.can_write()):
            raise AccessDenied(f"only analysts of the owner organisation may mark {kind} {object_id}")
        org_ids = resolve_refs(conn, organisations, organisations.c.slug, orgs)
        group_ids = resolve_refs(conn, groups, groups.c.slug, groups_)
        user_ids = resolve_refs(conn, users, users.c.username, users_)
        if mark is TLP.RED and actor.user_id is not None and str(actor.user_id) not in user_ids:
            user_ids.append(str(actor.user_id))  # RED goes to named users only, always incl. the one marking it
        org_ids, group_ids, user_ids = _dedupe(org_ids), _dedupe(group_ids), _dedupe(user_ids)
        rel = {"orgs": org_ids, "groups": group_ids, "users": user_ids}
        followers: list[int] = []
        if kind == "documents":  # events that still carry the document's marking follow it
            followers = _inheriting_events(conn, int(object_id))
        for k, oid in [(kind, object_id), *[("events", e) for e in followers]]:
            _set_marking(conn, metadata.tables[k], k, oid, mark, rel)
        detail: dict[str, Any] = {"tlp": mark.value, "release": rel}
        if followers:
            detail["events"] = followers
        node.audit.append(conn, f"{kind}.mark", org_id=_int(actor.org_id), user_id=_int(actor.user_id),
                          object_type=kind, object_id=object_id, detail=detail)
    return marking_from(row[0], mark.value, rel)


def write_releases(conn: sa.Connection, objects: Iterable[tuple[str, Any]], rel: dict[str, list[str]]) -> None:
    """Release rows for each (kind, id) of `objects` to the organisations, groups and users of `rel`."""
    rows = [{"object_kind": kind, "object_id": str(oid), "org_id": None, "group_id": None, "user_id": None,
             **{key: v}}
            for kind, oid in objects
            for key, values in (("org_id", rel.get("orgs", [])), ("group_id", rel.get("groups", [])),
                                ("user_id", rel.get("users", [])))
            for v in dict.fromkeys(values)]
    if rows:
        conn.execute(releases.insert(), rows)


def _dedupe(ids: list[str]) -> list[str]:
    return sorted(set(ids), key=lambda v: (len(v), v))


def _set_marking(conn: sa.Connection, table: sa.Table, kind: str, object_id: Any, mark: TLP,
                 rel: dict[str, list[str]]) -> None:
    _, tlp_col = _owner_cols(table)
    conn.execute(table.update().where(table.c.id == object_id).values({tlp_col.key: mark.value}))
    conn.execute(releases.delete().where(releases.c.object_kind == kind, releases.c.object_id == str(object_id)))
    rows = ([{"org_id": o} for o in rel["orgs"]] + [{"group_id": g} for g in rel["groups"]]
            + [{"user_id": u} for u in rel["users"]])
    if rows:
        conn.execute(releases.insert(), [{"object_kind": kind, "object_id": str(object_id), "org_id": None,
                                          "group_id": None, "user_id": None, **r} for r in rows])


def _release_key(rel: dict[str, list[str]]) -> tuple[frozenset[str], ...]:
    return (frozenset(rel["orgs"]), frozenset(rel["groups"]), frozenset(rel["users"]))


def _inheriting_events(conn: sa.Connection, doc_id: int) -> list[int]:
    """Events of the document whose marking and release list are still the document's (never re-marked
    on their own): a re-marking or a withdrawn release of the document reaches them too."""
    from pantau.storage.tables import documents, events

    doc_tlp = conn.execute(sa.select(documents.c.marking).where(documents.c.id == doc_id)).scalar_one()
    doc_rel = _release_key(release_lists(conn, "documents", [doc_id])[str(doc_id)])
    evs = list(conn.execute(sa.select(events.c.id, events.c.marking).where(events.c.document_id == doc_id)
                            .order_by(events.c.id)))
    rels = release_lists(conn, "events", [e.id for e in evs])
    return [e.id for e in evs if e.marking == doc_tlp and _release_key(rels[str(e.id)]) == doc_rel]


def record_change(conn: sa.Connection, kind: str, object_id: Any, op: str, *, owner: Any, tlp: TLP | str,
                  release: dict[str, list[str]] | None = None, payload: dict[str, Any] | None = None) -> int:
    """Append to the change log by hand, for kinds without a table of their own (the triggers of
    revision s002 already record every write to events, fused events and incidents); the marking
    given here decides who sees it. Returns the change id (the SSE id)."""
    tlp_value = tlp.value if isinstance(tlp, TLP) else TLP.parse(tlp).value
    if conn.dialect.name == "postgresql":  # ids become visible in commit order: readers never skip one
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(6170602)"))
    return int(conn.execute(change_log.insert().values(
        at=datetime.now(UTC), object_kind=kind, object_id=str(object_id), op=op, org_id=int(owner),
        marking=tlp_value, release=release or {"orgs": [], "groups": [], "users": []},
        payload=payload or {},
    ).returning(change_log.c.id)).scalar_one())


def _int(v: object) -> int | None:
    return v if isinstance(v, int) else None
