"""Campaigns and announcements: one function per thing a person does (docs/campaigns.md).

Each opens one unit of work, lets the rules (bot/services/campaigns.py) write what they
decide, and once that is committed does every follow-up: the leader's report message, the
sending (bot/sending/broadcast.py), the reminders' jobs (bot/jobs/reminders.py). A rule's
refusal is raised as CampaignError, with nothing written; the handler renders it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from telegram.error import TelegramError

from bot.db.enums import Answer, CampaignKind, Purpose
from bot.db.models import Campaign, User
from bot.deps import Deps
from bot.jobs import reminders
from bot.platforms import Platform
from bot.sending import broadcast
from bot.services import broadcasts as bookkeeping
from bot.services import campaigns as service
from bot.services.campaigns import Cancelled, Created, Moved, id_of
from bot.views import campaigns as views

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CampaignDraft:
    """What the creation conversation gathered; `key` is made when the draft starts."""

    title: str
    body: str
    starts_at: datetime
    place: str | None
    offsets: list[int]
    key: str | None = None
    to_supporters: bool = False  # the leader chose to reach the center's supporters too


@dataclass(frozen=True)
class Sent:
    campaign: Campaign
    recipients: int
    # The same draft's «ارسال» came again (a double tap, a redelivery after a crash): the
    # campaign it made the first time; nothing was written or sent again.
    already: bool = False


# --- creating ------------------------------------------------------------------------------------


async def create_campaign(deps: Deps, actor: User, draft: CampaignDraft) -> Sent:
    """The campaign, its deliveries and reminders in one commit; then the leader's report,
    the reminders' jobs and the sending."""
    created = await _create(deps, actor, draft.key, CampaignKind.CAMPAIGN, draft.body, title=draft.title,
                            starts_at=draft.starts_at, place=draft.place, offsets=draft.offsets,
                            to_supporters=draft.to_supporters)
    if not created.already:
        for reminder in created.reminders:
            reminders.arm(deps, reminder)
        await _start_sending(deps, actor, created.campaign)
    return Sent(created.campaign, created.recipients, created.already)


async def send_announcement(deps: Deps, actor: User, body: str, key: str | None = None,
                            to_supporters: bool = False) -> Sent:
    """An announcement to every member (and the supporters if chosen), as a campaign without
    time, answers or reminders."""
    created = await _create(deps, actor, key, CampaignKind.ANNOUNCEMENT, body, to_supporters=to_supporters)
    if not created.already:
        await _start_sending(deps, actor, created.campaign)
    return Sent(created.campaign, created.recipients, created.already)


async def _create(
    deps: Deps, actor: User, key: str | None, kind: CampaignKind, body: str, *, title: str | None = None,
    starts_at: datetime | None = None, place: str | None = None, offsets: list[int] | None = None,
    to_supporters: bool = False,
) -> Created:
    try:
        async with deps.unit() as session:
            return await service.create(
                session, creator_id=id_of(actor), kind=kind, body=body, now=deps.clock(), title=title,
                starts_at=starts_at, place=place, offsets=offsets, request_key=key, to_supporters=to_supporters,
            )
    except IntegrityError:
        # The same draft sent twice at the same moment: the other one made it (the unique key).
        if key is None:
            raise
        async with deps.unit() as session:
            made = await service.made_with(session, key, id_of(actor))
        if made is None:
            raise
        return made


async def _start_sending(deps: Deps, actor: User, campaign: Campaign) -> None:
    """Tell the leader, post the report they will watch (before any send, so it starts at
    zero), then send in the background."""
    campaign_id = id_of(campaign)
    messenger = deps.messengers.get(Platform(actor.platform))
    if messenger is not None:
        text, markup = views.sending_started(campaign.kind)
        try:
            await messenger.send(actor.platform_user_id, text, markup)
        except TelegramError as exc:  # the sending goes ahead; the report says how it goes
            log.info("could not tell %s that campaign %s is being sent: %s", id_of(actor), campaign_id, exc)
    await broadcast.refresh_report(deps, campaign_id)  # there is none yet: this posts it
    broadcast.start(deps, Purpose.CAMPAIGN_CALL, campaign_id)


# --- members' answers -------------------------------------------------------------------------


@dataclass(frozen=True)
class Answered:
    answer: str | None
    muted: bool
    changed: bool


async def answer_campaign(deps: Deps, actor: User, campaign_id: int, choice: Answer) -> Answered:
    """«شرکت می‌کنم» / «نمی‌توانم», changeable until the start; the report follows shortly."""
    async with deps.unit() as session:
        row, changed = await service.answer(session, campaign_id, id_of(actor), choice, deps.clock())
    broadcast.report_soon(deps, campaign_id)
    return Answered(row.answer, row.muted, changed)


async def mute_campaign(deps: Deps, actor: User, campaign_id: int) -> Answered:
    """The reminder switch of one campaign: off, or on again."""
    async with deps.unit() as session:
        row = await service.toggle_mute(session, campaign_id, id_of(actor), deps.clock())
    return Answered(row.answer, row.muted, True)


# --- the leader's report -----------------------------------------------------------------------


async def show_report(deps: Deps, actor: User, campaign_id: int) -> None:
    """A campaign's report, sent to its leader or assistant; the creator's live report moves
    to this newest copy (the figures are edited there from now on)."""
    async with deps.unit() as session:
        found = await service.report(session, campaign_id, id_of(actor))
    now = deps.clock()
    text, markup = views.report(found.campaign, found.figures, now, deps.settings.tz,
                                can_manage=found.center.leader_id == actor.id)
    message = await deps.messenger(actor.platform).send(actor.platform_user_id, text, markup)
    if found.campaign.created_by == actor.id:
        async with deps.unit() as session:
            await bookkeeping.set_report_message(session, campaign_id, message.message_id)


# --- cancelling and moving ---------------------------------------------------------------------


async def cancel_campaign(deps: Deps, actor: User, campaign_id: int) -> Cancelled:
    """Unsent calls skipped, reminders cancelled and disarmed, and those already told hear of it
    (once the sends in flight have landed, so they are told too)."""
    async with deps.unit() as session:
        done = await service.cancel(session, campaign_id, id_of(actor), deps.clock())
    reminders.disarm(deps, done.cancelled_reminders)
    broadcast.follow_up(deps, Purpose.CAMPAIGN_CANCEL, campaign_id, campaign_id)
    return done


async def move_campaign(deps: Deps, actor: User, campaign_id: int, starts_at: datetime) -> Moved:
    """A new start: reminders re-planned and re-armed, those already told get the new time, the
    rest of the call carries it, and the report shows it."""
    async with deps.unit() as session:
        moved = await service.reschedule(session, campaign_id, id_of(actor), starts_at, deps.clock())
    reminders.disarm(deps, moved.cancelled_reminders)
    for reminder in moved.reminders:
        reminders.arm(deps, reminder)
    broadcast.follow_up(deps, Purpose.CAMPAIGN_MOVED, moved.event_id, campaign_id)
    broadcast.report_soon(deps, campaign_id)
    return moved
