"""Tables of the web workspace: a user's password and interface preferences, and sign-in sessions.

Kept beside `users` (one row per user that has a password) rather than as columns of it, so the
identity tables stay as the sharing node defines them."""

from __future__ import annotations

import sqlalchemy as sa

from pantau.storage.tables import Timestamp, metadata

user_credentials = sa.Table(
    "user_credentials", metadata,
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("password_hash", sa.String(200)),  # argon2id, PHC string
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", Timestamp),
    sa.Column("language", sa.String(8), nullable=False, server_default="en"),
    sa.Column("last_visit", Timestamp),  # the previous visit: the overview shows what is new since
    sa.Column("updated_at", Timestamp),
)

# A session cookie holds a random secret; only its SHA-256 is stored (like API tokens).
web_sessions = sa.Table(
    "web_sessions", metadata,
    sa.Column("id_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp, nullable=False),
    sa.Column("since", Timestamp),  # the user's visit before this session: "new since your last visit"
)
