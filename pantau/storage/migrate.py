"""Alembic, run programmatically: opening a store upgrades it to the latest revision(s).

Revisions live in `pantau/storage/migrations/versions/`; each module that adds tables adds a
revision on top of the current head. Should two revisions ever branch from the same parent,
every head is applied ("heads"), so a store still opens."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.engine import Connection, Engine

SCRIPT_LOCATION = "pantau.storage:migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def head_revision() -> str | None:
    """The single head (or a comma-joined list if the history has branched)."""
    heads = sorted(head_revisions())
    return ",".join(heads) if heads else None


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def current_revision(engine: Engine) -> str | None:
    cur = sorted(current_revisions(engine))
    return ",".join(cur) if cur else None


def upgrade(engine: Engine, revision: str = "heads") -> None:
    """Bring the schema up to `revision` (default: every head; a no-op when already there)."""
    if revision in ("head", "heads") and current_revisions(engine) == head_revisions():
        return
    with _migration_connection(engine) as conn, conn.begin():
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with _migration_connection(engine) as conn, conn.begin():
        command.downgrade(alembic_config(conn), revision)


@contextmanager
def _migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection for migrations. On SQLite foreign keys are off while they run: a table rebuild
    (Alembic batch mode) drops the old table, which would otherwise cascade-delete its children."""
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        try:
            yield conn
        finally:
            if sqlite:
                conn.rollback()
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
