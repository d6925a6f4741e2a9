"""Registering a center, its assistant's invitation, and the leader's card: one function per intent.

Each opens one unit of work, lets the rules in bot/services/centers.py do the work, and after
the commit tells the people concerned through `delivery.notify`, keyed by purpose and
invitation: a finishing step repeated after a crash (the same draft key, the same token) finds
what it already made and tells nobody twice. Refusals are `centers.Problem` (a Refusal).

The resenders at the end render a registration notice again from the state *then*, for the
notices that passing errors or a crash left unsent (listed in bot/runner.py RESENDERS).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import CenterStatus, Purpose
from bot.db.models import AssistantInvitation, Center, Delivery, User
from bot.deps import Deps, Rendered
from bot.sending.delivery import expect_notice, notify
from bot.services import centers, users
from bot.services.centers import Accepted, Card, InvitationView, Problem
from bot.services.users import id_of
from bot.views import centers as views


# --- registering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Answers:
    """What the leader answered in the registration conversation."""

    name: str
    kind: str
    kind_label: str | None
    area: str | None
    description: str | None
    full_name: str
    mobile: str


@dataclass
class Registered:
    center: Center
    invitation: AssistantInvitation | None  # the open one to forward (None if none is open now)
    leader: User
    already: bool = False  # this draft had registered it already (a repeated «تأیید»)


async def register_center(deps: Deps, actor: User, answers: Answers, request_key: str) -> Registered:
    """The center awaiting its assistant, with its first invitation. `request_key` is the
    draft's: the same key again finds the center it made instead of making a second one."""
    leader_id = id_of(actor)
    async with deps.unit() as session:
        made = await centers.find_registration(session, leader_id, request_key)
        if made is not None:
            if made.status not in centers.LIVE:
                raise Problem(Problem.CENTER_GONE)  # made, then dropped: nothing to show again
            invitation = await centers.current_invitation(session, centers.id_of(made))
            return Registered(made, invitation, await users.get(session, leader_id), already=True)
        center, invitation = await centers.register(
            session, leader_id, name=answers.name, kind=answers.kind, kind_label=answers.kind_label,
            area=answers.area, description=answers.description, full_name=answers.full_name,
            mobile=answers.mobile, now=deps.clock(), request_key=request_key,
        )
        leader = await users.get(session, leader_id)
    return Registered(center, invitation, leader)


# --- the leader's invitation ----------------------------------------------------------------


@dataclass
class ToForward:
    """An invitation for the leader to forward, with what its messages name."""

    center: Center
    invitation: AssistantInvitation
    leader: User
    assistant: User | None  # the assistant it would replace, if any


async def _to_forward(session: AsyncSession, center: Center, invitation: AssistantInvitation) -> ToForward:
    assistant = await users.get(session, center.assistant_id) if center.assistant_id else None
    return ToForward(center, invitation, await users.get(session, center.leader_id), assistant)


async def invite_assistant(deps: Deps, actor: User, *, only_while_awaiting: bool = False) -> ToForward:
    """An invitation to forward: the valid open one, else a new one (first, after a decline or
    expiry, or to replace the assistant). `only_while_awaiting`: the button under «… declined»,
    which no longer invites once the center has its assistant."""
    async with deps.unit() as session:
        center = await centers.led_center(session, id_of(actor))
        if only_while_awaiting and center.status != CenterStatus.AWAITING_ASSISTANT:
            raise Problem(Problem.HAS_ASSISTANT)
        invitation = await centers.issue_invitation(session, centers.id_of(center), id_of(actor), deps.clock())
        return await _to_forward(session, center, invitation)


async def invitation_to_resend(deps: Deps, actor: User) -> ToForward | None:
    """The open, still valid invitation to forward again; None if there is none."""
    async with deps.unit() as session:
        center = await centers.led_center(session, id_of(actor))
        invitation = await centers.current_invitation(session, centers.id_of(center))
        if invitation is None or centers.is_expired(invitation, deps.clock()):
            return None
        return await _to_forward(session, center, invitation)


async def cancel_invitation(deps: Deps, actor: User) -> bool:
    """True if an open invitation was cancelled (its link no longer works)."""
    async with deps.unit() as session:
        center = await centers.led_center(session, id_of(actor))
        return await centers.cancel_invitation(session, centers.id_of(center), id_of(actor), deps.clock())


async def drop_registration(deps: Deps, actor: User) -> Center:
    """The leader gives up a registration still awaiting its assistant."""
    async with deps.unit() as session:
        center = await centers.led_center(session, id_of(actor))
        return await centers.drop_registration(session, centers.id_of(center), id_of(actor), deps.clock())


async def update_details(deps: Deps, actor: User, field: str, value: str | None) -> Center:
    """The leader changes the name, area or description (None clears area or description)."""
    async with deps.unit() as session:
        center = await centers.led_center(session, id_of(actor))
        return await centers.update_details(session, centers.id_of(center), id_of(actor), field, value, deps.clock())


# --- the invited person ---------------------------------------------------------------------


async def open_invitation(deps: Deps, actor: User, token: str) -> InvitationView:
    """What the person who opened the link (or tapped «✅ قبول») may do; Problem if nothing."""
    async with deps.unit() as session:
        return await centers.inspect_invitation(session, token, id_of(actor), deps.clock())


async def accept_invitation(deps: Deps, actor: User, token: str, *, full_name: str, mobile: str) -> Accepted:
    """The invited person takes the role; the leader (and a replaced assistant) are told.
    The token is the key: accepting again finds the first acceptance (`already`)."""
    async with deps.unit() as session:
        accepted = await centers.accept_invitation(
            session, token, id_of(actor), full_name=full_name, mobile=mobile, now=deps.clock(),
        )
        for person, purpose in _acceptance_notices(accepted):  # rows first: they commit with it
            await expect_notice(session, person, purpose, accepted.invitation_id, deps.clock())
    await _tell_acceptance(deps, accepted)  # again after a repeat: a notice a crash left unsent goes now
    return accepted


def _acceptance_notices(accepted: Accepted) -> list[tuple[User, Purpose]]:
    """Who hears of an acceptance, and which notice: what _tell_acceptance sends."""
    notices = [(accepted.leader, Purpose.INVITATION_ACCEPTED)]
    if accepted.activated:
        notices.append((accepted.leader, Purpose.MEMBER_LINKS))
    elif accepted.previous_assistant is not None:
        notices.append((accepted.previous_assistant, Purpose.INVITATION_REPLACED))
    return notices


async def _tell_acceptance(deps: Deps, accepted: Accepted) -> None:
    ref = accepted.invitation_id
    await notify(deps, accepted.leader, views.accepted_notice(accepted),
                 purpose=Purpose.INVITATION_ACCEPTED, ref_id=ref)
    if accepted.activated:
        await notify(deps, accepted.leader, views.member_invitation(deps, accepted.center),
                     purpose=Purpose.MEMBER_LINKS, ref_id=ref)
    elif accepted.previous_assistant is not None:
        await notify(deps, accepted.previous_assistant, *views.replaced_notice(accepted),
                     purpose=Purpose.INVITATION_REPLACED, ref_id=ref)


async def decline_invitation(deps: Deps, actor: User, token: str) -> InvitationView:
    """The invited person says no; the leader is told, with a button to invite someone else."""
    async with deps.unit() as session:
        view = await centers.decline_invitation(session, token, id_of(actor), deps.clock())
        await expect_notice(session, view.leader, Purpose.INVITATION_DECLINED,  # rows first
                            centers.id_of(view.invitation), deps.clock())
    await notify(deps, view.leader, *views.declined_notice(view, actor),
                 purpose=Purpose.INVITATION_DECLINED, ref_id=centers.id_of(view.invitation))
    return view


# --- looking (read only) --------------------------------------------------------------------


async def center_run_by(deps: Deps, actor: User) -> Center | None:
    """The live center this person leads or assists."""
    async with deps.unit() as session:
        return await centers.run_by(session, id_of(actor))


async def card_of(deps: Deps, actor: User) -> Card | None:
    """The card of the center this person leads or assists; None if they run none."""
    async with deps.unit() as session:
        center = await centers.run_by(session, id_of(actor))
        return await centers.card(session, centers.id_of(center)) if center is not None else None


async def led_center(deps: Deps, actor: User) -> Center:
    """The center this person leads and still manages; Problem if none."""
    async with deps.unit() as session:
        return await centers.led_center(session, id_of(actor))


async def member_link_center(deps: Deps, actor: User) -> Center:
    """The center whose member link this leader or assistant may hand out (an active one)."""
    center = await center_run_by(deps, actor)
    if center is None:
        raise Problem(Problem.NO_CENTER)
    if center.status != CenterStatus.ACTIVE or center.code is None:
        raise Problem(Problem.NOT_ACTIVE_YET)
    return center


async def duplicate_of(deps: Deps, name: str, area: str | None, exclude_id: int | None = None) -> Center | None:
    """Another active center with the same name in the same area (the leader is warned)."""
    async with deps.unit() as session:
        return await centers.find_duplicate(session, name, area, exclude_id)


# --- notices sent again (bot/runner.py RESENDERS) --------------------------------------------------
# From the state now: a notice that is no longer true (the assistant changed again, the center
# got its assistant or was dropped) is skipped.


async def _acceptance(deps: Deps, invitation_id: int) -> Accepted | None:
    async with deps.unit() as session:
        accepted = await centers.acceptance(session, invitation_id)
    if accepted is None or accepted.center.assistant_id != accepted.assistant.id:
        return None
    return accepted


async def accepted_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    accepted = await _acceptance(deps, row.ref_id)
    if accepted is None or recipient.id != accepted.center.leader_id:
        return None
    return views.accepted_notice(accepted), None


async def member_links_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    accepted = await _acceptance(deps, row.ref_id)
    center = accepted.center if accepted is not None else None
    if center is None or recipient.id != center.leader_id or center.status != CenterStatus.ACTIVE or not center.code:
        return None
    return views.member_invitation(deps, center), None


async def replaced_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    accepted = await _acceptance(deps, row.ref_id)
    if accepted is None or accepted.previous_assistant is None or recipient.id != accepted.previous_assistant.id:
        return None
    return views.replaced_notice(accepted)


async def declined_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await centers.declined(session, row.ref_id)
    if found is None:
        return None
    view, person = found
    center = view.center
    if center.status != CenterStatus.AWAITING_ASSISTANT or center.assistant_id is not None:
        return None  # the center got its assistant, or was dropped: no longer news
    if recipient.id != center.leader_id:
        return None
    return views.declined_notice(view, person)
