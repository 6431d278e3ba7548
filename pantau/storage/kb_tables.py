"""Knowledge-base tables (fused events, evidence links, near-duplicates, incidents, analyst
decisions, publishers), on the store's one `metadata`. Created by revision k001.

- `fused_events` hold one real happening each; `fused_event_evidence` links each per-document
  event (`events.id`, at most once) to its fused event with the score and reasons of the join.
- `fused_event_roots` index the actor roots (country or body) of a fused event for timelines
  and graphs.
- `kb_documents` records which documents fusion has processed, with their MinHash signature
  (so near-duplicate detection is incremental across runs).
- `analyst_decisions` are keyed by (document content hash, event local id), not by row ids, so a
  split or merge survives re-ingestion and re-fusion.
"""

from __future__ import annotations

import sqlalchemy as sa

from pantau.storage.tables import DEFAULT_MARKING, NODE_ORG_ID, BigId, Timestamp, metadata


def _owner() -> list[sa.Column]:
    return [
        sa.Column("org_id", sa.Integer, sa.ForeignKey("organisations.id"), nullable=False,
                  server_default=sa.text(str(NODE_ORG_ID))),
        sa.Column("marking", sa.String(16), sa.ForeignKey("markings.tlp"), nullable=False,
                  server_default=DEFAULT_MARKING),
    ]


publishers = sa.Table(
    "publishers", metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("name", sa.String(200), nullable=False),
    sa.Column("reliability", sa.String(1), nullable=False),
    sa.Column("country", sa.String(16)),
    sa.Column("kind", sa.String(32)),
    sa.Column("wire", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("aliases", sa.JSON, nullable=False, default=list),
    sa.Column("updated_at", Timestamp, nullable=False),
    sa.CheckConstraint("reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name="reliability"),
)

kb_documents = sa.Table(
    "kb_documents", metadata,
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("minhash", sa.LargeBinary, nullable=False),
    sa.Column("publisher_id", sa.String(64)),
    sa.Column("fused_at", Timestamp, nullable=False),
)

near_duplicates = sa.Table(
    "near_duplicates", metadata,
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("original_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("similarity", sa.Float, nullable=False),
    sa.Column("found_at", Timestamp, nullable=False),
    sa.Index(None, "original_id"),
)

fused_events = sa.Table(
    "fused_events", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("types", sa.JSON, nullable=False, default=list),
    sa.Column("mode", sa.String(64)),
    sa.Column("contexts", sa.JSON, nullable=False, default=list),
    sa.Column("source", sa.JSON, nullable=False, default=list),
    sa.Column("target", sa.JSON, nullable=False, default=list),
    sa.Column("location", sa.String(200)),
    sa.Column("location_country", sa.String(16)),
    sa.Column("date_start", sa.Date),
    sa.Column("date_end", sa.Date),
    sa.Column("date_precision", sa.String(16)),
    sa.Column("quantities", sa.JSON, nullable=False, default=list),
    sa.Column("reliability", sa.String(1), nullable=False, server_default="F"),
    sa.Column("credibility", sa.Integer, nullable=False, server_default=sa.text("6")),
    sa.Column("grade", sa.String(2), nullable=False, server_default="F6"),
    sa.Column("reports", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("independent", sa.Integer, nullable=False, server_default=sa.text("0")),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    *_owner(),
    sa.Index(None, "type"),
    sa.Index(None, "date_start"),
    sa.Index(None, "date_end"),
    sa.Index(None, "grade"),
)

fused_event_roots = sa.Table(
    "fused_event_roots", metadata,
    sa.Column("fused_event_id", BigId, sa.ForeignKey("fused_events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("role", sa.String(16), primary_key=True),
    sa.Column("root", sa.String(200), primary_key=True),
    sa.CheckConstraint("role IN ('source', 'target')", name="role"),
    sa.Index(None, "root", "role"),
)

fused_event_evidence = sa.Table(
    "fused_event_evidence", metadata,
    sa.Column("event_id", BigId, sa.ForeignKey("events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("fused_event_id", BigId, sa.ForeignKey("fused_events.id", ondelete="CASCADE"), nullable=False),
    sa.Column("score", sa.Float, nullable=False),
    sa.Column("reasons", sa.JSON, nullable=False, default=list),
    sa.Column("manual", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("joined_at", Timestamp, nullable=False),
    sa.Index(None, "fused_event_id"),
)

incidents = sa.Table(
    "incidents", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("fused_event_id", BigId, sa.ForeignKey("fused_events.id", ondelete="CASCADE"), nullable=False),
    sa.Column("provision_id", sa.String(64), nullable=False),
    sa.Column("resolution", sa.Integer, nullable=False),
    sa.Column("paragraph", sa.String(16), nullable=False),
    sa.Column("prohibits", sa.Text, nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="new"),
    sa.Column("reasons", sa.JSON, nullable=False, default=list),
    sa.Column("created_at", Timestamp, nullable=False),
    sa.Column("updated_at", Timestamp, nullable=False),
    *_owner(),
    sa.UniqueConstraint("fused_event_id", "provision_id"),
    sa.CheckConstraint("status IN ('new', 'under_review', 'confirmed', 'dismissed')", name="status"),
    sa.Index(None, "status"),
)

incident_history = sa.Table(
    "incident_history", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("incident_id", BigId, sa.ForeignKey("incidents.id", ondelete="CASCADE"), nullable=False),
    sa.Column("at", Timestamp, nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("user", sa.String(100)),
    sa.Index(None, "incident_id"),
)

analyst_decisions = sa.Table(
    "analyst_decisions", metadata,
    sa.Column("id", BigId, primary_key=True),
    sa.Column("kind", sa.String(8), nullable=False),  # split (keep apart) | merge (keep together)
    sa.Column("a_doc", sa.String(64), nullable=False),  # documents.content_hash
    sa.Column("a_event", sa.String(100), nullable=False),  # events.local_id
    sa.Column("b_doc", sa.String(64), nullable=False),
    sa.Column("b_event", sa.String(100), nullable=False),
    sa.Column("note", sa.Text),
    sa.Column("user", sa.String(100)),
    sa.Column("at", Timestamp, nullable=False),
    sa.CheckConstraint("kind IN ('split', 'merge')", name="kind"),
    sa.Index(None, "a_doc", "a_event"),
    sa.Index(None, "b_doc", "b_event"),
)

# -- fusion indexes (revision scale001): looked up by key, so fusion never loads the whole base ------------

kb_bands = sa.Table(  # MinHash LSH band keys of every fused document (`dedupe.band_keys`)
    "kb_bands", metadata,
    sa.Column("band", sa.BigInteger, primary_key=True),
    sa.Column("document_id", BigId, sa.ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True),
    sa.Index(None, "document_id"),
)

fusion_keys = sa.Table(  # (actor root, type family, month or '*') under which a fused event is a candidate
    "fusion_keys", metadata,
    sa.Column("root", sa.String(200), primary_key=True),
    sa.Column("family", sa.String(32), primary_key=True),
    sa.Column("bucket", sa.String(7), primary_key=True),
    sa.Column("fused_event_id", BigId, sa.ForeignKey("fused_events.id", ondelete="CASCADE"), primary_key=True),
    sa.Index(None, "fused_event_id"),
)

fused_event_views = sa.Table(  # the fusion view a fused event is compared by (`fusion_keys.view_to_json`)
    "fused_event_views", metadata,
    sa.Column("fused_event_id", BigId, sa.ForeignKey("fused_events.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("view", sa.JSON, nullable=False),
)

KB_TABLES = (publishers, kb_documents, near_duplicates, fused_events, fused_event_roots, fused_event_evidence,
             incidents, incident_history, analyst_decisions, kb_bands, fusion_keys, fused_event_views)
