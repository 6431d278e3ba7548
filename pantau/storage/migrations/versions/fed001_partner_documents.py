"""Partner reports materialised as local documents (`partner_documents`), and what each organisation
was served over TAXII (`taxii_served`), so withdrawals travel as revoked versions; status resources
of envelopes posted over TAXII (`taxii_status`).

Revision ID: fed001
Revises: s004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "fed001"
down_revision = "monitor001"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "partner_documents",
        sa.Column("document_id", BigId, nullable=False),
        sa.Column("partner_id", sa.Integer(), nullable=False),
        sa.Column("stix_id", sa.String(length=200), nullable=False),
        sa.Column("collection", sa.String(length=100), nullable=False),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], name=op.f("fk_partner_documents_document_id_documents"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["partner_id"], ["partners.id"], name=op.f("fk_partner_documents_partner_id_partners"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_partner_documents")),
        sa.UniqueConstraint("partner_id", "stix_id", name=op.f("uq_partner_documents_partner_id_stix_id")),
    )
    op.create_table(
        "taxii_served",
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("stix_id", sa.String(length=200), nullable=False),
        sa.Column("object_kind", sa.String(length=64), nullable=False),
        sa.Column("object_id", sa.String(length=200), nullable=False),
        sa.Column("created", sa.String(length=40), nullable=False),
        sa.Column("first_served", sa.DateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name=op.f("fk_taxii_served_org_id_organisations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("org_id", "stix_id", name=op.f("pk_taxii_served")),
    )
    op.create_table(
        "taxii_status",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["org_id"], ["organisations.id"], name=op.f("fk_taxii_status_org_id_organisations"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taxii_status")),
    )


def downgrade() -> None:
    op.drop_table("taxii_status")
    op.drop_table("taxii_served")
    op.drop_table("partner_documents")
