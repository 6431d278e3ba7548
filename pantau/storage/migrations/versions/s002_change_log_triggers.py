"""change-log triggers: every insert or update of events, fused_events and incidents, whichever code
path writes it, appends to change_log (the live stream's source). On PostgreSQL the trigger takes a
transaction-scoped advisory lock first, so change ids become visible in commit order and a reader
that resumes after id N never skips a smaller id committed later.

Revision ID: s002
Revises: k001
"""

from __future__ import annotations

from alembic import op

revision = "s002"
down_revision = "k001"
branch_labels = None
depends_on = None

KINDS = ("events", "fused_events", "incidents")
LOCK = 6170602  # the same key as pantau.services.sharing.record_change


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""
            CREATE OR REPLACE FUNCTION pantau_change_log() RETURNS trigger AS $$
            BEGIN
                PERFORM pg_advisory_xact_lock({LOCK});
                INSERT INTO change_log (at, object_kind, object_id, op, org_id, marking, release, payload)
                VALUES (now(), TG_TABLE_NAME, NEW.id::text,
                        CASE WHEN TG_OP = 'INSERT' THEN 'create' ELSE 'update' END,
                        NEW.org_id, NEW.marking, '{{}}'::json, '{{}}'::json);
                RETURN NULL;
            END $$ LANGUAGE plpgsql
        """)
        for t in KINDS:
            op.execute(f"CREATE TRIGGER pantau_cl_{t} AFTER INSERT OR UPDATE ON {t} "
                       f"FOR EACH ROW EXECUTE FUNCTION pantau_change_log()")
        return
    for t in KINDS:
        for event, name in (("INSERT", "create"), ("UPDATE", "update")):
            op.execute(f"""
                CREATE TRIGGER pantau_cl_{t}_{name} AFTER {event} ON {t}
                BEGIN
                    INSERT INTO change_log (at, object_kind, object_id, op, org_id, marking, release, payload)
                    VALUES (strftime('%Y-%m-%d %H:%M:%f', 'now'), '{t}', CAST(NEW.id AS TEXT), '{name}',
                            NEW.org_id, NEW.marking, '{{}}', '{{}}');
                END
            """)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for t in KINDS:
            op.execute(f"DROP TRIGGER IF EXISTS pantau_cl_{t} ON {t}")
        op.execute("DROP FUNCTION IF EXISTS pantau_change_log()")
        return
    for t in KINDS:
        for name in ("create", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS pantau_cl_{t}_{name}")
