"""What people do in the joining feature: one function per intent.

Each opens one unit of work for the rules (bot/services/memberships.py), in which the notice's
Delivery row is written, pending (rows first: it commits with the change); after the commit it
tells whoever must hear (the assistant of a new request, the applicant of a decision, a removed
member, the assistant of a member who left). Refusals are raised as JoiningRefusal subclasses
carrying what the handler needs to say why; everything else is returned for the handler to
render (bot/views/joining.py). No Telegram types here.

The read-only queries the handlers and conversations show (a center's card, the lists) are
here too, so they never open a session themselves.

Refusals are raised once the unit of work has closed: a rollback would expire the rows they
carry for the handler to show.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.engine import autocommit
from bot.db.enums import DeliveryStatus, MembershipStatus, Purpose
from bot.db.models import Center, Delivery, Membership, User
from bot.deps import Deps, Rendered
from bot.exports import apart
from bot.exports.members_sheet import MembersSheet
from bot.sending.delivery import expect_notice, notify
from bot.services import memberships as svc
from bot.services import users as users_svc
from bot.services.memberships import (
    CenterInfo,
    Decision,
    EndOutcome,
    Ending,
    JoinOutcome,
    JoinResult,
    MembersPage,
    Staff,
    StaffRole,
    id_of,
)
from bot.services.refusals import Refusal
from bot.views import joining as views

log = logging.getLogger(__name__)


# --- refusals ---------------------------------------------------------------------------------


class JoiningRefusal(Refusal):
    feature = "joining"


class RequestNotSaved(JoiningRefusal):
    """A join request a rule refused (already pending, member elsewhere, too soon…)."""

    def __init__(self, result: JoinResult) -> None:
        super().__init__(result.outcome.value)
        self.result = result


class NotDecided(JoiningRefusal):
    """A tap on a request this person may not (or no longer) decide."""

    def __init__(self, decision: Decision) -> None:
        super().__init__(decision.outcome.value)
        self.decision = decision


class NotStaff(JoiningRefusal):
    """Lists and approve-all are for the center's leader and assistant ("not_staff"), or its
    assistant alone ("not_assistant")."""


class MembershipChanged(JoiningRefusal):
    """Leave, withdraw or remove on a membership that is not (any more) in that state, or not
    the tapping person's to change (`code`: an EndOutcome)."""

    def __init__(self, outcome: EndOutcome) -> None:
        super().__init__(outcome.value)
        self.outcome = outcome


# --- finding a center ----------------------------------------------------------------------------


async def center_by_code(deps: Deps, code: int) -> CenterInfo | None:
    """A center's card (unless it was cancelled): one read, no transaction (a join step)."""
    async with autocommit(deps.sessions) as session:
        return await svc.card_by_code(session, code)


async def center_by_id(deps: Deps, center_id: int) -> CenterInfo | None:
    async with autocommit(deps.sessions) as session:
        return await svc.card_by_id(session, center_id)


@dataclass
class Place:
    """Where a person already is: a center they run, or their membership or pending request."""

    staff: Staff | None
    current: tuple[Membership, Center] | None


async def place_of(deps: Deps, actor: User) -> Place:
    # Read only, and asked by every /help: no transaction (one or two reads).
    async with autocommit(deps.sessions) as session:
        staff = await svc.staff_of(session, id_of(actor))
        current = None if staff else await svc.current_membership(session, id_of(actor))
    return Place(staff, current)


# --- the request -----------------------------------------------------------------------------------


async def submit_join_request(
    deps: Deps, actor: User, center_id: int, source: str,
    full_name: str | None = None, mobile: str | None = None,
) -> JoinResult:
    """Ask to join a center: the request is saved (with the name and mobile just given, if any)
    and sent to its assistant. Returns SENT, or NEEDS_PROFILE (ask for the name or mobile);
    raises RequestNotSaved for the rest. A replayed tap finds the request already pending."""
    user_id, applicant = id_of(actor), actor
    async with deps.unit() as session:
        if full_name is not None or mobile is not None:
            name, number = full_name or actor.full_name, mobile or actor.mobile
            assert name is not None and number is not None
            applicant = await users_svc.set_contact_details(session, user_id, name, number)
        result = await svc.request_join(session, user_id, center_id, source, deps.clock())
        request = None
        if result.outcome is JoinOutcome.SENT:
            assert result.membership is not None and result.center is not None
            request = (result.membership, applicant, await svc.center_info(session, result.center))
            if request[2].assistant is not None:  # the notice commits with the request (rows first)
                await expect_notice(session, request[2].assistant, Purpose.JOIN_REQUEST,
                                    id_of(result.membership), deps.clock())
    if request is not None:
        await _tell_assistant(deps, *request)
    elif result.outcome is not JoinOutcome.NEEDS_PROFILE:
        raise RequestNotSaved(result)
    return result


async def _tell_assistant(deps: Deps, membership: Membership, applicant: User, info: CenterInfo) -> None:
    """The new request to the center's assistant, on their platform; the leader if that fails."""
    if info.assistant is None:
        return
    membership_id = id_of(membership)
    text, markup = views.request_message(membership, applicant, info.center, deps.settings.tz)
    sent = await notify(deps, info.assistant, text, markup, purpose=Purpose.JOIN_REQUEST, ref_id=membership_id)
    if sent is not None or info.leader is None:
        return
    async with deps.unit() as session:
        status = await svc.notice_status(session, Purpose.JOIN_REQUEST, membership_id, id_of(info.assistant))
    if status == DeliveryStatus.UNREACHABLE:
        await notify(deps, info.leader, views.assistant_unreachable_notice(applicant, info.center, info.assistant),
                     purpose=Purpose.JOIN_REQUEST_LEADER, ref_id=membership_id)


# --- the assistant's decision --------------------------------------------------------------------


@dataclass
class Decided:
    decision: Decision
    reached: bool  # False: the applicant could not be told (blocked the bot…)


async def request_to_decide(deps: Deps, actor: User, membership_id: int) -> tuple[Membership, User, Center]:
    """The request, its applicant and center, if this person may decide it now; else NotDecided."""
    async with deps.unit() as session:
        blocker = await svc.why_not_decide(session, membership_id, id_of(actor))
        view = None if blocker else await svc.membership_view(session, membership_id)
    if blocker is not None:
        raise NotDecided(blocker)
    assert view is not None
    membership, center, applicant = view
    return membership, applicant, center


async def decide_request(deps: Deps, actor: User, membership_id: int, approve: bool,
                         reason: str | None = None, note: str | None = None) -> Decided:
    """Approve or reject a request, and tell the applicant. Only the one call that changed the
    request gets here; a second tap (or the other device's) raises NotDecided (already decided)."""
    async with deps.unit() as session:
        decision = await svc.decide(session, membership_id, id_of(actor), approve, deps.clock(),
                                    reason=reason, note=note)
        if decision.made:  # the applicant's notice commits with the decision (rows first)
            await _expect_decision_notice(session, decision, deps.clock())
    if not decision.made:
        raise NotDecided(decision)
    return Decided(decision, await _tell_applicant(deps, decision))


async def _expect_decision_notice(session: AsyncSession, decision: Decision, now: datetime) -> None:
    assert decision.membership is not None and decision.applicant is not None
    await expect_notice(session, decision.applicant, Purpose.JOIN_DECISION, id_of(decision.membership), now)


async def _tell_applicant(deps: Deps, decision: Decision) -> bool:
    """The decision to the applicant (once, whatever happens); False if they could not be reached."""
    membership, applicant = decision.membership, decision.applicant
    assert membership is not None and applicant is not None
    # No keyboard: the person may be in the middle of something else; the main menu stays as it is.
    await notify(deps, applicant, views.decision_notice(decision, deps.settings.tz),
                 purpose=Purpose.JOIN_DECISION, ref_id=id_of(membership))
    async with deps.unit() as session:
        status = await svc.notice_status(session, Purpose.JOIN_DECISION, id_of(membership), id_of(applicant))
    return status != DeliveryStatus.UNREACHABLE


async def _assisted(session: AsyncSession, actor: User) -> Center | None:
    """The center this person assists, if they do."""
    staff = await svc.staff_of(session, id_of(actor))
    return staff.center if staff is not None and staff.is_assistant else None


async def requests_shown(deps: Deps, actor: User, shown_at: datetime) -> int:
    """How many requests «approve all» would approve: those waiting when the list was shown."""
    async with deps.unit() as session:
        center = await _assisted(session, actor)
        shown = await svc.pending_up_to(session, id_of(center), shown_at) if center else None
    if shown is None:
        raise NotStaff("not_assistant")
    return len(shown)


async def approve_all_shown(deps: Deps, actor: User, shown_at: datetime) -> list[Decision]:
    """Approve every request the assistant was shown (none that came later), and tell each."""
    async with deps.unit() as session:
        center = await _assisted(session, actor)
        decisions = await svc.approve_all(session, id_of(actor), shown_at, deps.clock()) if center else None
        for decision in decisions or []:
            await _expect_decision_notice(session, decision, deps.clock())
    if decisions is None:
        raise NotStaff("not_assistant")
    for decision in decisions:
        await _tell_applicant(deps, decision)
    return decisions


@dataclass
class Waiting:
    staff: Staff
    rows: list[tuple[Membership, User]]
    assistant: User | None


async def waiting_requests(deps: Deps, actor: User) -> Waiting:
    """/requests: the center's waiting requests, for its leader or assistant."""
    async with deps.unit() as session:
        staff = await svc.staff_of(session, id_of(actor))
        if staff is not None:
            rows = await svc.pending_requests(session, id_of(staff.center))
            assistant = (await svc.center_info(session, staff.center)).assistant
    if staff is None:
        raise NotStaff("not_staff")
    return Waiting(staff, rows, assistant)


# --- members ---------------------------------------------------------------------------------------


async def members_page(deps: Deps, actor: User, page: int) -> tuple[Center, MembersPage]:
    """A page of the member list, for the center's leader or assistant."""
    async with deps.unit() as session:
        staff = await svc.staff_of(session, id_of(actor))
        if staff is not None:
            found = await svc.members_page(session, id_of(staff.center), page, views.MEMBERS_PAGE_SIZE)
    if staff is None:
        raise NotStaff("not_staff")
    return staff.center, found


# Rows per read of the members file: few trips to the database, little memory per batch.
MEMBERS_FILE_BATCH = 5000


class MembersFileFailed(Exception):
    """The file's process crashed or ran out of time (logged); the person is asked to try again."""


async def members_file(deps: Deps, actor: User, workbook: bool = False) -> views.MembersFile:
    """Every member in a file (the center's leader or assistant). A big center's file is made by
    a separate process that reads the database itself (bot/exports/): made here it would hold
    everyone's updates up for seconds. A small one is made here, read a batch at a time as plain
    rows and written into the file in a worker thread, the next batch read meanwhile."""
    settings = deps.settings
    labels = views.members_sheet_labels(workbook)
    async with deps.unit() as session:
        staff = await svc.staff_of(session, id_of(actor))
        if staff is None:
            raise NotStaff("not_staff")
        center_id = id_of(staff.center)
        database = apart.database_for_worker(settings.database_url)
        if database is None or await svc.member_count(session, center_id) <= settings.export_in_process_max_rows:
            sheet = MembersSheet(labels, settings.tz, workbook)
            writing: asyncio.Future[None] | None = None
            async for batch in svc.member_rows(session, center_id, MEMBERS_FILE_BATCH):
                if writing is not None:
                    await writing
                writing = asyncio.ensure_future(asyncio.to_thread(sheet.add, batch))
            if writing is not None:
                await writing
            return views.MembersFile(staff.center, settings.tz, workbook, sheet.rows, sheet.content())
    job = {"database": database, "center_id": center_id, "status": MembershipStatus.ACTIVE.value,
           "workbook": workbook, "tz": settings.tz.key, "labels": asdict(labels), "batch": MEMBERS_FILE_BATCH}
    try:
        rows, content = await apart.run_worker(job, settings.export_timeout_seconds)
    except apart.ExportFailed as failure:
        log.error("members file of center %d: %s", center_id, failure)
        raise MembersFileFailed(str(failure)) from None
    return views.MembersFile(staff.center, settings.tz, workbook, rows, content)


def send_members_file(deps: Deps, actor: User, send: Callable[[views.MembersFile], Awaitable[object]],
                      failed: Callable[[], Awaitable[object]], workbook: bool = False) -> bool:
    """Make the file and `send` it in the background, so the person's other messages are
    answered meanwhile (a big center's file takes seconds); False if theirs is still being made.
    NotStaff reaches the caller before anything starts; if the file cannot be made, `failed()`
    tells the person (nothing was written, so a later tap starts afresh)."""

    async def work(stop: asyncio.Event) -> None:
        try:
            file = await members_file(deps, actor, workbook)
        except NotStaff:
            return  # no longer staff since the tap
        except MembersFileFailed:
            await failed()
            return
        await send(file)

    return deps.background.start(f"members-file:{actor.platform}:{id_of(actor)}", work)


async def is_staff(deps: Deps, actor: User) -> bool:
    async with deps.unit() as session:
        return await svc.staff_of(session, id_of(actor)) is not None


async def member_to_remove(deps: Deps, actor: User, membership_id: int) -> tuple[Center, User]:
    """The member the leader or assistant asks to remove; MembershipChanged if not theirs to
    remove (NOT_ALLOWED) or no longer a member (GONE)."""
    async with deps.unit() as session:
        staff = await svc.staff_of(session, id_of(actor))
        view = await svc.membership_view(session, membership_id)
    if staff is None or view is None or view[0].center_id != staff.center.id:
        raise MembershipChanged(EndOutcome.NOT_ALLOWED)
    membership, center, member = view
    if membership.status != MembershipStatus.ACTIVE:
        raise MembershipChanged(EndOutcome.GONE)
    return center, member


async def remove_member(deps: Deps, actor: User, membership_id: int) -> Ending:
    """The leader or assistant removes a member, who is told."""
    async with deps.unit() as session:
        ending = await svc.remove(session, membership_id, id_of(actor), deps.clock())
        if ending.outcome is EndOutcome.DONE and ending.member is not None:  # rows first
            await expect_notice(session, ending.member, Purpose.MEMBER_REMOVED, membership_id, deps.clock())
    if ending.outcome is not EndOutcome.DONE:
        raise MembershipChanged(ending.outcome)
    assert ending.member is not None and ending.center is not None
    role = ending.extra["role"]
    assert isinstance(role, StaffRole)
    await notify(deps, ending.member, views.removed_notice(ending.center, role),
                 purpose=Purpose.MEMBER_REMOVED, ref_id=membership_id)
    return ending


async def own_membership(deps: Deps, actor: User, membership_id: int, leaving: bool) -> Center:
    """The center of the tapping person's own membership (leaving) or request (withdrawing);
    MembershipChanged if it is not theirs or no longer in that state."""
    status = MembershipStatus.ACTIVE if leaving else MembershipStatus.PENDING
    async with deps.unit() as session:
        view = await svc.membership_view(session, membership_id)
    if view is None or view[0].user_id != actor.id or view[0].status != status:
        raise MembershipChanged(EndOutcome.GONE)
    return view[1]


async def leave_center(deps: Deps, actor: User, membership_id: int) -> Ending:
    """A member leaves their center; its assistant is told."""
    async with deps.unit() as session:
        ending = await svc.leave(session, membership_id, id_of(actor), deps.clock())
        assistant = None
        if ending.outcome is EndOutcome.DONE and ending.center is not None:
            assistant = (await svc.center_info(session, ending.center)).assistant
            if assistant is not None:  # rows first
                await expect_notice(session, assistant, Purpose.MEMBER_LEFT, membership_id, deps.clock())
    if ending.outcome is not EndOutcome.DONE:
        raise MembershipChanged(ending.outcome)
    assert ending.center is not None and ending.member is not None
    if assistant is not None:
        await notify(deps, assistant, views.left_notice(ending.member, ending.center),
                     purpose=Purpose.MEMBER_LEFT, ref_id=membership_id)
    return ending


async def withdraw_request(deps: Deps, actor: User, membership_id: int) -> Ending:
    """An applicant takes back their pending request."""
    async with deps.unit() as session:
        ending = await svc.withdraw(session, membership_id, id_of(actor), deps.clock())
    if ending.outcome is not EndOutcome.DONE:
        raise MembershipChanged(ending.outcome)
    return ending


async def membership_card(deps: Deps, actor: User, membership_id: int) -> views.Rendered | None:
    """The card of the person's own membership or pending request; None if it is neither now."""
    async with deps.unit() as session:
        found = await svc.card_of(session, membership_id, id_of(actor))
    return views.member_card(*found, deps.settings.tz) if found else None


async def member_card(deps: Deps, actor: User) -> views.Rendered | None:
    """«کانون من» for a member or an applicant: their center's card, with «leave» or «withdraw»;
    None if they have neither a membership nor a pending request (bot/handlers/mycenter.py)."""
    async with deps.unit() as session:
        current = await svc.current_membership(session, id_of(actor))
        found = await svc.card_of(session, id_of(current[0]), id_of(actor)) if current else None
    return views.member_card(*found, deps.settings.tz) if found else None


# --- notices sent again (RESENDERS in bot/runner.py) --------------------------------------------
# A notice a passing error or a crash left unsent goes again (bot/sending/delivery.resend_notices)
# as things stand then: a decided or withdrawn request, a replaced assistant, a member who has
# rejoined gets none.


async def request_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await svc.request_to_tell(session, row.ref_id, id_of(recipient), StaffRole.ASSISTANT)
    if found is None:
        return None
    membership, center, applicant, _ = found
    return views.request_message(membership, applicant, center, deps.settings.tz)


async def leader_alert_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await svc.request_to_tell(session, row.ref_id, id_of(recipient), StaffRole.LEADER)
    if found is None:
        return None
    _, center, applicant, assistant = found
    return views.assistant_unreachable_notice(applicant, center, assistant), None


async def decision_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        decision = await svc.decision_to_tell(session, row.ref_id, id_of(recipient))
    return (views.decision_notice(decision, deps.settings.tz), None) if decision is not None else None


async def removed_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await svc.ending_to_tell(session, row.ref_id, MembershipStatus.REMOVED, id_of(recipient))
    if found is None:
        return None
    membership, center, _ = found
    role = StaffRole.ASSISTANT if membership.decided_by == center.assistant_id else StaffRole.LEADER
    return views.removed_notice(center, role), None


async def left_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await svc.ending_to_tell(session, row.ref_id, MembershipStatus.LEFT, id_of(recipient))
    if found is None:
        return None
    _, center, member = found
    return views.left_notice(member, center), None
