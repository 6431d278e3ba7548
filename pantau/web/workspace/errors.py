"""Errors of the services as pages (the API keeps its JSON errors): a clear message, never a traceback."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

API_PREFIXES = ("/api", "/taxii2", "/openapi.json")


def _(s: str) -> str:  # marks the titles for the catalog; templates translate them
    return s


TITLES = {400: _("Bad input"), 403: _("Not allowed"), 404: _("Not found"), 401: _("Sign in required")}


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIXES)


def html_error(request: Request, status: int, message: str) -> HTMLResponse:
    from pantau.web.workspace.render import render

    return render(request, "error.html", status_code=status, title=TITLES.get(status, _("Error")), message=message)


def sign_in_redirect(request: Request, next_url: str) -> Response:
    target = f"/signin?next={next_url}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
