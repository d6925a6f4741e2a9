"""Campaigns (پویش) and announcements: the rules, over an AsyncSession (docs/campaigns.md).

Nothing here sends: a service writes the rows (campaign, pending deliveries, reminders,
audit) in one transaction and returns; bot/sending/broadcast.py sends what is pending.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.persian.dates import check_window
from bot.db.models import AuditEvent, Campaign, CampaignAnswer, Center, Reminder
from bot.db.repo import campaigns as repo
from bot.db.repo import centers as centers_repo
from bot.db.repo import deliveries as deliveries_repo
from bot.services.refusals import Refusal

KIND_CAMPAIGN, KIND_ANNOUNCEMENT = "campaign", "announcement"
SENDING, SENT, CANCELLED = "sending", "sent", "cancelled"
YES, NO = "yes", "no"

# Delivery purposes; ref_id is the campaign, the reminder, or the reschedule's audit event.
P_CALL, P_REMINDER, P_CANCEL, P_MOVED = "campaign", "reminder", "campaign_cancel", "campaign_moved"

TITLE_MAX, BODY_MAX, PLACE_MAX, ANNOUNCEMENT_MAX = 100, 1500, 200, 1500
# Minutes before the start: «یک روز قبل», «دو ساعت قبل», «هنگام شروع».
OFFSETS = (1440, 120, 0)


class CampaignError(Refusal):
    """A campaign rule said no; `code` picks «campaign-error-<code>»."""

    feature = "campaign"


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything we store is UTC."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _audit(actor_id: int | None, action: str, entity_id: int | None, now: datetime, **details: object) -> AuditEvent:
    return AuditEvent(
        actor_id=actor_id, action=action, entity="campaign", entity_id=entity_id, at=now,
        details=json.dumps(details, ensure_ascii=False, default=str) if details else None,
    )


# --- who may do what ---------------------------------------------------------------------


async def leader_center(session: AsyncSession, user_id: int) -> Center:
    """The active center this person leads: only the leader calls campaigns and announcements."""
    center = await centers_repo.led_by(session, user_id)
    if center is None:
        if await centers_repo.assisted_by(session, user_id) is not None:
            raise CampaignError("assistant")
        raise CampaignError("no_center")
    if center.status != "active":
        raise CampaignError("center_inactive", status=center.status)
    return center


async def viewer_center(session: AsyncSession, user_id: int) -> Center:
    """The center whose campaigns this person may see with figures: its leader or assistant."""
    center = await centers_repo.run_by(session, user_id)
    if center is None:
        raise CampaignError("no_center")
    return center


async def _managed_campaign(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[Campaign, Center]:
    campaign = await repo.by_id(session, campaign_id)
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None:
        raise CampaignError("not_found")
    if center.leader_id != user_id:
        raise CampaignError("not_leader")
    return campaign, center


async def viewable_campaign(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[Campaign, Center]:
    campaign = await repo.by_id(session, campaign_id)
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None:
        raise CampaignError("not_found")
    if user_id not in (center.leader_id, center.assistant_id):
        raise CampaignError("not_leader")
    return campaign, center


async def audience(session: AsyncSession, center: Center, creator_id: int) -> set[int]:
    """Who receives a center's calls: its active members, and the leader or assistant who
    did not write it."""
    people = await repo.active_member_ids(session, center.id)  # type: ignore[arg-type]
    people |= {uid for uid in (center.leader_id, center.assistant_id) if uid is not None}
    people.discard(creator_id)
    return people


# --- creating ----------------------------------------------------------------------------


def offsets_from(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part.strip().lstrip("-").isdigit()]


def reminder_plan(starts_at: datetime, offsets: list[int], now: datetime) -> list[tuple[int, datetime]]:
    """(offset, due) for the reminders still ahead; a reminder already due is left out."""
    plan = [(offset, starts_at - timedelta(minutes=offset)) for offset in sorted(set(offsets), reverse=True)]
    return [(offset, due) for offset, due in plan if due > now]


@dataclass
class Created:
    campaign: Campaign
    recipients: int
    reminders: list[Reminder] = field(default_factory=list)


async def create(
    session: AsyncSession, *, creator_id: int, kind: str, body: str, now: datetime,
    title: str | None = None, starts_at: datetime | None = None, place: str | None = None,
    offsets: list[int] | None = None,
) -> Created:
    """The campaign, a pending delivery for each recipient and its reminders, in one commit."""
    center = await leader_center(session, creator_id)
    if kind == KIND_CAMPAIGN:
        if not title or starts_at is None:
            raise ValueError("a campaign needs a title and a start")
        problem = check_window(starts_at, now)
        if problem is not None:
            raise CampaignError(f"when_{problem.code}")
    offsets = [o for o in (offsets or []) if o in OFFSETS] if kind == KIND_CAMPAIGN else []
    campaign = Campaign(
        center_id=center.id, created_by=creator_id, kind=kind, title=title, body=body,  # type: ignore[arg-type]
        starts_at=starts_at, place=place or None, status=SENDING, created_at=now,
        reminder_offsets=",".join(str(o) for o in sorted(set(offsets), reverse=True)),
    )
    session.add(campaign)
    await session.flush()
    people = await audience(session, center, creator_id)
    await deliveries_repo.enqueue(session, P_CALL, campaign.id, people, now)  # type: ignore[arg-type]
    reminders = []
    if starts_at is not None:
        for offset, due in reminder_plan(starts_at, offsets, now):
            reminders.append(Reminder(campaign_id=campaign.id, offset_minutes=offset, due_at=due))  # type: ignore[arg-type]
        session.add_all(reminders)
    session.add(_audit(creator_id, f"{kind}.sent", campaign.id, now, recipients=len(people), center=center.id))
    await session.commit()
    return Created(campaign, len(people), reminders)


async def set_report_message(session: AsyncSession, campaign_id: int, message_id: int) -> None:
    campaign = await repo.by_id(session, campaign_id)
    if campaign is not None and campaign.report_message_id != message_id:
        campaign.report_message_id = message_id
        session.add(campaign)
        await session.commit()


async def finish_sending(session: AsyncSession, campaign_id: int) -> None:
    if await repo.set_status(session, campaign_id, (SENDING,), SENT):
        await session.commit()


# --- answers -----------------------------------------------------------------------------


async def _answerable(session: AsyncSession, campaign_id: int, user_id: int, now: datetime) -> Campaign:
    campaign = await repo.by_id(session, campaign_id)
    if campaign is None or campaign.kind != KIND_CAMPAIGN:
        raise CampaignError("not_found")
    if await deliveries_repo.of_user(session, P_CALL, campaign_id, user_id) is None:
        raise CampaignError("not_recipient")
    if campaign.status == CANCELLED:
        raise CampaignError("cancelled")
    if campaign.starts_at is not None and as_utc(campaign.starts_at) <= now:
        raise CampaignError("started")
    return campaign


async def answer(
    session: AsyncSession, campaign_id: int, user_id: int, choice: str, now: datetime,
) -> tuple[CampaignAnswer, bool]:
    """Record «شرکت می‌کنم» (yes) or «نمی‌توانم» (no); a member may change it until the start.
    Returns the answer row and whether it changed."""
    if choice not in (YES, NO):
        raise ValueError(choice)
    await _answerable(session, campaign_id, user_id, now)
    row = await repo.answer_of(session, campaign_id, user_id) or CampaignAnswer(campaign_id=campaign_id, user_id=user_id)
    changed = row.answer != choice
    if changed:
        previous = row.answer
        row.answer, row.answered_at = choice, now
        session.add(row)
        session.add(_audit(user_id, "campaign.answered", campaign_id, now, answer=choice, previous=previous))
        await session.commit()
    return row, changed


async def toggle_mute(session: AsyncSession, campaign_id: int, user_id: int, now: datetime) -> CampaignAnswer:
    await _answerable(session, campaign_id, user_id, now)
    row = await repo.answer_of(session, campaign_id, user_id) or CampaignAnswer(campaign_id=campaign_id, user_id=user_id)
    row.muted = not row.muted
    session.add(row)
    session.add(_audit(user_id, "campaign.muted" if row.muted else "campaign.unmuted", campaign_id, now))
    await session.commit()
    return row


async def answer_state(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[str | None, bool]:
    row = await repo.answer_of(session, campaign_id, user_id)
    return (row.answer, row.muted) if row else (None, False)


async def call_for(session: AsyncSession, campaign_id: int, user_id: int) -> tuple[Campaign, Center, str | None, bool]:
    """A call again, for a member who received it: (campaign, center, answer, muted)."""
    campaign = await repo.by_id(session, campaign_id)
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None or campaign.kind != KIND_CAMPAIGN:
        raise CampaignError("not_found")
    if await deliveries_repo.of_user(session, P_CALL, campaign_id, user_id) is None:
        raise CampaignError("not_recipient")
    if campaign.status == CANCELLED:
        raise CampaignError("cancelled")
    answer_, muted = await answer_state(session, campaign_id, user_id)
    return campaign, center, answer_, muted


# --- cancelling and moving ---------------------------------------------------------------


def _check_changeable(campaign: Campaign, now: datetime) -> None:
    if campaign.kind != KIND_CAMPAIGN:
        raise CampaignError("not_campaign")
    if campaign.status == CANCELLED:
        raise CampaignError("cancelled")
    if campaign.starts_at is not None and as_utc(campaign.starts_at) <= now:
        raise CampaignError("started")


async def changeable_campaign(session: AsyncSession, campaign_id: int, user_id: int, now: datetime) -> Campaign:
    """The campaign, if this person may cancel it or move it now (its leader, before the start)."""
    campaign, _ = await _managed_campaign(session, campaign_id, user_id)
    _check_changeable(campaign, now)
    return campaign


async def reached_count(session: AsyncSession, campaign_id: int) -> int:
    return len(await deliveries_repo.user_ids_with_status(session, P_CALL, campaign_id, deliveries_repo.SENT))


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
    if not await repo.set_status(session, campaign_id, (SENDING, SENT), CANCELLED, cancelled_at=now):
        raise CampaignError("cancelled")
    skipped = await deliveries_repo.skip_pending(session, P_CALL, campaign_id)
    reminder_ids = await repo.cancel_pending_reminders(session, campaign_id)
    told = await deliveries_repo.user_ids_with_status(session, P_CALL, campaign_id, deliveries_repo.SENT)
    notices = await deliveries_repo.enqueue(session, P_CANCEL, campaign_id, told, now)
    session.add(_audit(user_id, "campaign.cancelled", campaign_id, now, unsent_skipped=skipped, notices=notices))
    await session.commit()
    await session.refresh(campaign)
    return Cancelled(campaign, reminder_ids, notices)


async def tell_those_reached(session: AsyncSession, purpose: str, ref_id: int, campaign_id: int, now: datetime) -> int:
    """Add a pending notice for anyone whose call went out since the notice rows were written
    (a send that was in flight while the leader cancelled or moved the campaign)."""
    told = await deliveries_repo.user_ids_with_status(session, P_CALL, campaign_id, deliveries_repo.SENT)
    added = await deliveries_repo.enqueue(session, purpose, ref_id, told, now)
    await session.commit()
    return added


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
    reminders = [
        Reminder(campaign_id=campaign_id, offset_minutes=offset, due_at=due)
        for offset, due in reminder_plan(starts_at, offsets_from(campaign.reminder_offsets), now)
    ]
    session.add_all(reminders)
    event = _audit(user_id, "campaign.rescheduled", campaign_id, now, previous=previous.isoformat(), starts_at=starts_at.isoformat())
    session.add(event)
    await session.flush()
    told = await deliveries_repo.user_ids_with_status(session, P_CALL, campaign_id, deliveries_repo.SENT)
    notices = await deliveries_repo.enqueue(session, P_MOVED, event.id, told, now)  # type: ignore[arg-type]
    await session.commit()
    return Moved(campaign, previous, event.id, cancelled, reminders, notices)  # type: ignore[arg-type]


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


# --- reminders ---------------------------------------------------------------------------


async def fire_reminder(session: AsyncSession, reminder_id: int, now: datetime, grace: timedelta) -> str:
    """Turn a due reminder into pending deliveries, once. Returns what happened:
    fired, skipped (overdue beyond the grace window), cancelled, not_due, done, gone."""
    reminder = await repo.reminder(session, reminder_id)
    if reminder is None:
        return "gone"
    if reminder.status != "pending":
        return "done"
    due = as_utc(reminder.due_at)
    if due > now:
        return "not_due"
    campaign = await repo.by_id(session, reminder.campaign_id)
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None or campaign.status == CANCELLED:
        outcome = "cancelled"
        changed = await repo.set_reminder_status(session, reminder_id, "cancelled")
    elif now - due > grace:
        outcome = "skipped"
        changed = await repo.set_reminder_status(session, reminder_id, "skipped")
        session.add(_audit(None, "campaign.reminder_skipped", campaign.id, now, reminder=reminder_id, due_at=due.isoformat()))
    else:
        outcome = "fired"
        changed = await repo.set_reminder_status(session, reminder_id, "sent", fired_at=now)
        if changed:
            reached = await deliveries_repo.user_ids_with_status(session, P_CALL, campaign.id, deliveries_repo.SENT)  # type: ignore[arg-type]
            people = reached & await audience(session, center, campaign.created_by)
            people -= await repo.declined_or_muted(session, campaign.id)  # type: ignore[arg-type]
            await deliveries_repo.enqueue(session, P_REMINDER, reminder_id, people, now)
    if not changed:
        await session.rollback()
        return "done"
    await session.commit()
    return outcome


async def pending_reminders(session: AsyncSession) -> list[Reminder]:
    return await repo.pending_reminders(session)


async def due_reminders(session: AsyncSession, now: datetime) -> list[Reminder]:
    return await repo.pending_reminders(session, due_by=now)


# --- what a broadcast needs to know --------------------------------------------------------


@dataclass
class Batch:
    """What a pending batch of deliveries is about, for rendering; see batch()."""

    purpose: str
    campaign: Campaign
    center: Center
    previous_start: datetime | None = None  # campaign_moved
    reminder: Reminder | None = None


@dataclass
class Claimed:
    """One delivery taken for sending, with the campaign and the member's answer as they are
    at that moment (a cancel, a move, an answer or a mute since the batch began counts)."""

    campaign: Campaign
    answer: str | None = None
    muted: bool = False


def _not_worth(purpose: str, campaign: Campaign | None, now: datetime, answer: str | None = None,
               muted: bool = False) -> bool:
    if campaign is None:
        return True
    if purpose != P_CANCEL and campaign.status == CANCELLED:
        return True
    if purpose in (P_CALL, P_MOVED) and campaign.starts_at is not None and as_utc(campaign.starts_at) <= now:
        return True
    return purpose == P_REMINDER and (answer == NO or muted)  # declined or muted since it fired


async def batch(session: AsyncSession, purpose: str, ref_id: int, now: datetime, grace: timedelta) -> Batch | None:
    """The context of a pending batch, or None when it is no longer worth sending (the
    campaign was cancelled or has started, the reminder is overdue beyond grace); the caller
    then marks the rest skipped."""
    previous = None
    reminder = None
    if purpose in (P_CALL, P_CANCEL):
        campaign = await repo.by_id(session, ref_id)
    elif purpose == P_REMINDER:
        reminder = await repo.reminder(session, ref_id)
        campaign = await repo.by_id(session, reminder.campaign_id) if reminder else None
    elif purpose == P_MOVED:
        moved = await move_event(session, ref_id)
        campaign, previous = (moved[0], moved[1]) if moved else (None, None)
    else:
        return None
    center = await centers_repo.by_id(session, campaign.center_id) if campaign else None
    if campaign is None or center is None or _not_worth(purpose, campaign, now):
        return None
    if reminder is not None and (reminder.status != "sent" or now - as_utc(reminder.due_at) > grace):
        return None
    return Batch(purpose, campaign, center, previous, reminder)


async def claim(
    session: AsyncSession, purpose: str, delivery_id: int, campaign_id: int, user_id: int, now: datetime,
) -> Claimed | None:
    """Take one pending delivery for sending, just before the send (pending → sending, one
    conditional UPDATE, committed). None if it is no longer pending (a cancel skipped it) or no
    longer worth sending (then it is skipped here): a reminder to someone who has answered
    «نمی‌توانم» or muted since it fired is not sent."""
    if not await deliveries_repo.claim(session, delivery_id):
        await session.rollback()
        return None
    campaign = await repo.by_id(session, campaign_id)
    answer_, muted = None, False
    if purpose in (P_CALL, P_REMINDER, P_MOVED):
        answer_, muted = await answer_state(session, campaign_id, user_id)
    if _not_worth(purpose, campaign, now, answer_, muted):
        await deliveries_repo.record(session, delivery_id, deliveries_repo.SKIPPED, attempts=0, error=None,
                                     message_id=None, sent_at=None)
        await session.commit()
        return None
    await session.commit()
    assert campaign is not None
    return Claimed(campaign, answer_, muted)


async def skip_rest(session: AsyncSession, purpose: str, ref_id: int, user_ids: list[int] | None = None) -> int:
    skipped = await deliveries_repo.skip_pending(session, purpose, ref_id, user_ids)
    await session.commit()
    return skipped


# --- figures -------------------------------------------------------------------------------


@dataclass
class Figures:
    sent: int = 0
    unreachable: int = 0
    failed: int = 0
    pending: int = 0
    skipped: int = 0
    yes: int = 0
    no: int = 0

    @property
    def total(self) -> int:
        return self.sent + self.unreachable + self.failed + self.pending + self.skipped

    @property
    def no_answer(self) -> int:
        return max(self.sent - self.yes - self.no, 0)


async def figures(session: AsyncSession, campaign_ids: list[int]) -> dict[int, Figures]:
    deliveries = await deliveries_repo.counts(session, P_CALL, campaign_ids)
    answers = await repo.answer_counts(session, campaign_ids)
    found = {}
    for cid in campaign_ids:
        by_status, by_answer = deliveries.get(cid, {}), answers.get(cid, {})
        found[cid] = Figures(
            sent=by_status.get("sent", 0), unreachable=by_status.get("unreachable", 0),
            failed=by_status.get("failed", 0), pending=by_status.get("pending", 0) + by_status.get("sending", 0),
            skipped=by_status.get("skipped", 0), yes=by_answer.get(YES, 0), no=by_answer.get(NO, 0),
        )
    return found


async def center_campaigns(session: AsyncSession, center_id: int, page: int, per_page: int) -> tuple[list[Campaign], int]:
    total = await repo.count_of_center(session, center_id)
    return await repo.of_center(session, center_id, per_page, page * per_page), total


async def received_upcoming(session: AsyncSession, user_id: int, now: datetime) -> list[tuple[Campaign, CampaignAnswer | None]]:
    """The calls this member received whose start is still ahead (not cancelled), soonest first."""
    ids = await deliveries_repo.refs_received(session, P_CALL, user_id)
    found = []
    for campaign in await repo.by_ids(session, ids):
        if campaign.kind != KIND_CAMPAIGN or campaign.status == CANCELLED or campaign.starts_at is None:
            continue
        if as_utc(campaign.starts_at) <= now:
            continue
        found.append((campaign, await repo.answer_of(session, campaign.id, user_id)))  # type: ignore[arg-type]
    found.sort(key=lambda pair: as_utc(pair[0].starts_at))  # type: ignore[arg-type]
    return found
