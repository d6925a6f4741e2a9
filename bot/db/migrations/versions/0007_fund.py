"""A center's interest-free loan fund (issue 16): the fund, its loan types, members (full or
half share), monthly dues, loans, instalments, draws, payment claims, and the append-only
ledger fund_entries, whose UPDATE and DELETE triggers refuse on SQLite and PostgreSQL.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel.sql.sqltypes


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('funds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('center_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('contribution', sa.Integer(), nullable=False),
    sa.Column('due_day', sa.Integer(), nullable=False),
    sa.Column('queue_rule', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('confirmer_one', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('confirmer_two', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('treasurer_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.CheckConstraint('confirmer_one <> confirmer_two', name='ck_funds_two_confirmers'),
    sa.CheckConstraint('contribution > 0', name='ck_funds_contribution'),
    sa.CheckConstraint('due_day BETWEEN 1 AND 29', name='ck_funds_due_day'),
    sa.ForeignKeyConstraint(['center_id'], ['centers.id'], ),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['treasurer_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('center_id')
    )
    with op.batch_alter_table('funds', schema=None) as batch_op:
        batch_op.create_index('uq_funds_request_key', ['request_key'], unique=True)

    op.create_table('fund_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('seed', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('seed_hash', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('entrants', sa.Text(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('announced_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('drawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('order', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fund_draws', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_draws_fund_id'), ['fund_id'], unique=False)

    op.create_table('fund_loan_types',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('name', sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
    sa.Column('max_amount', sa.Integer(), nullable=False),
    sa.Column('instalments', sa.Integer(), nullable=False),
    sa.Column('needs_guarantor', sa.Boolean(), nullable=False),
    sa.CheckConstraint('max_amount > 0 AND instalments BETWEEN 1 AND 120', name='ck_fund_loan_types_limits'),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fund_loan_types', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_loan_types_fund_id'), ['fund_id'], unique=False)

    op.create_table('fund_members',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('share', sqlmodel.sql.sqltypes.AutoString(length=8), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('fund_id', 'user_id')
    )
    with op.batch_alter_table('fund_members', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_members_fund_id'), ['fund_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_members_user_id'), ['user_id'], unique=False)

    op.create_table('fund_treasurer_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('token', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('created_by', sa.Integer(), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_by', sa.Integer(), nullable=True),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], ),
    sa.ForeignKeyConstraint(['used_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fund_treasurer_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_treasurer_invitations_fund_id'), ['fund_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_treasurer_invitations_token'), ['token'], unique=True)
        batch_op.create_index('uq_fund_treasurer_invitations_open', ['fund_id'], unique=True, sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))

    op.create_table('fund_dues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['fund_members.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('member_id', 'period')
    )
    with op.batch_alter_table('fund_dues', schema=None) as batch_op:
        batch_op.create_index('ix_fund_dues_fund_period', ['fund_id', 'period'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_dues_member_id'), ['member_id'], unique=False)

    op.create_table('fund_loans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('borrower_id', sa.Integer(), nullable=False),
    sa.Column('loan_type_id', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('instalments', sa.Integer(), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
    sa.Column('guarantor_id', sa.Integer(), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('approved_by_one', sa.Integer(), nullable=True),
    sa.Column('approved_by_two', sa.Integer(), nullable=True),
    sa.Column('queued_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('draw_id', sa.Integer(), nullable=True),
    sa.Column('supporter_id', sa.Integer(), nullable=True),
    sa.Column('paid_out_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('request_key', sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
    sa.CheckConstraint('amount > 0', name='ck_fund_loans_amount'),
    sa.CheckConstraint('approved_by_one IS NULL OR approved_by_one <> borrower_id', name='ck_fund_loans_approver_one'),
    sa.CheckConstraint('approved_by_two IS NULL OR approved_by_two <> approved_by_one', name='ck_fund_loans_two_approvers'),
    sa.CheckConstraint('approved_by_two IS NULL OR approved_by_two <> borrower_id', name='ck_fund_loans_approver_two'),
    sa.CheckConstraint('guarantor_id IS NULL OR guarantor_id <> borrower_id', name='ck_fund_loans_guarantor'),
    sa.ForeignKeyConstraint(['approved_by_one'], ['users.id'], ),
    sa.ForeignKeyConstraint(['approved_by_two'], ['users.id'], ),
    sa.ForeignKeyConstraint(['borrower_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['draw_id'], ['fund_draws.id'], ),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], ),
    sa.ForeignKeyConstraint(['guarantor_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['loan_type_id'], ['fund_loan_types.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['fund_members.id'], ),
    sa.ForeignKeyConstraint(['supporter_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fund_loans', schema=None) as batch_op:
        batch_op.create_index('ix_fund_loans_fund_status', ['fund_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_loans_member_id'), ['member_id'], unique=False)
        batch_op.create_index('uq_fund_loans_request_key', ['request_key'], unique=True)

    op.create_table('fund_instalments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('loan_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.ForeignKeyConstraint(['loan_id'], ['fund_loans.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('loan_id', 'number')
    )
    with op.batch_alter_table('fund_instalments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_fund_instalments_loan_id'), ['loan_id'], unique=False)
        batch_op.create_index('ix_fund_instalments_status_due', ['status', 'due_at'], unique=False)

    op.create_table('fund_claims',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('payer_id', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.Integer(), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=False),
    sa.Column('due_id', sa.Integer(), nullable=True),
    sa.Column('instalment_id', sa.Integer(), nullable=True),
    sa.Column('loan_id', sa.Integer(), nullable=True),
    sa.Column('receipt_file_id', sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('decided_by IS NULL OR decided_by <> payer_id', name='ck_fund_claims_other_confirmer'),
    sa.ForeignKeyConstraint(['claimed_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['due_id'], ['fund_dues.id'], ),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], ),
    sa.ForeignKeyConstraint(['instalment_id'], ['fund_instalments.id'], ),
    sa.ForeignKeyConstraint(['loan_id'], ['fund_loans.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['fund_members.id'], ),
    sa.ForeignKeyConstraint(['payer_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fund_claims', schema=None) as batch_op:
        batch_op.create_index('ix_fund_claims_fund_status', ['fund_id', 'status'], unique=False)
        batch_op.create_index('uq_fund_claims_pending_due', ['due_id'], unique=True, sqlite_where=sa.text("status = 'pending' AND due_id IS NOT NULL"), postgresql_where=sa.text("status = 'pending' AND due_id IS NOT NULL"))
        batch_op.create_index('uq_fund_claims_pending_instalment', ['instalment_id'], unique=True, sqlite_where=sa.text("status = 'pending' AND instalment_id IS NOT NULL"), postgresql_where=sa.text("status = 'pending' AND instalment_id IS NOT NULL"))
        batch_op.create_index('uq_fund_claims_pending_loan', ['loan_id'], unique=True, sqlite_where=sa.text("status = 'pending' AND kind = 'payout'"), postgresql_where=sa.text("status = 'pending' AND kind = 'payout'"))

    op.create_table('fund_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fund_id', sa.Integer(), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('confirmed_by', sa.Integer(), nullable=False),
    sa.Column('claim_id', sa.Integer(), nullable=True),
    sa.Column('due_id', sa.Integer(), nullable=True),
    sa.Column('instalment_id', sa.Integer(), nullable=True),
    sa.Column('loan_id', sa.Integer(), nullable=True),
    sa.Column('corrects_id', sa.Integer(), nullable=True),
    sa.Column('note', sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'correction') = (corrects_id IS NOT NULL)", name='ck_fund_entries_correction'),
    sa.CheckConstraint("kind <> 'payout' OR amount < 0", name='ck_fund_entries_sign_out'),
    sa.CheckConstraint("kind IN ('contribution', 'instalment', 'payout', 'correction')", name='ck_fund_entries_kind'),
    sa.CheckConstraint("kind NOT IN ('contribution', 'instalment') OR amount > 0", name='ck_fund_entries_sign_in'),
    sa.CheckConstraint('amount <> 0', name='ck_fund_entries_amount'),
    sa.CheckConstraint('confirmed_by <> person_id', name='ck_fund_entries_other_confirmer'),
    sa.ForeignKeyConstraint(['claim_id'], ['fund_claims.id'], ),
    sa.ForeignKeyConstraint(['confirmed_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['corrects_id'], ['fund_entries.id'], ),
    sa.ForeignKeyConstraint(['due_id'], ['fund_dues.id'], ),
    sa.ForeignKeyConstraint(['fund_id'], ['funds.id'], ),
    sa.ForeignKeyConstraint(['instalment_id'], ['fund_instalments.id'], ),
    sa.ForeignKeyConstraint(['loan_id'], ['fund_loans.id'], ),
    sa.ForeignKeyConstraint(['member_id'], ['fund_members.id'], ),
    sa.ForeignKeyConstraint(['person_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.create_index('ix_fund_entries_fund_at', ['fund_id', 'at'], unique=False)
        batch_op.create_index(batch_op.f('ix_fund_entries_member_id'), ['member_id'], unique=False)
        batch_op.create_index('uq_fund_entries_due', ['due_id'], unique=True, sqlite_where=sa.text("kind = 'contribution'"), postgresql_where=sa.text("kind = 'contribution'"))
        batch_op.create_index('uq_fund_entries_instalment', ['instalment_id'], unique=True, sqlite_where=sa.text("kind = 'instalment'"), postgresql_where=sa.text("kind = 'instalment'"))
        batch_op.create_index('uq_fund_entries_payout', ['loan_id'], unique=True, sqlite_where=sa.text("kind = 'payout'"), postgresql_where=sa.text("kind = 'payout'"))

    _refuse_changes_to_the_ledger()


# The ledger is append-only: the database itself refuses to change or remove an entry.
_REFUSAL = "fund_entries is append-only: record a correction instead"


def _refuse_changes_to_the_ledger() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION fund_entries_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN RAISE EXCEPTION '{_REFUSAL}'; END $$"
        )
        op.execute("CREATE TRIGGER fund_entries_no_update BEFORE UPDATE ON fund_entries "
                   "FOR EACH ROW EXECUTE FUNCTION fund_entries_refuse()")
        op.execute("CREATE TRIGGER fund_entries_no_delete BEFORE DELETE ON fund_entries "
                   "FOR EACH ROW EXECUTE FUNCTION fund_entries_refuse()")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"CREATE TRIGGER fund_entries_no_{verb.lower()} BEFORE {verb} ON fund_entries "
                       f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END")


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS fund_entries_no_update" + (" ON fund_entries" if op.get_bind().dialect.name == "postgresql" else ""))
    op.execute("DROP TRIGGER IF EXISTS fund_entries_no_delete" + (" ON fund_entries" if op.get_bind().dialect.name == "postgresql" else ""))
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS fund_entries_refuse()")
    with op.batch_alter_table('fund_entries', schema=None) as batch_op:
        batch_op.drop_index('uq_fund_entries_payout', sqlite_where=sa.text("kind = 'payout'"), postgresql_where=sa.text("kind = 'payout'"))
        batch_op.drop_index('uq_fund_entries_instalment', sqlite_where=sa.text("kind = 'instalment'"), postgresql_where=sa.text("kind = 'instalment'"))
        batch_op.drop_index('uq_fund_entries_due', sqlite_where=sa.text("kind = 'contribution'"), postgresql_where=sa.text("kind = 'contribution'"))
        batch_op.drop_index(batch_op.f('ix_fund_entries_member_id'))
        batch_op.drop_index('ix_fund_entries_fund_at')

    op.drop_table('fund_entries')
    with op.batch_alter_table('fund_claims', schema=None) as batch_op:
        batch_op.drop_index('uq_fund_claims_pending_loan', sqlite_where=sa.text("status = 'pending' AND kind = 'payout'"), postgresql_where=sa.text("status = 'pending' AND kind = 'payout'"))
        batch_op.drop_index('uq_fund_claims_pending_instalment', sqlite_where=sa.text("status = 'pending' AND instalment_id IS NOT NULL"), postgresql_where=sa.text("status = 'pending' AND instalment_id IS NOT NULL"))
        batch_op.drop_index('uq_fund_claims_pending_due', sqlite_where=sa.text("status = 'pending' AND due_id IS NOT NULL"), postgresql_where=sa.text("status = 'pending' AND due_id IS NOT NULL"))
        batch_op.drop_index('ix_fund_claims_fund_status')

    op.drop_table('fund_claims')
    with op.batch_alter_table('fund_instalments', schema=None) as batch_op:
        batch_op.drop_index('ix_fund_instalments_status_due')
        batch_op.drop_index(batch_op.f('ix_fund_instalments_loan_id'))

    op.drop_table('fund_instalments')
    with op.batch_alter_table('fund_loans', schema=None) as batch_op:
        batch_op.drop_index('uq_fund_loans_request_key')
        batch_op.drop_index(batch_op.f('ix_fund_loans_member_id'))
        batch_op.drop_index('ix_fund_loans_fund_status')

    op.drop_table('fund_loans')
    with op.batch_alter_table('fund_dues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_dues_member_id'))
        batch_op.drop_index('ix_fund_dues_fund_period')

    op.drop_table('fund_dues')
    with op.batch_alter_table('fund_treasurer_invitations', schema=None) as batch_op:
        batch_op.drop_index('uq_fund_treasurer_invitations_open', sqlite_where=sa.text("status = 'open'"), postgresql_where=sa.text("status = 'open'"))
        batch_op.drop_index(batch_op.f('ix_fund_treasurer_invitations_token'))
        batch_op.drop_index(batch_op.f('ix_fund_treasurer_invitations_fund_id'))

    op.drop_table('fund_treasurer_invitations')
    with op.batch_alter_table('fund_members', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_members_user_id'))
        batch_op.drop_index(batch_op.f('ix_fund_members_fund_id'))

    op.drop_table('fund_members')
    with op.batch_alter_table('fund_loan_types', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_loan_types_fund_id'))

    op.drop_table('fund_loan_types')
    with op.batch_alter_table('fund_draws', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_fund_draws_fund_id'))

    op.drop_table('fund_draws')
    with op.batch_alter_table('funds', schema=None) as batch_op:
        batch_op.drop_index('uq_funds_request_key')

    op.drop_table('funds')
