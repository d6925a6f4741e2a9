"""Facilitators (رهیار): appointing them by a one-time link, taking them off a center, how
their centers fare (which need help first), their messages to leaders, questions asked of
them, and the weekly digest's content. No commit, no Telegram. docs/association.md.
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import AskerRole, AssociationPurpose, CenterStatus, InvitationStatus, MembershipStatus, QuestionStatus
from bot.db.models import AuditEvent, Center, FacilitationOrg, Facilitator, FacilitatorInvitation, FacilitatorMessage, Question, User
from bot.db.repo import association as association_repo
from bot.db.repo import audit
from bot.db.repo import centers as centers_repo
from bot.db.repo import deliveries as deliveries_repo
from bot.db.repo import facilitation as repo
from bot.db.repo import memberships as memberships_repo
from bot.db.repo import users as users_repo
from bot.persian.text import ascii_digits, clean, search_key
from bot.services.association import AdminRefusal, actor_label, id_of, week_start
from bot.services.refusals import Refusal

INVITATION_VALIDITY = timedelta(days=7)
NAME_MIN, NAME_MAX = 2, 64
QUESTION_MAX = 1000
ANSWER_MAX = 2000
MESSAGE_MAX = 2000
TEXT_MIN = 3
# Needing help: requests waiting this long, no campaign call for this long, and a falling
# answer rate (the last RATE_RECENT against the RATE_BEFORE before it, each with enough calls).
WAITING_TOO_LONG = timedelta(hours=48)
NO_CAMPAIGN_FOR = timedelta(days=60)
RATE_RECENT = timedelta(days=30)
RATE_BEFORE = timedelta(days=60)
RATE_MIN_CALLS = 5
RATE_DROP = 0.2
# The facilitator is reminded once of a question unanswered this long.
REMIND_AFTER = timedelta(hours=72)
# The weekly digest: Saturday at this hour, local time.
DIGEST_HOUR = 8


class FacilitationRefusal(Refusal):
    """A facilitation rule said no; the message is «fac-refusal-<code>»."""

    feature = "fac"

    NOT_FOUND = "not_found"  # no such invitation
    USED = "used"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    EXPIRED = "expired"
    NO_CENTERS = "no_centers"  # none of its centers is still there
    RUNS_ONE = "runs_one"  # the person leads or assists one of the centers
    NOT_FACILITATOR = "not_facilitator"  # not this center's facilitator
    QUESTION_GONE = "question_gone"  # not theirs, or no such question
    ALREADY_ANSWERED = "already_answered"
    NO_FACILITATOR = "no_facilitator"  # the asker's center has none
    NO_CENTER = "no_center"  # the asker is in no center
    CENTER_NOT_ACTIVE = "center_not_active"
    CENTER_NOT_FOUND = "center_not_found"


class Need(StrEnum):
    """Why a center needs its facilitator's help, most pressing first."""

    WAITING = "waiting"
    NO_ASSISTANT = "no_assistant"
    NO_CAMPAIGN = "no_campaign"
    FALLING = "falling"


# --- reading typed center codes ------------------------------------------------------------------

# Spaces, commas and semicolons, Latin or Persian (U+060C «،», U+061B «؛»): read, never shown.
_SEPARATORS = re.compile("[\\s,;" + chr(0x060C) + chr(0x061B) + "]+")


def parse_codes(typed: str) -> tuple[list[int], list[str]]:
    """Center codes typed in any digits, separated by spaces, commas or lines:
    (the numbers, in order and without repeats; the pieces that were not numbers)."""
    codes: list[int] = []
    bad: list[str] = []
    for piece in _SEPARATORS.split(ascii_digits(clean(typed))):
        if not piece:
            continue
        if piece.isascii() and piece.isdigit():
            if int(piece) not in codes:
                codes.append(int(piece))
        else:
            bad.append(piece)
    return codes, bad


async def centers_by_codes(session: AsyncSession, codes: list[int]) -> tuple[list[Center], list[int]]:
    """(the live centers with these codes, the codes that matched none)."""
    found = await association_repo.by_codes(session, codes)
    known = {center.code for center in found}
    return found, [code for code in codes if code not in known]


async def centers_by_ids(session: AsyncSession, center_ids: list[int]) -> list[Center]:
    return [c for c in await association_repo.by_ids(session, center_ids) if c.status != CenterStatus.CANCELLED]


async def centers_in_area(session: AsyncSession, area: str) -> list[Center]:
    key = search_key(area)
    return await association_repo.live_in_area(session, key) if key else []


# --- the invitation -----------------------------------------------------------------------------


@dataclass
class Invitation:
    invitation: FacilitatorInvitation
    made: bool  # False: this draft had already made it (a repeated «ساختن لینک»)


def _center_ids(invitation: FacilitatorInvitation) -> list[int]:
    try:
        ids = json.loads(invitation.center_ids)
    except ValueError:
        return []
    return [i for i in ids if isinstance(i, int)] if isinstance(ids, list) else []


async def invite(
    session: AsyncSession, admin: User, name: str, org_id: int | None, center_ids: list[int], now: datetime,
    request_key: str,
) -> Invitation:
    existing = await repo.invitation_by_key(session, request_key)
    if existing is not None:
        return Invitation(existing, made=False)
    if not center_ids:
        raise FacilitationRefusal(FacilitationRefusal.NO_CENTERS)
    invitation = FacilitatorInvitation(
        token=secrets.token_urlsafe(16), created_by=id_of(admin), name=name, org_id=org_id,
        center_ids=json.dumps(sorted(set(center_ids))), status=InvitationStatus.OPEN, created_at=now,
        expires_at=now + INVITATION_VALIDITY, request_key=request_key,
    )
    try:
        async with session.begin_nested():
            session.add(invitation)
    except IntegrityError:
        existing = await repo.invitation_by_key(session, request_key)
        assert existing is not None
        return Invitation(existing, made=False)
    audit.add(session, admin.id, "facilitator.invited", "facilitator_invitation", id_of(invitation), now,
              name=name, org_id=org_id, centers=len(center_ids),
              admin=actor_label(admin.platform, admin.platform_user_id))
    return Invitation(invitation, made=True)


@dataclass
class InvitationView:
    invitation: FacilitatorInvitation
    centers: list[Center]
    org: FacilitationOrg | None
    admin: User


async def inspect(session: AsyncSession, token: str, now: datetime) -> InvitationView:
    """What the person who opened the link is offered; a refusal if nothing."""
    invitation = await repo.invitation_by_token(session, token) if token else None
    if invitation is None:
        raise FacilitationRefusal(FacilitationRefusal.NOT_FOUND)
    if invitation.status != InvitationStatus.OPEN:
        answered = {InvitationStatus.ACCEPTED: FacilitationRefusal.USED, InvitationStatus.DECLINED: FacilitationRefusal.DECLINED}
        raise FacilitationRefusal(answered.get(InvitationStatus(invitation.status), FacilitationRefusal.CANCELLED))
    if invitation.expires_at <= now:
        raise FacilitationRefusal(FacilitationRefusal.EXPIRED)
    centers = [c for c in await association_repo.by_ids(session, _center_ids(invitation)) if c.status != CenterStatus.CANCELLED]
    if not centers:
        raise FacilitationRefusal(FacilitationRefusal.NO_CENTERS)
    org = await association_repo.org_by_id(session, invitation.org_id) if invitation.org_id else None
    admin = await users_repo.by_id(session, invitation.created_by)
    assert admin is not None
    return InvitationView(invitation, centers, org, admin)


@dataclass
class Appointed:
    view: InvitationView
    facilitator: Facilitator
    user: User
    # Facilitators who served some of these centers until now: their user id → how many.
    replaced: dict[int, int] = field(default_factory=dict)


async def accept(session: AsyncSession, token: str, user: User, now: datetime) -> Appointed:
    """The person becomes the facilitator of the invitation's centers (replacing whoever was)."""
    view = await inspect(session, token, now)
    user_id = id_of(user)
    runs = await centers_repo.run_by(session, user_id)
    if runs is not None and runs.id in {c.id for c in view.centers}:
        raise FacilitationRefusal(FacilitationRefusal.RUNS_ONE)
    if not await repo.close_invitation_if_open(
        session, id_of(view.invitation), status=InvitationStatus.ACCEPTED, used_by=user_id, used_at=now,
    ):
        raise FacilitationRefusal(FacilitationRefusal.USED)
    replaced: dict[int, int] = {}
    for center in view.centers:
        if center.facilitator_id and center.facilitator_id != user_id:
            replaced[center.facilitator_id] = replaced.get(center.facilitator_id, 0) + 1
    person = await users_repo.by_id(session, user_id)
    if person is not None and not person.full_name:  # the name their center cards show
        person.full_name = view.invitation.name
        session.add(person)
    facilitator = await repo.of_user(session, user_id)
    if facilitator is None:
        facilitator = Facilitator(user_id=user_id, name=view.invitation.name, org_id=view.invitation.org_id,
                                  appointed_at=now)
    else:  # appointed again: the association's newest naming holds
        facilitator.name, facilitator.org_id = view.invitation.name, view.invitation.org_id
    session.add(facilitator)
    center_ids = [id_of(c) for c in view.centers]
    await repo.set_facilitator(session, center_ids, user_id)
    for center in view.centers:
        audit.add(session, user_id, "center.facilitator_set", "center", center.id, now,
                  facilitator=view.invitation.name, previous=center.facilitator_id,
                  invitation=view.invitation.id)
    audit.add(session, user_id, "facilitator.accepted", "facilitator_invitation", view.invitation.id, now,
              centers=len(center_ids))
    await session.flush()
    for center in view.centers:
        await session.refresh(center)
    return Appointed(view, facilitator, user, replaced)


async def decline(session: AsyncSession, token: str, user: User, now: datetime) -> InvitationView:
    view = await inspect(session, token, now)
    if not await repo.close_invitation_if_open(
        session, id_of(view.invitation), status=InvitationStatus.DECLINED, used_by=user.id, used_at=now,
    ):
        raise FacilitationRefusal(FacilitationRefusal.USED)
    audit.add(session, user.id, "facilitator.declined", "facilitator_invitation", view.invitation.id, now)
    return view


async def invitation_outcome(session: AsyncSession, invitation_id: int) -> tuple[FacilitatorInvitation, User | None]:
    invitation = await repo.invitation_by_id(session, invitation_id)
    assert invitation is not None
    person = await users_repo.by_id(session, invitation.used_by) if invitation.used_by else None
    return invitation, person


# --- taking a facilitator off a center ----------------------------------------------------------


@dataclass
class Removed:
    center: Center
    facilitator: User
    name: str
    leader: User
    assistant: User | None
    event_id: int


async def remove(session: AsyncSession, center_id: int, admin: User, now: datetime) -> Removed:
    center = await centers_repo.by_id(session, center_id)
    if center is None or center.status == CenterStatus.CANCELLED:
        raise FacilitationRefusal(FacilitationRefusal.CENTER_NOT_FOUND)
    await session.refresh(center)
    facilitator_id = center.facilitator_id
    if facilitator_id is None or not await repo.remove_if(session, center_id, facilitator_id):
        raise AdminRefusal(AdminRefusal.NO_FACILITATOR)
    facilitator = await repo.of_user(session, facilitator_id)
    event = audit.add(session, admin.id, "center.facilitator_removed", "center", center_id, now,
                      facilitator_id=facilitator_id, admin=actor_label(admin.platform, admin.platform_user_id))
    await session.flush()
    people = await users_repo.by_ids(session, [i for i in (center.leader_id, center.assistant_id, facilitator_id) if i])
    return Removed(
        center, people[facilitator_id], facilitator.name if facilitator else "", people[center.leader_id],
        people.get(center.assistant_id) if center.assistant_id else None, id_of(event),
    )


async def removal(session: AsyncSession, event_id: int) -> tuple[Center, str] | None:
    """(center, the removed facilitator's name) of a removal event, while nobody new serves it."""
    event = await session.get(AuditEvent, event_id)
    if event is None or event.action != "center.facilitator_removed" or event.entity_id is None:
        return None
    center = await centers_repo.by_id(session, event.entity_id)
    if center is None or center.facilitator_id is not None:
        return None
    details = json.loads(event.details or "{}")
    facilitator = await repo.of_user(session, int(details.get("facilitator_id") or 0))
    return center, facilitator.name if facilitator else ""


# --- a facilitator's centers, those needing help first -----------------------------------------


@dataclass
class Health:
    center: Center
    needs: list[Need]
    oldest_pending: datetime | None
    last_campaign: datetime | None


async def health(session: AsyncSession, centers: list[Center], now: datetime) -> list[Health]:
    """Each center with what it needs, sorted: most needs first, then the longest wait, then name."""
    ids = [id_of(c) for c in centers]
    oldest = await repo.oldest_pending_by_center(session, ids)
    last = await repo.last_campaign_by_center(session, ids)
    recent = await repo.answers_by_center(session, ids, now - RATE_RECENT, now)
    before = await repo.answers_by_center(session, ids, now - RATE_RECENT - RATE_BEFORE, now - RATE_RECENT)
    found = []
    for center in centers:
        cid = id_of(center)
        needs = []
        if cid in oldest and now - oldest[cid] > WAITING_TOO_LONG:
            needs.append(Need.WAITING)
        if center.assistant_id is None:
            needs.append(Need.NO_ASSISTANT)
        if center.status == CenterStatus.ACTIVE and (cid not in last or now - last[cid] > NO_CAMPAIGN_FOR):
            needs.append(Need.NO_CAMPAIGN)
        if _falling(recent.get(cid), before.get(cid)):
            needs.append(Need.FALLING)
        found.append(Health(center, needs, oldest.get(cid), last.get(cid)))
    far_past = datetime.max.replace(tzinfo=timezone.utc)
    found.sort(key=lambda h: (-len(h.needs), h.oldest_pending or far_past, h.center.name, h.center.id or 0))
    return found


def _falling(recent: repo.Reach | None, before: repo.Reach | None) -> bool:
    if recent is None or before is None:
        return False
    if recent.delivered < RATE_MIN_CALLS or before.delivered < RATE_MIN_CALLS:
        return False
    return recent.answered / recent.delivered < before.answered / before.delivered - RATE_DROP


async def my_centers(session: AsyncSession, user_id: int, now: datetime) -> list[Health]:
    return await health(session, await repo.centers_of(session, user_id), now)


@dataclass
class FacilitatorCenter:
    health: Health
    leader: User
    assistant: User | None
    members: int
    pending: int


async def facilitator_center(session: AsyncSession, user_id: int, center_id: int, now: datetime) -> FacilitatorCenter:
    center = await centers_repo.by_id(session, center_id)
    if center is not None:
        await session.refresh(center)
    if center is None or center.facilitator_id != user_id or center.status == CenterStatus.CANCELLED:
        raise FacilitationRefusal(FacilitationRefusal.NOT_FACILITATOR)
    [found] = await health(session, [center], now)
    people = await users_repo.by_ids(session, [i for i in (center.leader_id, center.assistant_id) if i])
    return FacilitatorCenter(
        found, people[center.leader_id], people.get(center.assistant_id) if center.assistant_id else None,
        await memberships_repo.count(session, center_id, MembershipStatus.ACTIVE),
        await memberships_repo.count(session, center_id, MembershipStatus.PENDING),
    )


async def is_facilitator(session: AsyncSession, user_id: int) -> bool:
    return await repo.serves_any(session, user_id)


# --- a facilitator's message to a center -----------------------------------------------------------


@dataclass
class Sent:
    message: FacilitatorMessage
    center: Center
    recipients: list[User]
    sender_name: str
    made: bool


async def message_center(
    session: AsyncSession, user: User, center_id: int, body: str, now: datetime, request_key: str,
) -> Sent:
    fc = await facilitator_center(session, id_of(user), center_id, now)
    facilitator = await repo.of_user(session, id_of(user))
    name = facilitator.name if facilitator else ""
    recipients = [p for p in (fc.leader, fc.assistant) if p is not None]
    existing = await repo.message_by_key(session, request_key)
    if existing is not None:
        return Sent(existing, fc.health.center, recipients, name, made=False)
    message = FacilitatorMessage(center_id=center_id, sender_id=id_of(user), body=body, sent_at=now,
                                 request_key=request_key)
    try:
        async with session.begin_nested():
            session.add(message)
    except IntegrityError:
        existing = await repo.message_by_key(session, request_key)
        assert existing is not None
        return Sent(existing, fc.health.center, recipients, name, made=False)
    audit.add(session, user.id, "center.facilitator_message", "center", center_id, now, message=message.id)
    return Sent(message, fc.health.center, recipients, name, made=True)


async def message_to_send(session: AsyncSession, message_id: int, recipient_id: int) -> tuple[FacilitatorMessage, Center, str] | None:
    message = await repo.message(session, message_id)
    if message is None:
        return None
    center = await centers_repo.by_id(session, message.center_id)
    if center is None or recipient_id not in (center.leader_id, center.assistant_id):
        return None
    facilitator = await repo.of_user(session, message.sender_id)
    return message, center, facilitator.name if facilitator else ""


# --- questions -------------------------------------------------------------------------------------


@dataclass
class Asking:
    """Where a person's question would go."""

    center: Center
    role: AskerRole
    name: str  # the facilitator's, as the association named them
    facilitator_user: User


async def asking(session: AsyncSession, user_id: int) -> Asking:
    """The center a person belongs to (as leader, assistant or member) and its facilitator."""
    center = await centers_repo.run_by(session, user_id)
    if center is not None:
        role = AskerRole.LEADER if center.leader_id == user_id else AskerRole.ASSISTANT
    else:
        membership = await memberships_repo.active_for(session, user_id)
        center = await centers_repo.by_id(session, membership.center_id) if membership else None
        role = AskerRole.MEMBER
    if center is None:
        raise FacilitationRefusal(FacilitationRefusal.NO_CENTER)
    await session.refresh(center)
    if center.status == CenterStatus.CANCELLED:
        raise FacilitationRefusal(FacilitationRefusal.NO_CENTER)
    if center.facilitator_id is None:
        raise FacilitationRefusal(FacilitationRefusal.NO_FACILITATOR)
    facilitator = await repo.of_user(session, center.facilitator_id)
    facilitator_user = await users_repo.by_id(session, center.facilitator_id)
    if facilitator_user is None:
        raise FacilitationRefusal(FacilitationRefusal.NO_FACILITATOR)
    # As the center card shows them: the name they declared (set from the association's naming
    # when they accepted without one).
    name = facilitator_user.full_name or (facilitator.name if facilitator else facilitator_user.first_name)
    return Asking(center, role, name, facilitator_user)


@dataclass
class Asked:
    question: Question
    asking: Asking
    asker: User
    made: bool


async def ask(session: AsyncSession, user: User, body: str, now: datetime, request_key: str) -> Asked:
    where = await asking(session, id_of(user))
    existing = await repo.question_by_key(session, request_key)
    if existing is not None:
        return Asked(existing, where, user, made=False)
    question = Question(
        center_id=id_of(where.center), asker_id=id_of(user), asker_role=where.role,
        facilitator_id=id_of(where.facilitator_user), body=body, status=QuestionStatus.OPEN, asked_at=now,
        request_key=request_key,
    )
    try:
        async with session.begin_nested():
            session.add(question)
    except IntegrityError:
        existing = await repo.question_by_key(session, request_key)
        assert existing is not None
        return Asked(existing, where, user, made=False)
    audit.add(session, user.id, "question.asked", "question", question.id, now, center_id=where.center.id)
    return Asked(question, where, user, made=True)


@dataclass
class QuestionView:
    question: Question
    center: Center
    asker: User
    facilitator_name: str


async def question_view(session: AsyncSession, question_id: int) -> QuestionView | None:
    question = await repo.question(session, question_id)
    if question is None:
        return None
    center = await centers_repo.by_id(session, question.center_id)
    asker = await users_repo.by_id(session, question.asker_id)
    facilitator = await repo.of_user(session, question.facilitator_id)
    facilitator_user = await users_repo.by_id(session, question.facilitator_id)
    if center is None or asker is None:
        return None
    # As the asker's card names them (see `asking`).
    name = (facilitator_user.full_name if facilitator_user else None) or (facilitator.name if facilitator else "")
    return QuestionView(question, center, asker, name)


async def answerable(session: AsyncSession, question_id: int, user_id: int) -> QuestionView:
    """The question, if it is this facilitator's and still open."""
    view = await question_view(session, question_id)
    if view is None or view.question.facilitator_id != user_id:
        raise FacilitationRefusal(FacilitationRefusal.QUESTION_GONE)
    if view.question.status != QuestionStatus.OPEN:
        raise FacilitationRefusal(FacilitationRefusal.ALREADY_ANSWERED)
    return view


async def answer(session: AsyncSession, question_id: int, user: User, text: str, now: datetime) -> QuestionView:
    view = await answerable(session, question_id, id_of(user))
    if not await repo.answer_if_open(session, question_id, id_of(user), text, now):
        raise FacilitationRefusal(FacilitationRefusal.ALREADY_ANSWERED)
    audit.add(session, user.id, "question.answered", "question", question_id, now)
    await session.refresh(view.question)
    return view


async def open_questions(session: AsyncSession, user_id: int, limit: int) -> tuple[list[QuestionView], int]:
    found = []
    for question in await repo.open_questions(session, user_id, limit):
        view = await question_view(session, id_of(question))
        if view is not None:
            found.append(view)
    return found, await repo.count_open(session, user_id)


async def unanswered(session: AsyncSession, now: datetime) -> list[Question]:
    return await repo.unanswered_since(session, now - REMIND_AFTER)


async def mark_reminded(session: AsyncSession, question_id: int, now: datetime) -> bool:
    return await repo.mark_reminded(session, question_id, now)


async def delivery_status(session: AsyncSession, purpose: str, ref_id: int, user_id: int) -> str | None:
    return await repo.delivery_status(session, purpose, ref_id, user_id)


# --- the weekly digest ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    key: int  # days from 1970-01-01 to its Saturday: the digest's Delivery ref_id
    start: datetime  # Saturday 00:00 local, in UTC
    due: datetime  # Saturday DIGEST_HOUR:00 local, in UTC


def digest_week(now: datetime, tz: ZoneInfo) -> Week:
    start = week_start(now, tz)
    local_start = start.astimezone(tz)
    key = (local_start.date() - datetime(1970, 1, 1).date()).days
    return Week(key, start, start + timedelta(hours=DIGEST_HOUR))


async def digest_recipients(session: AsyncSession, week: Week) -> list[User]:
    """Facilitators serving a center, appointed before the digest fell due."""
    ids = await repo.facilitator_ids_with_centers(session)
    rows = await repo.by_user_ids(session, ids)
    people = await users_repo.by_ids(session, [i for i, row in rows.items() if row.appointed_at < week.due])
    return [people[i] for i in sorted(people)]


@dataclass
class Digest:
    changes: list[tuple[Center, repo.Changes]]
    health: list[Health]
    open_questions: int


async def digest(session: AsyncSession, user_id: int, week: Week, now: datetime) -> Digest:
    """What changed in this facilitator's centers in the week before the digest fell due,
    and the centers needing help now."""
    centers = await repo.centers_of(session, user_id)
    changes = await repo.changes_by_center(session, [id_of(c) for c in centers], week.due - timedelta(days=7), week.due)
    changed = [(c, changes[id_of(c)]) for c in centers if id_of(c) in changes and changes[id_of(c)].any]
    return Digest(changed, await health(session, centers, now), await repo.count_open(session, user_id))


# --- for the actions' follow-ups -------------------------------------------------------------------


async def people(session: AsyncSession, user_ids: list[int]) -> dict[int, User]:
    return await users_repo.by_ids(session, user_ids)


async def enqueue_set_notices(session: AsyncSession, appointed: Appointed, now: datetime) -> int:
    """A pending row per leader and assistant of the appointed centers (the batch sends them)."""
    recipients = {i for c in appointed.view.centers for i in (c.leader_id, c.assistant_id) if i}
    return await deliveries_repo.enqueue(session, AssociationPurpose.FACILITATOR_SET,
                                         id_of(appointed.view.invitation), recipients, now)


async def set_notice_targets(session: AsyncSession, invitation_id: int) -> tuple[str, dict[int, Center]] | None:
    """(the facilitator's name, each leader's and assistant's center) for the centers the
    accepted invitation's person still serves."""
    invitation, person = await invitation_outcome(session, invitation_id)
    if person is None or invitation.status != InvitationStatus.ACCEPTED:
        return None
    targets: dict[int, Center] = {}
    for center in await association_repo.by_ids(session, _center_ids(invitation)):
        if center.facilitator_id == person.id:
            for staff in (center.leader_id, center.assistant_id):
                if staff:
                    targets[staff] = center
    return invitation.name, targets


def invitation_size(invitation: FacilitatorInvitation) -> int:
    return len(_center_ids(invitation))


async def digest_done(session: AsyncSession, week: Week) -> set[int]:
    return await deliveries_repo.existing_user_ids(session, AssociationPurpose.FACILITATOR_DIGEST, week.key)
