"""Ingest by a node user: store a text (or a ready extraction) as that user's organisation's document,
with its marking and release list on the document and every event read from it and one audit record,
in one transaction (database triggers add one change-log entry per event for the live stream)."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from pantau.exc import AccessDenied, InputError
from pantau.model import Extraction
from pantau.model.markings import TLP
from pantau.services.access import Viewer
from pantau.services.node import Node
from pantau.services.sharing import resolve_refs
from pantau.storage.share_tables import groups, releases
from pantau.storage.tables import NODE_ORG_ID, events, organisations, users
from pantau.storage.writer import DocumentRecord, find_document, save_document


@dataclass(slots=True)
class Published:
    status: str  # added | duplicate
    document_id: int | None
    events: list[int]
    fused: bool = False  # whether a fusion run was asked for (services.fusion_queue; the stream announces it)


def publish_text(node: Node, viewer: Viewer, text: str, *, tlp: TLP | str = TLP.AMBER,
                 orgs: list[str] | None = None, groups_: list[str] | None = None, users_: list[str] | None = None,
                 title: str | None = None, url: str | None = None, published: str | None = None,
                 publisher: str | None = None, language: str | None = None, source: str = "api") -> Published:
    """Extract `text`, publish it (see `publish_extraction`) and fuse it into the knowledge base."""
    from pantau.nlp.pipeline import extract

    if not viewer.can_write():
        raise AccessDenied("viewers may not ingest; ask for an analyst role")
    if not text.strip():
        raise InputError("text", "empty document")
    ex = extract(text, published=published, language=language, title=title, url=url)
    res = publish_extraction(node, viewer, text, ex, tlp=tlp, orgs=orgs, groups_=groups_, users_=users_,
                             title=title, url=url, publisher=publisher, source=source)
    if res.status == "added":  # fused like `pantau ingest` does (off the request): /api/fused, incidents
        from pantau.services import fusion_queue  # and the stream see it within moments

        fusion_queue.request(node)
        res.fused = True
    return res


def publish_extraction(node: Node, viewer: Viewer, text: str, ex: Extraction, *, tlp: TLP | str = TLP.AMBER,
                       orgs: list[str] | None = None, groups_: list[str] | None = None,
                       users_: list[str] | None = None, title: str | None = None, url: str | None = None,
                       publisher: str | None = None, source: str = "api") -> Published:
    """Store `text` with its extraction, owned by the viewer's organisation, marked `tlp` and released
    to `orgs` / `groups_` (AMBER) or `users_` (RED: at least the publishing user). A text already
    stored is reported as a duplicate and left as its owner marked it."""
    from pantau.services.ingest import content_hash

    if not viewer.can_write():
        raise AccessDenied("viewers may not ingest; ask for an analyst role")
    mark = TLP.parse(tlp) if not isinstance(tlp, TLP) else tlp
    owner = int(viewer.org_id) if viewer.org_id is not None else NODE_ORG_ID  # type: ignore[call-overload]
    digest = content_hash(text)
    try:
        return _store(node, viewer, text, ex, digest, owner, mark, orgs, groups_, users_, title, url, publisher,
                      source)
    except IntegrityError:  # another writer stored the same text for this organisation meanwhile
        with node.engine.connect() as conn:
            if find_document(conn, digest, owner) is not None:
                return Published("duplicate", None, [])
        raise


def _store(node: Node, viewer: Viewer, text: str, ex: Extraction, digest: str, owner: int, mark: TLP,
           orgs: list[str] | None, groups_: list[str] | None, users_: list[str] | None, title: str | None,
           url: str | None, publisher: str | None, source: str) -> Published:
    with node.engine.begin() as conn:
        if find_document(conn, digest, owner) is not None:  # only this organisation's own holding
            return Published("duplicate", None, [])
        rel = {"orgs": _unique(resolve_refs(conn, organisations, organisations.c.slug, orgs or [])),
               "groups": _unique(resolve_refs(conn, groups, groups.c.slug, groups_ or [])),
               "users": _unique(resolve_refs(conn, users, users.c.username, users_ or []))}
        if mark is TLP.RED and viewer.user_id is not None and str(viewer.user_id) not in rel["users"]:
            rel["users"].append(str(viewer.user_id))  # the publisher stays among the named users
        doc = save_document(conn, DocumentRecord(text=text, content_hash=digest, title=title, url=url,
                                                 publisher=publisher, source=source, org_id=owner,
                                                 marking=mark.value), ex)
        ev_ids = list(conn.execute(sa.select(events.c.id).where(events.c.document_id == doc)
                                   .order_by(events.c.id)).scalars())
        for kind, oid in [("documents", doc), *[("events", e) for e in ev_ids]]:
            for key, values in (("org_id", rel["orgs"]), ("group_id", rel["groups"]), ("user_id", rel["users"])):
                for v in values:
                    conn.execute(releases.insert().values(object_kind=kind, object_id=str(oid), **{key: v}))
        node.audit.append(conn, "documents.create", org_id=_int(viewer.org_id), user_id=_int(viewer.user_id),
                          object_type="documents", object_id=doc,
                          detail={"tlp": mark.value, "release": rel, "events": ev_ids, "sha256": digest})
    return Published("added", doc, ev_ids)


def _unique(ids: list[str]) -> list[str]:
    return list(dict.fromkeys(ids))


def _int(v: object) -> int | None:
    return v if isinstance(v, int) else None
