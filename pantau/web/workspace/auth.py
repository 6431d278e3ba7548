"""Sign in, sign out, and the interface language."""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from pantau.exc import AccessDenied, InputError
from pantau.services import webauth
from pantau.services.webauth import Session
from pantau.web.workspace.i18n import LANGUAGES
from pantau.web.workspace.render import render
from pantau.web.workspace.session import COOKIE, PRE_CSRF, checked, secure

router = APIRouter(include_in_schema=False)


def _safe_next(url: str | None) -> str:
    return url if url and url.startswith("/") and not url.startswith("//") else "/"


@router.get("/signin")
def signin_page(request: Request, next: str | None = None) -> Response:
    token = secrets.token_urlsafe(24)
    resp = render(request, "signin.html", csrf=token, next=_safe_next(next), error=None)
    resp.set_cookie(PRE_CSRF, token, httponly=True, samesite="strict", secure=secure(request), path="/signin")
    return resp


@router.post("/signin")
def signin(request: Request, username: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "",
           csrf: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/") -> Response:
    pre = request.cookies.get(PRE_CSRF, "")
    error = None
    if not pre or not hmac.compare_digest(pre, csrf):
        error = "The sign-in form expired; please try again."
    elif not username or not password:
        error = "Enter your username and password."
    else:
        try:
            secret = webauth.sign_in(request.app.state.node, username.strip(), password)
        except AccessDenied as exc:
            error = str(exc)
    if error is not None:
        token = secrets.token_urlsafe(24)
        resp = render(request, "signin.html", status_code=401, csrf=token, next=_safe_next(next), error=error,
                      username=username)
        resp.set_cookie(PRE_CSRF, token, httponly=True, samesite="strict", secure=secure(request), path="/signin")
        return resp
    resp = RedirectResponse(_safe_next(next), status_code=303)
    resp.set_cookie(COOKIE, secret, httponly=True, samesite="strict", secure=secure(request), path="/",
                    max_age=webauth.SESSION_HOURS * 3600)
    resp.delete_cookie(PRE_CSRF, path="/signin")
    return resp


@router.post("/signout")
def signout(request: Request, sess: Annotated[Session, Depends(checked)]) -> Response:
    webauth.sign_out(request.app.state.node, request.cookies.get(COOKIE, ""))
    resp = RedirectResponse("/signin", status_code=303)
    resp.delete_cookie(COOKIE, path="/")
    return resp


@router.post("/language")
def language(request: Request, sess: Annotated[Session, Depends(checked)], lang: Annotated[str, Form()] = "en",
             back: Annotated[str, Form()] = "/") -> Response:
    if lang not in LANGUAGES:
        raise InputError(lang, f"unknown interface language; expected one of {', '.join(LANGUAGES)}")
    webauth.set_language(request.app.state.node, sess.user_id, lang)
    return RedirectResponse(_safe_next(back), status_code=303)
