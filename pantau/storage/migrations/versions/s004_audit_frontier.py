"""Audit checkpoints keep the Merkle tree's frontier, so a checkpoint hashes only the rows since the
previous one instead of the whole log.

Revision ID: s004
Revises: s003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "s004"
down_revision = "s003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_checkpoints", sa.Column("frontier", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_checkpoints") as batch:
        batch.drop_column("frontier")
