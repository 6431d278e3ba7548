"""The STIX mapper of this node, shared by the exports and the TAXII server: ids in the namespace of
the node's key (so the same object has the same id whichever path serves it), and the node's
organisation as the author of every object."""

from __future__ import annotations

import os
from typing import Any

import sqlalchemy as sa

from pantau.interop.stix_share import Mapper, node_namespace
from pantau.services.audit import AuditLog, public_hex
from pantau.storage.tables import NODE_ORG_ID, organisations


def mapper_for(store: Any, conn: sa.Connection) -> Mapper:
    """`store` is a Node (with its audit log and key) or a Store (the key found as the CLI finds it)."""
    audit = getattr(store, "audit", None) or AuditLog.for_store(store.url, os.environ.get("PANTAU_DATA_DIR"))
    name = conn.execute(sa.select(organisations.c.name).where(organisations.c.id == NODE_ORG_ID)).scalar()
    return Mapper(node_namespace(public_hex(audit.key)), name or "pantau node")
