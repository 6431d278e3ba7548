"""fusion indexes: MinHash LSH band keys per fused document (`kb_bands`), candidate keys per fused
event (`fusion_keys`: actor root, type family, month) and the fusion view of each fused event
(`fused_event_views`), so that fusion looks candidates up by key instead of loading the whole
knowledge base. The band and candidate keys of an existing store are filled here; fused events
made before this revision have no stored view and are compared by the view read from their row.

Revision ID: scale001
Revises: fed001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "scale001"
down_revision = "trust001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "kb_bands",
        sa.Column("band", sa.BigInteger(), nullable=False),
        sa.Column("document_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_kb_bands_document_id_documents"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("band", "document_id", name=op.f("pk_kb_bands")),
    )
    op.create_index(op.f("ix_kb_bands_document_id"), "kb_bands", ["document_id"], unique=False)
    op.create_table(
        "fusion_keys",
        sa.Column("root", sa.String(length=200), nullable=False),
        sa.Column("family", sa.String(length=32), nullable=False),
        sa.Column("bucket", sa.String(length=7), nullable=False),
        sa.Column("fused_event_id", BigId, nullable=False),
        sa.ForeignKeyConstraint(["fused_event_id"], ["fused_events.id"],
                                name=op.f("fk_fusion_keys_fused_event_id_fused_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("root", "family", "bucket", "fused_event_id", name=op.f("pk_fusion_keys")),
    )
    op.create_index(op.f("ix_fusion_keys_fused_event_id"), "fusion_keys", ["fused_event_id"], unique=False)
    op.create_table(
        "fused_event_views",
        sa.Column("fused_event_id", BigId, nullable=False),
        sa.Column("view", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["fused_event_id"], ["fused_events.id"],
                                name=op.f("fk_fused_event_views_fused_event_id_fused_events"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("fused_event_id", name=op.f("pk_fused_event_views")),
    )
    _backfill(op.get_bind())


def _backfill(conn: sa.Connection) -> None:
    """Band keys of the documents fusion has seen, candidate keys of the fused events there are."""
    from pantau.nlp import dedupe
    from pantau.services.kb import backfill_fusion_keys

    meta = sa.MetaData()
    kb_documents = sa.Table("kb_documents", meta, autoload_with=conn)
    bands = sa.Table("kb_bands", meta, autoload_with=conn)
    rows: list[dict[str, int]] = []
    for doc_id, blob in conn.execute(sa.select(kb_documents.c.document_id, kb_documents.c.minhash)):
        sig = dedupe.signature_from_bytes(bytes(blob))
        rows += [{"band": b, "document_id": doc_id} for b in set(dedupe.band_keys(sig))]
        if len(rows) >= 20_000:
            conn.execute(sa.insert(bands), rows)
            rows = []
    if rows:
        conn.execute(sa.insert(bands), rows)
    backfill_fusion_keys(conn)


def downgrade() -> None:
    op.drop_table("fused_event_views")
    op.drop_index(op.f("ix_fusion_keys_fused_event_id"), table_name="fusion_keys")
    op.drop_table("fusion_keys")
    op.drop_index(op.f("ix_kb_bands_document_id"), table_name="kb_bands")
    op.drop_table("kb_bands")
