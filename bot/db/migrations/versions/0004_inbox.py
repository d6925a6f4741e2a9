"""Several instances: the inbox of updates and the shared send pace.

- `inbox_updates`: every update as received, unique per (platform, update_id); workers of
  every instance claim open rows (docs/instances.md);
- `send_pace`: the next free send slot per platform, shared by the instances on PostgreSQL.

Revision ID: 0004
Revises: 0003
"""
from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN = "status IN ('pending', 'claimed')"


def upgrade() -> None:
    op.create_table(
        "inbox_updates",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("user_key", sa.BigInteger(), nullable=True),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claimed_by", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("platform", "update_id", name="uq_inbox_platform_update"),
    )
    op.create_index("ix_inbox_open", "inbox_updates", ["id"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_inbox_user_open", "inbox_updates", ["platform", "user_key", "update_id"],
                    sqlite_where=sa.text(OPEN), postgresql_where=sa.text(OPEN))
    op.create_index("ix_inbox_done_at", "inbox_updates", ["done_at"])
    op.create_table(
        "send_pace",
        sa.Column("platform", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("platform"),
    )


def downgrade() -> None:
    op.drop_table("send_pace")
    op.drop_index("ix_inbox_done_at", table_name="inbox_updates")
    op.drop_index("ix_inbox_user_open", table_name="inbox_updates")
    op.drop_index("ix_inbox_open", table_name="inbox_updates")
    op.drop_table("inbox_updates")
