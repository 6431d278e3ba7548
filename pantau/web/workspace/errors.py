"""Errors of the services as pages (the API keeps its JSON errors): a clear message, never a traceback."""

from __future__ import annotations

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

API_PREFIXES = ("/api", "/taxii2", "/openapi.json")


def wants_html(request: Request) -> bool:
    return not request.url.path.startswith(API_PREFIXES)


def html_error(request: Request, status: int, message: str) -> HTMLResponse:
    from pantau.web.workspace.render import render

    titles = {400: "Bad input", 403: "Not allowed", 404: "Not found", 401: "Sign in required"}
    return render(request, "error.html", status_code=status, title=titles.get(status, "Error"), message=message)


def sign_in_redirect(request: Request, next_url: str) -> Response:
    target = f"/signin?next={next_url}"
    if request.headers.get("hx-request"):
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)
