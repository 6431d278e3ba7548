"""Per-organisation holdings of a text: the same text stored by two organisations is two documents
(each with its owner, marking and release list), so storing a text never reveals that another
organisation holds it. The unique key of `documents` becomes (org_id, content_hash).

Revision ID: trust001
Revises: fed001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "trust001"
down_revision = "fed001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # SQLite rebuilds the table (foreign keys are off during migrations, see storage/migrate.py)
    with op.batch_alter_table("documents") as batch:
        batch.drop_constraint("uq_documents_content_hash", type_="unique")
        batch.create_unique_constraint("uq_documents_org_id_content_hash", ["org_id", "content_hash"])
    if op.get_bind().dialect.name == "sqlite":
        _restore_fts_triggers()
    op.create_index("ix_documents_content_hash", "documents", ["content_hash"])


def downgrade() -> None:
    op.drop_index("ix_documents_content_hash", "documents")
    with op.batch_alter_table("documents") as batch:
        batch.drop_constraint("uq_documents_org_id_content_hash", type_="unique")
        batch.create_unique_constraint("uq_documents_content_hash", ["content_hash"])
    if op.get_bind().dialect.name == "sqlite":
        _restore_fts_triggers()


def _restore_fts_triggers() -> None:
    """The table rebuild drops the full-text triggers; put them back where the index exists."""
    from pantau.storage.kb_search import FTS_SQLITE

    conn = op.get_bind()
    if conn.execute(sa.text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents_fts'")).first():
        for stmt in FTS_SQLITE:
            if stmt.startswith("CREATE TRIGGER"):
                conn.execute(sa.text(stmt))
