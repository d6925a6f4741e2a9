"""The assistant's side of joining: the request message, ✅/❌, reasons, /requests, approve-all.

Callback data (prefix rq:, ids are membership ids; who may act is always worked out from
the tapping user, never from the data):
  rq:a:<id> approve · rq:r:<id> pick a reason · rq:x:<id>:<reason|none> reject ·
  rq:o:<id> reject with own words (bot/conversations/reject_reason.py) · rq:b:<id> back ·
  rq:list the pending list · rq:all:<ms> / rq:ally:<ms> / rq:alln:<ms> approve all (ms: list time)
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timezone

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.ptb.context import KanoonContext
from bot.db.models import Center, Delivery, User
from bot.sending.delivery import notify
from bot.deps import Deps
from bot.views import joining as views
from bot.persian.catalog import t
from bot.services import memberships as svc
from bot.persian.text import persian_digits
from bot.ptb.ui import answer, inline, label, reply

log = logging.getLogger(__name__)

# Requests shown one message each by /requests; the rest wait for the next look.
LIST_LIMIT = 10
LEADER_LIST_LIMIT = 30
PURPOSE_REQUEST = "join_request"
PURPOSE_REQUEST_LEADER = "join_request_leader"
PURPOSE_DECISION = "join_decision"


# --- telling people ---------------------------------------------------------------------


async def send_to_assistant(deps: Deps, membership_id: int) -> None:
    """The new request to the center's assistant, on their platform; the leader if that fails."""
    async with deps.sessions() as session:
        view = await svc.membership_view(session, membership_id)
        assert view is not None
        membership, center, applicant = view
        info = await svc.center_info(session, center)
    if info.assistant is None:
        return
    sent = await notify(
        deps, info.assistant, views.request_text(membership, applicant, center), views.request_buttons(membership_id),
        purpose=PURPOSE_REQUEST, ref_id=membership_id,
    )
    if sent is not None or info.leader is None:
        return
    async with deps.sessions() as session:
        status = await svc.notice_status(session, PURPOSE_REQUEST, membership_id, info.assistant.id)
    if status == "unreachable":
        await notify(deps, info.leader, _unreachable_text(applicant, center, info.assistant),
                     purpose=PURPOSE_REQUEST_LEADER, ref_id=membership_id)


def _unreachable_text(applicant: User, center: Center, assistant: User | None) -> str:
    return t("rq-assistant-unreachable", name=views.person_name(applicant), center=center.name,
             assistant=views.person_name(assistant))


def _decision_text(decision: svc.Decision) -> str:
    membership, center = decision.membership, decision.center
    assert membership is not None and center is not None
    if decision.outcome is svc.DecisionOutcome.APPROVED:
        return t("rq-welcome", center=center.name)
    assert membership.decided_at is not None
    retry = views.when(membership.decided_at + svc.REASK_AFTER)
    reason = views.reason_text(membership)
    if reason:
        return t("rq-rejected-member-reason", center=center.name, reason=reason, retry=retry)
    return t("rq-rejected-member", center=center.name, retry=retry)


async def tell_applicant(deps: Deps, decision: svc.Decision) -> bool:
    """The decision to the applicant (once, whatever happens); False if they could not be reached."""
    membership, applicant = decision.membership, decision.applicant
    assert membership is not None and applicant is not None
    # No keyboard: the person may be in the middle of something else; the main menu stays as it is.
    await notify(deps, applicant, _decision_text(decision), purpose=PURPOSE_DECISION, ref_id=membership.id)
    async with deps.sessions() as session:
        status = await svc.notice_status(session, PURPOSE_DECISION, membership.id, applicant.id)  # type: ignore[arg-type]
    return status != "unreachable"


# Notices a passing error or a crash left unsent go again (bot/delivery.resend_notices), as the
# request stands then: a decided or withdrawn request, or a replaced assistant, gets none.


async def request_again(deps: Deps, row: Delivery, recipient: User) -> tuple[str, InlineKeyboardMarkup] | None:
    async with deps.sessions() as session:
        found = await svc.request_to_tell(session, row.ref_id, recipient.id, "assistant")  # type: ignore[arg-type]
    if found is None:
        return None
    membership, center, applicant, _ = found
    return views.request_text(membership, applicant, center), views.request_buttons(row.ref_id)


async def leader_alert_again(deps: Deps, row: Delivery, recipient: User) -> tuple[str, None] | None:
    async with deps.sessions() as session:
        found = await svc.request_to_tell(session, row.ref_id, recipient.id, "leader")  # type: ignore[arg-type]
    if found is None:
        return None
    _, center, applicant, assistant = found
    return _unreachable_text(applicant, center, assistant), None


async def decision_again(deps: Deps, row: Delivery, recipient: User) -> tuple[str, None] | None:
    async with deps.sessions() as session:
        decision = await svc.decision_to_tell(session, row.ref_id, recipient.id)  # type: ignore[arg-type]
    return (_decision_text(decision), None) if decision is not None else None


async def settle(context: KanoonContext, decision: svc.Decision, chat_id: int, message_id: int | None) -> None:
    """After the one call that decided: tell the applicant, then show the decision in place."""
    reached = await tell_applicant(context.deps, decision)
    await context.messenger.edit_or_send(chat_id, message_id, views.decided_text(decision, unreachable=not reached))


async def show_outcome(update: Update, context: KanoonContext, decision: svc.Decision) -> None:
    """Answer the tap; after a decision, settle it; a stale tap by the assistant refreshes the message."""
    query = update.callback_query
    await answer(update, context, views.decision_answer(decision.outcome))
    message = query.message if query else None
    if message is None:
        return
    if decision.made:
        await settle(context, decision, message.chat.id, message.message_id)
    elif decision.outcome in (svc.DecisionOutcome.ALREADY_DECIDED, svc.DecisionOutcome.WITHDRAWN) and decision.center:
        # Only the current assistant gets here (see why_not_decide): bring the old message up to date.
        await context.messenger.edit_or_send(message.chat.id, message.message_id, views.decided_text(decision))


# --- the buttons -----------------------------------------------------------------------------


async def _decide(update: Update, context: KanoonContext, membership_id: int, approve: bool,
                  reason: str | None = None) -> None:
    assert context.me is not None
    async with context.sessions() as session:
        decision = await svc.decide(session, membership_id, context.me.id, approve, context.deps.clock(), reason=reason)
    await show_outcome(update, context, decision)


async def _show_request(update: Update, context: KanoonContext, membership_id: int, asking_reason: bool) -> None:
    """Switch the message between ✅/❌ and the reasons, if this person may still decide."""
    assert context.me is not None
    async with context.sessions() as session:
        blocker = await svc.why_not_decide(session, membership_id, context.me.id)
        view = None if blocker else await svc.membership_view(session, membership_id)
    if blocker is not None:
        await show_outcome(update, context, blocker)
        return
    assert view is not None
    await answer(update, context)
    membership, center, applicant = view
    text = views.request_text(membership, applicant, center)
    if asking_reason:
        text, markup = views.lines(text, "", t("rq-ask-reason")), views.reason_buttons(membership_id)
    else:
        markup = views.request_buttons(membership_id)
    message = update.callback_query.message
    await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup)


def _moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def _ms(moment: datetime) -> int:
    return math.ceil(moment.timestamp() * 1000)


async def _approve_all(update: Update, context: KanoonContext, step: str, ms: int) -> None:
    assert context.me is not None
    message = update.callback_query.message
    async with context.sessions() as session:
        staff = await svc.staff_of(session, context.me.id)
        if staff is None or not staff.is_assistant:
            await answer(update, context, t("rq-answer-not-assistant"))
            return
        count = len(await svc.pending_up_to(session, staff.center.id, _moment(ms)))
    if step == "all":  # ask first
        await answer(update, context)
        markup = inline([(label("rq-btn-confirm-all"), f"rq:ally:{ms}"), (label("rq-btn-cancel-all"), f"rq:alln:{ms}")])
        text = t("rq-confirm-all", count=count) if count else t("rq-all-nothing")
        await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup if count else None)
        return
    if step == "alln":
        await answer(update, context)
        await context.messenger.edit_or_send(message.chat.id, message.message_id, t("rq-all-cancelled"))
        return
    async with context.sessions() as session:
        decisions = await svc.approve_all(session, context.me.id, _moment(ms), context.deps.clock())
    await answer(update, context, t("rq-all-done", count=len(decisions)) if decisions else t("rq-all-nothing"))
    for decision in decisions:
        await tell_applicant(context.deps, decision)
    text = t("rq-all-done", count=len(decisions)) if decisions else t("rq-all-nothing")
    await context.messenger.edit_or_send(message.chat.id, message.message_id, text)


async def on_callback(update: Update, context: KanoonContext) -> None:
    parts = update.callback_query.data.split(":")
    action, args = parts[1], parts[2:]
    if action == "list":
        await answer(update, context)
        await show_requests(update, context)
    elif action in ("a", "r", "b", "x") and args and args[0].isdigit():
        membership_id = int(args[0])
        if action == "a":
            await _decide(update, context, membership_id, approve=True)
        elif action == "x" and len(args) == 2 and args[1] in (*svc.REJECT_PRESETS, "none"):
            await _decide(update, context, membership_id, approve=False, reason=None if args[1] == "none" else args[1])
        elif action in ("r", "b"):
            await _show_request(update, context, membership_id, asking_reason=action == "r")
        else:
            await answer(update, context, t("button-stale"))
    elif action in ("all", "ally", "alln") and args and args[0].isdigit():
        await _approve_all(update, context, action, int(args[0]))
    else:
        await answer(update, context, t("button-stale"))


# --- /requests ---------------------------------------------------------------------------------


async def show_requests(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    now = context.deps.clock()
    async with context.sessions() as session:
        staff = await svc.staff_of(session, context.me.id)
        if staff is None:
            await reply(update, context, t("rq-not-staff"))
            return
        rows = await svc.pending_requests(session, staff.center.id)
        info = await svc.center_info(session, staff.center)
    if not rows:
        await reply(update, context, t("rq-none"))
        return
    if not staff.is_assistant:  # the leader sees who is waiting; deciding is the assistant's
        listed = [
            t("rq-leader-line", n=n, name=views.person_name(user), mobile=persian_digits(user.mobile or ""),
              date=views.when(membership.requested_at))
            for n, (membership, user) in enumerate(rows[:LEADER_LIST_LIMIT], start=1)
        ]
        header = t("rq-leader-header", count=len(rows), assistant=views.person_name(info.assistant))
        await reply(update, context, views.lines(header, *listed, "", t("rq-leader-footer")))
        return
    await reply(update, context, t("rq-list-header", count=len(rows)))
    for membership, user in rows[:LIST_LIMIT]:
        await reply(update, context, views.request_text(membership, user, staff.center),
                    views.request_buttons(membership.id))  # type: ignore[arg-type]
    if len(rows) > LIST_LIMIT:
        await reply(update, context, t("rq-list-more", rest=len(rows) - LIST_LIMIT))
    if len(rows) > 1:
        markup = inline([(label("rq-btn-approve-all", count=len(rows)), f"rq:all:{_ms(now)}")])
        await reply(update, context, t("rq-list-summary", count=len(rows)), markup)


def one_tap_buttons() -> list[BaseHandler]:
    """Deciding stays possible in the middle of any conversation; «دلیل دیگر» (rq:o:) starts one."""
    return [CallbackQueryHandler(on_callback, pattern=r"^rq:(?!o:)")]


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("requests", show_requests),
        CallbackQueryHandler(on_callback, pattern=r"^rq:"),
    ]
