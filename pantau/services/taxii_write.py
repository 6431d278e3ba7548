"""TAXII 2.1 writes: an analyst (or admin) posts an envelope to a collection; each object is checked
like a partner's (`federation_check`), kept with its provenance and marking like a pulled object
(owner: the posting organisation; an AMBER object is released to this node's organisation), and
reports become documents that fusion takes in. The answer is a status resource, kept so that
`GET …/status/{id}/` gives it again to the same organisation (and to nobody else)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

from pantau.exc import AccessDenied, InputError, NotFound
from pantau.services.access import Viewer
from pantau.services.federation import PUSH_SCHEME, PullReport, _store
from pantau.services.federation_kb import PartnerRef
from pantau.services.node import Node
from pantau.storage.share_tables import partners, taxii_status
from pantau.storage.tables import NODE_ORG_ID, organisations

MAX_OBJECTS = 10_000


def _push_partner(conn: sa.Connection, org_id: int) -> PartnerRef:
    slug = conn.execute(sa.select(organisations.c.slug).where(organisations.c.id == org_id)).scalar_one()
    name = f"push-{slug}"[:100]
    row = conn.execute(sa.select(partners).where(partners.c.name == name)).first()
    if row is None:
        pid = conn.execute(partners.insert().values(name=name, url=f"{PUSH_SCHEME}{slug}", token="", org_id=org_id,
                                                    for_org_id=NODE_ORG_ID).returning(partners.c.id)).scalar_one()
        return PartnerRef(int(pid), name, org_id, NODE_ORG_ID)
    return PartnerRef(int(row.id), row.name, int(row.org_id), int(row.for_org_id))


def add_objects(node: Node, viewer: Viewer, collection_title: str, envelope: Any) -> dict[str, Any]:
    """Take an envelope's objects; returns the TAXII status resource (complete: taken synchronously)."""
    from pantau.services.kb import fuse, refuse

    if not viewer.can_write() or not isinstance(viewer.org_id, int):
        raise AccessDenied("only analysts of an organisation may add objects over TAXII")
    if not isinstance(envelope, dict) or not isinstance(envelope.get("objects"), list):
        raise InputError("envelope", "expected a TAXII envelope with an `objects` list")
    objs = envelope["objects"]
    if len(objs) > MAX_OBJECTS:
        raise InputError("envelope", f"more than {MAX_OBJECTS} objects")
    with node.engine.begin() as conn:
        ref = _push_partner(conn, viewer.org_id)
    report = PullReport(ref.name)
    _store(node, ref, collection_title[:100], objs, [len(json.dumps(o, default=str)) for o in objs], report)
    if report.replaced or report.withdrawn:
        refuse(node)  # type: ignore[arg-type]
    elif report.documents:
        fuse(node)  # type: ignore[arg-type]
    now = datetime.now(UTC)
    sid = str(uuid.uuid4())
    body = {"id": sid, "status": "complete", "request_timestamp": now.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            "total_count": len(objs), "success_count": len(report.accepted),
            "successes": [{"id": i, "version": v} for i, v in report.accepted],
            "failure_count": len(report.refused),
            "failures": [{"id": i, "version": v, "message": m} for i, v, m in report.refused], "pending_count": 0}
    with node.engine.begin() as conn:
        conn.execute(taxii_status.insert().values(id=sid, org_id=viewer.org_id, created_at=now, body=body))
        node.audit.append(conn, "taxii.add", org_id=viewer.org_id,
                          user_id=viewer.user_id if isinstance(viewer.user_id, int) else None,
                          object_type="collection", object_id=collection_title[:100],
                          detail={"status": sid, "accepted": len(report.accepted), "refused": len(report.refused)})
    return body


def get_status(node: Node, viewer: Viewer, status_id: str) -> dict[str, Any]:
    with node.engine.connect() as conn:
        row = conn.execute(sa.select(taxii_status.c.body, taxii_status.c.org_id)
                           .where(taxii_status.c.id == status_id[:36])).first()
    if row is None or (not viewer.is_system and row.org_id != viewer.org_id):
        raise NotFound(f"no status {status_id[:40]}")
    return dict(row.body)
