"""The store's tables (SQLAlchemy Core). One `metadata` for the whole store.

Conventions, so later work can build on them:
- Every stored object (document, entity, event, ...) carries `org_id` (the owning
  organisation) and `marking` (a TLP 2.0 value, FK to `markings.tlp`). Defaults: the
  node's own organisation (id 1, slug `local`, seeded by the first migration) and
  `AMBER` — open-source reports are public, but what a node collected and read out of
  them is its own work product, so nothing leaves the organisation unless someone
  marks it down. Access control filters on these two columns.
- `events` are per-document extraction results (one row per event read from one
  document, with its evidence). Fused events that group evidence from many documents
  live in their own tables (added by a later migration) that point at `events.id`.
- New tables from other modules register on this same `metadata` (import it from
  here) and come with their own Alembic revision under `pantau/storage/migrations/versions/`.
"""

from __future__ import annotations

import sqlalchemy as sa

NODE_ORG_ID = 1
DEFAULT_MARKING = "AMBER"

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# 64-bit ids on PostgreSQL, INTEGER PRIMARY KEY (the rowid) on SQLite.
BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
Timestamp = sa.DateTime(timezone=True)


def _owner_columns() -> list[sa.Column]:
    return [
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False,
                  server_default=sa.text(str(NODE_ORG_ID))),
        sa.Column("marking", sa.String(16), sa.ForeignKey("markings.tlp"), nullable=False,
                  server_default=DEFAULT_MARKING),
    ]


markings = sa.Table(
    "markings", metadata,
    sa.Column("tlp", sa.String(16), primary_key=True),  # CLEAR, GREEN, AMBER, AMBER+STRICT, RED
    sa.Column("stix_id", sa.String(80), nullable=False, unique=True),
    sa.Column("rank", sa.Integer, nullable=False, unique=True),  # 0 = CLEAR ... 4 = RED
)

organisations = sa.Table(
    "organisations", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("slug", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("is_local", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", Timestamp, nullable=False, server_default=sa.func.current_timestamp()),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False),
    sa.Column("username", sa.String(100), nullable=False, unique=True),
    sa.Column("display_name", sa.String(200)),
    sa.Column("role", sa.String(32), nullable=False, server_default="analyst"),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", Timestamp, nullable=False, server_default=sa.func.current_timestamp()),
)

documents = sa.Table(
    "documents", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("content_hash", sa.String(64), nullable=False, index=True),  # sha256 of `text`
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("url", sa.Text),
    sa.Column("publisher", sa.String(200)),
    sa.Column("language", sa.String(8)),
    sa.Column("published_date", sa.Date),
    sa.Column("published_precision", sa.String(16)),
    sa.Column("published_basis", sa.String(16)),
    sa.Column("published_text", sa.Text),
    sa.Column("authors", sa.JSON, nullable=False, default=list),
    sa.Column("editors", sa.JSON, nullable=False, default=list),
    sa.Column("source", sa.Text),  # where it came from: path, URL, "file.jsonl:3", "-"
    sa.Column("extract_schema", sa.String(32)),
    sa.Column("ingested_at", Timestamp, nullable=False),
    *_owner_columns(),
    sa.Index(None, "published_date"),
    sa.Index(None, "ingested_at"),
    sa.UniqueConstraint("org_id", "content_hash"),  # one holding per organisation (revision trust001)
)

entities = sa.Table(
    "entities", metadata,
    sa.Column("id", sa.String(200), primary_key=True),  # PRK, UNSC, person:kim-jong-un
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("country", sa.String(16)),
    sa.Column("created_at", Timestamp, nullable=False),
    *_owner_columns(),
    sa.Index(None, "type"),
)

entity_aliases = sa.Table(
    "entity_aliases", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id", ondelete="CASCADE"), nullable=False),
    sa.Column("alias", sa.Text, nullable=False),
    sa.Column("norm", sa.Text, nullable=False),  # casefolded, for lookups
    sa.UniqueConstraint("entity_id", "norm"),
    sa.Index(None, "norm"),
)

# Per-document view of an entity: attributes that hold "at the time of the document".
document_entities = sa.Table(
    "document_entities", metadata,
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("affiliation", sa.String(200)),
    sa.Column("role", sa.Text),
    sa.Column("country", sa.String(16)),
    sa.Column("source", sa.String(32)),
    sa.Index(None, "entity_id"),
)

mentions = sa.Table(
    "mentions", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index(None, "document_id"),
    sa.Index(None, "entity_id"),
)

events = sa.Table(
    "events", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("local_id", sa.String(100), nullable=False),  # the id in the extraction output
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("type", sa.String(32), nullable=False),  # PLOVER type
    sa.Column("mode", sa.String(64)),
    sa.Column("contexts", sa.JSON, nullable=False, default=list),
    sa.Column("location", sa.String(200)),  # entity id
    sa.Column("date_start", sa.Date),
    sa.Column("date_end", sa.Date),
    sa.Column("date_precision", sa.String(16)),
    sa.Column("date_basis", sa.String(16)),
    sa.Column("date_text", sa.Text),
    sa.Column("factuality", sa.String(16), nullable=False, server_default="asserted"),
    sa.Column("confidence", sa.Float, nullable=False, server_default=sa.text("0.5")),
    sa.Column("trigger", sa.Text),
    sa.Column("created_at", Timestamp, nullable=False),
    *_owner_columns(),
    sa.Index(None, "document_id"),
    sa.Index(None, "type"),
    sa.Index(None, "date_start"),
)

event_actors = sa.Table(
    "event_actors", metadata,
    sa.Column("event_id", BigId, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.String(16), primary_key=True),  # source | target
    sa.Column("entity_id", sa.String(200), sa.ForeignKey("entities.id"), primary_key=True),
    sa.Column("position", sa.Integer, nullable=False),
    sa.CheckConstraint("role IN ('source', 'target')", name="role"),
    sa.Index(None, "entity_id"),
)

event_quantities = sa.Table(
    "event_quantities", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("event_id", BigId, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("value", sa.Float, nullable=False),
    sa.Column("unit", sa.String(64), nullable=False),
    sa.Column("approx", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("text", sa.Text, nullable=False, server_default=""),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Index(None, "event_id"),
)

event_evidence = sa.Table(
    "event_evidence", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("event_id", BigId, sa.ForeignKey("events.id", ondelete="CASCADE"), nullable=False),
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("position", sa.Integer, nullable=False),
    sa.Column("start", sa.Integer, nullable=False),
    sa.Column("end", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Index(None, "event_id"),
    sa.Index(None, "document_id"),
)
