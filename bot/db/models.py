"""The tables. Times are stored in UTC; `platform` + `platform_user_id` identify a person.

Statuses are short strings (not DB enums) so migrations stay simple on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Protocol

from sqlalchemy import false as sa_false
from sqlalchemy import BigInteger, CheckConstraint, Column, DateTime, Index, Integer, Table, Text, UniqueConstraint, text
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


def _now() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on every database.

    SQLite keeps no zone and hands back naive values; comparing those with aware "now"
    would raise, so values are normalised here once rather than at every comparison.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use deps.clock() or an aware UTC value")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class _HasId(Protocol):
    id: int | None


def id_of(row: _HasId) -> int:
    """The id of a row that has been flushed or read: None only before its INSERT."""
    assert row.id is not None, f"{type(row).__name__} has no id yet: flush it first"
    return row.id


def table_of(model: type[SQLModel]) -> Table:
    """A model's Core table, for queries written over columns (SQLModel sets `__table__` on each
    table model but does not declare it)."""
    table = getattr(model, "__table__")
    assert isinstance(table, Table)
    return table


def _partial_unique(name: str, column: str, where: str) -> Index:
    """A unique index over the rows that match `where` (an "at most one" rule; migration 0002)."""
    return Index(name, column, unique=True, sqlite_where=text(where), postgresql_where=text(where))


_LIVE = "status IN ('awaiting_assistant', 'active', 'suspended')"

# The rows periodic sweeps look for (migration 0006): partial indexes hold only these, so a
# sweep reads what is due, not every row ever written. The queries repeat the predicate word
# for word, with the values as literals (bot/db/repo/due.py): SQLite uses a partial index only then.
OPEN_DELIVERY_STATUSES = ("pending", "sending")
OPEN_DELIVERY = "status IN ('pending', 'sending')"
PENDING_REMINDER = "status = 'pending'"
PENDING_MEMBERSHIP = "status = 'pending'"


def _partial(name: str, columns: tuple[str, ...], where: str) -> Index:
    return Index(name, *columns, sqlite_where=text(where), postgresql_where=text(where))


def _ts(nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class User(SQLModel, table=True):
    __tablename__ = "users"
    __table_args__ = (UniqueConstraint("platform", "platform_user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=16)
    platform_user_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    first_name: str = Field(default="", max_length=128)
    last_name: str | None = Field(default=None, max_length=128)
    username: str | None = Field(default=None, max_length=64)
    # Declared in a conversation (registration, joining); not the messenger profile name.
    full_name: str | None = Field(default=None, max_length=64)
    mobile: str | None = Field(default=None, max_length=16)  # normalised 09xxxxxxxxx
    blocked_at: datetime | None = Field(default=None, sa_column=_ts())
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))


class Center(SQLModel, table=True):
    __tablename__ = "centers"
    __table_args__ = (
        # A person leads at most one live center and assists at most one.
        _partial_unique("uq_centers_live_leader", "leader_id", _LIVE),
        _partial_unique("uq_centers_live_assistant", "assistant_id", f"{_LIVE} AND assistant_id IS NOT NULL"),
        Index("uq_centers_request_key", "request_key", unique=True),
        # Name search (docs/search.md): a pg_trgm GIN index on PostgreSQL; on SQLite a B-tree for
        # the prefixes of two-letter keys, longer keys going through the FTS5 table `center_search`
        # that migration 0003 keeps in step with this one by triggers.
        Index("ix_centers_search_key", "search_key", postgresql_using="gin",
              postgresql_ops={"search_key": "gin_trgm_ops"}),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The public ID (شناسه): issued only when the assistant accepts; see services/center_codes.py.
    code: int | None = Field(default=None, unique=True, index=True)
    name: str = Field(max_length=64)
    name_key: str = Field(max_length=128, index=True)  # text.search_key(name)
    # text.name_search_key(name): folded, spaces and generic words («کانون», …) left out.
    search_key: str = Field(default="", max_length=128, sa_column_kwargs={"server_default": ""})
    kind: str = Field(max_length=16)
    kind_label: str | None = Field(default=None, max_length=32)  # free text when kind == other
    area: str | None = Field(default=None, max_length=100)
    area_key: str | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    status: str = Field(default="awaiting_assistant", max_length=24, index=True)
    leader_id: int = Field(foreign_key="users.id", index=True)
    assistant_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    facilitator_id: int | None = Field(default=None, foreign_key="users.id", index=True)
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    activated_at: datetime | None = Field(default=None, sa_column=_ts())
    # The registration draft's key: a repeated «ثبت» finds this row instead of making another.
    request_key: str | None = Field(default=None, max_length=40)
    # Why the association suspended (or reactivated) it, and when (migration 0003).
    status_reason: str | None = Field(default=None, max_length=300)
    status_changed_at: datetime | None = Field(default=None, sa_column=_ts())


class AssistantInvitation(SQLModel, table=True):
    __tablename__ = "assistant_invitations"
    __table_args__ = (_partial_unique("uq_invitations_open", "center_id", "status = 'open'"),)

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=40, unique=True, index=True)
    center_id: int = Field(foreign_key="centers.id", index=True)
    created_by: int = Field(foreign_key="users.id")
    status: str = Field(default="open", max_length=16)  # open, accepted, declined, cancelled
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    used_by: int | None = Field(default=None, foreign_key="users.id")
    used_at: datetime | None = Field(default=None, sa_column=_ts())


class Membership(SQLModel, table=True):
    __tablename__ = "memberships"
    __table_args__ = (
        # A center's members (or requests…) in the order they joined: a page reads its rows only.
        Index("ix_memberships_center_joined", "center_id", "status", "decided_at", "id"),
        # Requests waiting for a decision, by center and age, with every column the hourly check
        # reads (status too: then SQLite reads the index alone), and a center's list of requests.
        _partial("ix_memberships_pending",
                 ("center_id", "requested_at", "last_reminded_at", "leader_alerted_at", "status"), PENDING_MEMBERSHIP),
        # A person has at most one membership that is pending or active.
        _partial_unique("uq_memberships_current", "user_id", "status IN ('pending', 'active')"),
    )

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="centers.id")
    user_id: int = Field(foreign_key="users.id", index=True)
    # pending, active, rejected, withdrawn, left, removed
    status: str = Field(default="pending", max_length=16)
    source: str = Field(default="code", max_length=16)  # link, code, search
    requested_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    decided_at: datetime | None = Field(default=None, sa_column=_ts())
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    reject_reason: str | None = Field(default=None, max_length=32)
    reject_note: str | None = Field(default=None, max_length=300)
    ended_at: datetime | None = Field(default=None, sa_column=_ts())
    last_reminded_at: datetime | None = Field(default=None, sa_column=_ts())
    leader_alerted_at: datetime | None = Field(default=None, sa_column=_ts())


class Campaign(SQLModel, table=True):
    """A campaign call (kind=campaign) or a plain announcement (kind=announcement)."""

    __tablename__ = "campaigns"
    __table_args__ = (Index("uq_campaigns_request_key", "request_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="centers.id", index=True)
    created_by: int = Field(foreign_key="users.id")
    kind: str = Field(default="campaign", max_length=16)
    title: str | None = Field(default=None, max_length=100)
    body: str = Field(sa_column=Column(Text, nullable=False))
    starts_at: datetime | None = Field(default=None, sa_column=_ts())
    place: str | None = Field(default=None, max_length=200)
    reminder_offsets: str = Field(default="", max_length=64)  # e.g. "1440,120,0" minutes before
    status: str = Field(default="sending", max_length=16)  # sending, sent, cancelled
    report_message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    cancelled_at: datetime | None = Field(default=None, sa_column=_ts())
    # The draft's key: a repeated «ارسال» finds this campaign instead of making another.
    request_key: str | None = Field(default=None, max_length=40)
    # The leader chose to send this gathering or announcement to the center's supporters too
    # (help campaigns always reach them; docs/charity.md).
    to_supporters: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})


class CampaignAnswer(SQLModel, table=True):
    __tablename__ = "campaign_answers"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    answer: str | None = Field(default=None, max_length=8)  # yes, no
    muted: bool = Field(default=False)
    answered_at: datetime | None = Field(default=None, sa_column=_ts())


class Reminder(SQLModel, table=True):
    __tablename__ = "reminders"
    __table_args__ = (_partial("ix_reminders_pending_due", ("due_at",), PENDING_REMINDER),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    offset_minutes: int
    due_at: datetime = Field(sa_column=_ts(nullable=False))
    status: str = Field(default="pending", max_length=16)  # pending, sent, skipped, cancelled
    fired_at: datetime | None = Field(default=None, sa_column=_ts())


class Delivery(SQLModel, table=True):
    """One message to one user that must outlive the update that caused it.

    Written before the send; a restart resumes the pending ones. The unique key makes
    "never twice to the same person" a database guarantee.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("purpose", "ref_id", "user_id"),
        # Rows still to send, by batch: the resume and resend sweeps, the release at start.
        _partial("ix_deliveries_open", ("purpose", "ref_id"), OPEN_DELIVERY),
    )

    id: int | None = Field(default=None, primary_key=True)
    purpose: str = Field(max_length=24)  # campaign, announcement, reminder, notice…
    ref_id: int
    user_id: int = Field(foreign_key="users.id")
    status: str = Field(default="pending", max_length=16)  # pending, sending, sent, unreachable, failed, skipped
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=300)
    message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=_ts())


class AuditEvent(SQLModel, table=True):
    """Who did what, when: every state change of centers, invitations and memberships."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    action: str = Field(max_length=48)
    entity: str = Field(max_length=24)
    entity_id: int | None = None
    details: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False, index=True))


# --- the association's seat (issue 11; migration 0003) -----------------------------------------


class FacilitationOrg(SQLModel, table=True):
    """A facilitation organisation (سازمان رهیاری), named by an admin."""

    __tablename__ = "facilitation_orgs"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=64)
    name_key: str = Field(max_length=128, unique=True)  # text.search_key(name): one row per name
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))


class Facilitator(SQLModel, table=True):
    """A person appointed as facilitator (رهیار); Center.facilitator_id names the centers they serve."""

    __tablename__ = "facilitators"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", unique=True)
    name: str = Field(max_length=64)  # as the association named them; shown on center cards
    org_id: int | None = Field(default=None, foreign_key="facilitation_orgs.id", index=True)
    appointed_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))


class FacilitatorInvitation(SQLModel, table=True):
    """A one-time link an admin gives a person to become the facilitator of some centers."""

    __tablename__ = "facilitator_invitations"
    __table_args__ = (Index("uq_facilitator_invitations_request_key", "request_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=40, unique=True, index=True)
    created_by: int = Field(foreign_key="users.id")
    name: str = Field(max_length=64)
    org_id: int | None = Field(default=None, foreign_key="facilitation_orgs.id")
    center_ids: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of center ids
    status: str = Field(default="open", max_length=16)  # InvitationStatus
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    used_by: int | None = Field(default=None, foreign_key="users.id")
    used_at: datetime | None = Field(default=None, sa_column=_ts())
    request_key: str | None = Field(default=None, max_length=40)


class Question(SQLModel, table=True):
    """A question to a center's facilitator, and its answer."""

    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_facilitator_status", "facilitator_id", "status"),
        Index("uq_questions_request_key", "request_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="centers.id", index=True)
    asker_id: int = Field(foreign_key="users.id")
    asker_role: str = Field(max_length=16)  # AskerRole
    facilitator_id: int = Field(foreign_key="users.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="open", max_length=16)  # QuestionStatus
    asked_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    answer: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=_ts())
    reminded_at: datetime | None = Field(default=None, sa_column=_ts())
    request_key: str | None = Field(default=None, max_length=40)


class FacilitatorMessage(SQLModel, table=True):
    """A facilitator's message to a center's leader and assistant."""

    __tablename__ = "facilitator_messages"
    __table_args__ = (Index("uq_facilitator_messages_request_key", "request_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="centers.id", index=True)
    sender_id: int = Field(foreign_key="users.id")
    body: str = Field(sa_column=Column(Text, nullable=False))
    sent_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    request_key: str | None = Field(default=None, max_length=40)


class LeaderAnnouncement(SQLModel, table=True):
    """An admin's announcement to leaders and assistants (all, one organisation's, one area's)."""

    __tablename__ = "leader_announcements"
    __table_args__ = (Index("uq_leader_announcements_request_key", "request_key", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    created_by: int = Field(foreign_key="users.id")
    audience: str = Field(max_length=8)  # AudienceKind
    org_id: int | None = Field(default=None, foreign_key="facilitation_orgs.id")
    area: str | None = Field(default=None, max_length=100)
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default="sending", max_length=16)  # sending, sent
    report_message_id: int | None = Field(default=None, sa_column=Column(BigInteger))
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    request_key: str | None = Field(default=None, max_length=40)


# --- a center's interest-free loan fund (issue 16; migration 0007_fund; docs/fund.md) ----------
# The bot holds no money: these rows record what people say they paid and what staff confirmed.
# fund_entries is the ledger: append-only (triggers refuse UPDATE and DELETE on both databases),
# the balance is the sum of its amounts, a correction is a new entry pointing at the corrected one.

FUND_ENTRY_KINDS = "kind IN ('contribution', 'instalment', 'payout', 'correction')"


class Fund(SQLModel, table=True):
    __tablename__ = "funds"
    __table_args__ = (
        CheckConstraint("contribution > 0", name="ck_funds_contribution"),
        CheckConstraint("due_day BETWEEN 1 AND 29", name="ck_funds_due_day"),
        CheckConstraint("confirmer_one <> confirmer_two", name="ck_funds_two_confirmers"),
        Index("uq_funds_request_key", "request_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="centers.id", unique=True)  # one fund per center
    created_by: int = Field(foreign_key="users.id")
    contribution: int  # toman a month for a full share; a half share pays half
    due_day: int  # day of the Jalali month
    queue_rule: str = Field(max_length=16)  # FundQueueRule
    # Who confirms money: two different roles among leader, assistant, treasurer (StaffRole-like).
    confirmer_one: str = Field(max_length=16)
    confirmer_two: str = Field(max_length=16)
    treasurer_id: int | None = Field(default=None, foreign_key="users.id")
    status: str = Field(default="open", max_length=16)  # FundStatus
    opened_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    request_key: str | None = Field(default=None, max_length=40)


class FundLoanType(SQLModel, table=True):
    __tablename__ = "fund_loan_types"
    __table_args__ = (
        CheckConstraint("max_amount > 0 AND instalments BETWEEN 1 AND 120", name="ck_fund_loan_types_limits"),
    )

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="funds.id", index=True)
    name: str = Field(max_length=32)
    max_amount: int  # toman, for a full share (a half share borrows half)
    instalments: int  # monthly
    needs_guarantor: bool = Field(default=False)


class FundMember(SQLModel, table=True):
    __tablename__ = "fund_members"
    __table_args__ = (UniqueConstraint("fund_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="funds.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    share: str = Field(max_length=8)  # FundShare: full, half
    status: str = Field(default="active", max_length=16)  # FundMemberStatus
    joined_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))


class FundTreasurerInvitation(SQLModel, table=True):
    """A one-time link the leader gives the person who will be the fund's treasurer (صندوق‌دار)."""

    __tablename__ = "fund_treasurer_invitations"
    __table_args__ = (_partial_unique("uq_fund_treasurer_invitations_open", "fund_id", "status = 'open'"),)

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=40, unique=True, index=True)
    fund_id: int = Field(foreign_key="funds.id", index=True)
    created_by: int = Field(foreign_key="users.id")
    status: str = Field(default="open", max_length=16)  # InvitationStatus
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    used_by: int | None = Field(default=None, foreign_key="users.id")
    used_at: datetime | None = Field(default=None, sa_column=_ts())


class FundDue(SQLModel, table=True):
    """One member's contribution for one Jalali month (made on the due day by the dues job)."""

    __tablename__ = "fund_dues"
    __table_args__ = (UniqueConstraint("member_id", "period"), Index("ix_fund_dues_fund_period", "fund_id", "period"))

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="funds.id")
    member_id: int = Field(foreign_key="fund_members.id", index=True)
    period: int  # Jalali year*100 + month, e.g. 140509
    amount: int
    due_at: datetime = Field(sa_column=_ts(nullable=False))
    status: str = Field(default="due", max_length=16)  # FundDueStatus
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))


class FundLoan(SQLModel, table=True):
    __tablename__ = "fund_loans"
    __table_args__ = (
        CheckConstraint("amount > 0", name="ck_fund_loans_amount"),
        # Nobody guarantees their own loan; two different staff approve, neither of them the borrower.
        CheckConstraint("guarantor_id IS NULL OR guarantor_id <> borrower_id", name="ck_fund_loans_guarantor"),
        CheckConstraint("approved_by_two IS NULL OR approved_by_two <> approved_by_one", name="ck_fund_loans_two_approvers"),
        CheckConstraint("approved_by_one IS NULL OR approved_by_one <> borrower_id", name="ck_fund_loans_approver_one"),
        CheckConstraint("approved_by_two IS NULL OR approved_by_two <> borrower_id", name="ck_fund_loans_approver_two"),
        Index("ix_fund_loans_fund_status", "fund_id", "status"),
        Index("uq_fund_loans_request_key", "request_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="funds.id")
    member_id: int = Field(foreign_key="fund_members.id", index=True)
    borrower_id: int = Field(foreign_key="users.id")
    loan_type_id: int = Field(foreign_key="fund_loan_types.id")
    amount: int
    instalments: int
    reason: str = Field(max_length=300)
    guarantor_id: int | None = Field(default=None, foreign_key="users.id")
    # FundLoanStatus: guarantor, approval, queued, paid_out, closed, refused
    status: str = Field(default="approval", max_length=16)
    approved_by_one: int | None = Field(default=None, foreign_key="users.id")
    approved_by_two: int | None = Field(default=None, foreign_key="users.id")
    queued_at: datetime | None = Field(default=None, sa_column=_ts())
    draw_id: int | None = Field(default=None, foreign_key="fund_draws.id")
    # A supporter (حامی) who funds this loan; its notices wait for supporters (issue 13).
    supporter_id: int | None = Field(default=None, foreign_key="users.id")
    paid_out_at: datetime | None = Field(default=None, sa_column=_ts())
    closed_at: datetime | None = Field(default=None, sa_column=_ts())
    requested_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    request_key: str | None = Field(default=None, max_length=40)


class FundInstalment(SQLModel, table=True):
    __tablename__ = "fund_instalments"
    __table_args__ = (UniqueConstraint("loan_id", "number"), Index("ix_fund_instalments_status_due", "status", "due_at"))

    id: int | None = Field(default=None, primary_key=True)
    loan_id: int = Field(foreign_key="fund_loans.id", index=True)
    number: int  # 1 … loan.instalments
    amount: int
    due_at: datetime = Field(sa_column=_ts(nullable=False))
    status: str = Field(default="due", max_length=16)  # FundDueStatus


class FundDraw(SQLModel, table=True):
    """A draw: its seed is chosen and its hash published before the entrants are drawn."""

    __tablename__ = "fund_draws"

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="funds.id", index=True)
    seed: str = Field(max_length=64)  # hex; shown only when the draw is made
    seed_hash: str = Field(max_length=64)  # sha256(seed) hex, published at the announcement
    entrants: str = Field(sa_column=Column(Text, nullable=False))  # JSON list of loan ids, as announced
    status: str = Field(default="announced", max_length=16)  # FundDrawStatus
    announced_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    drawn_at: datetime | None = Field(default=None, sa_column=_ts())
    order: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # JSON list, the result


class FundClaim(SQLModel, table=True):
    """Money someone says was paid, waiting for a confirmer other than the payer."""

    __tablename__ = "fund_claims"
    __table_args__ = (
        CheckConstraint("decided_by IS NULL OR decided_by <> payer_id", name="ck_fund_claims_other_confirmer"),
        _partial_unique("uq_fund_claims_pending_due", "due_id", "status = 'pending' AND due_id IS NOT NULL"),
        _partial_unique("uq_fund_claims_pending_instalment", "instalment_id",
                        "status = 'pending' AND instalment_id IS NOT NULL"),
        _partial_unique("uq_fund_claims_pending_loan", "loan_id", "status = 'pending' AND kind = 'payout'"),
        Index("ix_fund_claims_fund_status", "fund_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="funds.id")
    kind: str = Field(max_length=16)  # contribution, instalment, payout (FundEntryKind)
    member_id: int = Field(foreign_key="fund_members.id")
    payer_id: int = Field(foreign_key="users.id")  # whose money moved (the borrower, for a payout)
    claimed_by: int = Field(foreign_key="users.id")
    amount: int
    due_id: int | None = Field(default=None, foreign_key="fund_dues.id")
    instalment_id: int | None = Field(default=None, foreign_key="fund_instalments.id")
    loan_id: int | None = Field(default=None, foreign_key="fund_loans.id")
    receipt_file_id: str | None = Field(default=None, max_length=200)
    status: str = Field(default="pending", max_length=16)  # FundClaimStatus
    decided_by: int | None = Field(default=None, foreign_key="users.id")
    decided_at: datetime | None = Field(default=None, sa_column=_ts())
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))


class FundEntry(SQLModel, table=True):
    """One line of the ledger. Append-only; amount > 0 comes in, < 0 goes out."""

    __tablename__ = "fund_entries"
    __table_args__ = (
        CheckConstraint(FUND_ENTRY_KINDS, name="ck_fund_entries_kind"),
        CheckConstraint("amount <> 0", name="ck_fund_entries_amount"),
        CheckConstraint("kind NOT IN ('contribution', 'instalment') OR amount > 0", name="ck_fund_entries_sign_in"),
        CheckConstraint("kind <> 'payout' OR amount < 0", name="ck_fund_entries_sign_out"),
        # The two-person rule: whoever confirms is not the person whose money it is.
        CheckConstraint("confirmed_by <> person_id", name="ck_fund_entries_other_confirmer"),
        CheckConstraint("(kind = 'correction') = (corrects_id IS NOT NULL)", name="ck_fund_entries_correction"),
        # At most one entry for a month's contribution, an instalment, a loan's payout.
        _partial_unique("uq_fund_entries_due", "due_id", "kind = 'contribution'"),
        _partial_unique("uq_fund_entries_instalment", "instalment_id", "kind = 'instalment'"),
        _partial_unique("uq_fund_entries_payout", "loan_id", "kind = 'payout'"),
        Index("ix_fund_entries_fund_at", "fund_id", "at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    fund_id: int = Field(foreign_key="funds.id")
    kind: str = Field(max_length=16)  # FundEntryKind
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))
    member_id: int | None = Field(default=None, foreign_key="fund_members.id", index=True)
    person_id: int = Field(foreign_key="users.id")  # whose money: the payer, or the borrower of a payout
    confirmed_by: int = Field(foreign_key="users.id")
    claim_id: int | None = Field(default=None, foreign_key="fund_claims.id")
    due_id: int | None = Field(default=None, foreign_key="fund_dues.id")
    instalment_id: int | None = Field(default=None, foreign_key="fund_instalments.id")
    loan_id: int | None = Field(default=None, foreign_key="fund_loans.id")
    corrects_id: int | None = Field(default=None, foreign_key="fund_entries.id")
    note: str | None = Field(default=None, max_length=300)
    at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))


# --- conversation persistence (bot/ptb/persistence.py) -------------------------------------


class ConversationState(SQLModel, table=True):
    __tablename__ = "conversation_states"

    platform: str = Field(primary_key=True, max_length=16)
    name: str = Field(primary_key=True, max_length=48)
    key: str = Field(primary_key=True, max_length=64)  # JSON of PTB's key tuple
    state: str = Field(sa_column=Column(Text, nullable=False))  # JSON


class UserData(SQLModel, table=True):
    __tablename__ = "user_data"

    platform: str = Field(primary_key=True, max_length=16)
    user_id: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    data: str = Field(sa_column=Column(Text, nullable=False))  # JSON


# --- several instances (bot/instances/, docs/instances.md) -------------------------------------

# An inbox row is open while it waits or is being handled; the partial indexes hold only those.
INBOX_OPEN = "status IN ('pending', 'claimed')"


class InboxUpdate(SQLModel, table=True):
    """One update as received (webhook or getUpdates), kept until it has been handled.

    The unique (platform, update_id) makes a redelivered update a no-op; workers in every
    instance claim open rows, a user's strictly one at a time in update_id order
    (bot/instances/inbox.py).
    """

    __tablename__ = "inbox_updates"
    __table_args__ = (
        UniqueConstraint("platform", "update_id", name="uq_inbox_platform_update"),
        Index("ix_inbox_open", "id", postgresql_where=text(INBOX_OPEN), sqlite_where=text(INBOX_OPEN)),
        Index("ix_inbox_user_open", "platform", "user_key", "update_id",
              postgresql_where=text(INBOX_OPEN), sqlite_where=text(INBOX_OPEN)),
        Index("ix_inbox_done_at", "done_at"),
    )

    id: int | None = Field(
        default=None, sa_column=Column(BigInteger().with_variant(Integer(), "sqlite"), primary_key=True)
    )
    platform: str = Field(max_length=16)
    update_id: int = Field(sa_column=Column(BigInteger, nullable=False))
    # The sender (or chat) whose updates must be handled in order; None: no order to keep.
    user_key: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))
    payload: str = Field(sa_column=Column(Text, nullable=False))  # the update's JSON, as received
    status: str = Field(default="pending", max_length=16)  # pending, claimed, done, failed
    attempts: int = Field(default=0)
    claimed_by: str | None = Field(default=None, max_length=40)  # the instance handling it
    lease_until: datetime | None = Field(default=None, sa_column=_ts())
    received_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=_ts())
    error: str | None = Field(default=None, max_length=300)


class SendPace(SQLModel, table=True):
    """The next free send slot per platform, shared by every instance on PostgreSQL, so the
    platform's rate (SEND_RATE) holds for the bot, not per process (bot/instances/pace.py)."""

    __tablename__ = "send_pace"

    platform: str = Field(primary_key=True, max_length=16)
    next_at: float = Field(default=0.0)  # seconds since the epoch, by the database's clock
