"""Campaigns (پویش) and announcements: the rules, over an AsyncSession (docs/campaigns.md).

Who may call, create, answer, mute, cancel and move; what a leader, an assistant or a member
may see, and the figures of a report. A service writes rows (campaign, pending deliveries,
reminders, audit) and flushes when it needs ids; the caller's unit of work commits them
together (bot/actions/campaigns.py), and then the sending starts. Firing reminders is
bot/services/reminders.py; a batch's bookkeeping while it is sent is bot/services/broadcasts.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Protocol

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import Answer, CampaignKind, CampaignStatus, CenterStatus, DeliveryStatus, Purpose
from bot.db.models import AuditEvent, Campaign, CampaignAnswer, Center, Reminder
from bot.db.repo import audit as audit_repo
from bot.db.repo import campaigns as repo
from bot.db.repo import centers as centers_repo
from bot.db.repo import charity as charity_repo
from bot.db.repo import deliveries as deliveries_repo
from bot.db.repo import memberships as memberships_repo
from bot.persian.dates import check_window
from bot.services.refusals import Refusal

TITLE_MAX, BODY_MAX, PLACE_MAX, ANNOUNCEMENT_MAX = 100, 1500, 200, 1500
# Minutes before the start: «یک روز قبل», «دو ساعت قبل», «هنگام شروع».
OFFSETS = (1440, 120, 0)
# What an audit event of this feature is about.
ENTITY = "campaign"


class CampaignError(Refusal):
    """A campaign rule said no; `code` picks «campaign-error-<code>»."""

    feature = "campaign"


class _Row(Protocol):
    id: int | None


def id_of(row: _Row) -> int:
    """The id of a row that has been flushed (or read): never None from here on."""
    assert row.id is not None, f"{type(row).__name__} has no id yet: flush it first"
    return row.id


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def has_started(campaign: Campaign, now: datetime) -> bool:
    return campaign.starts_at is not None and as_utc(campaign.starts_at) <= now


def audit(session: AsyncSession, actor_id: int | None, action: str, campaign_id: int, now: datetime,
          **details: object) -> AuditEvent:
    """An event about a campaign, written with the change it describes."""
    return audit_repo.add(session, actor_id, action, ENTITY, campaign_id, now, **details)


# --- who may do what ---------------------------------------------------------------------


async def leader_center(session: AsyncSession, user_id: int) -> Center:
    """The active center this person leads: only the leader calls campaigns and announcements."""
    center = await centers_repo.led_by(session, user_id)
    if center is None:
        if await centers_repo.assisted_by(session, user_id) is not None:
            raise CampaignError("assistant")
        raise CampaignError("no_center")
    if center.status != CenterStatus.ACTIVE:
        raise CampaignError("center_inactive", status=center.status)
    return center


async def _campaign_and_center(session: AsyncSession, campaign_id: int) -> tuple[Campaign, Center]:
    campaign = await repo.by_id(session, campaign_id)
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None:
        raise CampaignError("not_found")
    return campaign, center


async def _managed_campaign(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[Campaign, Center]:
    campaign, center = await _campaign_and_center(session, campaign_id)
    if center.leader_id != user_id:
        raise CampaignError("not_leader")
    return campaign, center


async def viewable_campaign(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[Campaign, Center]:
    """A campaign whose report this person may see: its center's leader or assistant."""
    campaign, center = await _campaign_and_center(session, campaign_id)
    if user_id not in (center.leader_id, center.assistant_id):
        raise CampaignError("not_leader")
    return campaign, center


async def audience(session: AsyncSession, center: Center, creator_id: int, to_supporters: bool = False) -> set[int]:
    """Who receives a center's calls: its active members, and the leader or assistant who
    did not write it; with `to_supporters`, its supporters (حامی) too (docs/charity.md)."""
    people = await repo.active_member_ids(session, id_of(center))
    people |= {uid for uid in (center.leader_id, center.assistant_id) if uid is not None}
    if to_supporters:
        people |= await charity_repo.supporter_ids(session, id_of(center))
    people.discard(creator_id)
    return people


async def supporters_besides(session: AsyncSession, center: Center, people: set[int]) -> set[int]:
    """The center's supporters a call to `people` would not reach unless the leader chooses so."""
    return await charity_repo.supporter_ids(session, id_of(center)) - people


async def sending_audience(session: AsyncSession, user_id: int) -> tuple[Center, set[int]]:
    """The center this person may call, and who would receive the call (read only)."""
    center = await leader_center(session, user_id)
    return center, await audience(session, center, user_id)


async def preview_audience(session: AsyncSession, user_id: int) -> tuple[Center, set[int], set[int]]:
    """For a preview: the center, who the call reaches, and the supporters it would reach only
    if the leader chooses so (read only)."""
    center, people = await sending_audience(session, user_id)
    return center, people, await supporters_besides(session, center, people)


# --- creating ----------------------------------------------------------------------------


def offsets_from(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().lstrip("-").isdigit()]


def reminder_plan(starts_at: datetime, offsets: list[int], now: datetime) -> list[tuple[int, datetime]]:
    """(offset, due) for the reminders still ahead; a reminder already due is left out."""
    plan = [(offset, starts_at - timedelta(minutes=offset)) for offset in sorted(set(offsets), reverse=True)]
    return [(offset, due) for offset, due in plan if due > now]


def _reminders(campaign_id: int, starts_at: datetime, offsets: list[int], now: datetime) -> list[Reminder]:
    return [Reminder(campaign_id=campaign_id, offset_minutes=offset, due_at=due)
            for offset, due in reminder_plan(starts_at, offsets, now)]


@dataclass
class Created:
    campaign: Campaign
    recipients: int
    reminders: list[Reminder] = field(default_factory=list)
    # True when a draft's «ارسال» came again (a double tap, a redelivery after a crash): the
    # campaign it made the first time, nothing new written.
    already: bool = False


async def made_with(session: AsyncSession, request_key: str, creator_id: int) -> Created | None:
    """What this person's draft with this key already made, if anything."""
    campaign = await repo.by_request_key(session, request_key)
    if campaign is None or campaign.created_by != creator_id:
        return None
    recipients = await deliveries_repo.existing_user_ids(session, Purpose.CAMPAIGN_CALL, id_of(campaign))
    return Created(campaign, len(recipients), already=True)


async def create(
    session: AsyncSession, *, creator_id: int, kind: CampaignKind | str, body: str, now: datetime,
    title: str | None = None, starts_at: datetime | None = None, place: str | None = None,
    offsets: list[int] | None = None, request_key: str | None = None, to_supporters: bool = False,
) -> Created:
    """The campaign, a pending delivery for each recipient and its reminders. A draft's key
    (`request_key`) makes a repeated «ارسال» find the campaign it already made. `to_supporters`:
    the leader chose to reach the center's supporters too (stored: the reminders follow it)."""
    if request_key is not None and (made := await made_with(session, request_key, creator_id)) is not None:
        return made
    kind = CampaignKind(kind)
    center = await leader_center(session, creator_id)
    if kind == CampaignKind.CAMPAIGN:
        if not title or starts_at is None:
            raise ValueError("a campaign needs a title and a start")
        problem = check_window(starts_at, now)
        if problem is not None:
            raise CampaignError(f"when_{problem.code}")
    offsets = [o for o in (offsets or []) if o in OFFSETS] if kind == CampaignKind.CAMPAIGN else []
    campaign = Campaign(
        center_id=id_of(center), created_by=creator_id, kind=kind, title=title, body=body,
        starts_at=starts_at, place=place or None, status=CampaignStatus.SENDING, created_at=now,
        reminder_offsets=",".join(str(o) for o in sorted(set(offsets), reverse=True)),
        request_key=request_key, to_supporters=to_supporters,
    )
    session.add(campaign)
    await session.flush()
    campaign_id = id_of(campaign)
    people = await audience(session, center, creator_id, to_supporters)
    await deliveries_repo.enqueue(session, Purpose.CAMPAIGN_CALL, campaign_id, people, now)
    reminders = _reminders(campaign_id, starts_at, offsets, now) if starts_at is not None else []
    session.add_all(reminders)
    audit(session, creator_id, f"{kind}.sent", campaign_id, now, recipients=len(people), center=campaign.center_id)
    await session.flush()  # the reminders' ids, for arming them
    return Created(campaign, len(people), reminders)


# --- answers -----------------------------------------------------------------------------


async def _received_call(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[Campaign, Center]:
    """A campaign (not an announcement) whose call this person was sent, not cancelled."""
    campaign = await repo.by_id(session, campaign_id)
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None or campaign.kind != CampaignKind.CAMPAIGN:
        raise CampaignError("not_found")
    if await deliveries_repo.of_user(session, Purpose.CAMPAIGN_CALL, campaign_id, user_id) is None:
        raise CampaignError("not_recipient")
    if campaign.status == CampaignStatus.CANCELLED:
        raise CampaignError("cancelled")
    return campaign, center


async def _answerable(session: AsyncSession, campaign_id: int, user_id: int, now: datetime) -> Campaign:
    campaign, _ = await _received_call(session, campaign_id, user_id)
    if has_started(campaign, now):
        raise CampaignError("started")
    return campaign


async def _answer_row(session: AsyncSession, campaign_id: int, user_id: int) -> CampaignAnswer:
    found = await repo.answer_of(session, campaign_id, user_id)
    return found or CampaignAnswer(campaign_id=campaign_id, user_id=user_id)


async def answer(
    session: AsyncSession, campaign_id: int, user_id: int, choice: Answer | str, now: datetime,
) -> tuple[CampaignAnswer, bool]:
    """Record «شرکت می‌کنم» (yes) or «نمی‌توانم» (no); a member may change it until the start.
    Returns the answer row and whether it changed."""
    choice = Answer(choice)
    await _answerable(session, campaign_id, user_id, now)
    row = await _answer_row(session, campaign_id, user_id)
    changed = row.answer != choice
    if changed:
        previous = row.answer
        row.answer, row.answered_at = choice, now
        session.add(row)
        audit(session, user_id, "campaign.answered", campaign_id, now, answer=choice, previous=previous)
        await session.flush()
    return row, changed


async def toggle_mute(session: AsyncSession, campaign_id: int, user_id: int, now: datetime) -> CampaignAnswer:
    await _answerable(session, campaign_id, user_id, now)
    row = await _answer_row(session, campaign_id, user_id)
    row.muted = not row.muted
    session.add(row)
    audit(session, user_id, "campaign.muted" if row.muted else "campaign.unmuted", campaign_id, now)
    await session.flush()
    return row


async def answer_state(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[str | None, bool]:
    row = await repo.answer_of(session, campaign_id, user_id)
    return (row.answer, row.muted) if row else (None, False)


async def call_for(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[Campaign, Center, str | None, bool]:
    """A call again, for a member who received it: (campaign, center, answer, muted)."""
    campaign, center = await _received_call(session, campaign_id, user_id)
    answer_, muted = await answer_state(session, campaign_id, user_id)
    return campaign, center, answer_, muted


# --- cancelling and moving ---------------------------------------------------------------


def _check_changeable(campaign: Campaign, now: datetime) -> None:
    if campaign.kind != CampaignKind.CAMPAIGN:
        raise CampaignError("not_campaign")
    if campaign.status == CampaignStatus.CANCELLED:
        raise CampaignError("cancelled")
    if has_started(campaign, now):
        raise CampaignError("started")


async def changeable_campaign(session: AsyncSession, campaign_id: int, user_id: int, now: datetime) -> Campaign:
    """The campaign, if this person may cancel it or move it now (its leader, before the start)."""
    campaign, _ = await _managed_campaign(session, campaign_id, user_id)
    _check_changeable(campaign, now)
    return campaign


async def reached(session: AsyncSession, campaign_id: int) -> set[int]:
    """Who the call has reached so far."""
    return await deliveries_repo.user_ids_with_status(session, Purpose.CAMPAIGN_CALL, campaign_id, DeliveryStatus.SENT)


async def reached_count(session: AsyncSession, campaign_id: int) -> int:
    return len(await reached(session, campaign_id))


@dataclass
class Cancelled:
    campaign: Campaign
    cancelled_reminders: list[int]
    notices: int


async def cancel(session: AsyncSession, campaign_id: int, user_id: int, now: datetime) -> Cancelled:
    """Stop the call: unsent calls are skipped, reminders cancelled, and everyone who was told
    gets a short notice (pending rows, purpose campaign_cancel)."""
    campaign, _ = await _managed_campaign(session, campaign_id, user_id)
    _check_changeable(campaign, now)
    live = (CampaignStatus.SENDING, CampaignStatus.SENT)
    if not await repo.set_status(session, campaign_id, live, CampaignStatus.CANCELLED, cancelled_at=now):
        raise CampaignError("cancelled")
    skipped = await deliveries_repo.skip_pending(session, Purpose.CAMPAIGN_CALL, campaign_id)
    reminder_ids = await repo.cancel_pending_reminders(session, campaign_id)
    told = await reached(session, campaign_id)
    notices = await deliveries_repo.enqueue(session, Purpose.CAMPAIGN_CANCEL, campaign_id, told, now)
    audit(session, user_id, "campaign.cancelled", campaign_id, now, unsent_skipped=skipped, notices=notices)
    await session.flush()
    await session.refresh(campaign)
    return Cancelled(campaign, reminder_ids, notices)


@dataclass
class Moved:
    campaign: Campaign
    previous: datetime
    event_id: int
    cancelled_reminders: list[int]
    reminders: list[Reminder]
    notices: int


async def reschedule(session: AsyncSession, campaign_id: int, user_id: int, starts_at: datetime, now: datetime) -> Moved:
    """A new start: reminders re-planned, and everyone who was told gets the new time
    (purpose campaign_moved, ref_id = this change's audit event, so each change is told once)."""
    campaign, _ = await _managed_campaign(session, campaign_id, user_id)
    _check_changeable(campaign, now)
    problem = check_window(starts_at, now)
    if problem is not None:
        raise CampaignError(f"when_{problem.code}")
    assert campaign.starts_at is not None
    previous = as_utc(campaign.starts_at)
    if previous == starts_at:
        raise CampaignError("same_time")
    campaign.starts_at = starts_at
    session.add(campaign)
    cancelled = await repo.cancel_pending_reminders(session, campaign_id)
    reminders = _reminders(campaign_id, starts_at, offsets_from(campaign.reminder_offsets), now)
    session.add_all(reminders)
    event = audit(session, user_id, "campaign.rescheduled", campaign_id, now,
                  previous=previous.isoformat(), starts_at=starts_at.isoformat())
    await session.flush()
    event_id = id_of(event)
    notices = await deliveries_repo.enqueue(session, Purpose.CAMPAIGN_MOVED, event_id, await reached(session, campaign_id), now)
    return Moved(campaign, previous, event_id, cancelled, reminders, notices)


async def move_event(session: AsyncSession, event_id: int) -> tuple[Campaign, datetime, datetime] | None:
    """(campaign, previous start, new start) of a reschedule, from its audit event."""
    event = await session.get(AuditEvent, event_id)
    if event is None or event.action != "campaign.rescheduled" or event.entity_id is None:
        return None
    campaign = await repo.by_id(session, event.entity_id)
    if campaign is None:
        return None
    details = json.loads(event.details or "{}")
    return campaign, datetime.fromisoformat(details["previous"]), datetime.fromisoformat(details["starts_at"])


# --- what the leader and the assistant see ---------------------------------------------------


@dataclass
class Figures:
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    pending: int = 0
    skipped: int = 0
    yes: int = 0
    no: int = 0
    came: int = 0  # marked present after the start (issue 13: attendance)

    @property
    def total(self) -> int:
        return self.sent + self.unreachable + self.failed + self.pending + self.skipped

    @property
    def no_answer(self) -> int:
        return max(self.sent - self.yes - self.no, 0)


async def figures(session: AsyncSession, campaign_ids: list[int]) -> dict[int, Figures]:
    deliveries = await deliveries_repo.counts(session, Purpose.CAMPAIGN_CALL, campaign_ids)
    answers = await repo.answer_counts(session, campaign_ids)
    came = await charity_repo.came_counts(session, campaign_ids)
    found = {}
    for cid in campaign_ids:
        by_status, by_answer = deliveries.get(cid, {}), answers.get(cid, {})
        found[cid] = Figures(
            sent=by_status.get(DeliveryStatus.SENT, 0), unreachable=by_status.get(DeliveryStatus.UNREACHABLE, 0),
            failed=by_status.get(DeliveryStatus.FAILED, 0),
            pending=by_status.get(DeliveryStatus.PENDING, 0) + by_status.get(DeliveryStatus.SENDING, 0),
            skipped=by_status.get(DeliveryStatus.SKIPPED, 0),
            yes=by_answer.get(Answer.YES, 0), no=by_answer.get(Answer.NO, 0), came=came.get(cid, 0),
        )
    return found


@dataclass
class Report:
    campaign: Campaign
    center: Center
    figures: Figures


async def report(session: AsyncSession, campaign_id: int, user_id: int) -> Report:
    """A campaign's report, for its center's leader or assistant."""
    campaign, center = await viewable_campaign(session, campaign_id, user_id)
    return Report(campaign, center, (await figures(session, [campaign_id]))[campaign_id])


@dataclass
class CenterList:
    """One page of a center's campaigns, for its leader or assistant."""

    center: Center
    campaigns: list[Campaign]
    figures: dict[int, Figures]
    total: int
    # Its leader, while the center is active: may send more (the list says how).
    may_send: bool


async def center_list(session: AsyncSession, user_id: int, page: int, per_page: int) -> CenterList | None:
    """The campaigns of the center this person leads or assists; None if they run none."""
    center = await centers_repo.run_by(session, user_id)
    if center is None:
        return None
    center_id = id_of(center)
    total = await repo.count_of_center(session, center_id)
    campaigns = await repo.of_center(session, center_id, per_page, page * per_page)
    found = await figures(session, [id_of(c) for c in campaigns])
    may_send = center.leader_id == user_id and center.status == CenterStatus.ACTIVE
    return CenterList(center, campaigns, found, total, may_send)


async def received_upcoming(session: AsyncSession, user_id: int, now: datetime) -> list[tuple[Campaign, CampaignAnswer | None]]:
    """The calls this member received whose start is still ahead (not cancelled), soonest first."""
    ids = await deliveries_repo.refs_received(session, Purpose.CAMPAIGN_CALL, user_id)
    found = []
    for campaign in await repo.by_ids(session, ids):
        if campaign.kind != CampaignKind.CAMPAIGN or campaign.status == CampaignStatus.CANCELLED:
            continue
        if campaign.starts_at is None or has_started(campaign, now):
            continue
        found.append((campaign, await repo.answer_of(session, id_of(campaign), user_id)))
    found.sort(key=lambda pair: as_utc(pair[0].starts_at or now))
    return found


@dataclass
class MemberList:
    """The calls ahead of a member."""

    is_member: bool
    upcoming: list[tuple[Campaign, CampaignAnswer | None]]


async def member_list(session: AsyncSession, user_id: int, now: datetime) -> MemberList:
    membership = await memberships_repo.active_for(session, user_id)
    return MemberList(membership is not None, await received_upcoming(session, user_id, now))
