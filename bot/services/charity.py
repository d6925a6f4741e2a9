"""Charitable campaigns (پویش نیکوکارانه): the rules, over an AsyncSession (docs/charity.md).

A help campaign is a Campaign of kind «help» with needs (money, goods, work) and pledges.
Who may pledge: whoever the call was sent to (a delivery row of HELP_CALL exists), so a button
forged with another center's need or pledge finds no row and is refused. Who may confirm a
receipt: the center's leader or assistant, never the giver (also a CHECK in the database).
Nothing here commits; the actions (bot/actions/charity.py) do, then send.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.charity_models import NEED_SCALE, HelpCampaign, HelpNeed, Pledge
from bot.db.enums import (
    CampaignKind, CampaignStatus, CharityPurpose, DeliveryStatus, NeedSort, PledgeStatus,
)
from bot.db.models import Campaign, Center, User
from bot.db.repo import campaigns as campaigns_repo
from bot.db.repo import centers as centers_repo
from bot.db.repo import charity as repo
from bot.db.repo import deliveries as deliveries_repo
from bot.db.repo import memberships as memberships_repo
from bot.db.repo import users as users_repo
from bot.persian.dates import check_window
from bot.services import campaigns as campaigns_service
from bot.services.campaigns import audit, id_of
from bot.services.refusals import Refusal

TITLE_MAX, BODY_MAX, NOTE_MAX, GOODS_NAME_MAX, UNIT_MAX = 100, 1500, 200, 48, 24
MAX_NEEDS = 8
# The undelivered promisers hear once, this long before the deadline.
REMINDER_BEFORE = timedelta(hours=24)


class CharityError(Refusal):
    """A charity rule said no; `code` picks «charity-error-<code>»."""

    feature = "charity"


# Every code raised here (tests/unit/test_charity.py checks each has a message).
ERROR_CODES = (
    "not_found", "not_recipient", "closed", "cancelled", "delivered", "not_yours", "not_staff",
    "own_pledge", "already", "no_needs", "when_past", "when_too_far", "not_leader", "left",
)


@dataclass(frozen=True)
class NeedDraft:
    sort: NeedSort
    target: int | None = None  # stored units (NEED_SCALE)
    name: str | None = None
    unit: str | None = None


def scale(need: HelpNeed) -> int:
    return NEED_SCALE[NeedSort(need.sort)]


# --- creating ----------------------------------------------------------------------------


async def audience(session: AsyncSession, center: Center, creator_id: int) -> set[int]:
    """Who receives a help campaign: as a gathering's call (members, the other of leader and
    assistant), and the center's supporters."""
    return await campaigns_service.audience(session, center, creator_id, to_supporters=True)


@dataclass
class Created:
    campaign: Campaign
    recipients: int
    already: bool = False


async def made_with(session: AsyncSession, request_key: str, creator_id: int) -> Created | None:
    campaign = await campaigns_repo.by_request_key(session, request_key)
    if campaign is None or campaign.created_by != creator_id:
        return None
    recipients = await deliveries_repo.existing_user_ids(session, CharityPurpose.HELP_CALL, id_of(campaign))
    return Created(campaign, len(recipients), already=True)


async def create(
    session: AsyncSession, *, creator_id: int, title: str, body: str, deadline: datetime | None,
    needs: list[NeedDraft], now: datetime, request_key: str | None = None,
) -> Created:
    """The campaign, its needs and a pending call per recipient, in the caller's transaction.
    The draft's key makes a repeated «ارسال» find what it made the first time."""
    if request_key is not None and (made := await made_with(session, request_key, creator_id)) is not None:
        return made
    center = await campaigns_service.leader_center(session, creator_id)
    if not needs:
        raise CharityError("no_needs")
    if deadline is not None and (problem := check_window(deadline, now)) is not None:
        raise CharityError(f"when_{problem.code}")
    campaign = Campaign(
        center_id=id_of(center), created_by=creator_id, kind=CampaignKind.HELP, title=title, body=body,
        status=CampaignStatus.SENT, created_at=now, request_key=request_key,
    )
    session.add(campaign)
    await session.flush()
    campaign_id = id_of(campaign)
    session.add(HelpCampaign(campaign_id=campaign_id, deadline=deadline))
    session.add_all([
        HelpNeed(campaign_id=campaign_id, position=position, sort=need.sort, name=need.name, unit=need.unit,
                 target=need.target)
        for position, need in enumerate(needs[:MAX_NEEDS])
    ])
    people = await audience(session, center, creator_id)
    await deliveries_repo.enqueue(session, CharityPurpose.HELP_CALL, campaign_id, people, now)
    audit(session, creator_id, "help.sent", campaign_id, now, recipients=len(people), center=campaign.center_id)
    await session.flush()
    return Created(campaign, len(people))


# --- what a campaign is, for whom ----------------------------------------------------------


@dataclass
class Help:
    campaign: Campaign
    center: Center
    details: HelpCampaign
    needs: list[HelpNeed]

    def is_open(self, now: datetime) -> bool:
        deadline = self.details.deadline
        return (self.details.closed_at is None and self.campaign.status != CampaignStatus.CANCELLED
                and (deadline is None or deadline > now))


async def help_campaign(session: AsyncSession, campaign_id: int) -> Help:
    campaign = await campaigns_repo.by_id(session, campaign_id)
    if campaign is None or campaign.kind != CampaignKind.HELP:
        raise CharityError("not_found")
    center = await centers_repo.by_id(session, campaign.center_id)
    details = await repo.details(session, campaign_id)
    if center is None or details is None:
        raise CharityError("not_found")
    return Help(campaign, center, details, await repo.needs_of(session, campaign_id))


def is_staff(center: Center, user_id: int) -> bool:
    """The leader or the assistant: they see every name and amount and confirm receipts."""
    return user_id in (center.leader_id, center.assistant_id)


def sees_names(center: Center, user_id: int) -> bool:
    """Who sees every pledger's name and amount: the leader, the assistant, the facilitator."""
    return is_staff(center, user_id) or user_id == center.facilitator_id


async def received(session: AsyncSession, campaign_id: int, user_id: int) -> bool:
    return await deliveries_repo.of_user(session, CharityPurpose.HELP_CALL, campaign_id, user_id) is not None


async def viewable(session: AsyncSession, campaign_id: int, user_id: int) -> Help:
    """A help campaign this person may look at: sent to them, or their center's staff/facilitator."""
    found = await help_campaign(session, campaign_id)
    if not sees_names(found.center, user_id) and not await received(session, campaign_id, user_id):
        raise CharityError("not_recipient")
    return found


async def belongs(session: AsyncSession, center: Center, user_id: int) -> bool:
    """Still of the center: its leader or assistant, an active member, or a supporter."""
    if is_staff(center, user_id):
        return True
    membership = await memberships_repo.active_for(session, user_id)
    if membership is not None and membership.center_id == id_of(center):
        return True
    return await repo.supporter(session, id_of(center), user_id) is not None


# --- pledging ------------------------------------------------------------------------------


@dataclass
class PledgeStart:
    help: Help
    need: HelpNeed
    existing: Pledge | None


async def _pledgeable(session: AsyncSession, need_id: int, user_id: int, now: datetime) -> tuple[Help, HelpNeed]:
    need = await repo.need(session, need_id)
    if need is None:
        raise CharityError("not_found")
    found = await help_campaign(session, need.campaign_id)
    if not await received(session, need.campaign_id, user_id):
        raise CharityError("not_recipient")
    if not await belongs(session, found.center, user_id):  # left since the call reached them
        raise CharityError("left")
    if found.campaign.status == CampaignStatus.CANCELLED:
        raise CharityError("cancelled")
    if not found.is_open(now):
        raise CharityError("closed")
    return found, need


async def start_pledge(session: AsyncSession, need_id: int, user_id: int, now: datetime) -> PledgeStart:
    """«🤝 کمک می‌کنم» on a need: may this person pledge, and what did they pledge before?"""
    found, need = await _pledgeable(session, need_id, user_id, now)
    existing = await repo.live_pledge(session, need_id, user_id)
    if existing is not None and existing.status == PledgeStatus.DELIVERED:
        raise CharityError("delivered")
    return PledgeStart(found, need, existing)


async def pledge(
    session: AsyncSession, need_id: int, user_id: int, amount: int, now: datetime, *,
    note: str | None = None, anonymous: bool = False,
) -> tuple[Pledge, bool]:
    """A new pledge, or a change to this person's live one (back to «promised»). Returns the
    pledge and whether it was new. At most one live pledge per person and need (unique index)."""
    if amount <= 0:
        raise ValueError("a pledge is a positive amount")
    start = await start_pledge(session, need_id, user_id, now)
    row = start.existing
    created = row is None
    if row is None:
        row = Pledge(need_id=need_id, campaign_id=start.need.campaign_id, user_id=user_id, amount=amount,
                     note=note, anonymous=anonymous, status=PledgeStatus.PROMISED, created_at=now)
    else:
        row.amount, row.note, row.anonymous = amount, note, anonymous
        row.status, row.changed_at, row.reported_at = PledgeStatus.PROMISED, now, None
    session.add(row)
    await session.flush()
    audit(session, user_id, "pledge.made" if created else "pledge.changed", start.need.campaign_id, now,
          pledge=id_of(row), need=need_id, amount=amount)
    return row, created


async def _own_pledge(session: AsyncSession, pledge_id: int, user_id: int) -> Pledge:
    row = await repo.pledge(session, pledge_id)
    if row is None:
        raise CharityError("not_found")
    if row.user_id != user_id:
        raise CharityError("not_yours")
    return row


async def withdraw(session: AsyncSession, pledge_id: int, user_id: int, now: datetime) -> Pledge:
    """The giver takes their pledge back, while it is not delivered."""
    row = await _own_pledge(session, pledge_id, user_id)
    if row.status == PledgeStatus.DELIVERED:
        raise CharityError("delivered")
    if row.status == PledgeStatus.WITHDRAWN:
        raise CharityError("already")
    moved = await repo.move_status(session, pledge_id, (PledgeStatus.PROMISED, PledgeStatus.REPORTED),
                                   PledgeStatus.WITHDRAWN, changed_at=now)
    if not moved:
        raise CharityError("already")
    audit(session, user_id, "pledge.withdrawn", row.campaign_id, now, pledge=pledge_id)
    await session.refresh(row)
    return row


@dataclass
class Reported:
    pledge: Pledge
    help: Help
    staff: list[int]  # who is asked to confirm (leader and assistant but the giver)
    changed: bool


async def report_delivered(session: AsyncSession, pledge_id: int, user_id: int, now: datetime) -> Reported:
    """The giver taps «تحویل دادم»: promised → reported; the leader or assistant confirms."""
    row = await _own_pledge(session, pledge_id, user_id)
    if row.status == PledgeStatus.WITHDRAWN:
        raise CharityError("not_found")
    found = await help_campaign(session, row.campaign_id)
    changed = await repo.move_status(session, pledge_id, (PledgeStatus.PROMISED,), PledgeStatus.REPORTED,
                                     reported_at=now)
    if changed:
        audit(session, user_id, "pledge.reported", row.campaign_id, now, pledge=pledge_id)
    await session.refresh(row)
    staff = [uid for uid in (found.center.leader_id, found.center.assistant_id) if uid is not None and uid != user_id]
    return Reported(row, found, staff, changed)


@dataclass
class Confirmed:
    pledge: Pledge
    help: Help
    changed: bool


async def confirm(session: AsyncSession, pledge_id: int, user_id: int, now: datetime) -> Confirmed:
    """The leader or assistant records receipt (or confirms the giver's «تحویل دادم»):
    → delivered. Never by the giver (the database refuses it too)."""
    row = await repo.pledge(session, pledge_id)
    if row is None or row.status == PledgeStatus.WITHDRAWN:
        raise CharityError("not_found")
    found = await help_campaign(session, row.campaign_id)
    if not is_staff(found.center, user_id):
        raise CharityError("not_staff")
    if row.user_id == user_id:
        raise CharityError("own_pledge")
    changed = await repo.move_status(session, pledge_id, (PledgeStatus.PROMISED, PledgeStatus.REPORTED),
                                     PledgeStatus.DELIVERED, confirmed_by=user_id, confirmed_at=now)
    if changed:
        audit(session, user_id, "pledge.delivered", row.campaign_id, now, pledge=pledge_id)
    await session.refresh(row)
    return Confirmed(row, found, changed)


async def my_pledges(session: AsyncSession, campaign_id: int, user_id: int) -> list[Pledge]:
    return await repo.live_pledges_of_user(session, campaign_id, user_id)


# --- progress --------------------------------------------------------------------------------


@dataclass
class Giver:
    pledge: Pledge
    name: str


@dataclass
class NeedProgress:
    need: HelpNeed
    promised: int = 0  # stored units of live pledges (delivered included)
    delivered: int = 0
    givers: list[Giver] = field(default_factory=list)


@dataclass
class Progress:
    help: Help
    needs: list[NeedProgress]
    pledgers: int
    # Whether the viewer sees every name and amount (leader, assistant, facilitator).
    full: bool


def display_name(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or " ".join(part for part in (user.first_name, user.last_name) if part)


async def progress_of(session: AsyncSession, found: Help, full: bool) -> Progress:
    pledges = await repo.live_pledges_of_campaign(session, id_of(found.campaign))
    users = await users_repo.by_ids(session, sorted({p.user_id for p in pledges}))
    by_need = {id_of(need): NeedProgress(need) for need in found.needs}
    for row in pledges:
        item = by_need.get(row.need_id)
        if item is None:
            continue
        item.promised += row.amount
        if row.status == PledgeStatus.DELIVERED:
            item.delivered += row.amount
        if full or not row.anonymous:
            item.givers.append(Giver(row, display_name(users.get(row.user_id))))
    return Progress(found, list(by_need.values()), len({p.user_id for p in pledges}), full)


async def progress(session: AsyncSession, campaign_id: int, user_id: int) -> Progress:
    """«وضعیت پویش»: totals for everyone it was sent to; names of those not anonymous; every
    name and amount for the leader, the assistant and the facilitator."""
    found = await viewable(session, campaign_id, user_id)
    return await progress_of(session, found, sees_names(found.center, user_id))


async def staff_progress(session: AsyncSession, campaign_id: int, user_id: int) -> Progress:
    found = await help_campaign(session, campaign_id)
    if not sees_names(found.center, user_id):
        raise CharityError("not_staff")
    return await progress_of(session, found, True)


async def share_progress(session: AsyncSession, campaign_id: int, user_id: int, now: datetime) -> tuple[int, int]:
    """The leader's one tap: the progress to everyone the call reached. (audit event id, count)"""
    found = await help_campaign(session, campaign_id)
    if found.center.leader_id != user_id:
        raise CharityError("not_leader")
    event = audit(session, user_id, "help.progress_shared", campaign_id, now)
    await session.flush()
    reached = await still_reached(session, found)
    count = await deliveries_repo.enqueue(session, CharityPurpose.HELP_PROGRESS, id_of(event), reached, now)
    return id_of(event), count


async def still_reached(session: AsyncSession, found: Help) -> set[int]:
    """Those the call reached who still belong to the center: its members, leader, assistant and
    supporters. Someone who left the center or stopped supporting it hears no more of it."""
    reached = await deliveries_repo.user_ids_with_status(session, CharityPurpose.HELP_CALL, id_of(found.campaign),
                                                         DeliveryStatus.SENT)
    return reached & await campaigns_service.audience(session, found.center, 0, to_supporters=True)


async def campaign_of_event(session: AsyncSession, event_id: int) -> int | None:
    from bot.db.models import AuditEvent  # noqa: PLC0415 (only this reader needs it)

    event = await session.get(AuditEvent, event_id)
    if event is None or event.action != "help.progress_shared":
        return None
    return event.entity_id


# --- the deadline ------------------------------------------------------------------------------


async def write_due_reminders(session: AsyncSession, now: datetime) -> list[int]:
    """For each open campaign whose deadline is near and not yet reminded: mark it reminded and
    write a pending reminder to each undelivered promiser, in one transaction (rows first; the
    mark makes it once, across restarts). Returns the campaigns."""
    done = []
    for details in await repo.due_for_reminder(session, now, now + REMINDER_BEFORE):
        if not await repo.claim_reminded(session, details.campaign_id, now):
            continue
        found = await help_campaign(session, details.campaign_id)
        people = await repo.undelivered_promisers(session, details.campaign_id)
        people &= await campaigns_service.audience(session, found.center, 0, to_supporters=True)  # still belong
        await deliveries_repo.enqueue(session, CharityPurpose.HELP_REMINDER, details.campaign_id, people, now)
        audit(session, None, "help.reminded", details.campaign_id, now, people=len(people))
        done.append(details.campaign_id)
    return done


async def close_due(session: AsyncSession, now: datetime) -> list[int]:
    """Close every campaign whose deadline has passed: no new pledges; a thank-you with the
    totals to everyone the call reached (the leader's final report goes with it)."""
    closed = []
    for details in await repo.due_to_close(session, now):
        if not await repo.claim_closed(session, details.campaign_id, now):
            continue
        found = await help_campaign(session, details.campaign_id)
        reached = await still_reached(session, found)
        reached.add(found.campaign.created_by)  # the leader: the final report
        await deliveries_repo.enqueue(session, CharityPurpose.HELP_THANKS, details.campaign_id, reached, now)
        audit(session, None, "help.closed", details.campaign_id, now)
        closed.append(details.campaign_id)
    return closed


async def claim_chart(session: AsyncSession, campaign_id: int, leader_id: int, now: datetime) -> None:
    """The row of the final chart to the leader, written before its send: a second try meets
    the unique key (purpose, campaign, leader) and sends nothing (the caller catches it)."""
    from bot.db.models import Delivery  # noqa: PLC0415

    session.add(Delivery(purpose=CharityPurpose.HELP_CHART, ref_id=campaign_id, user_id=leader_id,
                         status=DeliveryStatus.SENT, created_at=now, sent_at=now))
    await session.flush()


async def open_batches(session: AsyncSession) -> list[tuple[str, int]]:
    return await deliveries_repo.open_batches(session, [
        CharityPurpose.HELP_CALL, CharityPurpose.HELP_PROGRESS, CharityPurpose.HELP_REMINDER, CharityPurpose.HELP_THANKS,
    ])


async def user(session: AsyncSession, user_id: int) -> User | None:
    return await users_repo.by_id(session, user_id)


