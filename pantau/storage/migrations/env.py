"""Alembic environment. The connection is handed in by pantau.storage.migrate."""

from __future__ import annotations

from alembic import context

from pantau.storage.tables import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - the CLI path always passes one
    raise RuntimeError("run migrations through pantau.storage.migrate.upgrade(engine)")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
