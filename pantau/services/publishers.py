"""The publisher registry of this node: shipped defaults (`ontology/publishers.yaml`) plus edits
kept in the `publishers` table; an edit regrades the fused events."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from pantau.services.grading import RELIABILITIES, Publisher
from pantau.storage.kb_tables import publishers
from pantau.storage.writer import now

if TYPE_CHECKING:
    from pantau.services.store import Store

__all__ = ["list_publishers", "set_reliability"]


def list_publishers(store: Store) -> list[dict[str, Any]]:
    from pantau.services.kb import registry_for

    with store.engine.connect() as conn:
        edited = set(conn.execute(sa.select(publishers.c.id)).scalars())
        reg = registry_for(conn)
    return [{"id": p.id, "name": p.name, "reliability": p.reliability, "country": p.country, "kind": p.kind,
             "wire": p.wire, "aliases": list(p.aliases), "edited": p.id in edited} for p in reg]


def set_reliability(store: Store, name: str, reliability: str, *, regrade: bool = True) -> Publisher:
    """Set a publisher's default source reliability (A–F) on this node; a new name adds a publisher."""
    from pantau.services.kb import registry_for
    from pantau.services.kb import regrade as regrade_all

    letter = reliability.strip().upper()
    if letter not in RELIABILITIES:
        raise ValueError(f"reliability must be one of {', '.join(RELIABILITIES)}, not {reliability!r}")
    with store.engine.begin() as conn:
        pub = registry_for(conn).set_reliability(name, letter)
        row = {"id": pub.id, "name": pub.name, "reliability": letter, "country": pub.country, "kind": pub.kind,
               "wire": pub.wire, "aliases": list(pub.aliases), "updated_at": now()}
        conn.execute(sa.delete(publishers).where(publishers.c.id == pub.id))
        conn.execute(sa.insert(publishers).values(**row))
        from pantau.services.audit import record

        record(store, conn, "publishers.set", object_type="publishers", object_id=pub.id,
               detail={"reliability": letter})
    if regrade:
        regrade_all(store)
    return pub
