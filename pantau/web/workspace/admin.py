"""Administration (admins only): organisations, groups, users, roles, tokens, partners, audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pantau.exc import InputError
from pantau.services import workspace as ws
from pantau.services.access import ROLES
from pantau.services.webauth import Session
from pantau.web.workspace.render import render
from pantau.web.workspace.session import checked, current

router = APIRouter(prefix="/admin", include_in_schema=False)
SessionDep = Annotated[Session, Depends(current)]
Checked = Annotated[Session, Depends(checked)]


@router.get("")
def admin(request: Request, sess: SessionDep) -> Response:
    got = ws.admin_overview(request.app.state.node, sess.viewer)
    return render(request, "admin.html", **got, roles=ROLES, message=request.query_params.get("msg"),
                  secret=None)


@router.post("/orgs")
def add_org(request: Request, sess: Checked, slug: Annotated[str, Form()], name: Annotated[str, Form()] = "",
            guest: Annotated[str, Form()] = "") -> Response:
    ws.admin_add_org(request.app.state.node, sess.viewer, slug, name, member=not guest)
    return RedirectResponse("/admin?msg=organisation+added", status_code=303)


@router.post("/users")
def add_user(request: Request, sess: Checked, username: Annotated[str, Form()], org: Annotated[str, Form()],
             role: Annotated[str, Form()] = "analyst", password: Annotated[str, Form()] = "") -> Response:
    ws.admin_add_user(request.app.state.node, sess.viewer, username, org, role, password or None)
    return RedirectResponse("/admin?msg=user+added", status_code=303)


@router.post("/users/password")
def set_password(request: Request, sess: Checked, username: Annotated[str, Form()],
                 password: Annotated[str, Form()]) -> Response:
    ws.admin_set_password(request.app.state.node, sess.viewer, username, password)
    return RedirectResponse("/admin?msg=password+set", status_code=303)


@router.post("/tokens")
def create_token(request: Request, sess: Checked, username: Annotated[str, Form()],
                 name: Annotated[str, Form()] = "", days: Annotated[str, Form()] = "90") -> Response:
    try:
        d = float(days) if days.strip() else 90.0
    except ValueError as exc:
        raise InputError("days", f"not a number: {days!r}") from exc
    node = request.app.state.node
    secret = ws.admin_create_token(node, sess.viewer, username, name, d or None)
    got = ws.admin_overview(node, sess.viewer)
    return render(request, "admin.html", **got, roles=ROLES, message="token created: copy it now, it is not shown again",
                  secret=secret)


@router.post("/tokens/{token_id}/revoke")
def revoke_token(request: Request, token_id: int, sess: Checked) -> Response:
    ws.admin_revoke_token(request.app.state.node, sess.viewer, token_id)
    return RedirectResponse("/admin?msg=token+revoked", status_code=303)
