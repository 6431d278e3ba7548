"""The OpenAPI page from the vendored swagger-ui-dist (no CDN), with an Authorize button for API tokens."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>pantau API</title>
<link rel="stylesheet" href="/static/vendor/swagger-ui.css"><link rel="stylesheet" href="/static/docs.css"></head>
<body><main><h1 style="font:600 1.2rem sans-serif;margin:1rem">pantau API</h1><div id="swagger-ui"></div></main>
<script src="/static/vendor/swagger-ui-bundle.js"></script>
<script src="/static/docs.js"></script>
</body></html>"""


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    return HTMLResponse(PAGE)
