"""TAXII 2.1 endpoints (discovery, API root, collections, objects, manifest, versions, status) with
the spec's media types and X-TAXII-Date-Added-First/Last headers. Analysts may add objects to the
`all` collection (POST envelope, 202 with a status resource)."""

from __future__ import annotations

from typing import Annotated, Any

import anyio
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from pantau.services import taxii
from pantau.services.access import Viewer
from pantau.services.node import Node
from pantau.web.deps import get_node, get_viewer

TAXII_MEDIA = "application/taxii+json;version=2.1"
STIX_MEDIA = "application/stix+json;version=2.1"
API_ROOT = "api"


def check_accept(request: Request) -> None:
    accept = request.headers.get("accept", "*/*").replace(" ", "")
    ok = any(a.startswith(("application/taxii+json", "*/*", "application/*", "application/json"))
             and ("version=" not in a or "version=2.1" in a) for a in accept.split(","))
    if not ok:
        raise HTTPException(406, f"accepted media type: {TAXII_MEDIA}")


router = APIRouter(tags=["taxii"], dependencies=[Depends(check_accept)])
NodeDep = Annotated[Node, Depends(get_node)]
ViewerDep = Annotated[Viewer, Depends(get_viewer)]


def taxii_json(body: dict[str, Any], status: int = 200, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=status, media_type=TAXII_MEDIA, headers=headers)


def _error(status: int, title: str) -> JSONResponse:
    return taxii_json({"title": title, "http_status": str(status)}, status)


@router.get("/")
def discovery(request: Request, viewer: ViewerDep) -> JSONResponse:
    base = str(request.base_url).rstrip("/") + request.scope.get("root_path", "")
    root = f"{base}/taxii2/{API_ROOT}/"
    return taxii_json({"title": "pantau sharing node", "description": "STIX 2.1 events under TLP 2.0",
                       "default": root, "api_roots": [root]})


@router.get(f"/{API_ROOT}/")
def api_root(viewer: ViewerDep) -> JSONResponse:
    return taxii_json({"title": "pantau", "description": "events and what partners released to you",
                       "versions": [TAXII_MEDIA], "max_content_length": 10 * 1024 * 1024})


@router.get(f"/{API_ROOT}/collections/")
def list_collections(node: NodeDep, viewer: ViewerDep) -> JSONResponse:
    with node.engine.connect() as conn:
        return taxii_json({"collections": [c.resource() for c in taxii.collections(conn, viewer)]})


@router.get(f"/{API_ROOT}/collections/{{cid}}/")
def get_collection(cid: str, node: NodeDep, viewer: ViewerDep) -> JSONResponse:
    with node.engine.connect() as conn:
        try:
            return taxii_json(taxii.get_collection(conn, viewer, cid).resource())
        except taxii.NotFound:
            return _error(404, "no such collection")


def _page(node: Node, viewer: Viewer, cid: str, object_id: str | None, added_after: str | None,
          match_id: str | None, match_type: str | None, match_version: str | None, limit: int | None,
          next_: str | None) -> tuple[taxii.Collection, taxii.Page] | JSONResponse:
    with node.engine.begin() as conn:
        try:
            coll = taxii.get_collection(conn, viewer, cid)
        except taxii.NotFound:
            return _error(404, "no such collection")
        ids = [object_id] if object_id else _split(match_id)
        page = taxii.query(node, conn, viewer, coll, added_after=added_after, ids=ids, types=_split(match_type),
                           versions=_split(match_version), limit=limit, next_=next_)
    return coll, page


def _split(v: str | None) -> list[str] | None:
    return [x for x in v.split(",") if x] if v else None


def _headers(page: taxii.Page) -> dict[str, str]:
    if not page.entries:
        return {}
    return {"X-TAXII-Date-Added-First": page.entries[0].date_added,
            "X-TAXII-Date-Added-Last": page.entries[-1].date_added}


def _envelope(page: taxii.Page) -> dict[str, Any]:
    body: dict[str, Any] = {"more": page.more}
    if page.next:
        body["next"] = page.next
    if page.entries:
        body["objects"] = [e.obj for e in page.entries]
    return body




@router.get(f"/{API_ROOT}/collections/{{cid}}/objects/")
async def get_objects(cid: str, node: NodeDep, viewer: ViewerDep, added_after: str | None = None,
                      limit: Annotated[int | None, Query(ge=1)] = None, next: str | None = None,
                      match_id: Annotated[str | None, Query(alias="match[id]")] = None,
                      match_type: Annotated[str | None, Query(alias="match[type]")] = None,
                      match_version: Annotated[str | None, Query(alias="match[version]")] = None,
                      ) -> JSONResponse:
    res = await anyio.to_thread.run_sync(lambda: _page(node, viewer, cid, None, added_after, match_id, match_type,
                                                       match_version, limit, next))
    if isinstance(res, JSONResponse):
        return res
    coll, page = res
    await anyio.to_thread.run_sync(lambda: _log_export(node, viewer, coll, page))
    return taxii_json(_envelope(page), headers=_headers(page))


def _log_export(node: Node, viewer: Viewer, coll: taxii.Collection, page: taxii.Page) -> None:
    if not page.entries:
        return
    with node.engine.begin() as conn:
        taxii.record_served(conn, viewer, page.entries)
        node.audit.append(conn, "taxii.export", org_id=viewer.org_id if isinstance(viewer.org_id, int) else None,
                          user_id=viewer.user_id if isinstance(viewer.user_id, int) else None,
                          object_type="collection", object_id=coll.slug,
                          detail={"objects": [e.obj["id"] for e in page.entries]})


@router.get(f"/{API_ROOT}/collections/{{cid}}/objects/{{object_id}}/")
async def get_object(cid: str, object_id: str, node: NodeDep, viewer: ViewerDep, added_after: str | None = None,
                     limit: Annotated[int | None, Query(ge=1)] = None, next: str | None = None,
                     match_version: Annotated[str | None, Query(alias="match[version]")] = None) -> JSONResponse:
    res = await anyio.to_thread.run_sync(lambda: _page(node, viewer, cid, object_id, added_after, None, None,
                                                       match_version, limit, next))
    if isinstance(res, JSONResponse):
        return res
    coll, page = res
    if not page.entries:
        return _error(404, "no such object")
    await anyio.to_thread.run_sync(lambda: _log_export(node, viewer, coll, page))
    return taxii_json(_envelope(page), headers=_headers(page))


@router.get(f"/{API_ROOT}/collections/{{cid}}/objects/{{object_id}}/versions/")
async def get_versions(cid: str, object_id: str, node: NodeDep, viewer: ViewerDep,
                       added_after: str | None = None) -> JSONResponse:
    res = await anyio.to_thread.run_sync(lambda: _page(node, viewer, cid, object_id, added_after, None, None,
                                                       "all", None, None))
    if isinstance(res, JSONResponse):
        return res
    _coll, page = res
    if not page.entries:
        return _error(404, "no such object")
    return taxii_json({"more": False, "versions": [e.obj.get("modified", e.date_added) for e in page.entries]},
                      headers=_headers(page))


@router.get(f"/{API_ROOT}/collections/{{cid}}/manifest/")
async def get_manifest(cid: str, node: NodeDep, viewer: ViewerDep, added_after: str | None = None,
                       limit: Annotated[int | None, Query(ge=1)] = None, next: str | None = None,
                       match_id: Annotated[str | None, Query(alias="match[id]")] = None,
                       match_type: Annotated[str | None, Query(alias="match[type]")] = None,
                       match_version: Annotated[str | None, Query(alias="match[version]")] = None,
                       ) -> JSONResponse:
    res = await anyio.to_thread.run_sync(lambda: _page(node, viewer, cid, None, added_after, match_id, match_type,
                                                       match_version, limit, next))
    if isinstance(res, JSONResponse):
        return res
    _coll, page = res
    body: dict[str, Any] = {"more": page.more}
    if page.next:
        body["next"] = page.next
    if page.entries:
        body["objects"] = [taxii.manifest_record(e) for e in page.entries]
    return taxii_json(body, headers=_headers(page))


MAX_CONTENT = 10 * 1024 * 1024


@router.post(f"/{API_ROOT}/collections/{{cid}}/objects/")
async def add_objects(cid: str, request: Request, node: NodeDep, viewer: ViewerDep) -> JSONResponse:
    """Add an envelope's objects (analysts, to a collection that says `can_write`); answers 202 with a
    status resource (the objects are taken before the answer: the status is `complete`)."""
    import json

    from pantau.exc import AccessDenied, InputError
    from pantau.services import taxii_write

    ctype = request.headers.get("content-type", "").replace(" ", "")
    if not ctype.startswith(("application/taxii+json", "application/json")):
        return _error(415, "send the envelope as application/taxii+json;version=2.1")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_CONTENT:
        return _error(413, f"envelope over {MAX_CONTENT} bytes")
    raw = b""
    async for chunk in request.stream():
        raw += chunk
        if len(raw) > MAX_CONTENT:
            return _error(413, f"envelope over {MAX_CONTENT} bytes")

    def work() -> JSONResponse:
        with node.engine.connect() as conn:
            try:
                coll = taxii.get_collection(conn, viewer, cid)
            except taxii.NotFound:
                return _error(404, "no such collection")
        if not coll.can_write:
            return _error(403, "you may not add objects to this collection")
        try:
            envelope = json.loads(raw)
        except (ValueError, RecursionError):
            return _error(400, "the body is not JSON")
        try:
            return taxii_json(taxii_write.add_objects(node, viewer, coll.title, envelope), 202)
        except AccessDenied as exc:
            return _error(403, str(exc))
        except InputError as exc:
            return _error(422, str(exc))

    return await anyio.to_thread.run_sync(work)


@router.get(f"/{API_ROOT}/status/{{status_id}}/")
def get_status(status_id: str, node: NodeDep, viewer: ViewerDep) -> JSONResponse:
    from pantau.services import taxii_write

    try:
        return taxii_json(taxii_write.get_status(node, viewer, status_id))
    except taxii.NotFound:
        return _error(404, "no such status")
