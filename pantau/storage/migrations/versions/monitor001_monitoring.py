"""monitoring: watched sources and their items, sanctions-list entities (FollowTheMoney), matches of
listed parties in documents, incident designations, alert rules, the alert delivery log and cursor.

Revision ID: monitor001
Revises: s004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "monitor001"
down_revision = "s004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('alert_cursor',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('position', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_cursor'))
    )
    op.create_table('list_entities',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('list', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('schema', sa.String(length=32), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('loaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_list_entities')),
    sa.UniqueConstraint('list', 'entity_id', name=op.f('uq_list_entities_list_entity_id'))
    )
    op.create_index(op.f('ix_list_entities_schema'), 'list_entities', ['schema'], unique=False)
    op.create_table('watch_sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('url', sa.Text(), nullable=False),
    sa.Column('every_s', sa.Integer(), server_default=sa.text('600'), nullable=False),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('org_id', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('marking', sa.String(length=16), server_default='AMBER', nullable=False),
    sa.Column('etag', sa.Text(), nullable=True),
    sa.Column('last_modified', sa.Text(), nullable=True),
    sa.Column('last_poll_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('next_poll_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_status', sa.String(length=64), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('errors', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('error_reported', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('new_last', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('items_total', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['marking'], ['markings.tlp'], name=op.f('fk_watch_sources_marking_markings')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_watch_sources_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_sources')),
    sa.UniqueConstraint('url', name=op.f('uq_watch_sources_url'))
    )
    op.create_table('alert_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=True),
    sa.Column('event_type', sa.String(length=32), nullable=True),
    sa.Column('provision', sa.String(length=64), nullable=True),
    sa.Column('designated', sa.String(length=200), nullable=True),
    sa.Column('min_grade', sa.String(length=2), nullable=True),
    sa.Column('text', sa.Text(), nullable=True),
    sa.Column('webhook_url', sa.Text(), nullable=True),
    sa.Column('webhook_secret', sa.Text(), nullable=True),
    sa.Column('email', sa.Text(), nullable=True),
    sa.Column('stream', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_rules_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_rules'))
    )
    op.create_table('designation_matches',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('list', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('schema', sa.String(length=32), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('mention', sa.Text(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('found_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_designation_matches_document_id_documents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_designation_matches')),
    sa.UniqueConstraint('document_id', 'list', 'entity_id', 'start', name=op.f('uq_designation_matches_document_id_list_entity_id_start'))
    )
    op.create_index(op.f('ix_designation_matches_entity_id'), 'designation_matches', ['entity_id'], unique=False)
    op.create_table('watch_items',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.Text(), nullable=False),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=10), nullable=True),
    sa.Column('state', sa.String(length=16), server_default='pending', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("state IN ('pending', 'ingested', 'failed', 'skipped')", name=op.f('ck_watch_items_state')),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_watch_items_document_id_documents'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['watch_sources.id'], name=op.f('fk_watch_items_source_id_watch_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_watch_items')),
    sa.UniqueConstraint('source_id', 'key', name=op.f('uq_watch_items_source_id_key'))
    )
    op.create_index(op.f('ix_watch_items_state'), 'watch_items', ['state'], unique=False)
    op.create_table('alert_deliveries',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('rule_id', sa.Integer(), nullable=False),
    sa.Column('fused_event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('target', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), server_default='pending', nullable=False),
    sa.Column('attempts', sa.Integer(), server_default=sa.text('0'), nullable=False),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint("status IN ('pending', 'sent', 'failed')", name=op.f('ck_alert_deliveries_status')),
    sa.ForeignKeyConstraint(['rule_id'], ['alert_rules.id'], name=op.f('fk_alert_deliveries_rule_id_alert_rules'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alert_deliveries')),
    sa.UniqueConstraint('rule_id', 'fused_event_id', 'channel', name=op.f('uq_alert_deliveries_rule_id_fused_event_id_channel'))
    )
    op.create_table('incident_designations',
    sa.Column('incident_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('list', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('caption', sa.Text(), nullable=False),
    sa.Column('schema', sa.String(length=32), nullable=False),
    sa.Column('programs', sa.JSON(), nullable=False),
    sa.Column('listing_date', sa.String(length=10), nullable=True),
    sa.Column('mention', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('reasons', sa.JSON(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['incident_id'], ['incidents.id'], name=op.f('fk_incident_designations_incident_id_incidents'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('incident_id', 'list', 'entity_id', name=op.f('pk_incident_designations'))
    )


def downgrade() -> None:
    op.drop_table('incident_designations')
    op.drop_table('alert_deliveries')
    op.drop_index(op.f('ix_watch_items_state'), table_name='watch_items')
    op.drop_table('watch_items')
    op.drop_index(op.f('ix_designation_matches_entity_id'), table_name='designation_matches')
    op.drop_table('designation_matches')
    op.drop_table('alert_rules')
    op.drop_table('watch_sources')
    op.drop_index(op.f('ix_list_entities_schema'), table_name='list_entities')
    op.drop_table('list_entities')
    op.drop_table('alert_cursor')
