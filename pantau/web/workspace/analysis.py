"""Actors, incidents (the review queue), the map, reports (HTML and PDF), and the overview's live stream."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sse_starlette.sse import EventSourceResponse

from pantau.exc import InputError
from pantau.model.kb import INCIDENT_STATUSES
from pantau.services import workspace as ws
from pantau.services.kbquery import get_fused, get_incident, list_incidents, review
from pantau.services.webauth import Session
from pantau.web.workspace.render import render
from pantau.web.workspace.session import checked, current

router = APIRouter(include_in_schema=False)
SessionDep = Annotated[Session, Depends(current)]
Checked = Annotated[Session, Depends(checked)]
# the review actions of the queue and the status each one sets
DECISIONS = {"accept": "confirmed", "reject": "dismissed", "escalate": "under_review"}
DONE = {"accept": "accepted", "reject": "rejected", "escalate": "escalated"}


@router.get("/actors/{actor_id}")
def actor(request: Request, actor_id: str, sess: SessionDep) -> Response:
    got = ws.actor_view(request.app.state.node, sess.viewer, actor_id)
    return render(request, "actor.html", **got)


@router.get("/incidents")
def incidents(request: Request, sess: SessionDep, status: str | None = "new") -> Response:
    status = status or None
    if status is not None and status not in INCIDENT_STATUSES:
        raise InputError("status", f"unknown status {status!r}; expected one of {', '.join(INCIDENT_STATUSES)}")
    items = list_incidents(request.app.state.node, viewer=sess.viewer, status=status, limit=200)  # type: ignore[arg-type]
    return render(request, "incidents.html", items=items, status=status, statuses=INCIDENT_STATUSES)


@router.get("/incidents/{incident_id}")
def incident(request: Request, incident_id: int, sess: SessionDep) -> Response:
    node = request.app.state.node
    inc = get_incident(node, incident_id, viewer=sess.viewer)  # type: ignore[arg-type]
    fe = get_fused(node, int(inc.fused_event_id), viewer=sess.viewer)  # type: ignore[arg-type]
    return render(request, "incident.html", inc=inc, fe=fe, provision=ws.provision(inc.provision_id),
                  reports=ws.report_contexts(node, sess.viewer, fe), reasons=ws.grade_reasons(fe),
                  decisions=DECISIONS, message=request.query_params.get("msg"))


@router.post("/incidents/{incident_id}/review")
def review_incident(request: Request, incident_id: int, sess: Checked, decision: Annotated[str, Form()],
                    note: Annotated[str, Form()] = "") -> Response:
    if decision not in DECISIONS:
        raise InputError("decision", f"unknown decision {decision!r}; expected accept, reject or escalate")
    review(request.app.state.node, incident_id, status=DECISIONS[decision], note=note.strip() or None,  # type: ignore[arg-type]
           user=sess.username, viewer=sess.viewer)
    return RedirectResponse(f"/incidents/{incident_id}?msg={DONE[decision]}", status_code=303)


@router.get("/map")
def map_page(request: Request, sess: SessionDep) -> Response:
    f = ws.EventFilter.from_query(dict(request.query_params))
    points = ws.map_points(request.app.state.node, sess.viewer, f)
    return render(request, "map.html", points=points, f=f)


@router.get("/map/points.json")
def map_points(request: Request, sess: SessionDep) -> JSONResponse:
    f = ws.EventFilter.from_query(dict(request.query_params))
    return JSONResponse(ws.map_points(request.app.state.node, sess.viewer, f))


def _report_args(request: Request) -> dict[str, Any]:
    q = request.query_params
    ids = [int(x) for v in q.getlist("incident") for x in v.replace(",", " ").split() if x.isdigit()]
    bad = [x for v in q.getlist("incident") for x in v.replace(",", " ").split() if not x.isdigit()]
    if bad:
        raise InputError("incident", f"not an incident number: {bad[0]!r}")
    return {"incident_ids": ids or None, "actor": q.get("actor") or None, "since": q.get("since") or None,
            "until": q.get("until") or None}


@router.get("/reports")
def reports(request: Request, sess: SessionDep) -> Response:
    args = _report_args(request)
    if not args["incident_ids"] and not args["actor"]:
        items = list_incidents(request.app.state.node, viewer=sess.viewer, limit=200)  # type: ignore[arg-type]
        return render(request, "reports.html", items=items)
    rep = ws.report(request.app.state.node, sess.viewer, **args)
    return render(request, "report.html", rep=rep, query=str(request.url.query), pdf=False)


@router.get("/reports/annex.pdf")
def report_pdf(request: Request, sess: SessionDep) -> Response:
    from weasyprint import HTML

    rep = ws.report(request.app.state.node, sess.viewer, **_report_args(request))
    html = render(request, "report.html", rep=rep, query=str(request.url.query), pdf=True).body
    pdf = HTML(string=bytes(html).decode("utf-8"), base_url=str(request.base_url)).write_pdf()
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": 'attachment; filename="pantau-annex.pdf"'})


@router.get("/live")
async def live(request: Request) -> EventSourceResponse:
    """The stream of changes the signed-in user may see (the same broker and filter as /api/stream)."""
    import anyio

    sess = await anyio.to_thread.run_sync(current, request)
    broker = request.app.state.broker
    start = request.headers.get("last-event-id")

    async def gen() -> AsyncIterator[dict[str, Any]]:
        async for c in broker.subscribe(sess.viewer, int(start) if start and start.isdigit() else None):
            yield {"id": str(c.id), "event": "change", "data": c.data}

    return EventSourceResponse(gen(), ping=15)
