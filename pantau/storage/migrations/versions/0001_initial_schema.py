"""initial schema: documents, entities, mentions, events, evidence, organisations, users,
markings (TLP 2.0, seeded) and audit; seeds the node's own organisation (id 1, slug "local").

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('markings',
    sa.Column('tlp', sa.String(length=16), nullable=False),
    sa.Column('stix_id', sa.String(length=80), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('tlp', name=op.f('pk_markings')),
    sa.UniqueConstraint('rank', name=op.f('uq_markings_rank')),
    sa.UniqueConstraint('stix_id', name=op.f('uq_markings_stix_id'))
    )
    op.create_table('organisations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('is_local', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.current_timestamp(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisations')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisations_slug'))
    )
    markings = sa.table("markings", sa.column("tlp", sa.String), sa.column("stix_id", sa.String),
                        sa.column("rank", sa.Integer))
    op.bulk_insert(markings, [
        {"tlp": "CLEAR", "stix_id": "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", "rank": 0},
        {"tlp": "GREEN", "stix_id": "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", "rank": 1},
        {"tlp": "AMBER", "stix_id": "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", "rank": 2},
        {"tlp": "AMBER+STRICT", "stix_id": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", "rank": 3},
        {"tlp": "RED", "stix_id": "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", "rank": 4},
    ])
    organisations = sa.table("organisations", sa.column("id", sa.Integer), sa.column("slug", sa.String),
                             sa.column("name", sa.String), sa.column("is_local", sa.Boolean))
    op.bulk_insert(organisations, [{"id": 1, "slug": "local", "name": "This node", "is_local": True}])
    if op.get_bind().dialect.name == "postgresql":  # explicit id: move the serial past it
        op.execute("SELECT setval(pg_get_serial_sequence('organisations', 'id'), "
                   "(SELECT max(id) FROM organisations))")
    op.create_table('documents',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('publisher', sa.String(length=200), nullable=True),
    sa.Column('language', sa.String(length=8), nullable=True),
    sa.Column('published_date', sa.Date(), nullable=True),
    sa.Column('published_precision', sa.String(length=16), nullable=True),
    sa.Column('published_basis', sa.String(length=16), nullable=True),
    sa.Column('published_text', sa.Text(), nullable=True),
    sa.Column('authors', sa.JSON(), nullable=False),
    sa.Column('editors', sa.JSON(), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.Column('extract_schema', sa.String(length=32), nullable=True),
    sa.Column('ingested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('marking', sa.String(length=16), server_default='AMBER', nullable=False),
    sa.ForeignKeyConstraint(['marking'], ['markings.tlp'], name=op.f('fk_documents_marking_markings')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_documents_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
    sa.UniqueConstraint('content_hash', name=op.f('uq_documents_content_hash'))
    )
    op.create_index(op.f('ix_documents_ingested_at'), 'documents', ['ingested_at'])
    op.create_index(op.f('ix_documents_published_date'), 'documents', ['published_date'])
    op.create_table('entities',
    sa.Column('id', sa.String(length=200), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('country', sa.String(length=16), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('marking', sa.String(length=16), server_default='AMBER', nullable=False),
    sa.ForeignKeyConstraint(['marking'], ['markings.tlp'], name=op.f('fk_entities_marking_markings')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_entities_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entities'))
    )
    op.create_index(op.f('ix_entities_type'), 'entities', ['type'])
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=100), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('role', sa.String(length=32), server_default='analyst', nullable=False),
    sa.Column('active', sa.Boolean(), server_default=sa.true(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), server_default=sa.func.current_timestamp(), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_users_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_users')),
    sa.UniqueConstraint('username', name=op.f('uq_users_username'))
    )
    op.create_table('audit',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('object_type', sa.String(length=64), nullable=True),
    sa.Column('object_id', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_audit_org_id_organisations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_audit_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_audit'))
    )
    op.create_index(op.f('ix_audit_at'), 'audit', ['at'])
    op.create_index(op.f('ix_audit_object_type_object_id'), 'audit', ['object_type', 'object_id'])
    op.create_table('document_entities',
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('affiliation', sa.String(length=200), nullable=True),
    sa.Column('role', sa.Text(), nullable=True),
    sa.Column('country', sa.String(length=16), nullable=True),
    sa.Column('source', sa.String(length=32), nullable=True),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_document_entities_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_document_entities_entity_id_entities')),
    sa.PrimaryKeyConstraint('document_id', 'entity_id', name=op.f('pk_document_entities'))
    )
    op.create_index(op.f('ix_document_entities_entity_id'), 'document_entities', ['entity_id'])
    op.create_table('entity_aliases',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('alias', sa.Text(), nullable=False),
    sa.Column('norm', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_entity_aliases_entity_id_entities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_entity_aliases')),
    sa.UniqueConstraint('entity_id', 'norm', name=op.f('uq_entity_aliases_entity_id_norm'))
    )
    op.create_index(op.f('ix_entity_aliases_norm'), 'entity_aliases', ['norm'])
    op.create_table('events',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('local_id', sa.String(length=100), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('mode', sa.String(length=64), nullable=True),
    sa.Column('contexts', sa.JSON(), nullable=False),
    sa.Column('location', sa.String(length=200), nullable=True),
    sa.Column('date_start', sa.Date(), nullable=True),
    sa.Column('date_end', sa.Date(), nullable=True),
    sa.Column('date_precision', sa.String(length=16), nullable=True),
    sa.Column('date_basis', sa.String(length=16), nullable=True),
    sa.Column('date_text', sa.Text(), nullable=True),
    sa.Column('factuality', sa.String(length=16), server_default='asserted', nullable=False),
    sa.Column('confidence', sa.Float(), server_default=sa.text('0.5'), nullable=False),
    sa.Column('trigger', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('org_id', sa.Integer(), server_default=sa.text('1'), nullable=False),
    sa.Column('marking', sa.String(length=16), server_default='AMBER', nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_events_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['marking'], ['markings.tlp'], name=op.f('fk_events_marking_markings')),
    sa.ForeignKeyConstraint(['org_id'], ['organisations.id'], name=op.f('fk_events_org_id_organisations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_events'))
    )
    op.create_index(op.f('ix_events_date_start'), 'events', ['date_start'])
    op.create_index(op.f('ix_events_document_id'), 'events', ['document_id'])
    op.create_index(op.f('ix_events_type'), 'events', ['type'])
    op.create_table('mentions',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_mentions_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_mentions_entity_id_entities')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentions'))
    )
    op.create_index(op.f('ix_mentions_document_id'), 'mentions', ['document_id'])
    op.create_index(op.f('ix_mentions_entity_id'), 'mentions', ['entity_id'])
    op.create_table('event_actors',
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('entity_id', sa.String(length=200), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.CheckConstraint("role IN ('source', 'target')", name=op.f('ck_event_actors_role')),
    sa.ForeignKeyConstraint(['entity_id'], ['entities.id'], name=op.f('fk_event_actors_entity_id_entities')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_actors_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('event_id', 'role', 'entity_id', name=op.f('pk_event_actors'))
    )
    op.create_index(op.f('ix_event_actors_entity_id'), 'event_actors', ['entity_id'])
    op.create_table('event_evidence',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('start', sa.Integer(), nullable=False),
    sa.Column('end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_event_evidence_document_id_documents'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_evidence_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_evidence'))
    )
    op.create_index(op.f('ix_event_evidence_document_id'), 'event_evidence', ['document_id'])
    op.create_index(op.f('ix_event_evidence_event_id'), 'event_evidence', ['event_id'])
    op.create_table('event_quantities',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('event_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=64), nullable=False),
    sa.Column('approx', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('text', sa.Text(), server_default='', nullable=False),
    sa.Column('start', sa.Integer(), nullable=True),
    sa.Column('end', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_event_quantities_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_event_quantities'))
    )
    op.create_index(op.f('ix_event_quantities_event_id'), 'event_quantities', ['event_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_event_quantities_event_id'), table_name='event_quantities')
    op.drop_table('event_quantities')
    op.drop_index(op.f('ix_event_evidence_event_id'), table_name='event_evidence')
    op.drop_index(op.f('ix_event_evidence_document_id'), table_name='event_evidence')
    op.drop_table('event_evidence')
    op.drop_index(op.f('ix_event_actors_entity_id'), table_name='event_actors')
    op.drop_table('event_actors')
    op.drop_index(op.f('ix_mentions_entity_id'), table_name='mentions')
    op.drop_index(op.f('ix_mentions_document_id'), table_name='mentions')
    op.drop_table('mentions')
    op.drop_index(op.f('ix_events_type'), table_name='events')
    op.drop_index(op.f('ix_events_document_id'), table_name='events')
    op.drop_index(op.f('ix_events_date_start'), table_name='events')
    op.drop_table('events')
    op.drop_index(op.f('ix_entity_aliases_norm'), table_name='entity_aliases')
    op.drop_table('entity_aliases')
    op.drop_index(op.f('ix_document_entities_entity_id'), table_name='document_entities')
    op.drop_table('document_entities')
    op.drop_index(op.f('ix_audit_object_type_object_id'), table_name='audit')
    op.drop_index(op.f('ix_audit_at'), table_name='audit')
    op.drop_table('audit')
    op.drop_table('users')
    op.drop_index(op.f('ix_entities_type'), table_name='entities')
    op.drop_table('entities')
    op.drop_index(op.f('ix_documents_published_date'), table_name='documents')
    op.drop_index(op.f('ix_documents_ingested_at'), table_name='documents')
    op.drop_table('documents')
    op.drop_table('organisations')
    op.drop_table('markings')
