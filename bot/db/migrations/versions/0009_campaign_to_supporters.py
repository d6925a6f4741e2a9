"""A gathering or an announcement the leader chose to send to the center's supporters (حامی)
too (issue 13); its reminders follow the same choice.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('campaigns', sa.Column('to_supporters', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('campaigns') as batch:
        batch.drop_column('to_supporters')
