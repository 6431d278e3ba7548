"""The one place where TLP 2.0 access is decided.

Every read path (REST, TAXII, live stream, search, exports, reports, graph,
timeline) asks this module, either object by object (`may_see`) or in SQL
(`visible`, a WHERE clause that keeps counts and existence filtered too).

The rules (issue 6):
- CLEAR: anyone with access to the node;
- GREEN: every member organisation (and the owner);
- AMBER: the owner organisation and the organisations or groups it was released to;
- AMBER+STRICT: the owner organisation only;
- RED: the named users only.

Derived objects (fused events, incidents) are never more visible than the evidence
they expose: `visible_evidence` keeps, per viewer, only the evidence that viewer may
see, and `derived_view` hides the derived object when none is left.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar

from sqlalchemy import ColumnElement, Table, and_, exists, false, or_, select, true

from pantau.model.markings import TLP

Role = Literal["viewer", "analyst", "admin"]
ROLES: tuple[Role, ...] = ("viewer", "analyst", "admin")
Id = Hashable

# The most restrictive first: used to mark a derived object.
RESTRICTIVENESS: dict[TLP, int] = {TLP.CLEAR: 0, TLP.GREEN: 1, TLP.AMBER: 2, TLP.AMBER_STRICT: 3, TLP.RED: 4}


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who is asking. Built by the services from a token or a CLI session, never by hand in web code.

    `is_member` says whether the viewer's organisation is a member of the sharing
    community of this node (GREEN); a guest or partner organisation that is not a
    member sees CLEAR and what is released to it by name. `is_system` is the local,
    single-user CLI on the data owner's own machine; it is never given to a web request.
    """

    user_id: Id | None
    org_id: Id | None
    role: Role = "viewer"
    group_ids: frozenset[Id] = field(default_factory=frozenset)
    is_member: bool = True
    is_system: bool = False

    @classmethod
    def system(cls) -> Viewer:
        return cls(user_id=None, org_id=None, role="admin", is_member=True, is_system=True)

    def can_write(self) -> bool:
        return self.is_system or self.role in ("analyst", "admin")

    def is_admin(self) -> bool:
        return self.is_system or self.role == "admin"


def may_see(
    viewer: Viewer,
    owner_org: Id | None,
    marking: TLP | str,
    release_orgs: Collection[Id] = (),
    release_groups: Collection[Id] = (),
    release_users: Collection[Id] = (),
) -> bool:
    """Whether `viewer` may see an object owned by `owner_org` under `marking` with these release lists."""
    if viewer.is_system:
        return True
    tlp = TLP.parse(marking) if not isinstance(marking, TLP) else marking
    own = viewer.org_id is not None and owner_org == viewer.org_id
    if tlp is TLP.CLEAR:
        return True
    if tlp is TLP.GREEN:
        return viewer.is_member or own
    if tlp is TLP.AMBER:
        return (
            own
            or (viewer.org_id is not None and viewer.org_id in release_orgs)
            or any(g in release_groups for g in viewer.group_ids)
        )
    if tlp is TLP.AMBER_STRICT:
        return own
    # RED
    return viewer.user_id is not None and viewer.user_id in release_users


class Marked(Protocol):
    """Anything that carries its own marking (evidence rows, pulled objects)."""

    owner_org: Id | None
    tlp: TLP | str
    release_orgs: Collection[Id]
    release_groups: Collection[Id]
    release_users: Collection[Id]


@dataclass(frozen=True, slots=True)
class Marking:
    """A marking with its release lists: a plain value object for evidence and derived objects."""

    owner_org: Id | None
    tlp: TLP
    release_orgs: frozenset[Id] = frozenset()
    release_groups: frozenset[Id] = frozenset()
    release_users: frozenset[Id] = frozenset()


def may_see_marked(viewer: Viewer, obj: Marked) -> bool:
    return may_see(viewer, obj.owner_org, obj.tlp, obj.release_orgs, obj.release_groups, obj.release_users)


T = TypeVar("T")


def visible_evidence(
    viewer: Viewer, evidence: Iterable[T], marking_of: Callable[[T], Marked] | None = None
) -> list[T]:
    """The evidence items `viewer` may see, in their order. `marking_of` maps an item to its marking
    (default: the item carries `owner_org`, `tlp` and the release lists itself)."""
    get = marking_of or (lambda x: x)  # type: ignore[assignment,return-value]
    return [e for e in evidence if may_see_marked(viewer, get(e))]


def derived_view(
    viewer: Viewer, evidence: Sequence[T], marking_of: Callable[[T], Marked] | None = None
) -> list[T] | None:
    """The evidence a derived object (fused event, incident) shows `viewer`, or None when the
    viewer may see none of it: then the derived object does not exist for that viewer."""
    seen = visible_evidence(viewer, evidence, marking_of)
    return seen or None


def most_restrictive(markings: Iterable[TLP | str]) -> TLP:
    """The marking of a derived object built from evidence with these markings (CLEAR when empty)."""
    out = TLP.CLEAR
    for m in markings:
        tlp = m if isinstance(m, TLP) else TLP.parse(m)
        if RESTRICTIVENESS[tlp] > RESTRICTIVENESS[out]:
            out = tlp
    return out


def visible(
    table: Table,
    viewer: Viewer,
    *,
    releases: Table | None = None,
    kind: str | None = None,
    id_col: Any = None,
    owner_col: Any = None,
    tlp_col: Any = None,
) -> ColumnElement[bool]:
    """The `may_see` rule as a WHERE clause for `table` (owner column `org_id` or `owner_org_id`,
    marking column `marking` or `tlp`, as in `pantau.storage.tables`). Release lists are rows of `releases` (default: `pantau.storage.share_tables.releases`)
    with `object_kind` = `kind` (default: the table name) and `object_id` = `id_col` (default `table.c.id`)."""
    if viewer.is_system:
        return true()
    if releases is None:
        from pantau.storage.share_tables import releases as default_releases

        releases = default_releases
    kind = kind or table.name
    id_col = table.c.id if id_col is None else id_col
    owner = _col(table, ("org_id", "owner_org_id")) if owner_col is None else owner_col
    tlp = _col(table, ("marking", "tlp")) if tlp_col is None else tlp_col

    def released(cond: ColumnElement[bool]) -> ColumnElement[bool]:
        return exists(
            select(releases.c.object_id).where(
                releases.c.object_kind == kind, releases.c.object_id == _as_text(id_col), cond
            )
        )

    conds: list[ColumnElement[bool]] = [tlp == TLP.CLEAR.value]
    if viewer.is_member:
        conds.append(tlp == TLP.GREEN.value)
    if viewer.org_id is not None:
        conds.append(
            and_(owner == viewer.org_id, tlp.in_([TLP.GREEN.value, TLP.AMBER.value, TLP.AMBER_STRICT.value]))
        )
        conds.append(and_(tlp == TLP.AMBER.value, released(releases.c.org_id == str(viewer.org_id))))
    if viewer.group_ids:
        groups = sorted(str(g) for g in viewer.group_ids)
        conds.append(and_(tlp == TLP.AMBER.value, released(releases.c.group_id.in_(groups))))
    if viewer.user_id is not None:
        conds.append(and_(tlp == TLP.RED.value, released(releases.c.user_id == str(viewer.user_id))))
    return or_(*conds) if conds else false()


def _col(table: Table, names: tuple[str, ...]) -> Any:
    for name in names:
        if name in table.c:
            return table.c[name]
    raise KeyError(f"table {table.name} has none of the columns {names}")


def _as_text(col: Any) -> Any:
    """Release rows key objects by text ids, whatever the id type of the marked table."""
    from sqlalchemy import String, cast

    if isinstance(col.type, String):
        return col
    return cast(col, String)


# ---------------------------------------------------------------- derived objects, through their sources

def visible_document(viewer: Viewer) -> ColumnElement[bool]:
    """The rule on `documents` (its marking and release list)."""
    from pantau.storage.tables import documents

    return visible(documents, viewer)


def visible_event(viewer: Viewer) -> ColumnElement[bool]:
    """WHERE clause on `events`: the event's own marking. An event starts with its document's marking
    and release list and follows every re-marking of the document (`sharing.share`) until an owner
    re-marks the event itself (to share it on its own); its evidence, which quotes the document, is
    shown only to those who may see the document (`document_seen`)."""
    from pantau.storage.tables import events

    return visible(events, viewer)


def document_seen(viewer: Viewer, document_id: Any) -> ColumnElement[bool]:
    """Whether the viewer may see the document with id `document_id` (a column or a value): what a
    quote, a title, an url, a publisher or a date taken from it needs."""
    if viewer.is_system:
        return true()
    from pantau.storage.tables import documents

    return exists(select(documents.c.id).where(documents.c.id == document_id, visible(documents, viewer)))


def visible_entity(viewer: Viewer) -> ColumnElement[bool]:
    """WHERE clause on `entities`: an entity is seen through the documents that mention it (or the
    events read from them that name it as an actor or a location), whatever document first created
    the row; the entity row's own marking is not used."""
    if viewer.is_system:
        return true()
    from pantau.storage.tables import document_entities, documents, entities, event_actors, events

    in_doc = (select(document_entities.c.entity_id)
              .join(documents, documents.c.id == document_entities.c.document_id)
              .where(visible(documents, viewer)))
    as_actor = (select(event_actors.c.entity_id).join(events, events.c.id == event_actors.c.event_id)
                .where(visible_event(viewer)))
    as_place = select(events.c.location).where(events.c.location.is_not(None), visible_event(viewer))
    return or_(entities.c.id.in_(in_doc), entities.c.id.in_(as_actor), entities.c.id.in_(as_place))


def require_viewer(viewer: object) -> Viewer:
    """Fail closed: every read names its viewer (the local CLI passes `Viewer.system()`)."""
    if not isinstance(viewer, Viewer):
        raise TypeError(f"a Viewer is required (got {viewer!r}); the local CLI passes Viewer.system()")
    return viewer
