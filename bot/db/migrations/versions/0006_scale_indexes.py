"""Sweeps that read what is due, not every row ever written: partial indexes.

- ix_deliveries_open: deliveries still to send (pending, or claimed by a sender), by batch —
  the broadcast resume and notice resend sweeps (at start and every 5 minutes) and the
  release at start; replaces ix_deliveries_status (status, purpose), which SQLite's planner
  passed over for the (purpose, ref_id, user_id) key and which held every row;
- ix_reminders_pending_due: reminders not yet fired, by due time (the minute sweep, arming at
  start); replaces ix_reminders_due_at, which held every reminder;
- ix_memberships_pending: requests waiting for a decision, by center and age, with every
  column the hourly check of waiting requests reads (status too: then SQLite reads the index
  alone), and a center's list of requests;
- ix_memberships_center_joined: a center's memberships of one status in the order they joined
  (the members list pages without sorting the whole center); replaces ix_memberships_center_status,
  whose columns it starts with.

Revision ID: 0006
Revises: 0005
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# (index, table, columns, predicate): the same predicates as bot/db/models.py.
PARTIAL = (
    ("ix_deliveries_open", "deliveries", ["purpose", "ref_id"], "status IN ('pending', 'sending')"),
    ("ix_reminders_pending_due", "reminders", ["due_at"], "status = 'pending'"),
    ("ix_memberships_pending", "memberships",
     ["center_id", "requested_at", "last_reminded_at", "leader_alerted_at", "status"], "status = 'pending'"),
)


def upgrade() -> None:
    for name, table, columns, predicate in PARTIAL:
        op.create_index(name, table, columns, sqlite_where=sa.text(predicate), postgresql_where=sa.text(predicate))
    op.create_index("ix_memberships_center_joined", "memberships", ["center_id", "status", "decided_at", "id"])
    op.drop_index("ix_memberships_center_status", table_name="memberships")
    op.drop_index("ix_deliveries_status", table_name="deliveries")
    op.drop_index("ix_reminders_due_at", table_name="reminders")


def downgrade() -> None:
    op.create_index("ix_reminders_due_at", "reminders", ["due_at"])
    op.create_index("ix_deliveries_status", "deliveries", ["status", "purpose"])
    op.create_index("ix_memberships_center_status", "memberships", ["center_id", "status"])
    op.drop_index("ix_memberships_center_joined", table_name="memberships")
    for name, table, _, _ in PARTIAL:
        op.drop_index(name, table_name=table)
