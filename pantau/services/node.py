"""A sharing node: the store's engine plus its audit log. What every sharing service takes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from pantau.services.audit import AuditLog
from pantau.storage.db import open_database


@dataclass(slots=True)
class Node:
    engine: Engine
    audit: AuditLog
    url: str

    @classmethod
    def open(cls, url: str, *, data_dir: str | Path | None = None, checkpoint_every: int = 100,
             engine: Engine | None = None) -> Node:
        """Open (and migrate) the store at `url`; the node key lives in `data_dir`, else next to a
        SQLite file, else in the user data directory."""
        engine = engine or open_database(url)
        return cls(engine=engine, audit=AuditLog.for_store(url, data_dir, checkpoint_every=checkpoint_every),
                   url=url)

    def close(self) -> None:
        self.engine.dispose()
