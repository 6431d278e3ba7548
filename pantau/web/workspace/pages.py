"""Overview, events (list, export, one fused event with its controls) and documents."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pantau.exc import InputError, NotFound
from pantau.services import workspace as ws
from pantau.services.kbquery import get_fused
from pantau.services.node import Node
from pantau.services.webauth import Session
from pantau.web.workspace.render import render
from pantau.web.workspace.session import checked, current

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(current)]
Checked = Annotated[Session, Depends(checked)]
PLOVER = ["AGREE", "AID", "ASSAULT", "COERCE", "CONCEDE", "CONSULT", "COOPERATE", "DEMAND", "DISAPPROVE",
          "MOBILIZE", "PROTEST", "REJECT", "RETREAT", "SUPPORT", "THREATEN", "ACCUSE", "REQUEST", "SANCTION"]
EXPORTS = {"csv": "text/csv; charset=utf-8", "json": "application/json", "stix": "application/json"}


def _node(request: Request) -> Node:
    return request.app.state.node


def _int(value: str | None, name: str, default: int) -> int:
    if value in (None, ""):
        return default
    if not value.isdigit():
        raise InputError(name, f"not a number: {value!r}")
    return int(value)


@router.get("/")
def overview(request: Request, sess: SessionDep) -> Response:
    ov = ws.overview(_node(request), sess.viewer, sess.since)
    return render(request, "overview.html", ov=ov, cap=ws.COUNT_CAP)


@router.get("/fragments/overview")
def overview_fragment(request: Request, sess: SessionDep) -> Response:
    ov = ws.overview(_node(request), sess.viewer, sess.since)
    return render(request, "_overview_body.html", ov=ov, cap=ws.COUNT_CAP)


@router.get("/events")
def events(request: Request, sess: SessionDep) -> Response:
    q = dict(request.query_params)
    f = ws.EventFilter.from_query(q)
    sort = q.get("sort") or "date"
    page = _int(q.get("page"), "page", 1)
    items, more = ws.fused_page(_node(request), sess.viewer, f, sort=sort, page=page)
    name = "_events_table.html" if request.headers.get("hx-request") and request.headers.get("hx-target") == "results" \
        else "events.html"
    return render(request, name, items=items, more=more, page=page, sort=sort, f=f, query=f.query(),
                  types=PLOVER, tlps=ws.TLPS)


@router.get("/fragments/actors")
def actor_options(request: Request, sess: SessionDep, actor: str = "") -> Response:
    """<option>s for the actor field's datalist (what the viewer may see only)."""
    items = ws.actor_suggestions(_node(request), sess.viewer, actor)
    return render(request, "_actor_options.html", items=items)


@router.get("/events/export.{fmt}")
def export(request: Request, fmt: str, sess: SessionDep) -> Response:
    if fmt not in EXPORTS:
        raise InputError("format", f"unknown export format {fmt!r}; expected csv, json or stix")
    f = ws.EventFilter.from_query(dict(request.query_params))
    body = ws.export_fused(_node(request), sess.viewer, f, fmt)
    ext = "stix.json" if fmt == "stix" else fmt
    return Response(body, media_type=EXPORTS[fmt],
                    headers={"Content-Disposition": f'attachment; filename="pantau-events.{ext}"'})


@router.get("/events/{fused_id}")
def fused_event(request: Request, fused_id: int, sess: SessionDep) -> Response:
    node = _node(request)
    fe = get_fused(node, fused_id, viewer=sess.viewer)  # type: ignore[arg-type]
    return render(request, "fused.html", fe=fe, reports=ws.report_contexts(node, sess.viewer, fe),
                  reasons=ws.grade_reasons(fe), owned=ws.owned_reports(node, sess.viewer, fe),
                  incidents=ws.incidents_of(node, sess.viewer, fused_id), tlps=ws.TLPS,
                  message=request.query_params.get("msg"))


def _list(value: str) -> list[str]:
    return [x.strip() for x in value.replace(";", ",").split(",") if x.strip()]


@router.post("/events/{fused_id}/marking")
def remark(request: Request, fused_id: int, sess: Checked, tlp: Annotated[str, Form()],
           orgs: Annotated[str, Form()] = "", groups: Annotated[str, Form()] = "",
           users: Annotated[str, Form()] = "", documents: Annotated[str, Form()] = "") -> Response:
    n = ws.remark_fused(_node(request), sess.viewer, fused_id, tlp, orgs=_list(orgs), groups_=_list(groups),
                        users_=_list(users), documents_too=bool(documents))
    try:
        get_fused(_node(request), fused_id, viewer=sess.viewer)  # type: ignore[arg-type]
    except NotFound:  # the viewer marked it out of its own sight (RED to others)
        return RedirectResponse("/events", status_code=303)
    return RedirectResponse(f"/events/{fused_id}?msg=marked+{n}+report(s)+{tlp}", status_code=303)


@router.post("/events/{fused_id}/split")
def split(request: Request, fused_id: int, sess: Checked, event_id: Annotated[int, Form()],
          note: Annotated[str, Form()] = "") -> Response:
    new = ws.split_report(_node(request), sess.viewer, fused_id, event_id, note or None, sess.username)
    return RedirectResponse(f"/events/{new}?msg=split+out+of+{fused_id}", status_code=303)


@router.post("/events/{fused_id}/merge")
def merge(request: Request, fused_id: int, sess: Checked, other: Annotated[str, Form()],
          note: Annotated[str, Form()] = "") -> Response:
    oid = _int(other.strip().lstrip("#"), "other", 0)
    into = ws.merge_fused(_node(request), sess.viewer, fused_id, oid, note or None, sess.username)
    return RedirectResponse(f"/events/{into}?msg=merged+{oid}", status_code=303)


@router.get("/documents/{doc_id}")
def document(request: Request, doc_id: int, sess: SessionDep) -> Response:
    got = ws.document_marks(_node(request), sess.viewer, doc_id)
    return render(request, "document.html", **got)
