"""`pantau serve`: run the sharing node (REST + OpenAPI at /docs, TAXII 2.1, live stream)."""

from __future__ import annotations

import os

import typer

from pantau.cli._node import open_node


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        ctx: typer.Context,
        host: str = typer.Option(os.environ.get("PANTAU_HOST", "127.0.0.1"), "--host", help="PANTAU_HOST"),
        port: int = typer.Option(int(os.environ.get("PANTAU_PORT", "8000")), "--port", help="PANTAU_PORT"),
        watch: bool = typer.Option(False, "--watch", help="also poll the watch list and deliver alerts"),
    ) -> None:
        """Serve this store as a sharing node (SQLite for one user, PostgreSQL for a shared node)."""
        import uvicorn

        from pantau.web.app import create_app

        halt = None
        if watch:
            from pantau.cli.common import open_store
            from pantau.services.monitor_hooks import start_background

            halt = start_background(open_store(ctx))
        try:
            uvicorn.run(create_app(open_node(ctx)), host=host, port=port, log_level="info")
        finally:
            if halt is not None:
                halt()
