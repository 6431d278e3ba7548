"""The app factory of `pantau serve`: REST API (OpenAPI at /docs), TAXII 2.1 under /taxii2/, and the
live stream at /api/stream. Errors of the services map to HTTP here and nowhere else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from pantau.exc import AccessDenied, InputError, NotFound
from pantau.services.node import Node
from pantau.services.stream import Broker


def create_app(node: Node, *, stream_interval: float = 0.05, stream_recheck: float = 2.0) -> FastAPI:
    broker = Broker(node, interval=stream_interval)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await broker.start()
        try:
            yield
        finally:
            await broker.stop()

    app = FastAPI(title="pantau sharing node", version="0.1.0", lifespan=lifespan,
                  description="Events, documents, entities and incidents under TLP 2.0; TAXII 2.1 at /taxii2/.")
    app.state.node = node
    app.state.broker = broker
    app.state.stream_recheck = stream_recheck  # seconds between re-checks of an open stream's token

    @app.exception_handler(NotFound)
    async def _not_found(_: Request, exc: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=404)

    @app.exception_handler(AccessDenied)
    async def _denied(_: Request, exc: AccessDenied) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=403)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        # the parameter and the problem, without echoing the input (which may not even be encodable)
        errors = [{"loc": [str(p) for p in e.get("loc", ())], "msg": str(e.get("msg", "invalid")),
                   "type": str(e.get("type", ""))} for e in exc.errors()]
        return JSONResponse({"detail": errors}, status_code=422)

    @app.exception_handler(InputError)
    async def _bad(_: Request, exc: InputError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    from pantau.web.api import rest, stream
    from pantau.web.limits import BodyLimit
    from pantau.web.taxii import routes as taxii

    app.add_middleware(BodyLimit)
    app.include_router(rest.router, prefix="/api")
    app.include_router(stream.router, prefix="/api")
    app.include_router(taxii.router, prefix="/taxii2")
    return app
