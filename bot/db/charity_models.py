"""Tables of charitable campaigns (issue 13, docs/charity.md; migration 0008).

A help campaign is a Campaign row of kind «help» (its title, description and request_key),
with one HelpCampaign row (deadline, reminder, close) and its needs; people pledge to needs.
Amounts are whole numbers: toman for money, half units for goods and work («۲ روز و نیم» → 5),
so a half day is counted exactly; NEED_SCALE says which.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from bot.db.enums import NeedSort
from bot.db.models import _now, _ts

# Stored units per shown unit: toman are whole, goods and work are counted in halves.
NEED_SCALE = {NeedSort.MONEY: 1, NeedSort.GOODS: 2, NeedSort.WORK: 2}

_LIVE_PLEDGE = "status IN ('promised', 'reported', 'delivered')"


class HelpCampaign(SQLModel, table=True):
    """What a help campaign has besides its Campaign row."""

    __tablename__ = "help_campaigns"

    campaign_id: int = Field(foreign_key="campaigns.id", primary_key=True)
    deadline: datetime | None = Field(default=None, sa_column=_ts(index=True))
    # Set in the transaction that writes the reminder's deliveries: the reminder is due once.
    reminded_at: datetime | None = Field(default=None, sa_column=_ts())
    # No new pledges from then on; the final report and the thank-you are written with it.
    closed_at: datetime | None = Field(default=None, sa_column=_ts())


class HelpNeed(SQLModel, table=True):
    __tablename__ = "help_needs"

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    position: int = Field(default=0)
    sort: str = Field(max_length=8)  # NeedSort
    name: str | None = Field(default=None, max_length=48)  # goods: «برنج»
    unit: str | None = Field(default=None, max_length=24)  # goods: «کیسه»
    target: int | None = Field(default=None, sa_column=Column(BigInteger, nullable=True))  # stored units


class Pledge(SQLModel, table=True):
    """One person's promise to one need; at most one live per person and need."""

    __tablename__ = "pledges"
    __table_args__ = (
        Index("uq_pledges_live", "need_id", "user_id", unique=True,
              sqlite_where=text(_LIVE_PLEDGE), postgresql_where=text(_LIVE_PLEDGE)),
        Index("ix_pledges_campaign_status", "campaign_id", "status"),
        CheckConstraint("amount > 0", name="ck_pledges_amount_positive"),
        # No one confirms their own gift as received (docs/charity.md).
        CheckConstraint("confirmed_by IS NULL OR confirmed_by <> user_id", name="ck_pledges_confirmer_not_giver"),
    )

    id: int | None = Field(default=None, primary_key=True)
    need_id: int = Field(foreign_key="help_needs.id")
    campaign_id: int = Field(foreign_key="campaigns.id")
    user_id: int = Field(foreign_key="users.id", index=True)
    amount: int = Field(sa_column=Column(BigInteger, nullable=False))  # stored units (NEED_SCALE)
    note: str | None = Field(default=None, max_length=200)
    anonymous: bool = Field(default=False)
    status: str = Field(default="promised", max_length=12)  # PledgeStatus
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    changed_at: datetime | None = Field(default=None, sa_column=_ts())
    reported_at: datetime | None = Field(default=None, sa_column=_ts())
    confirmed_by: int | None = Field(default=None, foreign_key="users.id")
    confirmed_at: datetime | None = Field(default=None, sa_column=_ts())


class Attendance(SQLModel, table=True):
    """Who came to a gathering, marked by its leader or assistant after the start (a row per
    person who came; untoggling deletes it)."""

    __tablename__ = "campaign_attendance"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id", name="uq_attendance_campaign_user"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="campaigns.id", index=True)
    user_id: int = Field(foreign_key="users.id")
    marked_by: int = Field(foreign_key="users.id")
    marked_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))


class SupporterInvitation(SQLModel, table=True):
    """A one-time link a leader gives someone outside the center to become its supporter (حامی)."""

    __tablename__ = "supporter_invitations"

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=40, unique=True, index=True)
    center_id: int = Field(foreign_key="centers.id", index=True)
    created_by: int = Field(foreign_key="users.id")
    status: str = Field(default="open", max_length=16)  # InvitationStatus
    created_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
    expires_at: datetime = Field(sa_column=_ts(nullable=False))
    used_by: int | None = Field(default=None, foreign_key="users.id")
    used_at: datetime | None = Field(default=None, sa_column=_ts())


class Supporter(SQLModel, table=True):
    """A person backing a center from outside: not a member; receives its help campaigns and
    their final reports, and may pledge. A person may support several centers."""

    __tablename__ = "supporters"
    __table_args__ = (UniqueConstraint("center_id", "user_id", name="uq_supporters_center_user"),)

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="centers.id", index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    invitation_id: int | None = Field(default=None, foreign_key="supporter_invitations.id")
    joined_at: datetime = Field(default_factory=_now, sa_column=_ts(nullable=False))
