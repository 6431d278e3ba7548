"""Monitoring tables (issue 14), on the store's one `metadata`. Created by revision monitor001.

- `watch_sources`: feeds and sitemaps the watcher polls, with their conditional-request validators
  (ETag, Last-Modified), schedule, back-off and the last error (reported once).
- `watch_items`: every item a source listed, keyed per source; `state` moves pending → ingested |
  failed | skipped, so a restart (even after kill -9) neither loses nor repeats an item.
- `list_entities`: sanctions-list entries as FollowTheMoney entities (Person, Organization, Vessel,
  Sanction, ...), one row per entity per list, the FtM dict kept whole in `data`.
- `designation_matches`: a party named in a stored document matched to a listed entity (score, reasons).
- `incident_designations`: the listing an incident was raised or strengthened by.
- `alert_rules`, `alert_deliveries`, `alert_cursor`: saved alert rules, the delivery log, and how
  far the dispatcher has read the change log.
"""

from __future__ import annotations

import sqlalchemy as sa

from pantau.storage.tables import DEFAULT_MARKING, NODE_ORG_ID, BigId, Timestamp, metadata

watch_sources = sa.Table(
    "watch_sources", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("url", sa.Text, nullable=False, unique=True),
    sa.Column("every_s", sa.Integer, nullable=False, server_default=sa.text("600")),
    sa.Column("language", sa.String(8)),
    sa.Column("publisher", sa.String(200)),
    sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False,
              server_default=sa.text(str(NODE_ORG_ID))),
    sa.Column("marking", sa.String(16), sa.ForeignKey("markings.tlp"), nullable=False,
              server_default=DEFAULT_MARKING),
    sa.Column("etag", sa.Text),
    sa.Column("last_modified", sa.Text),
    sa.Column("last_poll_at", Timestamp),
    sa.Column("next_poll_at", Timestamp),
    sa.Column("last_status", sa.String(64)),  # ok | not-modified | http 503 | robots | error
    sa.Column("last_error", sa.Text),
    sa.Column("errors", sa.Integer, nullable=False, server_default=sa.text("0")),  # consecutive failures
    sa.Column("error_reported", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("new_last", sa.Integer, nullable=False, server_default=sa.text("0")),  # new items in the last poll
    sa.Column("items_total", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("created_at", Timestamp, nullable=False),
)

watch_items = sa.Table(
    "watch_items", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("source_id", sa.Integer, sa.ForeignKey("watch_sources.id", ondelete="CASCADE"), nullable=False),
    sa.Column("key", sa.Text, nullable=False),  # the entry's guid, else its link
    sa.Column("url", sa.Text),
    sa.Column("title", sa.Text),
    sa.Column("published", sa.String(10)),
    sa.Column("state", sa.String(16), nullable=False, server_default="pending"),
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("error", sa.Text),
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="SET NULL")),
    sa.Column("seen_at", Timestamp, nullable=False),
    sa.Column("done_at", Timestamp),
    sa.UniqueConstraint("source_id", "key"),
    sa.CheckConstraint("state IN ('pending', 'ingested', 'failed', 'skipped')", name="state"),
    sa.Index(None, "state"),
)

list_entities = sa.Table(
    "list_entities", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("list", sa.String(16), nullable=False),  # un | ofac | eu | uk
    sa.Column("entity_id", sa.String(200), nullable=False),  # FtM id
    sa.Column("schema", sa.String(32), nullable=False),  # FtM schema name
    sa.Column("caption", sa.Text, nullable=False),
    sa.Column("data", sa.JSON, nullable=False),  # the FtM entity dict (id, schema, properties)
    sa.Column("loaded_at", Timestamp, nullable=False),
    sa.UniqueConstraint("list", "entity_id"),
    sa.Index(None, "schema"),
)

designation_matches = sa.Table(
    "designation_matches", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("list", sa.String(16), nullable=False),
    sa.Column("entity_id", sa.String(200), nullable=False),
    sa.Column("schema", sa.String(32), nullable=False),
    sa.Column("caption", sa.Text, nullable=False),
    sa.Column("mention", sa.Text, nullable=False),
    sa.Column("start", sa.Integer),
    sa.Column("end", sa.Integer),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False, default=list),
    sa.Column("found_at", Timestamp, nullable=False),
    sa.UniqueConstraint("document_id", "list", "entity_id", "start"),
    sa.Index(None, "entity_id"),
)

incident_designations = sa.Table(
    "incident_designations", metadata,
    sa.Column("incident_id", BigId, sa.ForeignKey("incidents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("list", sa.String(16), primary_key=True),
    sa.Column("entity_id", sa.String(200), primary_key=True),
    sa.Column("caption", sa.Text, nullable=False),
    sa.Column("schema", sa.String(32), nullable=False),
    sa.Column("programs", sa.JSON, nullable=False, default=list),
    sa.Column("listing_date", sa.String(10)),
    sa.Column("mention", sa.Text, nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False, default=list),
    sa.Column("at", Timestamp, nullable=False),
)

alert_rules = sa.Table(
    "alert_rules", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("actor", sa.String(200)),
    sa.Column("event_type", sa.String(32)),
    sa.Column("provision", sa.String(64)),
    sa.Column("designated", sa.String(200)),  # an FtM entity id or part of a listed name; "any" = any listing
    sa.Column("min_grade", sa.String(2)),
    sa.Column("text", sa.Text),
    sa.Column("webhook_url", sa.Text),
    sa.Column("webhook_secret", sa.Text),
    sa.Column("email", sa.Text),
    sa.Column("stream", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", Timestamp, nullable=False),
)

alert_deliveries = sa.Table(
    "alert_deliveries", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("rule_id", sa.Integer, sa.ForeignKey("alert_rules.id", ondelete="CASCADE"), nullable=False),
    sa.Column("fused_event_id", BigId, nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),  # webhook | email | stream
    sa.Column("target", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="pending"),  # pending | sent | failed
    sa.Column("attempts", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("last_error", sa.Text),
    sa.Column("payload", sa.JSON, nullable=False, default=dict),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("sent_at", Timestamp),
    sa.UniqueConstraint("rule_id", "fused_event_id", "channel"),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name="status"),
)

alert_cursor = sa.Table(
    "alert_cursor", metadata,
    sa.Column("id", sa.Integer, primary_key=True),  # one row, id 1
    sa.Column("position", BigId, nullable=False),  # last change_log id read
)

MONITOR_TABLES = (watch_sources, watch_items, list_entities, designation_matches, incident_designations,
                  alert_rules, alert_deliveries, alert_cursor)
