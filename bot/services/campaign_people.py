"""«👥 چه کسانی می‌آیند؟» on a campaign's report: the names of those coming, not coming and
silent, a page at a time, for the center's leader and assistant only (names, never mobiles)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import Answer
from bot.db.models import Campaign, User
from bot.db.repo import campaign_people as repo
from bot.services.campaigns import viewable_campaign

PAGE_SIZE = 20


class Who(StrEnum):
    """Which list (the button data's letter)."""

    COMING = "y"
    NOT_COMING = "n"
    NO_ANSWER = "q"


@dataclass(frozen=True)
class People:
    campaign: Campaign
    who: Who
    page: int
    people: list[User]
    has_more: bool

    @property
    def first_number(self) -> int:
        return self.page * PAGE_SIZE + 1


async def people(session: AsyncSession, campaign_id: int, user_id: int, who: Who, page: int) -> People:
    """One page of one list; CampaignError("not_leader") for anyone but the center's staff."""
    campaign, _ = await viewable_campaign(session, campaign_id, user_id)
    offset, limit = page * PAGE_SIZE, PAGE_SIZE + 1  # one more tells whether a next page exists
    if who is Who.NO_ANSWER:
        found = await repo.not_answered(session, campaign_id, offset, limit)
    else:
        found = await repo.answered(session, campaign_id, Answer.YES if who is Who.COMING else Answer.NO, offset, limit)
    return People(campaign, who, page, found[:PAGE_SIZE], len(found) > PAGE_SIZE)
