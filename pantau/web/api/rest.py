"""REST: documents, events, entities, search, timeline, graph; ingest by POST; marking by PUT.
Lists page by cursor (`cursor` = the `next` of the previous page). Everything goes through the
services, which filter by the caller's access; what the caller may not see is a 404."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field, field_validator

from pantau.services import reads
from pantau.services.access import Viewer
from pantau.services.node import Node
from pantau.web.deps import get_node, get_viewer

router = APIRouter(tags=["store"])
NodeDep = Annotated[Node, Depends(get_node)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]
Limit = Annotated[int, Query(ge=1, le=500)]
MAX_ID = reads.MAX_ID
IntId = Annotated[int, Path(ge=0, le=MAX_ID)]
MAX_TEXT = 1_000_000  # characters of one posted document (the request body is capped in web/limits.py)
MAX_RELEASES = 100
Ref = Annotated[str, Field(min_length=1, max_length=100)]
Short = Annotated[str, Field(max_length=2000)]


def _clean(value: Any) -> Any:
    """Reject strings that cannot be stored as UTF-8 (lone surrogates) and NUL characters."""
    for v in value if isinstance(value, list) else [value]:
        if isinstance(v, str) and (any("\ud800" <= ch <= "\udfff" for ch in v) or "\x00" in v):
            raise ValueError("contains characters that are not valid text (a lone surrogate or NUL)")
    return value


def _tlp(value: str) -> str:
    from pantau.model.markings import TLP

    return TLP.parse(value).value  # ValueError names the marking and the choices


class Released(BaseModel):
    release_orgs: list[Ref] = Field([], max_length=MAX_RELEASES)
    release_groups: list[Ref] = Field([], max_length=MAX_RELEASES)
    release_users: list[Ref] = Field([], max_length=MAX_RELEASES)

    @field_validator("release_orgs", "release_groups", "release_users")
    @classmethod
    def _dedupe(cls, v: list[str]) -> list[str]:
        return list(dict.fromkeys(_clean(v)))


class IngestIn(Released):
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    title: Short | None = None
    url: Short | None = None
    published: Short | None = Field(None, description="ISO date")
    publisher: Short | None = None
    language: str | None = Field(None, description="id or en", pattern="^(id|en)$")
    tlp: str = "AMBER"

    _text = field_validator("text", "title", "url", "published", "publisher")(_clean)
    _mark = field_validator("tlp")(_tlp)


class MarkingIn(Released):
    tlp: str

    _mark = field_validator("tlp")(_tlp)


@router.get("/me")
def me(viewer: ViewerDep) -> dict[str, Any]:
    return {"user_id": viewer.user_id, "org_id": viewer.org_id, "role": viewer.role,
            "groups": sorted(viewer.group_ids), "member": viewer.is_member}


@router.get("/documents")
def documents(node: NodeDep, viewer: ViewerDep, text: str | None = None, since: str | None = None,
              until: str | None = None, publisher: str | None = None, language: str | None = None,
              cursor: str | None = None, limit: Limit = 50) -> dict[str, Any]:
    with node.engine.connect() as conn:
        return reads.list_documents(conn, viewer, text=text, since=since, until=until, publisher=publisher,
                                    language=language, after=cursor, limit=limit)


@router.get("/documents/{doc_id}")
def document(doc_id: IntId, node: NodeDep, viewer: ViewerDep) -> dict[str, Any]:
    with node.engine.connect() as conn:
        return reads.get_document(conn, viewer, doc_id)


@router.post("/documents", status_code=201)
def ingest(body: IngestIn, node: NodeDep, viewer: ViewerDep) -> dict[str, Any]:
    from pantau.services.publish import publish_text

    res = publish_text(node, viewer, body.text, tlp=body.tlp, orgs=body.release_orgs,
                       groups_=body.release_groups, users_=body.release_users, title=body.title, url=body.url,
                       published=body.published, publisher=body.publisher, language=body.language)
    return {"status": res.status, "document_id": res.document_id, "events": res.events}


@router.get("/events")
def events(node: NodeDep, viewer: ViewerDep, actor: str | None = None, type: str | None = None,
           since: str | None = None, until: str | None = None, text: str | None = None,
           document: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None, cursor: str | None = None, limit: Limit = 50) -> dict[str, Any]:
    with node.engine.connect() as conn:
        return reads.list_events(conn, viewer, actor=actor, type=type, since=since, until=until, text=text,
                                 document=document, after=cursor, limit=limit)


@router.get("/events/{event_id}")
def event(event_id: IntId, node: NodeDep, viewer: ViewerDep) -> dict[str, Any]:
    with node.engine.connect() as conn:
        return reads.get_event(conn, viewer, event_id)


@router.put("/{kind}/{object_id}/marking")
def mark(kind: str, object_id: str, body: MarkingIn, node: NodeDep, viewer: ViewerDep) -> dict[str, Any]:
    from pantau.exc import NotFound
    from pantau.services.sharing import share

    if not (object_id.isascii() and object_id.isdigit() and int(object_id) <= MAX_ID):
        raise NotFound(f"no {kind} {object_id!r}")
    oid = int(object_id)
    m = share(node, kind, oid, body.tlp, orgs=body.release_orgs, groups_=body.release_groups,
              users_=body.release_users, actor=viewer)
    return {"kind": kind, "id": object_id, "tlp": m.tlp.value, "release_orgs": sorted(m.release_orgs),
            "release_groups": sorted(m.release_groups), "release_users": sorted(m.release_users)}


@router.get("/entities")
def entities(node: NodeDep, viewer: ViewerDep, type: str | None = None, text: str | None = None,
             cursor: str | None = None, limit: Limit = 50) -> dict[str, Any]:
    with node.engine.connect() as conn:
        return reads.list_entities(conn, viewer, type=type, text=text, after=cursor, limit=limit)


@router.get("/entities/{entity_id}")
def entity(entity_id: str, node: NodeDep, viewer: ViewerDep) -> dict[str, Any]:
    with node.engine.connect() as conn:
        return reads.get_entity(conn, viewer, entity_id)


@router.get("/search")
def search(q: str, node: NodeDep, viewer: ViewerDep, limit: Limit = 20) -> dict[str, Any]:
    with node.engine.connect() as conn:
        return reads.search(conn, viewer, q, limit=limit)


@router.get("/timeline")
def timeline(node: NodeDep, viewer: ViewerDep, actor: str | None = None, type: str | None = None,
             since: str | None = None, until: str | None = None) -> list[dict[str, Any]]:
    with node.engine.connect() as conn:
        return reads.timeline(conn, viewer, actor=actor, type=type, since=since, until=until)


@router.get("/graph")
def graph(node: NodeDep, viewer: ViewerDep, actor: str | None = None, type: str | None = None,
          since: str | None = None, until: str | None = None) -> dict[str, Any]:
    with node.engine.connect() as conn:
        return reads.graph(conn, viewer, actor=actor, type=type, since=since, until=until)


@router.get("/partners/objects")
def partner_objects(node: NodeDep, viewer: ViewerDep, partner: str | None = None,
                    limit: Limit = 100) -> list[dict[str, Any]]:
    """Objects pulled from partner nodes that you may see, with provenance (partner, collection, marking)."""
    from pantau.services.federation import pulled

    return [{**r, "pulled_at": r["pulled_at"].isoformat()} for r in pulled(node, viewer, partner=partner, limit=limit)]


def _offset_page(items: list[Any], offset: int, limit: int) -> dict[str, Any]:
    more = len(items) > limit
    return {"items": [i.to_dict() for i in items[:limit]],
            "next": reads.encode_cursor(offset + limit) if more else None}


def _offset(cursor: str | None) -> int:
    got = reads.int_cursor(cursor)
    if got is not None and got > 10**9:
        from pantau.exc import InputError

        raise InputError("cursor", "not a cursor from this API")
    return got or 0


@router.get("/fused")
def fused(node: NodeDep, viewer: ViewerDep, actor: str | None = None, actor2: str | None = None,
          type: str | None = None, context: str | None = None, since: str | None = None, until: str | None = None,
          grade: str | None = None, cursor: str | None = None, limit: Limit = 50) -> dict[str, Any]:
    """Fused events (one event reported by many documents); each shows only the evidence you may see."""
    from fastapi import HTTPException

    from pantau.services.kbquery import list_fused

    off = _offset(cursor)
    try:
        got = list_fused(node, viewer=viewer, limit=limit + 1, offset=off, actor=actor, actor2=actor2,  # type: ignore[arg-type]
                         type=type, context=context, since=since, until=until, grade=grade)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _offset_page(got, off, limit)


@router.get("/fused/{fused_id}")
def fused_one(fused_id: IntId, node: NodeDep, viewer: ViewerDep) -> dict[str, Any]:
    from pantau.services.kbquery import get_fused

    return get_fused(node, fused_id, viewer=viewer).to_dict()  # type: ignore[arg-type]


@router.get("/incidents")
def incidents(node: NodeDep, viewer: ViewerDep, status: str | None = None, resolution: Annotated[int | None, Query(ge=0, le=MAX_ID)] = None,
              actor: str | None = None, type: str | None = None, since: str | None = None,
              until: str | None = None, cursor: str | None = None, limit: Limit = 50) -> dict[str, Any]:
    """Possible-violation incidents, visible through the evidence of their fused events."""
    from fastapi import HTTPException

    from pantau.services.kbquery import list_incidents

    off = _offset(cursor)
    try:
        got = list_incidents(node, viewer=viewer, status=status, resolution=resolution, limit=limit + 1,  # type: ignore[arg-type]
                             offset=off, actor=actor, type=type, since=since, until=until)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from exc
    return _offset_page(got, off, limit)


@router.get("/incidents/{incident_id}")
def incident(incident_id: IntId, node: NodeDep, viewer: ViewerDep) -> dict[str, Any]:
    from pantau.services.kbquery import get_incident

    return get_incident(node, incident_id, viewer=viewer).to_dict()  # type: ignore[arg-type]
