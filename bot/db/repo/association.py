"""Queries for the association's view of every center: figures, the weekly series, the export,
a center's recent actions, announcement audiences.

`org_id` narrows a query to the centers whose facilitator belongs to that facilitation
organisation (None: every center). Queries aggregate in the database (GROUP BY, SUM(CASE…)),
so they stay one round trip at 100,000 centers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select as sa_select, text, true, union, update
from sqlalchemy.orm import Mapped
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.centers_file_query import centers_file_sql, centers_file_values
from bot.db.repo import select_many
from bot.db.enums import CampaignKind, CenterStatus, DeliveryStatus, MembershipStatus, Purpose
from bot.db.models import (
    AuditEvent, Campaign, CampaignAnswer, Center, Delivery, FacilitationOrg, Facilitator, LeaderAnnouncement,
    Membership, User,
)

LIVE = (CenterStatus.AWAITING_ASSISTANT, CenterStatus.ACTIVE, CenterStatus.SUSPENDED)
# A center counts in the weekly series from its activation while it is active or suspended.
COUNTED = (CenterStatus.ACTIVE, CenterStatus.SUSPENDED)
# Memberships that were approved at some time (the series reads when they began and ended).
APPROVED = (MembershipStatus.ACTIVE, MembershipStatus.LEFT, MembershipStatus.REMOVED)
# The export counts each center's members and pending requests.
EXPORT_COUNTED = (MembershipStatus.ACTIVE, MembershipStatus.PENDING)


def _in_org(org_id: int | None) -> ColumnElement[bool]:
    """A WHERE clause on Center for one organisation's centers (TRUE for all)."""
    if org_id is None:
        return true()
    members = sa_select(col(Facilitator.user_id)).where(col(Facilitator.org_id) == org_id)
    return col(Center.facilitator_id).in_(members)


# --- figures ------------------------------------------------------------------------------------


async def centers_by_status_and_kind(session: AsyncSession, org_id: int | None) -> list[tuple[str, str, int]]:
    query = (
        select(col(Center.status), col(Center.kind), func.count())
        .where(col(Center.status).in_(LIVE), _in_org(org_id))
        .group_by(col(Center.status), col(Center.kind))
    )
    return [(status, kind, n) for status, kind, n in (await session.exec(query)).all()]


async def members_by_platform(session: AsyncSession, org_id: int | None) -> dict[str, int]:
    query = (
        select(col(User.platform), func.count())
        .select_from(Membership)
        .join(User, col(User.id) == Membership.user_id)
        .join(Center, col(Center.id) == Membership.center_id)
        .where(Membership.status == MembershipStatus.ACTIVE, _in_org(org_id))
        .group_by(col(User.platform))
    )
    return {platform: n for platform, n in (await session.exec(query)).all()}


async def waiting_requests(session: AsyncSession, org_id: int | None) -> tuple[int, datetime | None]:
    """Join requests waiting in active centers, and when the oldest of them was made."""
    query = (
        select(func.count(), func.min(Membership.requested_at))
        .select_from(Membership)
        .join(Center, col(Center.id) == Membership.center_id)
        .where(Membership.status == MembershipStatus.PENDING, Center.status == CenterStatus.ACTIVE, _in_org(org_id))
    )
    count, oldest = (await session.exec(query)).one()
    return count, oldest


async def without_assistant(session: AsyncSession, org_id: int | None) -> int:
    query = select(func.count()).select_from(Center).where(
        col(Center.status).in_(LIVE), col(Center.assistant_id).is_(None), _in_org(org_id),
    )
    return (await session.exec(query)).one()


async def campaigns_since(session: AsyncSession, since: datetime, org_id: int | None) -> tuple[int, int, int]:
    """(campaign calls made since `since`, calls delivered, answers given) in scope."""
    campaign_ids = (
        sa_select(col(Campaign.id))
        .join(Center, col(Center.id) == Campaign.center_id)
        .where(col(Campaign.kind) == CampaignKind.CAMPAIGN, col(Campaign.created_at) >= since, _in_org(org_id))
    )
    made = (await session.exec(select(func.count()).select_from(campaign_ids.subquery()))).one()
    delivered = (await session.exec(select(func.count()).select_from(Delivery).where(
        Delivery.purpose == Purpose.CAMPAIGN_CALL, Delivery.status == DeliveryStatus.SENT,
        col(Delivery.ref_id).in_(campaign_ids),
    ))).one()
    answered = (await session.exec(select(func.count()).select_from(CampaignAnswer).where(
        col(CampaignAnswer.answer).is_not(None), col(CampaignAnswer.campaign_id).in_(campaign_ids),
    ))).one()
    return made, delivered, answered


@dataclass(frozen=True)
class Point:
    """The number of centers and members at one moment."""

    at: datetime
    centers: int
    members: int


async def series(session: AsyncSession, moments: Sequence[datetime], org_id: int | None) -> list[Point]:
    """Centers (activated, now active or suspended) and members (approved and not yet gone) at
    each moment: one query for each, a SUM(CASE…) column per moment.

    The admin's figures read their totals from this same query (the last moment is "now"),
    so the chart and the text cannot disagree.
    """
    if not moments:
        return []
    center_columns = [
        func.sum(case((col(Center.activated_at) <= moment, 1), else_=0)) for moment in moments
    ]
    centers = (await session.exec(
        select_many(*center_columns).where(col(Center.status).in_(COUNTED), _in_org(org_id))
    )).one()
    member_columns = [
        func.sum(case((and_(
            col(Membership.decided_at) <= moment,
            or_(col(Membership.ended_at).is_(None), col(Membership.ended_at) > moment),
        ), 1), else_=0))
        for moment in moments
    ]
    members = (await session.exec(
        select_many(*member_columns)
        .select_from(Membership)
        .join(Center, col(Center.id) == Membership.center_id)
        .where(col(Membership.status).in_(APPROVED), col(Membership.decided_at).is_not(None), _in_org(org_id))
    )).one()
    return [
        Point(moment, int(centers[i] or 0), int(members[i] or 0)) for i, moment in enumerate(moments)
    ]


# --- organisations ------------------------------------------------------------------------------


async def orgs(session: AsyncSession) -> list[FacilitationOrg]:
    return list((await session.exec(select(FacilitationOrg).order_by(FacilitationOrg.name))).all())


async def org_by_id(session: AsyncSession, org_id: int) -> FacilitationOrg | None:
    return await session.get(FacilitationOrg, org_id)


async def org_by_key(session: AsyncSession, name_key: str) -> FacilitationOrg | None:
    return (await session.exec(select(FacilitationOrg).where(FacilitationOrg.name_key == name_key))).first()


# --- finding centers ---------------------------------------------------------------------------


def _contains(column: Mapped[str | None], key: str) -> ColumnElement[bool]:
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return column.like(pattern, escape="\\")


async def live_in_area(session: AsyncSession, area_key: str, statuses: Sequence[str] = LIVE) -> list[Center]:
    """Centers whose folded area contains `area_key`, by name."""
    query = (
        select(Center)
        .where(_contains(col(Center.area_key), area_key), col(Center.status).in_(statuses))
        .order_by(col(Center.name), col(Center.id))
    )
    return list((await session.exec(query)).all())


async def by_codes(session: AsyncSession, codes: Sequence[int]) -> list[Center]:
    if not codes:
        return []
    query = select(Center).where(col(Center.code).in_(list(codes)), col(Center.status).in_(LIVE))
    return list((await session.exec(query.order_by(col(Center.name), col(Center.id)))).all())


async def by_ids(session: AsyncSession, center_ids: Sequence[int]) -> list[Center]:
    if not center_ids:
        return []
    query = select(Center).where(col(Center.id).in_(list(center_ids)))
    return list((await session.exec(query.order_by(col(Center.name), col(Center.id)))).all())


# --- one center -------------------------------------------------------------------------------


async def oldest_pending(session: AsyncSession, center_id: int) -> datetime | None:
    query = (
        select(Membership.requested_at)
        .where(Membership.center_id == center_id, Membership.status == MembershipStatus.PENDING)
        .order_by(col(Membership.requested_at)).limit(1)
    )
    return (await session.exec(query)).first()


async def campaigns_count(session: AsyncSession, center_id: int) -> tuple[int, datetime | None]:
    query = select(func.count(), func.max(Campaign.created_at)).where(Campaign.center_id == center_id)
    count, last = (await session.exec(query)).one()
    return count, last


# Members' own answers and mutes are not actions on the center: left out of its recent actions.
_QUIET_ACTIONS = ("campaign.answered", "campaign.muted", "campaign.unmuted")


async def recent_actions(session: AsyncSession, center_id: int, limit: int) -> list[AuditEvent]:
    """The center's last actions: on the center itself, its memberships and its campaigns."""
    entity, entity_id = col(AuditEvent.entity), col(AuditEvent.entity_id)
    on_center = sa_select(col(AuditEvent.id)).where(entity == "center", entity_id == center_id)
    on_memberships = sa_select(col(AuditEvent.id)).join(
        Membership, and_(entity == "membership", entity_id == Membership.id),
    ).where(col(Membership.center_id) == center_id)
    on_campaigns = sa_select(col(AuditEvent.id)).join(
        Campaign, and_(entity == "campaign", entity_id == Campaign.id),
    ).where(col(Campaign.center_id) == center_id, col(AuditEvent.action).not_in(_QUIET_ACTIONS))
    ids = union(on_center, on_memberships, on_campaigns).subquery()
    query = (
        select(AuditEvent).where(col(AuditEvent.id).in_(sa_select(ids.c.id)))
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc()).limit(limit)
    )
    return list((await session.exec(query)).all())


# --- the export ---------------------------------------------------------------------------------


async def export_rows(session: AsyncSession, batch: int) -> AsyncIterator[Sequence[Sequence[Any]]]:
    """Every live center with its people and counts (bot/db/centers_file_query.py, the export
    worker's query too), `batch` plain rows at a time from an open cursor, as the driver gives them."""
    values = centers_file_values(LIVE, *EXPORT_COUNTED)
    query = text(centers_file_sql(lambda i: f":value{i}", len(LIVE)))
    result = await (await session.connection()).stream(query, {f"value{i}": value for i, value in enumerate(values)})
    async for rows in result.partitions(batch):
        yield rows


# --- announcements to leaders -----------------------------------------------------------------


async def leaders_and_assistants(
    session: AsyncSession, org_id: int | None = None, area_key: str | None = None,
) -> set[int]:
    """Every leader and assistant of an active center in scope, each once."""
    where = [col(Center.status) == CenterStatus.ACTIVE, _in_org(org_id)]
    if area_key:
        where.append(_contains(col(Center.area_key), area_key))
    people = union(
        sa_select(col(Center.leader_id).label("user_id")).where(*where),
        sa_select(col(Center.assistant_id).label("user_id")).where(*where, col(Center.assistant_id).is_not(None)),
    ).subquery()
    return set((await session.exec(select(people.c.user_id))).all())


async def announcement_by_id(session: AsyncSession, announcement_id: int) -> LeaderAnnouncement | None:
    return await session.get(LeaderAnnouncement, announcement_id, populate_existing=True)


async def announcement_by_key(session: AsyncSession, request_key: str) -> LeaderAnnouncement | None:
    query = select(LeaderAnnouncement).where(LeaderAnnouncement.request_key == request_key)
    return (await session.exec(query)).first()


async def set_announcement(session: AsyncSession, announcement_id: int, **values: object) -> None:
    await session.exec(
        update(LeaderAnnouncement).where(col(LeaderAnnouncement.id) == announcement_id).values(**values)
    )
