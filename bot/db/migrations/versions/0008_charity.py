"""Charitable campaigns (issue 13): a help campaign's deadline and close, its needs, and
pledges with their database rules (one live pledge per person and need; no one confirms
their own); who came to a gathering; supporters (حامی) and their one-time invitations.

Revision ID: 0008
Revises: 0007
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None

_LIVE_PLEDGE = "status IN ('promised', 'reported', 'delivered')"


def upgrade() -> None:
    op.create_table('help_campaigns',
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.PrimaryKeyConstraint('campaign_id')
    )
    op.create_index(op.f('ix_help_campaigns_deadline'), 'help_campaigns', ['deadline'], unique=False)
    op.create_table('help_needs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('sort', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=48), nullable=True),
    sa.Column('unit', sqlmodel.sql.sqltypes.AutoString(length=24), nullable=True),
    sa.Column('target', sa.BigInteger(), nullable=True),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_help_needs_campaign_id'), 'help_needs', ['campaign_id'], unique=False)
    op.create_table('pledges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reported_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('confirmed_by', sa.Integer(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(timezone=True), nullable=True),
    sa.CheckConstraint('amount > 0', name='ck_pledges_amount_positive'),
    sa.CheckConstraint('confirmed_by IS NULL OR confirmed_by <> user_id', name='ck_pledges_confirmer_not_giver'),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.ForeignKeyConstraint(['confirmed_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['need_id'], ['help_needs.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_pledges_campaign_status', 'pledges', ['campaign_id', 'status'], unique=False)
    op.create_index(op.f('ix_pledges_user_id'), 'pledges', ['user_id'], unique=False)
    op.create_table('campaign_attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('campaign_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('marked_by', sa.Integer(), nullable=False),
    sa.Column('marked_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['campaign_id'], ['campaigns.id'], ),
    sa.ForeignKeyConstraint(['marked_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('campaign_id', 'user_id', name='uq_attendance_campaign_user')
    )
    op.create_index(op.f('ix_campaign_attendance_campaign_id'), 'campaign_attendance', ['campaign_id'], unique=False)
    op.create_table('supporter_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_by', sa.Integer(), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['used_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index(op.f('ix_supporter_invitations_center_id'), 'supporter_invitations', ['center_id'], unique=False)
    op.create_index(op.f('ix_supporter_invitations_token'), 'supporter_invitations', ['token'], unique=True)
    op.create_table('supporters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invitation_id', sa.Integer(), nullable=True),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], ),
    sa.ForeignKeyConstraint(['invitation_id'], ['supporter_invitations.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('center_id', 'user_id', name='uq_supporters_center_user')
    )
    op.create_index(op.f('ix_supporters_center_id'), 'supporters', ['center_id'], unique=False)
    op.create_index(op.f('ix_supporters_user_id'), 'supporters', ['user_id'], unique=False)
    op.create_index('uq_pledges_live', 'pledges', ['need_id', 'user_id'], unique=True,
                    sqlite_where=sa.text(_LIVE_PLEDGE), postgresql_where=sa.text(_LIVE_PLEDGE))


def downgrade() -> None:
    op.drop_index(op.f('ix_supporters_user_id'), table_name='supporters')
    op.drop_index(op.f('ix_supporters_center_id'), table_name='supporters')
    op.drop_table('supporters')
    op.drop_index(op.f('ix_supporter_invitations_token'), table_name='supporter_invitations')
    op.drop_index(op.f('ix_supporter_invitations_center_id'), table_name='supporter_invitations')
    op.drop_table('supporter_invitations')
    op.drop_index(op.f('ix_campaign_attendance_campaign_id'), table_name='campaign_attendance')
    op.drop_table('campaign_attendance')
    op.drop_index('uq_pledges_live', table_name='pledges')
    op.drop_index(op.f('ix_pledges_user_id'), table_name='pledges')
    op.drop_index('ix_pledges_campaign_status', table_name='pledges')
    op.drop_table('pledges')
    op.drop_index(op.f('ix_help_needs_campaign_id'), table_name='help_needs')
    op.drop_table('help_needs')
    op.drop_index(op.f('ix_help_campaigns_deadline'), table_name='help_campaigns')
    op.drop_table('help_campaigns')
