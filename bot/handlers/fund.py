"""The loan fund's buttons (fd:) and the treasurer's link (`/start ft-<token>`).

Each tap is authorised from the tapping person: their place in the fund is worked out from
who they are; an id in the data only names a row, and a row of a fund that is not theirs to
act on is refused (services/fund.py, services/fund_ledger.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import callbacks, links
from bot.actions import fund as actions
from bot.db.enums import FundShare
from bot.db.models import User
from bot.deps import Deps
from bot.persian.catalog import Raw, t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer, main_menu, reply
from bot.services.fund import FundProblem
from bot.platforms import parse_mode
from bot.views import fund as views
from bot.views import fund_reports as report_views
from bot.views.fund import problem_text

T = TypeVar("T")


async def _refuse(update: Update, context: KanoonContext, problem: FundProblem) -> None:
    await answer(update, context, problem_text(problem), alert=True)


async def show_home(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    await answer(update, context)
    home = await actions.home(context.deps, context.me)
    if home.place is None and home.center is None:  # a facilitator sees their centers' funds' figures
        facilitated = await actions.facilitator_figures(context.deps, context.me)
        if facilitated:
            await reply(update, context, views.facilitator_figures(facilitated))
            return
    await reply(update, context, *views.home(home))


async def on_join(update: Update, context: KanoonContext) -> None:
    assert context.me is not None and update.callback_query is not None
    parsed = callbacks.FUND_JOIN.parse(update.callback_query.data)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    share, fund_id = parsed
    try:
        member, fund = await actions.join(context.deps, context.me, fund_id, FundShare(share))
    except FundProblem as problem:
        await _refuse(update, context, problem)
        return
    await answer(update, context)
    await reply(update, context, views.joined(fund, member.share))
    await reply(update, context, *views.home(await actions.home(context.deps, context.me)))


async def on_paid(update: Update, context: KanoonContext) -> None:
    assert context.me is not None and update.callback_query is not None
    parsed = callbacks.FUND_PAID.parse(update.callback_query.data)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        view, new = await actions.report_paid(context.deps, context.me, parsed[0])
    except FundProblem as problem:
        await _refuse(update, context, problem)
        return
    await answer(update, context)
    await reply(update, context, views.paid_recorded(view, new))


async def on_decide(update: Update, context: KanoonContext) -> None:
    assert context.me is not None and update.callback_query is not None
    query = update.callback_query
    parsed = callbacks.FUND_CLAIM_DECIDE.parse(query.data)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    choice, claim_id = parsed
    try:
        decided, view = await actions.decide(context.deps, context.me, claim_id, choice == "y")
    except FundProblem as problem:
        await _refuse(update, context, problem)
        return
    await answer(update, context)
    text = views.decided(view, decided.claim.status == "confirmed", decided.already)
    if query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text)
    else:
        await reply(update, context, text)


async def on_pending(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    try:
        claims = await actions.pending_claims(context.deps, context.me)
    except FundProblem as problem:
        await _refuse(update, context, problem)
        return
    await answer(update, context)
    assert update.effective_chat is not None
    for text, markup, photo in views.pending_list(claims, context.platform):
        await context.messenger.send(update.effective_chat.id, text, markup, photo=photo)


async def _show_to_staff_or_member(update: Update, context: KanoonContext,
                                   look: Callable[[Deps, User], Awaitable[T]], render: Callable[[T], Raw]) -> None:
    """One read-only look (late list, statement, figures): refused with its reason, or shown."""
    assert context.me is not None
    try:
        found = await look(context.deps, context.me)
    except FundProblem as problem:
        await _refuse(update, context, problem)
        return
    await answer(update, context)
    await reply(update, context, render(found))


async def on_late(update: Update, context: KanoonContext) -> None:
    await _show_to_staff_or_member(update, context, actions.late_list, lambda found: views.late_list(found[1]))


async def on_statement(update: Update, context: KanoonContext) -> None:
    await _show_to_staff_or_member(update, context, actions.statement, views.statement)


async def on_figures(update: Update, context: KanoonContext) -> None:
    await _show_to_staff_or_member(update, context, actions.figures, views.figures)


async def on_report(update: Update, context: KanoonContext) -> None:
    assert context.me is not None and update.effective_chat is not None
    try:
        found = await actions.report(context.deps, context.me)
    except FundProblem as problem:
        await _refuse(update, context, problem)
        return
    await answer(update, context)
    text = report_views.report_text(found.center, found.series)
    await reply(update, context, text)
    await context.bot.send_photo(update.effective_chat.id, photo=report_views.chart_png(found.center, found.series),
                                 caption=context.messenger.render(t("fund-chart-title", center=found.center.name)),
                                 parse_mode=parse_mode(context.platform))


async def on_export(update: Update, context: KanoonContext) -> None:
    assert context.me is not None and update.callback_query is not None and update.effective_chat is not None
    parsed = callbacks.FUND_EXPORT.parse(update.callback_query.data)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        found = await actions.report(context.deps, context.me)
    except FundProblem as problem:
        await _refuse(update, context, problem)
        return
    await answer(update, context)
    deps = context.deps
    content, filename, caption = report_views.ledger_file(parsed[0], found.center, found.entries, found.names,
                                                          deps.clock(), deps.settings.tz)
    await context.bot.send_document(update.effective_chat.id, document=content, filename=filename,
                                    caption=context.messenger.render(caption), parse_mode=parse_mode(context.platform))


async def on_photo(update: Update, context: KanoonContext) -> None:
    """A receipt photo after «واریز کردم»: kept with this month's pending claim. Any other photo
    gets what the main menu says to any picture (handlers/basic.not_text)."""
    assert context.me is not None
    message = update.effective_message
    photo = message.photo[-1] if message is not None and message.photo else None
    kept = await actions.add_receipt(context.deps, context.me, photo.file_id) if photo is not None else "no-claim"
    if kept == "no-claim":
        await reply(update, context, t("menu-not-text"), main_menu())
    else:
        await reply(update, context, t("fund-receipt-saved" if kept == "kept" else "fund-receipt-had-one"))


# --- the treasurer's invitation -------------------------------------------------------------------


async def open_treasurer_link(update: Update, context: KanoonContext) -> None:
    assert context.me is not None
    token = links.payload_after(links.FUND_TREASURER_INVITE, context.args) or ""
    try:
        center = await actions.treasurer_invitation(context.deps, context.me, token)
    except FundProblem as problem:
        await reply(update, context, problem_text(problem), main_menu())
        return
    await reply(update, context, *views.treasurer_card(center, token))


async def on_treasurer_answer(update: Update, context: KanoonContext) -> None:
    assert context.me is not None and update.callback_query is not None
    query = update.callback_query
    accepted = callbacks.FUND_TREASURER_ACCEPT.parse(query.data)
    declined = callbacks.FUND_TREASURER_DECLINE.parse(query.data)
    parsed = accepted or declined
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return
    try:
        center = await actions.answer_treasurer(context.deps, context.me, parsed[0], accepted is not None)
    except FundProblem as problem:
        await _refuse(update, context, problem)
        return
    await answer(update, context)
    text = t("fund-treasurer-accepted", center=center.name) if accepted else t("fund-treasurer-declined")
    if query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text)


ONE_TAP = (
    (callbacks.FUND_HOME, show_home),
    (callbacks.FUND_JOIN, on_join),
    (callbacks.FUND_PAID, on_paid),
    (callbacks.FUND_CLAIM_DECIDE, on_decide),
    (callbacks.FUND_PENDING, on_pending),
    (callbacks.FUND_LATE, on_late),
    (callbacks.FUND_STATEMENT, on_statement),
    (callbacks.FUND_FIGURES, on_figures),
    (callbacks.FUND_REPORT, on_report),
    (callbacks.FUND_EXPORT, on_export),
    (callbacks.FUND_TREASURER_ACCEPT, on_treasurer_answer),
    (callbacks.FUND_TREASURER_DECLINE, on_treasurer_answer),
)


def one_tap_buttons() -> list[BaseHandler[Any, Any, Any]]:
    """A confirmer's ✅ and a member's «واریز کردم» work in the middle of any conversation."""
    return [CallbackQueryHandler(handler, pattern=codec.matches) for codec, handler in ONE_TAP]


def link_handlers() -> list[BaseHandler[Any, Any, Any]]:
    """Registered before /start's own handler, which would otherwise take the link."""
    return [CommandHandler("start", open_treasurer_link,
                           filters=filters.Regex(links.start_pattern(links.FUND_TREASURER_INVITE)))]


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return [CommandHandler("fund", show_home), *one_tap_buttons(), MessageHandler(filters.PHOTO, on_photo)]
