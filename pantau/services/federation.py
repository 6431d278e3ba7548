"""Federation: pull from partner nodes over TAXII 2.1 what they released to us.

A partner is an organisation on this node (a guest, not a member, unless made one) plus the URL of
its TAXII server and the token it issued to us. `pull` reads every collection the partner lets us
read, from where the last pull stopped (`added_after`), and keeps each STIX object as received with
its provenance (partner, collection) and marking. A pulled object stays owned by the partner and is
released only to the local organisation we pulled for, so the access rules never show it beyond
its marking (GREEN: our members; AMBER: that organisation; AMBER+STRICT and RED: no one here but the
local CLI, since they name organisations and users of the partner's node). Nobody here may re-mark it.

Reports also become local documents with their events (`federation_kb`), so fusion, grading and
every read path take them in. A newer version of an object replaces the one held (and its
document); a `revoked` one removes both; fused events are then recomputed. Every object is checked
first (`federation_check`): a bad one is skipped with a one-line reason and the rest goes on. The
HTTP side (`federation_client`) is `taxii2-client` with size, page, redirect and origin limits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError

from pantau.exc import InputError, NotFound, PantauError
from pantau.services.access import Viewer
from pantau.services.federation_check import Checked, Refused, check
from pantau.services.federation_client import PartnerClient
from pantau.services.federation_kb import PartnerRef
from pantau.services.identity import add_org
from pantau.services.node import Node
from pantau.storage.share_tables import partners, pulled_objects, releases
from pantau.storage.tables import NODE_ORG_ID, organisations

PUSH_SCHEME = "taxii-push:"  # the URL of a partner row for what an organisation posts over TAXII


@dataclass(slots=True)
class PullReport:
    partner: str
    collections: int = 0
    received: int = 0
    stored: int = 0
    replaced: int = 0  # new versions of objects pulled before
    withdrawn: int = 0  # revoked by the partner: removed here
    documents: int = 0  # reports that became local documents
    removed_documents: int = 0
    by_marking: dict[str, int] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # one line per refused object
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (object id, version, reason)
    accepted: list[tuple[str, str]] = field(default_factory=list)  # (object id, version) taken or already held
    warnings: list[str] = field(default_factory=list)


def add_partner(node: Node, name: str, url: str, token: str, *, for_org: str | None = None,
                member: bool = False, actor: Viewer | None = None) -> int:
    """Register a partner node; creates its organisation here (slug = name) unless it exists."""
    if not url.startswith(("http://", "https://")) or len(url) > 2000:
        raise InputError(url[:200], "partner URL must be http(s)")
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,63}", name):
        raise InputError(name[:80], "partner name: lower-case letters, digits, '.', '_' or '-' (64 at most)")
    if not token.strip():
        raise InputError("token", "empty token")
    with node.engine.connect() as conn:
        if conn.execute(sa.select(partners.c.id).where(partners.c.name == name)).first():
            raise InputError(name, "a partner of that name exists; `pantau partners remove` it first")
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


def remove_partner(node: Node, name: str, *, actor: Viewer | None = None) -> int:
    """Forget a partner: its registration, every object pulled from it and the documents made from
    them (fused events are recomputed). Returns the number of documents removed."""
    from pantau.services.federation_kb import forget
    from pantau.services.kb import refuse

    with node.engine.begin() as conn:
        p = conn.execute(sa.select(partners).where(partners.c.name == name)).first()
        if p is None:
            raise NotFound(f"no partner {name!r}")
        docs = forget(conn, p.id)
        conn.execute(releases.delete().where(
            releases.c.object_kind == "pulled_objects",
            releases.c.object_id.in_(sa.select(sa.cast(pulled_objects.c.id, sa.String))
                                     .where(pulled_objects.c.partner_id == p.id))))
        conn.execute(pulled_objects.delete().where(pulled_objects.c.partner_id == p.id))
        conn.execute(partners.delete().where(partners.c.id == p.id))
        node.audit.append(conn, "partners.remove", object_type="partners", object_id=p.id,
                          org_id=actor.org_id if actor and isinstance(actor.org_id, int) else None,
                          detail={"name": name, "documents": docs})
    if docs:
        refuse(node)  # type: ignore[arg-type]
    return len(docs)


@dataclass(slots=True)
class CheckReport:
    partner: str
    api_root: str
    collections: list[str]
    readable: int


def check_partner(node: Node, name: str, *, timeout: float = 30.0) -> CheckReport:
    """Reach the partner (discovery, API root, collections) without storing anything."""
    p = _partner(node, name)
    with PartnerClient(p.url, p.token, timeout=timeout) as client:
        root = client.api_root()
        cols = client.collections(root)
    return CheckReport(name, root, [c.title for c in cols], sum(c.can_read for c in cols))


def _partner(node: Node, name: str) -> Any:
    with node.engine.connect() as conn:
        p = conn.execute(sa.select(partners).where(partners.c.name == name)).first()
    if p is None:
        raise NotFound(f"no partner {name!r}")
    return p


def pull(node: Node, name: str, *, timeout: float = 30.0, max_bytes: int | None = None,
         max_pages: int | None = None) -> PullReport:
    """Pull new objects from partner `name`; returns what was received, stored, replaced, withdrawn and
    skipped. Raises PartnerError (one line) when the partner cannot be read at all."""
    from pantau.services.kb import fuse, refuse

    p = _partner(node, name)
    ref = PartnerRef(p.id, p.name, p.org_id, p.for_org_id)
    report = PullReport(name)
    latest = p.last_pulled
    kw: dict[str, Any] = {"timeout": timeout}
    if max_bytes is not None:
        kw["max_bytes"] = max_bytes
    if max_pages is not None:
        kw["max_pages"] = max_pages
    with PartnerClient(p.url, p.token, **kw) as client:
        root = client.api_root()
        for col in client.collections(root):
            if not col.can_read:
                continue
            report.collections += 1
            for page in client.pages(root, col, p.last_pulled):
                report.received += len(page.objects)
                _store(node, ref, col.title, page.objects, page.sizes, report)
                last = page.date_added_last
                if last and len(last) <= 40 and (latest is None or last > latest):
                    latest = last
        report.warnings.extend(client.warnings)
    with node.engine.begin() as conn:
        conn.execute(partners.update().where(partners.c.id == p.id).values(last_pulled=latest))
        node.audit.append(conn, "partners.pull", object_type="partners", object_id=p.id,
                          detail={"received": report.received, "stored": report.stored,
                                  "replaced": report.replaced, "withdrawn": report.withdrawn,
                                  "skipped": len(report.skipped), "by_marking": report.by_marking,
                                  "until": latest})
    if report.replaced or report.withdrawn:
        refuse(node)  # type: ignore[arg-type]  # a document left: fused events are recomputed
    elif report.documents:
        fuse(node)  # type: ignore[arg-type]
    return report


def pull_all(node: Node, names: list[str] | None = None, **kw: Any) -> list[tuple[str, PullReport | None, str | None]]:
    """Pull from each partner in turn; one partner failing never stops the others. Returns
    (name, report, None) or (name, None, one-line error) per partner."""
    out: list[tuple[str, PullReport | None, str | None]] = []
    for name in names or [p["name"] for p in list_partners(node) if not p["url"].startswith(PUSH_SCHEME)]:
        try:
            out.append((name, pull(node, name, **kw), None))
        except PantauError as exc:
            out.append((name, None, str(exc)))
        except SQLAlchemyError as exc:
            out.append((name, None, "store error: " + " ".join(str(exc.orig or exc).split())[:200]))
    return out


def _store(node: Node, p: PartnerRef, collection: str, objs: list[Any], sizes: list[int],
           report: PullReport) -> None:
    from pantau.services.federation_kb import forget, materialise

    now = datetime.now(UTC)
    checked: list[Checked] = []
    for o, size in zip(objs, sizes, strict=True):
        try:
            checked.append(check(o, size))
        except Refused as exc:
            report.skipped.append(str(exc))
            version = o.get("modified") or o.get("created") if isinstance(o, dict) else None
            report.refused.append((exc.obj_id, version if isinstance(version, str) else "", exc.reason))
    with node.engine.begin() as conn:
        for c in checked:
            report.accepted.append((c.id, c.version))
            old = conn.execute(sa.select(pulled_objects.c.id, pulled_objects.c.modified).where(
                pulled_objects.c.partner_id == p.id, pulled_objects.c.stix_id == c.id)).all()
            newest = max((_when(r.modified) for r in old), default=None)
            if newest is not None and _when(c.version) <= newest and not c.revoked:
                continue  # a version we hold already (or an older one)
            if old:
                conn.execute(releases.delete().where(releases.c.object_kind == "pulled_objects",
                                                     releases.c.object_id.in_([str(r.id) for r in old])))
                conn.execute(pulled_objects.delete().where(pulled_objects.c.id.in_([r.id for r in old])))
            if c.revoked:
                gone = forget(conn, p.id, c.id)
                if old or gone:
                    report.withdrawn += 1
                    report.removed_documents += len(gone)
                continue
            oid = conn.execute(pulled_objects.insert().values(
                partner_id=p.id, stix_id=c.id, stix_type=c.type, modified=c.version, collection=collection,
                object=c.obj, pulled_at=now, org_id=p.org_id, marking=c.marking.value,
            ).returning(pulled_objects.c.id)).scalar_one()
            conn.execute(releases.insert().values(object_kind="pulled_objects", object_id=str(oid),
                                                  org_id=str(p.for_org_id)))
            report.by_marking[c.marking.value] = report.by_marking.get(c.marking.value, 0) + 1
            report.stored += 1
            if old:
                report.replaced += 1
            if c.type == "report":
                doc = materialise(conn, p, collection, c.obj, c.marking)
                if doc is not None:
                    report.documents += 1
                    node.audit.append(conn, "documents.create", org_id=p.org_id, object_type="documents",
                                      object_id=doc, detail={"tlp": c.marking.value, "partner": p.name,
                                                             "stix_id": c.id, "version": c.version})


def _when(v: str) -> datetime:
    if not v:
        return datetime.min.replace(tzinfo=UTC)
    d = datetime.fromisoformat(v.replace("Z", "+00:00"))
    return d if d.tzinfo else d.replace(tzinfo=UTC)


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
