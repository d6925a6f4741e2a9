"""The loan buttons (fd:): the guarantor's answer, staff approvals, the queue, the draw, the
payout, «واریز کردم» for an instalment. Authorised from the tapping person (services)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler

from bot import callbacks
from bot.actions import fund_loans as actions
from bot.actions import fund_support as support_actions
from bot.views.fund import problem_text
from bot.persian.catalog import Raw, t
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer, button_data, reply
from bot.services.fund import FundProblem
from bot.services.users import id_of
from bot.views import fund as fund_views
from bot.views import fund_loans as views
from bot.views import fund_support as support_views


async def _in_place(update: Update, context: KanoonContext, text: Raw | str,
                    markup: InlineKeyboardMarkup | None = None) -> None:
    query = update.callback_query
    if query is not None and query.message is not None:
        await context.messenger.edit_or_send(query.message.chat.id, query.message.message_id, text, markup)
    else:
        await reply(update, context, text, markup)


def _tap(
    codec: callbacks.Codec, act: Callable[[Update, KanoonContext, tuple[Any, ...]], Awaitable[None]],
) -> Callable[[Update, KanoonContext], Coroutine[Any, Any, None]]:
    """Parse the data (stale otherwise), run `act`, answer a refusal with its reason."""

    async def handle(update: Update, context: KanoonContext) -> None:
        parsed = codec.parse(button_data(update))
        if parsed is None:
            await answer(update, context, t("button-stale"))
            return
        try:
            await act(update, context, parsed)
        except FundProblem as problem:
            await answer(update, context, problem_text(problem), alert=True)

    return handle


async def _guarantor(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    choice, loan_id = parsed
    view = await actions.answer_as_guarantor(context.deps, context.me, loan_id, choice == "y")
    await answer(update, context)
    await _in_place(update, context, views.guarantor_answered(view))


async def _approve(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    choice, loan_id = parsed
    view = await actions.approve(context.deps, context.me, loan_id, choice == "y")
    await answer(update, context)
    await _in_place(update, context, views.approval_result(view, id_of(context.me)))


async def _queue(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    found = await actions.queue(context.deps, context.me)
    await answer(update, context)
    await reply(update, context, *views.queue(found))


async def _announce(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    await actions.announce_draw(context.deps, context.me)  # every fund member is told
    await answer(update, context)
    await reply(update, context, *views.queue(await actions.queue(context.deps, context.me)))


async def _draw(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    draw, order = await actions.make_draw(context.deps, context.me, parsed[0])
    await answer(update, context)
    await reply(update, context, views.draw_made(draw, order))


async def _payout(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    await actions.record_payout(context.deps, context.me, parsed[0])
    await answer(update, context)
    await reply(update, context, t("fund-payout-recorded"))


async def _instalment(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    view = await actions.report_instalment(context.deps, context.me, parsed[0])
    await answer(update, context)
    await reply(update, context, fund_views.paid_recorded(view, True))


async def _support_list(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    """«🤝 حامی وام …» on a queued loan: the center's supporters, a page at a time."""
    assert context.me is not None
    found = await support_actions.supporters(context.deps, context.me, *parsed)
    await answer(update, context)
    await _in_place(update, context, *support_views.supporters_list(found))


async def _support_pick(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    loan, supporter = await support_actions.picked(context.deps, context.me, *parsed)
    await answer(update, context)
    await _in_place(update, context, *support_views.confirm(loan, supporter))


async def _support_set(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    assert context.me is not None
    loan, supporter, new = await support_actions.mark(context.deps, context.me, *parsed)
    await answer(update, context)
    await _in_place(update, context, support_views.marked(loan, supporter, new))


async def _support_close(update: Update, context: KanoonContext, parsed: tuple[Any, ...]) -> None:
    await answer(update, context)
    await _in_place(update, context, t("cancel-done"))


ONE_TAP = (
    (callbacks.FUND_GUARANTOR_ANSWER, _guarantor),
    (callbacks.FUND_LOAN_APPROVE, _approve),
    (callbacks.FUND_QUEUE, _queue),
    (callbacks.FUND_DRAW_ANNOUNCE, _announce),
    (callbacks.FUND_DRAW_MAKE, _draw),
    (callbacks.FUND_PAYOUT, _payout),
    (callbacks.FUND_INSTALMENT_PAID, _instalment),
    (callbacks.FUND_SUPPORT_LIST, _support_list),
    (callbacks.FUND_SUPPORT_PICK, _support_pick),
    (callbacks.FUND_SUPPORT_SET, _support_set),
    (callbacks.FUND_SUPPORT_CLOSE, _support_close),
)


def one_tap_buttons() -> list[BaseHandler[Any, Any, Any]]:
    return [CallbackQueryHandler(_tap(codec, act), pattern=codec.matches) for codec, act in ONE_TAP]


def handlers() -> list[BaseHandler[Any, Any, Any]]:
    return one_tap_buttons()
