"""Organisations, groups, users, roles and API tokens (stored as SHA-256 of a random secret)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from pantau.exc import AccessDenied, InputError, NotFound
from pantau.services.access import ROLES, Viewer
from pantau.services.node import Node
from pantau.storage.share_tables import api_tokens, group_members, groups, org_membership
from pantau.storage.tables import organisations, users

TOKEN_PREFIX = "pnt_"
MAX_TOKEN_DAYS = 3650


def _now() -> datetime:
    return datetime.now(UTC)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _org_id(conn: sa.Connection, slug: str | int) -> int:
    col = organisations.c.id if isinstance(slug, int) else organisations.c.slug
    oid = conn.execute(sa.select(organisations.c.id).where(col == slug)).scalar()
    if oid is None:
        raise NotFound(f"no organisation {slug!r}")
    return int(oid)


def add_org(node: Node, slug: str, name: str | None = None, *, member: bool = True,
            actor: Viewer | None = None) -> int:
    """Add an organisation; `member=False` makes it a guest (sees CLEAR and what is released to it)."""
    with node.engine.begin() as conn:
        if conn.execute(sa.select(organisations.c.id).where(organisations.c.slug == slug)).first():
            raise InputError(slug, "organisation exists")
        oid = conn.execute(organisations.insert().values(slug=slug, name=name or slug, is_local=False)
                           .returning(organisations.c.id)).scalar_one()
        conn.execute(org_membership.insert().values(org_id=oid, is_member=member))
        _audit(node, conn, actor, "org.create", "organisations", oid, {"slug": slug, "member": member})
    return int(oid)


def list_orgs(node: Node) -> list[dict[str, Any]]:
    with node.engine.connect() as conn:
        q = (sa.select(organisations.c.id, organisations.c.slug, organisations.c.name, organisations.c.is_local,
                       sa.func.coalesce(org_membership.c.is_member, sa.true()).label("member"))
             .outerjoin(org_membership, org_membership.c.org_id == organisations.c.id).order_by(organisations.c.id))
        return [dict(r._mapping) for r in conn.execute(q)]


def add_group(node: Node, slug: str, orgs: list[str], *, name: str | None = None,
              actor: Viewer | None = None) -> int:
    with node.engine.begin() as conn:
        gid = conn.execute(groups.insert().values(slug=slug, name=name or slug).returning(groups.c.id)).scalar_one()
        for o in orgs:
            conn.execute(group_members.insert().values(group_id=gid, org_id=_org_id(conn, o)))
        _audit(node, conn, actor, "group.create", "groups", gid, {"slug": slug, "orgs": sorted(orgs)})
    return int(gid)


def add_user(node: Node, username: str, org: str, *, role: str = "analyst", display_name: str | None = None,
             actor: Viewer | None = None) -> int:
    if role not in ROLES:
        raise InputError(role, f"unknown role; expected one of {', '.join(ROLES)}")
    with node.engine.begin() as conn:
        if conn.execute(sa.select(users.c.id).where(users.c.username == username)).first():
            raise InputError(username, "user exists")
        uid = conn.execute(users.insert().values(username=username, org_id=_org_id(conn, org), role=role,
                                                 display_name=display_name).returning(users.c.id)).scalar_one()
        _audit(node, conn, actor, "user.create", "users", uid, {"username": username, "org": org, "role": role})
    return int(uid)


def list_users(node: Node) -> list[dict[str, Any]]:
    with node.engine.connect() as conn:
        q = (sa.select(users.c.id, users.c.username, users.c.role, users.c.active,
                       organisations.c.slug.label("org"))
             .join(organisations, organisations.c.id == users.c.org_id).order_by(users.c.id))
        return [dict(r._mapping) for r in conn.execute(q)]


def viewer_for_user(conn: sa.Connection, user_id: int) -> Viewer:
    row = conn.execute(sa.select(users.c.id, users.c.org_id, users.c.role, users.c.active)
                       .where(users.c.id == user_id)).first()
    if row is None or not row.active:
        raise NotFound(f"no active user {user_id}")
    member = conn.execute(sa.select(org_membership.c.is_member).where(org_membership.c.org_id == row.org_id)).scalar()
    gids = frozenset(conn.execute(sa.select(group_members.c.group_id)
                                  .where(group_members.c.org_id == row.org_id)).scalars())
    role = row.role if row.role in ROLES else "viewer"
    return Viewer(user_id=row.id, org_id=row.org_id, role=role, group_ids=gids,
                  is_member=True if member is None else bool(member))


def viewer_for_username(node: Node, username: str) -> Viewer:
    with node.engine.connect() as conn:
        uid = conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar()
        if uid is None:
            raise NotFound(f"no user {username!r}")
        return viewer_for_user(conn, uid)


# ---------------------------------------------------------------- tokens

def create_token(node: Node, username: str, *, name: str = "", days: float | None = 90,
                 actor: Viewer | None = None) -> tuple[int, str]:
    """A new API token for `username`: returns (token id, secret). The secret is shown once; only its
    SHA-256 is stored. `days=None` never expires."""
    if days is not None and not (isinstance(days, int | float) and 0 < days <= MAX_TOKEN_DAYS):
        raise InputError("days", f"token expiry must be more than 0 and at most {MAX_TOKEN_DAYS} days "
                                 f"(or none), not {days!r}")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = _now()
    with node.engine.begin() as conn:
        uid = conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar()
        if uid is None:
            raise NotFound(f"no user {username!r}")
        tid = conn.execute(api_tokens.insert().values(
            user_id=uid, name=name, prefix=secret[:10], secret_hash=hash_secret(secret), created_at=now,
            expires_at=None if days is None else now + timedelta(days=days),
        ).returning(api_tokens.c.id)).scalar_one()
        _audit(node, conn, actor, "token.create", "api_tokens", tid, {"user": username, "name": name})
    return int(tid), secret


def list_tokens(node: Node, username: str | None = None) -> list[dict[str, Any]]:
    with node.engine.connect() as conn:
        q = (sa.select(api_tokens.c.id, users.c.username, api_tokens.c.name, api_tokens.c.prefix,
                       api_tokens.c.created_at, api_tokens.c.expires_at, api_tokens.c.revoked_at,
                       api_tokens.c.last_used_at)
             .join(users, users.c.id == api_tokens.c.user_id).order_by(api_tokens.c.id))
        if username:
            q = q.where(users.c.username == username)
        return [dict(r._mapping) for r in conn.execute(q)]


def revoke_token(node: Node, token_id: int, *, actor: Viewer | None = None) -> None:
    with node.engine.begin() as conn:
        n = conn.execute(api_tokens.update().where(api_tokens.c.id == token_id, api_tokens.c.revoked_at.is_(None))
                         .values(revoked_at=_now())).rowcount
        if not n:
            raise NotFound(f"no active token {token_id}")
        _audit(node, conn, actor, "token.revoke", "api_tokens", token_id, {})


# ---------------------------------------------------------------- operator commands

def _user_id(conn: sa.Connection, username: str) -> int:
    uid = conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar()
    if uid is None:
        raise NotFound(f"no user {username!r}")
    return int(uid)


def _group_id(conn: sa.Connection, slug: str) -> int:
    gid = conn.execute(sa.select(groups.c.id).where(groups.c.slug == slug)).scalar()
    if gid is None:
        raise NotFound(f"no group {slug!r}")
    return int(gid)


def set_user_active(node: Node, username: str, active: bool, *, actor: Viewer | None = None) -> None:
    """Disable (or enable again) a user: a disabled user's tokens stop working at once, open streams too."""
    with node.engine.begin() as conn:
        uid = _user_id(conn, username)
        conn.execute(users.update().where(users.c.id == uid).values(active=active))
        _audit(node, conn, actor, "user.enable" if active else "user.disable", "users", uid, {"username": username})


def set_user_role(node: Node, username: str, role: str, *, actor: Viewer | None = None) -> None:
    if role not in ROLES:
        raise InputError("role", f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    with node.engine.begin() as conn:
        uid = _user_id(conn, username)
        conn.execute(users.update().where(users.c.id == uid).values(role=role))
        _audit(node, conn, actor, "user.role", "users", uid, {"username": username, "role": role})


def set_org_member(node: Node, slug: str, member: bool, *, actor: Viewer | None = None) -> None:
    """Make an organisation a member of the sharing community (sees GREEN) or a guest."""
    with node.engine.begin() as conn:
        oid = _org_id(conn, slug)
        n = conn.execute(org_membership.update().where(org_membership.c.org_id == oid).values(is_member=member)).rowcount
        if not n:
            conn.execute(org_membership.insert().values(org_id=oid, is_member=member))
        _audit(node, conn, actor, "org.member" if member else "org.guest", "organisations", oid, {"slug": slug})


def list_groups(node: Node) -> list[dict[str, Any]]:
    with node.engine.connect() as conn:
        out = [dict(r._mapping) for r in conn.execute(sa.select(groups.c.id, groups.c.slug, groups.c.name)
                                                      .order_by(groups.c.id))]
        members: dict[int, list[str]] = {g["id"]: [] for g in out}
        for gid, slug in conn.execute(sa.select(group_members.c.group_id, organisations.c.slug)
                                      .join(organisations, organisations.c.id == group_members.c.org_id)
                                      .order_by(organisations.c.slug)):
            members.setdefault(gid, []).append(slug)
        for g in out:
            g["orgs"] = members.get(g["id"], [])
        return out


def group_add_member(node: Node, slug: str, org: str, *, actor: Viewer | None = None) -> None:
    with node.engine.begin() as conn:
        gid, oid = _group_id(conn, slug), _org_id(conn, org)
        if conn.execute(sa.select(group_members.c.org_id).where(group_members.c.group_id == gid,
                                                                group_members.c.org_id == oid)).first():
            raise InputError(org, f"already a member of group {slug}")
        conn.execute(group_members.insert().values(group_id=gid, org_id=oid))
        _audit(node, conn, actor, "group.add_member", "groups", gid, {"group": slug, "org": org})


def group_remove_member(node: Node, slug: str, org: str, *, actor: Viewer | None = None) -> None:
    with node.engine.begin() as conn:
        gid, oid = _group_id(conn, slug), _org_id(conn, org)
        n = conn.execute(group_members.delete().where(group_members.c.group_id == gid,
                                                      group_members.c.org_id == oid)).rowcount
        if not n:
            raise NotFound(f"{org!r} is not a member of group {slug!r}")
        _audit(node, conn, actor, "group.remove_member", "groups", gid, {"group": slug, "org": org})


def remove_group(node: Node, slug: str, *, actor: Viewer | None = None) -> None:
    """Remove a group: what was released to it is no longer released to its members."""
    from pantau.storage.share_tables import releases

    with node.engine.begin() as conn:
        gid = _group_id(conn, slug)
        conn.execute(releases.delete().where(releases.c.group_id == str(gid)))
        conn.execute(group_members.delete().where(group_members.c.group_id == gid))
        conn.execute(groups.delete().where(groups.c.id == gid))
        _audit(node, conn, actor, "group.remove", "groups", gid, {"group": slug, "group_id": gid})


def authenticate(node: Node, secret: str, *, touch: bool = True) -> Viewer:
    """The viewer a bearer token stands for, as its user, role, organisation, membership and groups are
    now; AccessDenied when unknown, expired or revoked, or the user is disabled. `touch=False` (the live
    stream re-checking an open connection) does not record the use."""
    with node.engine.begin() as conn:
        row = conn.execute(sa.select(api_tokens).where(api_tokens.c.secret_hash == hash_secret(secret))).first()
        if row is None or row.revoked_at is not None:
            raise AccessDenied("invalid or revoked token")
        exp = row.expires_at
        if exp is not None and (exp if exp.tzinfo else exp.replace(tzinfo=UTC)) <= _now():
            raise AccessDenied("token expired")
        if touch:
            conn.execute(api_tokens.update().where(api_tokens.c.id == row.id).values(last_used_at=_now()))
        try:
            return viewer_for_user(conn, row.user_id)
        except NotFound as exc:
            raise AccessDenied("token of an inactive user") from exc


def _audit(node: Node, conn: sa.Connection, actor: Viewer | None, action: str, kind: str, oid: object,
           detail: dict[str, Any]) -> None:
    node.audit.append(conn, action, org_id=_int(actor.org_id) if actor else None,
                      user_id=_int(actor.user_id) if actor else None, object_type=kind, object_id=str(oid),
                      detail=detail)


def _int(v: object) -> int | None:
    return v if isinstance(v, int) else None
