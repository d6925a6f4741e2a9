"""Attendance of a gathering (issue 13): after its start, its leader or assistant marks who
of those who said «شرکت می‌کنم» came, one tap per person; the report shows came / said yes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.charity_models import Attendance
from bot.db.enums import CampaignKind, CampaignStatus
from bot.db.models import Campaign
from bot.db.repo import charity as repo
from bot.db.repo import users as users_repo
from bot.services.campaigns import CampaignError, audit, has_started, viewable_campaign
from bot.services.charity import display_name


@dataclass
class AttendanceList:
    campaign: Campaign
    people: list[tuple[int, str]]  # (user id, name) of those who said yes, by name
    came: set[int]


async def _markable(session: AsyncSession, campaign_id: int, viewer_id: int, now: datetime) -> Campaign:
    campaign, _ = await viewable_campaign(session, campaign_id, viewer_id)  # the leader or assistant
    if campaign.kind != CampaignKind.CAMPAIGN or campaign.status == CampaignStatus.CANCELLED:
        raise CampaignError("not_campaign")
    if not has_started(campaign, now):
        raise CampaignError("not_started")
    return campaign


async def attendance(session: AsyncSession, campaign_id: int, viewer_id: int, now: datetime) -> AttendanceList:
    campaign = await _markable(session, campaign_id, viewer_id, now)
    ids = await repo.said_yes(session, campaign_id)
    users = await users_repo.by_ids(session, ids)
    # By name, so the leader finds a person in a long list.
    people = sorted(((uid, display_name(users.get(uid))) for uid in ids), key=lambda pair: (pair[1], pair[0]))
    return AttendanceList(campaign, people, await repo.came(session, campaign_id))


async def toggle(session: AsyncSession, campaign_id: int, member_id: int, viewer_id: int, now: datetime) -> AttendanceList:
    """Came ⇄ not marked, for one who said yes."""
    await _markable(session, campaign_id, viewer_id, now)
    if member_id not in await repo.said_yes(session, campaign_id):
        raise CampaignError("not_found")
    row = await repo.attendance_of(session, campaign_id, member_id)
    if row is None:
        session.add(Attendance(campaign_id=campaign_id, user_id=member_id, marked_by=viewer_id, marked_at=now))
    else:
        await session.delete(row)
    audit(session, viewer_id, "campaign.came" if row is None else "campaign.came_undone", campaign_id, now,
          member=member_id)
    await session.flush()
    return await attendance(session, campaign_id, viewer_id, now)
