"""Federation: pull from partner nodes over TAXII 2.1 what they released to us.

A partner is an organisation on this node (a guest, not a member, unless made one) plus the URL of
its TAXII server and the token it issued to us. `pull` reads every collection the partner lets us
read, from where the last pull stopped (`added_after`), and keeps each STIX object as received with
its provenance (partner, collection) and marking. A pulled object stays owned by the partner and is
released only to the local organisation we pulled for, so the access rules never show it beyond
its marking (GREEN: our members; AMBER: that organisation; AMBER+STRICT and RED: no one here but the
local CLI, since they name organisations and users of the partner's node). Nobody here may re-mark it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx
import sqlalchemy as sa

from pantau.exc import InputError, NotFound
from pantau.interop.stix_share import tlp_of
from pantau.model.markings import TLP
from pantau.services.access import Viewer
from pantau.services.identity import add_org
from pantau.services.node import Node
from pantau.storage.share_tables import partners, pulled_objects, releases
from pantau.storage.tables import NODE_ORG_ID, organisations

TAXII = "application/taxii+json;version=2.1"
PAGE = 500
DEFAULT_MARKING = TLP.AMBER  # an object that carries no TLP marking is treated as AMBER


@dataclass(slots=True)
class PullReport:
    partner: str
    collections: int = 0
    received: int = 0
    stored: int = 0
    by_marking: dict[str, int] = field(default_factory=dict)


def add_partner(node: Node, name: str, url: str, token: str, *, for_org: str | None = None,
                member: bool = False, actor: Viewer | None = None) -> int:
    """Register a partner node; creates its organisation here (slug = name) unless it exists."""
    if not url.startswith(("http://", "https://")):
        raise InputError(url, "partner URL must be http(s)")
    with node.engine.connect() as conn:
        org = conn.execute(sa.select(organisations.c.id).where(organisations.c.slug == name)).scalar()
        local = NODE_ORG_ID if for_org is None else conn.execute(
            sa.select(organisations.c.id).where(organisations.c.slug == for_org)).scalar()
    if local is None:
        raise NotFound(f"no organisation {for_org!r}")
    if org is None:
        org = add_org(node, name, f"partner node {name}", member=member, actor=actor)
    with node.engine.begin() as conn:
        pid = conn.execute(partners.insert().values(name=name, url=url.rstrip("/") + "/", token=token, org_id=org,
                                                    for_org_id=local).returning(partners.c.id)).scalar_one()
        node.audit.append(conn, "partners.create", object_type="partners", object_id=pid,
                          org_id=actor.org_id if actor and isinstance(actor.org_id, int) else None,
                          detail={"name": name, "url": url, "for_org": int(local)})
    return int(pid)


def list_partners(node: Node) -> list[dict[str, Any]]:
    with node.engine.connect() as conn:
        n = (sa.select(sa.func.count()).select_from(pulled_objects)
             .where(pulled_objects.c.partner_id == partners.c.id).scalar_subquery())
        q = sa.select(partners.c.id, partners.c.name, partners.c.url, partners.c.last_pulled,
                      n.label("objects")).order_by(partners.c.id)
        return [dict(r._mapping) for r in conn.execute(q)]


def _api_root(client: httpx.Client, url: str) -> str:
    r = client.get(url)
    r.raise_for_status()
    body = r.json()
    if "api_roots" in body:  # a discovery URL
        root = body.get("default") or (body["api_roots"] or [None])[0]
        if not root:
            raise InputError(url, "the partner's TAXII server lists no API root")
        return root.rstrip("/") + "/"
    return url


def pull(node: Node, name: str, *, timeout: float = 30.0, transport: httpx.BaseTransport | None = None) -> PullReport:
    """Pull new objects from partner `name`; returns what was received and stored."""
    with node.engine.connect() as conn:
        p = conn.execute(sa.select(partners).where(partners.c.name == name)).first()
    if p is None:
        raise NotFound(f"no partner {name!r}")
    report = PullReport(name)
    latest = p.last_pulled
    with httpx.Client(auth=("pantau", p.token), headers={"Accept": TAXII}, timeout=timeout,
                      transport=transport) as client:
        root = _api_root(client, p.url)
        cols = client.get(root + "collections/")
        cols.raise_for_status()
        for col in cols.json().get("collections", []):
            if not col.get("can_read"):
                continue
            report.collections += 1
            params: dict[str, Any] = {"limit": PAGE}
            if p.last_pulled:
                params["added_after"] = p.last_pulled
            while True:
                r = client.get(f"{root}collections/{col['id']}/objects/", params=params)
                r.raise_for_status()
                env = r.json() if r.content else {}
                objs = env.get("objects", [])
                report.received += len(objs)
                report.stored += _store(node, p, col.get("title") or col["id"], objs, report)
                last = r.headers.get("X-TAXII-Date-Added-Last")
                if last and (latest is None or last > latest):
                    latest = last
                if not env.get("more") or not env.get("next"):
                    break
                params["next"] = env["next"]
    with node.engine.begin() as conn:
        conn.execute(partners.update().where(partners.c.id == p.id).values(last_pulled=latest))
        node.audit.append(conn, "partners.pull", object_type="partners", object_id=p.id,
                          detail={"received": report.received, "stored": report.stored,
                                  "by_marking": report.by_marking, "until": latest})
    return report


def _store(node: Node, p: Any, collection: str, objs: list[dict[str, Any]], report: PullReport) -> int:
    stored = 0
    now = datetime.now(UTC)
    with node.engine.begin() as conn:
        for o in objs:
            if not isinstance(o, dict) or "id" not in o or "type" not in o:
                continue
            version = str(o.get("modified") or o.get("created") or "")
            exists = conn.execute(sa.select(pulled_objects.c.id).where(
                pulled_objects.c.partner_id == p.id, pulled_objects.c.stix_id == o["id"],
                pulled_objects.c.modified == version)).first()
            if exists:
                continue
            mark = tlp_of(o) or DEFAULT_MARKING
            oid = conn.execute(pulled_objects.insert().values(
                partner_id=p.id, stix_id=o["id"], stix_type=o["type"], modified=version, collection=collection,
                object=o, pulled_at=now, org_id=p.org_id, marking=mark.value,
            ).returning(pulled_objects.c.id)).scalar_one()
            conn.execute(releases.insert().values(object_kind="pulled_objects", object_id=str(oid),
                                                  org_id=str(p.for_org_id)))
            report.by_marking[mark.value] = report.by_marking.get(mark.value, 0) + 1
            stored += 1
    return stored


def pulled(node: Node, viewer: Viewer, *, partner: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
    """Objects pulled from partners that `viewer` may see, with their provenance."""
    from pantau.services.access import visible

    with node.engine.connect() as conn:
        q = (sa.select(pulled_objects.c.id, partners.c.name.label("partner"), pulled_objects.c.collection,
                       pulled_objects.c.stix_id, pulled_objects.c.stix_type, pulled_objects.c.modified,
                       pulled_objects.c.marking, pulled_objects.c.pulled_at, pulled_objects.c.object)
             .join(partners, partners.c.id == pulled_objects.c.partner_id)
             .where(visible(pulled_objects, viewer)).order_by(pulled_objects.c.id).limit(limit))
        if partner:
            q = q.where(partners.c.name == partner)
        return [dict(r._mapping) for r in conn.execute(q)]
