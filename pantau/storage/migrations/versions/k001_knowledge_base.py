"""knowledge base: fused events and their evidence links, actor roots, near-duplicates, processed
documents with MinHash signatures, incidents and their history, analyst decisions, publishers;
the full-text indexes (SQLite FTS5 table, PostgreSQL GIN index) live outside the metadata and
are created on first use by `pantau.storage.kb_search.ensure_fts`; downgrade drops them.

Revision ID: k001
Revises: s001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "k001"
down_revision = "s001"
branch_labels = None
depends_on = None

def upgrade() -> None:
    op.create_table('analyst_decisions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('a_doc', sa.String(length=64), nullable=False),
    sa.Column('a_event', sa.String(length=100), nullable=False),
    sa.Column('b_doc', sa.String(length=64), nullable=False),
    sa.Column('b_event', sa.String(length=100), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('user', sa.String(length=100), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('split', 'merge')", name=op.f('ck_analyst_decisions_kind')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_analyst_decisions'))
    )
    op.create_index(op.f('ix_analyst_decisions_a_doc_a_event'), 'analyst_decisions', ['a_doc', 'a_event'], unique=False)
    op.create_index(op.f('ix_analyst_decisions_b_doc_b_event'), 'analyst_decisions', ['b_doc', 'b_event'], unique=False)
    op.create_table('publishers',
    sa.Column('id', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('reliability', sa.String(length=1), nullable=False),
    sa.Column('country', sa.String(length=16), nullable=True),
    sa.Column('kind', sa.String(length=32), nullable=True),
    sa.Column('wire', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('aliases', sa.JSON(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("reliability IN ('A', 'B', 'C', 'D', 'E', 'F')", name=op.f('ck_publishers_reliability')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_publishers'))
    )
    op.create_table('fused_events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('types', sa.JSON(), nullable=False),
    sa.Column('mode', sa.String(length=64), nullable=True),
    sa.Column('contexts', sa.JSON(), nullable=False),
    sa.Column('source', sa.JSON(), nullable=False),
    sa.Column('target', sa.JSON(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('location_country', sa.String(length=16), nullable=True),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=16), nullable=True),
    sa.Column('quantities', sa.JSON(), nullable=False),
    sa.Column('reliability', sa.String(length=1), server_default='F', nullable=False),
    sa.Column('credibility', sa.Integer(), server_default=sa.text('6'), nullable=False),
    sa.Column('grade', sa.String(length=2), server_default='F6', nullable=False),
    sa.Column('reports', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('independent', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('marking', sa.String(length=16), server_default='AMBER', nullable=False),
    sa.ForeignKeyConstraint(['marking'], ['markings.tlp'], name=op.f('fk_fused_events_marking_markings')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_fused_events_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fused_events'))
    )
    op.create_index(op.f('ix_fused_events_date_end'), 'fused_events', ['date_end'], unique=False)
    op.create_index(op.f('ix_fused_events_date_start'), 'fused_events', ['date_start'], unique=False)
    op.create_index(op.f('ix_fused_events_grade'), 'fused_events', ['grade'], unique=False)
    op.create_index(op.f('ix_fused_events_type'), 'fused_events', ['type'], unique=False)
    op.create_table('fused_event_roots',
    sa.Column('fused_event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('root', sa.String(length=200), nullable=False),
    sa.CheckConstraint("role IN ('source', 'target')", name=op.f('ck_fused_event_roots_role')),
    sa.ForeignKeyConstraint(['fused_event_id'], ['fused_events.id'], name=op.f('fk_fused_event_roots_fused_event_id_fused_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('fused_event_id', 'role', 'root', name=op.f('pk_fused_event_roots'))
    )
    op.create_index(op.f('ix_fused_event_roots_root_role'), 'fused_event_roots', ['root', 'role'], unique=False)
    op.create_table('incidents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('fused_event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('provision_id', sa.String(length=64), nullable=False),
    sa.Column('resolution', sa.Integer(), nullable=False),
    sa.Column('paragraph', sa.String(length=16), nullable=False),
    sa.Column('prohibits', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='new', nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('marking', sa.String(length=16), server_default='AMBER', nullable=False),
    sa.CheckConstraint("status IN ('new', 'under_review', 'confirmed', 'dismissed')", name=op.f('ck_incidents_status')),
    sa.ForeignKeyConstraint(['fused_event_id'], ['fused_events.id'], name=op.f('fk_incidents_fused_event_id_fused_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marking'], ['markings.tlp'], name=op.f('fk_incidents_marking_markings')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_incidents_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incidents')),
    sa.UniqueConstraint('fused_event_id', 'provision_id', name=op.f('uq_incidents_fused_event_id_provision_id'))
    )
    op.create_index(op.f('ix_incidents_status'), 'incidents', ['status'], unique=False)
    op.create_table('kb_documents',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('minhash', sa.LargeBinary(), nullable=False),
    sa.Column('publisher_id', sa.String(length=64), nullable=True),
    sa.Column('fused_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_kb_documents_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_kb_documents'))
    )
    op.create_table('near_duplicates',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('original_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('similarity', sa.Float(), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_near_duplicates_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['original_id'], ['documents.id'], name=op.f('fk_near_duplicates_original_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('document_id', name=op.f('pk_near_duplicates'))
    )
    op.create_index(op.f('ix_near_duplicates_original_id'), 'near_duplicates', ['original_id'], unique=False)
    op.create_table('fused_event_evidence',
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('fused_event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('manual', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_fused_event_evidence_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['fused_event_id'], ['fused_events.id'], name=op.f('fk_fused_event_evidence_fused_event_id_fused_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', name=op.f('pk_fused_event_evidence'))
    )
    op.create_index(op.f('ix_fused_event_evidence_fused_event_id'), 'fused_event_evidence', ['fused_event_id'], unique=False)
    op.create_table('incident_history',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('incident_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('user', sa.String(length=100), nullable=True),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_history_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incident_history'))
    )
    op.create_index(op.f('ix_incident_history_incident_id'), 'incident_history', ['incident_id'], unique=False)



def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        for name in ("documents_fts_ai", "documents_fts_ad", "documents_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS documents_fts")
    if dialect == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_fts")
    op.drop_index(op.f('ix_incident_history_incident_id'), table_name='incident_history')
    op.drop_table('incident_history')
    op.drop_index(op.f('ix_fused_event_evidence_fused_event_id'), table_name='fused_event_evidence')
    op.drop_table('fused_event_evidence')
    op.drop_index(op.f('ix_near_duplicates_original_id'), table_name='near_duplicates')
    op.drop_table('near_duplicates')
    op.drop_table('kb_documents')
    op.drop_index(op.f('ix_incidents_status'), table_name='incidents')
    op.drop_table('incidents')
    op.drop_index(op.f('ix_fused_event_roots_root_role'), table_name='fused_event_roots')
    op.drop_table('fused_event_roots')
    op.drop_index(op.f('ix_fused_events_type'), table_name='fused_events')
    op.drop_index(op.f('ix_fused_events_grade'), table_name='fused_events')
    op.drop_index(op.f('ix_fused_events_date_start'), table_name='fused_events')
    op.drop_index(op.f('ix_fused_events_date_end'), table_name='fused_events')
    op.drop_table('fused_events')
    op.drop_table('publishers')
    op.drop_index(op.f('ix_analyst_decisions_b_doc_b_event'), table_name='analyst_decisions')
    op.drop_index(op.f('ix_analyst_decisions_a_doc_a_event'), table_name='analyst_decisions')
    op.drop_table('analyst_decisions')
