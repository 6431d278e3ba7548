"""The analyst's web workspace: server-rendered pages (Jinja2 + htmx) at `/`, beside the REST API.

Every page and fragment reads through the same per-viewer services as the API (`services.reads`,
`kbquery`, `workspace`, `identity`, `webauth`); web code holds no SQL."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.models import HTTPBearer
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).parent / "static"


def mount(app: FastAPI) -> None:
    """Add the workspace's routes, static files, local /docs and the sign-in redirect to `app`."""
    from pantau.web.workspace import admin, analysis, auth, docs, pages
    from pantau.web.workspace.errors import sign_in_redirect
    from pantau.web.workspace.session import SignInRequired

    @app.exception_handler(SignInRequired)
    async def _sign_in(request: Request, exc: SignInRequired) -> Response:
        return sign_in_redirect(request, exc.next_url)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for r in (auth.router, docs.router, pages.router, analysis.router, admin.router):
        app.include_router(r)
    _bearer_scheme(app)


def _bearer_scheme(app: FastAPI) -> None:
    """Declare the API token scheme in the OpenAPI document, so /docs shows an Authorize button."""
    original = app.openapi

    def openapi() -> dict:
        if app.openapi_schema:
            return app.openapi_schema
        schema = original()
        comps = schema.setdefault("components", {})
        comps.setdefault("securitySchemes", {})["apiToken"] = HTTPBearer(
            description="an API token (`pantau tokens create USER`)").model_dump(mode="json", by_alias=True, exclude_none=True)
        schema["security"] = [{"apiToken": []}]
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
