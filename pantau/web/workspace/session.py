"""The signed-in user of a page: the session cookie, the CSRF check of every form, sign-in redirects."""

from __future__ import annotations

import hmac
from urllib.parse import quote

from fastapi import Request

from pantau.exc import AccessDenied
from pantau.services import webauth
from pantau.services.webauth import Session

COOKIE = "pantau_session"
PRE_CSRF = "pantau_signin_csrf"


class SignInRequired(Exception):
    def __init__(self, next_url: str) -> None:
        super().__init__("sign in required")
        self.next_url = next_url


def current(request: Request) -> Session:
    """Dependency of every page: the session, or a redirect to the sign-in page."""
    sess = webauth.session(request.app.state.node, request.cookies.get(COOKIE))
    if sess is None:
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(quote(path, safe="/?=&"))
    request.state.session = sess
    return sess


async def checked(request: Request) -> Session:
    """Dependency of every form POST: the session, and its CSRF token in the form or the X-CSRF-Token header."""
    form = await request.form()
    sent = str(form.get("csrf") or request.headers.get("x-csrf-token") or "")
    import anyio

    sess = await anyio.to_thread.run_sync(current, request)
    if not sent or not hmac.compare_digest(sent, sess.csrf):
        raise AccessDenied("the form's CSRF token is missing or stale; reload the page and try again")
    return sess


def secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.headers.get("x-forwarded-proto") == "https"
