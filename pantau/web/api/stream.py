"""Live stream (Server-Sent Events) of new and changed events and incidents the caller may see.
Each message's id is the change-log id: reconnect with `Last-Event-ID` to resume without loss or
repetition."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Query, Request
from sse_starlette.sse import EventSourceResponse

from pantau.services.access import Viewer
from pantau.services.stream import Broker
from pantau.web.deps import get_node, get_viewer

router = APIRouter(tags=["stream"])


@router.get("/stream")
async def stream(request: Request, viewer: Annotated[Viewer, Depends(get_viewer)],
                 last_event_id: Annotated[str | None, Header()] = None,
                 after: Annotated[int | None, Query(ge=0, le=2**63 - 1)] = None) -> EventSourceResponse:
    """SSE of changes (`event: change`); `Last-Event-ID` (or `?after=`) resumes after that change."""
    from pantau.services.identity import authenticate
    from pantau.web.deps import _token

    broker: Broker = request.app.state.broker
    start = int(last_event_id) if last_event_id and last_event_id.isascii() and last_event_id.isdigit() \
        and int(last_event_id) <= 2**63 - 1 else after
    node, token = get_node(request), _token(request) or ""

    def reauth() -> Viewer:  # the token and its user as they are now: revocation, role, membership, groups
        return authenticate(node, token, touch=False)

    async def gen() -> AsyncIterator[dict[str, Any]]:
        async for c in broker.subscribe(viewer, start, reauth=reauth, recheck=request.app.state.stream_recheck):
            yield {"id": str(c.id), "event": "change", "data": c.data}

    return EventSourceResponse(gen(), ping=15)
