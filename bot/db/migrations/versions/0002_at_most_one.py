"""At-most-one rules enforced by the database; idempotency keys for finishing steps.

- a person has at most one membership that is pending or active (the join rule);
- a person leads at most one live center, and assists at most one;
- a center has at most one open assistant invitation;
- a campaign and a center carry the key of the draft that made them (unique), so a
  repeated finishing step finds the row it already made.

Existing duplicates are reported (logged) and resolved first, keeping the oldest row:
extra pending/active memberships become 'withdrawn'; extra live centers of one leader or
assistant become 'cancelled' (only a race could have made them: the code never allowed it);
extra open invitations become 'cancelled'. Each is logged.

Revision ID: 0002
Revises: 0001
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger("alembic.kanoon")

LIVE = "('awaiting_assistant', 'active', 'suspended')"
# (index, table, column, predicate) — the same predicate on SQLite and PostgreSQL.
PARTIAL_UNIQUE = (
    ("uq_memberships_current", "memberships", "user_id", "status IN ('pending', 'active')"),
    ("uq_centers_live_leader", "centers", "leader_id", f"status IN {LIVE}"),
    ("uq_centers_live_assistant", "centers", "assistant_id", f"status IN {LIVE} AND assistant_id IS NOT NULL"),
    ("uq_invitations_open", "assistant_invitations", "center_id", "status = 'open'"),
)


def _resolve(table: str, column: str, predicate: str, set_status: str) -> None:
    """Keep the oldest row of each duplicate group; set the others' status (and say so)."""
    bind = op.get_bind()
    extra = bind.execute(sa.text(
        f"SELECT id, {column} FROM {table} t WHERE {predicate} AND EXISTS ("
        f" SELECT 1 FROM {table} o WHERE o.{column} = t.{column} AND o.id < t.id AND {predicate.replace('status', 'o.status').replace('assistant_id IS', 'o.assistant_id IS')})"
    )).all()
    for row_id, key in extra:
        log.warning("0002: %s row %s duplicates another with %s=%s; set to %s", table, row_id, column, key, set_status)
        bind.execute(sa.text(f"UPDATE {table} SET status = :status WHERE id = :id"), {"status": set_status, "id": row_id})


def upgrade() -> None:
    _resolve("memberships", "user_id", "status IN ('pending', 'active')", "withdrawn")
    for column in ("leader_id", "assistant_id"):
        _resolve("centers", column, f"status IN {LIVE}", "cancelled")
    _resolve("assistant_invitations", "center_id", "status = 'open'", "cancelled")
    for name, table, column, predicate in PARTIAL_UNIQUE:
        op.create_index(
            name, table, [column], unique=True,
            sqlite_where=sa.text(predicate), postgresql_where=sa.text(predicate),
        )
    for table in ("campaigns", "centers"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("request_key", sa.String(length=40), nullable=True))
            batch.create_index(f"uq_{table}_request_key", ["request_key"], unique=True)


def downgrade() -> None:
    for table in ("campaigns", "centers"):
        with op.batch_alter_table(table) as batch:
            batch.drop_index(f"uq_{table}_request_key")
            batch.drop_column("request_key")
    for name, table, _, _ in PARTIAL_UNIQUE:
        op.drop_index(name, table_name=table)
