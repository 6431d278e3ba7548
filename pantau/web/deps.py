"""Request dependencies: the node, and the viewer behind a bearer token (or HTTP Basic with the token
as password, which is how TAXII clients usually authenticate)."""

from __future__ import annotations

import base64

import anyio
from fastapi import HTTPException, Request

from pantau.exc import AccessDenied
from pantau.services.access import Viewer
from pantau.services.node import Node


def get_node(request: Request) -> Node:
    return request.app.state.node


def _token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value:
        return value.strip()
    if scheme.lower() == "basic" and value:
        try:
            _user, _, password = base64.b64decode(value).decode("utf-8").partition(":")
        except ValueError:
            return None
        return password or None
    return None


async def get_viewer(request: Request) -> Viewer:
    token = _token(request)
    if not token:
        raise HTTPException(401, "a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    from pantau.services.identity import authenticate

    try:
        return await anyio.to_thread.run_sync(authenticate, get_node(request), token)
    except AccessDenied as exc:
        raise HTTPException(401, str(exc), headers={"WWW-Authenticate": "Bearer"}) from exc
