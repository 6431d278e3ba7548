"""Open a store database: create the engine and bring the schema to the latest revision."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from pantau.storage.engine import create_engine
from pantau.storage.migrate import upgrade


def open_database(url: str, *, migrate: bool = True) -> Engine:
    engine = create_engine(url)
    if migrate:
        upgrade(engine)
    return engine
