"""Tables of the sharing node, on the store's one `metadata`: groups, release lists, API tokens,
the hash-chained audit log and its signed checkpoints, the change log behind the live stream,
partners and the provenance of what was pulled from them."""

from __future__ import annotations

import sqlalchemy as sa

from pantau.storage.tables import BigId, Timestamp, metadata

groups = sa.Table(
    "groups", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False, server_default=sa.func.current_timestamp()),
)

# Groups are groups of organisations: an AMBER release to a group reaches every member organisation.
group_members = sa.Table(
    "group_members", metadata,
    sa.Column("group_id", sa.Integer, sa.ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
)

# Whether an organisation belongs to the sharing community of this node (GREEN reaches members).
org_membership = sa.Table(
    "org_membership", metadata,
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("is_member", sa.Boolean, nullable=False, server_default=sa.true()),
)

# Release lists of any marked object: exactly one of org_id, group_id, user_id per row (text ids,
# so that one table serves objects with integer and text primary keys).
releases = sa.Table(
    "releases", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("object_kind", sa.String(64), nullable=False),  # the table name: events, documents, ...
    sa.Column("object_id", sa.String(200), nullable=False),
    sa.Column("org_id", sa.String(32)),
    sa.Column("group_id", sa.String(32)),
    sa.Column("user_id", sa.String(32)),
    sa.CheckConstraint(
        "(CASE WHEN org_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN group_id IS NULL THEN 0 ELSE 1 END)"
        " + (CASE WHEN user_id IS NULL THEN 0 ELSE 1 END) = 1",
        name="one_target",
    ),
    sa.Index(None, "object_kind", "object_id"),
)

api_tokens = sa.Table(
    "api_tokens", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("name", sa.String(100), nullable=False, server_default=""),
    sa.Column("prefix", sa.String(16), nullable=False),  # first characters, to tell tokens apart
    sa.Column("secret_hash", sa.String(64), nullable=False, unique=True),  # sha256 hex of the secret
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("expires_at", Timestamp),
    sa.Column("revoked_at", Timestamp),
    sa.Column("last_used_at", Timestamp),
)

# Append-only, hash-chained audit log (every write and every export).
audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("seq", sa.BigInteger, nullable=False, unique=True),  # 1, 2, 3, ... without gaps
    sa.Column("at", sa.String(40), nullable=False),  # ISO 8601 UTC, part of the hashed record
    sa.Column("org_id", sa.Integer),
    sa.Column("user_id", sa.Integer),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("object_type", sa.String(64)),
    sa.Column("object_id", sa.String(200)),
    sa.Column("detail", sa.Text, nullable=False, server_default="{}"),  # canonical JSON
    sa.Column("prev_hash", sa.String(64), nullable=False),
    sa.Column("hash", sa.String(64), nullable=False),
)

audit_checkpoints = sa.Table(
    "audit_checkpoints", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("size", sa.BigInteger, nullable=False, unique=True),  # number of log rows covered
    sa.Column("root", sa.String(64), nullable=False),  # RFC 6962 Merkle tree hash, hex
    sa.Column("last_hash", sa.String(64), nullable=False),  # chain hash of row `size`
    sa.Column("at", sa.String(40), nullable=False),
    sa.Column("public_key", sa.String(64), nullable=False),  # raw Ed25519 public key, hex
    sa.Column("signature", sa.String(128), nullable=False),  # over the canonical JSON of the rest
    # roots of the tree's perfect subtrees (JSON list of hex), so the next checkpoint reads only new
    # rows; not signed: a tampered frontier gives a root that `verify` (which recomputes) rejects
    sa.Column("frontier", sa.Text),
)

# Monotonic change log for the live stream: its id is the SSE event id (Last-Event-ID resume).
change_log = sa.Table(
    "change_log", metadata,
    sa.Column("id", BigId, primary_key=True, autoincrement=True),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("object_kind", sa.String(64), nullable=False),  # events, incidents, ...
    sa.Column("object_id", sa.String(200), nullable=False),
    sa.Column("op", sa.String(16), nullable=False),  # create | update
    # the object's marking at the time of the change, so the stream filters without a query per viewer
    sa.Column("org_id", sa.Integer, nullable=False),
    sa.Column("marking", sa.String(16), nullable=False),
    sa.Column("release", sa.JSON, nullable=False, default=dict),  # {"orgs": [...], "groups": [...], "users": [...]}
    sa.Column("payload", sa.JSON, nullable=False, default=dict),
)

partners = sa.Table(
    "partners", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("url", sa.Text, nullable=False),  # the partner's TAXII API root
    sa.Column("token", sa.Text, nullable=False),  # the bearer token the partner issued to us
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),  # partner as org
    # the local organisation on whose behalf we pull: what the partner released to us is released to it
    sa.Column("for_org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("last_pulled", sa.String(40)),  # X-TAXII-Date-Added-Last of the last pull
    sa.Column("created_at", Timestamp, nullable=False, server_default=sa.func.current_timestamp()),
)

# Objects pulled from partners: the STIX object as received, its provenance and marking.
pulled_objects = sa.Table(
    "pulled_objects", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("partner_id", sa.Integer, sa.ForeignKey("partners.id", ondelete="CASCADE"), nullable=False),
    sa.Column("stix_id", sa.String(200), nullable=False),
    sa.Column("stix_type", sa.String(64), nullable=False),
    sa.Column("modified", sa.String(40), nullable=False),
    sa.Column("collection", sa.String(100), nullable=False),
    sa.Column("object", sa.JSON, nullable=False),
    sa.Column("pulled_at", Timestamp, nullable=False),
    # owner = the partner's organisation; marking as the partner set it; release list = us
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("marking", sa.String(16), sa.ForeignKey("markings.tlp"), nullable=False),
    sa.UniqueConstraint("partner_id", "stix_id", "modified"),
)

# A partner's report materialised here as a document (with its events), so that fusion, grading,
# assessment and every read path take it in; deleting the document (withdrawal) deletes this row.
partner_documents = sa.Table(
    "partner_documents", metadata,
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("partner_id", sa.Integer, sa.ForeignKey("partners.id", ondelete="CASCADE"), nullable=False),
    sa.Column("stix_id", sa.String(200), nullable=False),
    sa.Column("collection", sa.String(100), nullable=False),
    sa.UniqueConstraint("partner_id", "stix_id"),
)

# What this node served over TAXII to each organisation (report objects of its own events), so that
# a later withdrawal reaches that organisation as a `revoked` version at its next pull.
taxii_served = sa.Table(
    "taxii_served", metadata,
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("stix_id", sa.String(200), primary_key=True),
    sa.Column("object_kind", sa.String(64), nullable=False),
    sa.Column("object_id", sa.String(200), nullable=False),
    sa.Column("created", sa.String(40), nullable=False),  # the object's STIX `created`
    sa.Column("first_served", Timestamp, nullable=False),
    sa.Column("withdrawn_at", Timestamp),  # set when the organisation may no longer see it
)

# TAXII 2.1 status resources of the envelopes posted to this node's collections.
taxii_status = sa.Table(
    "taxii_status", metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id", ondelete="CASCADE"), nullable=False),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("body", sa.JSON, nullable=False),
)
