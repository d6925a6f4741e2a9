"""The association's seat (issue 11): facilitation organisations, facilitators and their
one-time invitations, questions to facilitators, facilitators' messages, announcements to
leaders; a center's suspension reason; an index on centers.facilitator_id.

Revision ID: 0005
Revises: 0004
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('facilitation_orgs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('name_key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name_key')
    )
    op.create_table('facilitator_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('center_ids', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_by', sa.Integer(), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['org_id'], ['facilitation_orgs.id'], ),
    sa.ForeignKeyConstraint(['used_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('facilitator_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilitator_invitations_token'), ['token'], unique=True)
        batch_op.create_index('uq_facilitator_invitations_request_key', ['request_key'], unique=True)

    op.create_table('facilitator_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], ),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('facilitator_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilitator_messages_center_id'), ['center_id'], unique=False)
        batch_op.create_index('uq_facilitator_messages_request_key', ['request_key'], unique=True)

    op.create_table('facilitators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('appointed_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['org_id'], ['facilitation_orgs.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id')
    )
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_facilitators_org_id'), ['org_id'], unique=False)

    op.create_table('leader_announcements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('audience', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('org_id', sa.Integer(), nullable=True),
    sa.Column('area', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('report_message_id', sa.BigInteger(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['org_id'], ['facilitation_orgs.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('leader_announcements', schema=None) as batch_op:
        batch_op.create_index('uq_leader_announcements_request_key', ['request_key'], unique=True)

    op.create_table('questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('asker_id', sa.Integer(), nullable=False),
    sa.Column('asker_role', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('facilitator_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('asked_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.ForeignKeyConstraint(['asker_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], ),
    sa.ForeignKeyConstraint(['facilitator_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_questions_center_id'), ['center_id'], unique=False)
        batch_op.create_index('ix_questions_facilitator_status', ['facilitator_id', 'status'], unique=False)
        batch_op.create_index('uq_questions_request_key', ['request_key'], unique=True)

    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True))
        batch_op.add_column(sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_centers_facilitator_id'), ['facilitator_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('centers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_centers_facilitator_id'))
        batch_op.drop_column('status_changed_at')
        batch_op.drop_column('status_reason')

    with op.batch_alter_table('questions', schema=None) as batch_op:
        batch_op.drop_index('uq_questions_request_key')
        batch_op.drop_index('ix_questions_facilitator_status')
        batch_op.drop_index(batch_op.f('ix_questions_center_id'))

    op.drop_table('questions')
    with op.batch_alter_table('leader_announcements', schema=None) as batch_op:
        batch_op.drop_index('uq_leader_announcements_request_key')

    op.drop_table('leader_announcements')
    with op.batch_alter_table('facilitators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_facilitators_org_id'))

    op.drop_table('facilitators')
    with op.batch_alter_table('facilitator_messages', schema=None) as batch_op:
        batch_op.drop_index('uq_facilitator_messages_request_key')
        batch_op.drop_index(batch_op.f('ix_facilitator_messages_center_id'))

    op.drop_table('facilitator_messages')
    with op.batch_alter_table('facilitator_invitations', schema=None) as batch_op:
        batch_op.drop_index('uq_facilitator_invitations_request_key')
        batch_op.drop_index(batch_op.f('ix_facilitator_invitations_token'))

    op.drop_table('facilitator_invitations')
    op.drop_table('facilitation_orgs')
