"""Audit records for knowledge-base writes and exports (the sharing node's hash-chained log)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.engine import Connection

if TYPE_CHECKING:
    from pantau.services.store import Store


def record(store: Store, conn: Connection, action: str, *, object_type: str | None = None,
           object_id: str | int | None = None, detail: dict[str, Any] | None = None) -> None:
    """Append one audit record inside the caller's transaction."""
    from pantau.services.audit import AuditLog

    clean = {k: v for k, v in (detail or {}).items() if v is not None and not isinstance(v, float)}
    AuditLog.for_store(store.url).append(conn, action, object_type=object_type, object_id=object_id, detail=clean)
