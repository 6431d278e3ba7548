"""Sign-in for the web workspace: argon2 passwords, lock-out after repeated failures, server-side
sessions (the cookie holds a random secret, the store its SHA-256), a CSRF token per session, and the
user's interface language. API tokens (`identity`) stay the way programs authenticate."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from pantau.exc import AccessDenied, InputError, NotFound
from pantau.services.access import Viewer
from pantau.services.identity import hash_secret, viewer_for_user
from pantau.services.node import Node
from pantau.storage.tables import organisations, users
from pantau.storage.web_tables import user_credentials, web_sessions

LANGUAGES = ("en", "id")
MAX_FAILURES = 5  # wrong passwords in a row before the account locks
LOCK_MINUTES = 15
SESSION_HOURS = 12
MIN_PASSWORD = 8

_hasher = PasswordHasher()


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(v: datetime | None) -> datetime | None:
    return v if v is None or v.tzinfo else v.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in web user: who, their viewer (same access rules as a token), CSRF token, language."""

    user_id: int
    username: str
    display_name: str
    org: str
    viewer: Viewer
    csrf: str
    language: str
    since: datetime | None


def _user_id(conn: sa.Connection, username: str) -> int:
    uid = conn.execute(sa.select(users.c.id).where(users.c.username == username)).scalar()
    if uid is None:
        raise NotFound(f"no user {username!r}")
    return int(uid)


def _upsert(conn: sa.Connection, uid: int, **values: object) -> None:
    n = conn.execute(user_credentials.update().where(user_credentials.c.user_id == uid).values(**values)).rowcount
    if not n:
        conn.execute(user_credentials.insert().values(user_id=uid, **values))


def set_password(node: Node, username: str, password: str, *, actor: Viewer | None = None) -> None:
    """Set (or reset) a user's password; also clears a lock-out."""
    if len(password) < MIN_PASSWORD:
        raise InputError("password", f"too short: at least {MIN_PASSWORD} characters")
    digest = _hasher.hash(password)
    with node.engine.begin() as conn:
        uid = _user_id(conn, username)
        _upsert(conn, uid, password_hash=digest, failed_logins=0, locked_until=None, updated_at=_now())
        node.audit.append(conn, "user.password", org_id=_int(actor.org_id) if actor else None,
                          user_id=_int(actor.user_id) if actor else None, object_type="users", object_id=str(uid),
                          detail={"username": username})


def sign_in(node: Node, username: str, password: str) -> str:
    """Check the password and open a session; returns the session secret for the cookie. The same
    AccessDenied for an unknown user and a wrong password; a locked account says until when."""
    now = _now()
    denied: str | None = None
    secret = secrets.token_urlsafe(32)
    with node.engine.begin() as conn:  # the failure counter commits even when the sign-in is refused
        row = conn.execute(sa.select(users.c.id, users.c.active, user_credentials.c.password_hash,
                                     user_credentials.c.failed_logins, user_credentials.c.locked_until,
                                     user_credentials.c.last_visit)
                           .join(user_credentials, user_credentials.c.user_id == users.c.id)
                           .where(users.c.username == username)).first()
        locked = _aware(row.locked_until) if row is not None else None
        if row is None or not row.password_hash or not row.active:
            _hasher.hash(password)  # about the same time as a real check
            denied = "wrong username or password"
        elif locked is not None and locked > now:
            denied = _locked(locked)
        elif not _verify(row.password_hash, password):
            fails = (row.failed_logins or 0) + 1
            lock = now + timedelta(minutes=LOCK_MINUTES) if fails >= MAX_FAILURES else None
            conn.execute(user_credentials.update().where(user_credentials.c.user_id == row.id)
                         .values(failed_logins=0 if lock else fails, locked_until=lock))
            node.audit.append(conn, "user.signin_failed", user_id=int(row.id), object_type="users",
                              object_id=str(row.id), detail={"locked": lock is not None})
            denied = _locked(lock) if lock is not None else "wrong username or password"
        else:
            conn.execute(web_sessions.delete().where(web_sessions.c.expires_at < now))  # forget expired ones
            conn.execute(web_sessions.insert().values(id_hash=hash_secret(secret), user_id=row.id,
                                                      csrf=secrets.token_urlsafe(24), created_at=now,
                                                      expires_at=now + timedelta(hours=SESSION_HOURS),
                                                      since=row.last_visit))
            conn.execute(user_credentials.update().where(user_credentials.c.user_id == row.id)
                         .values(failed_logins=0, locked_until=None, last_visit=now))
            node.audit.append(conn, "user.signin", user_id=int(row.id), object_type="users",
                              object_id=str(row.id), detail={})
    if denied is not None:
        raise AccessDenied(denied)
    return secret


def _verify(digest: str, password: str) -> bool:
    try:
        return _hasher.verify(digest, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _locked(until: datetime) -> str:
    return (f"account locked after {MAX_FAILURES} failed sign-ins; try again after {until:%H:%M} UTC "
            "or ask an admin to reset the password")


def session(node: Node, secret: str | None) -> Session | None:
    """The session a cookie secret stands for (None when unknown, expired, or the user was deactivated)."""
    if not secret:
        return None
    with node.engine.connect() as conn:
        row = conn.execute(
            sa.select(web_sessions.c.user_id, web_sessions.c.csrf, web_sessions.c.expires_at, web_sessions.c.since,
                      users.c.username, users.c.display_name, organisations.c.slug, user_credentials.c.language)
            .join(users, users.c.id == web_sessions.c.user_id)
            .join(organisations, organisations.c.id == users.c.org_id)
            .outerjoin(user_credentials, user_credentials.c.user_id == users.c.id)
            .where(web_sessions.c.id_hash == hash_secret(secret))).first()
        if row is None or _aware(row.expires_at) <= _now():  # type: ignore[operator]
            return None
        try:
            viewer = viewer_for_user(conn, row.user_id)
        except NotFound:
            return None
    return Session(user_id=int(row.user_id), username=row.username, display_name=row.display_name or row.username,
                   org=row.slug, viewer=viewer, csrf=row.csrf, language=row.language or "en",
                   since=_aware(row.since))


def sign_out(node: Node, secret: str) -> None:
    with node.engine.begin() as conn:
        conn.execute(web_sessions.delete().where(web_sessions.c.id_hash == hash_secret(secret)))


def set_language(node: Node, user_id: int, language: str) -> None:
    """The user's interface language (kept in the store, so it follows the user)."""
    if language not in LANGUAGES:
        raise InputError(language, f"unknown interface language; expected one of {', '.join(LANGUAGES)}")
    with node.engine.begin() as conn:
        _upsert(conn, user_id, language=language, updated_at=_now())


def _int(v: object) -> int | None:
    return v if isinstance(v, int) else None


def ensure_demo_user(node: Node, username: str, password: str) -> None:
    """An admin of the node's own organisation with this password (created when missing)."""
    from pantau.services import identity
    from pantau.storage.tables import NODE_ORG_ID

    with node.engine.connect() as conn:
        exists = conn.execute(sa.select(users.c.id).where(users.c.username == username)).first()
        org = conn.execute(sa.select(organisations.c.slug).where(organisations.c.id == NODE_ORG_ID)).scalar()
    if not exists:
        identity.add_user(node, username, org or "local", role="admin", display_name="Demo analyst")
    set_password(node, username, password)
