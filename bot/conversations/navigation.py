"""A way back and a way out at every step of every conversation (docs/villager.md).

Every question a conversation asks carries «🔙 مرحله‌ی قبل» (when there is a step before it)
and «❌ انصراف»; typed «برگشت»، «قبلی»، «انصراف»، «لغو»، «منو» (bot/persian/intents.py) do the
same and are never taken as an answer. To adopt it in a conversation:

    return [common.conversation(
        name="loan",
        entry_points=[...],
        states={AMOUNT: [...], MONTHS: [...], REVIEW: [...]},
        back={AMOUNT: None, MONTHS: ask_amount_again, REVIEW: ask_months_again},
        fallbacks=common.fallbacks(DRAFT),
    )]

- ``back`` names every state: None for a first step (there «🔙» and «برگشت» leave, like
  «❌ انصراف»), otherwise the function that asks the previous question again and returns its
  state. It may call ``show_earlier`` first so the person sees what they answered before.
  A state missing from ``back`` is an error when the conversation is built, and
  tests/unit/test_navigation.py fails for a conversation without ``back``.
- Ask text questions with ``keyboard(...)`` (reply keyboard ending in the two buttons) and
  inline questions with ``inline_row()`` as their last row.
- ``common.fallbacks`` (every conversation has them) does «❌ انصراف», the typed cancel words,
  «منو», and «🔙» on a first step.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Hashable, Mapping
from typing import Any

from telegram import Update
from telegram.ext import BaseHandler, CallbackQueryHandler, MessageHandler

from bot import callbacks
from bot.persian.catalog import t
from bot.persian.intents import Intent
from bot.ptb.context import KanoonContext
from bot.ptb.intent_filter import IntentIs
from bot.ptb.ui import answer, button, drop_buttons, reply
# Re-exported for the conversations (the way every question is asked, with its two buttons).
from bot.views.steps import inline_row as inline_row, keyboard as keyboard, nav_labels as nav_labels

# «🔙 مرحله‌ی قبل» tapped or typed («برگشت»، «قبلی»…).
BACK_INPUT = button("btn-step-back") | IntentIs(Intent.BACK)
# «❌ انصراف» tapped or typed («لغو»، «انصراف»…), and «منو»: leave the conversation.
CANCEL_INPUT = button("btn-cancel") | IntentIs(Intent.CANCEL, Intent.MENU)
# Never an answer to a question.
CONTROL_INPUT = BACK_INPUT | CANCEL_INPUT

Step = Callable[[Update, KanoonContext], Coroutine[Any, Any, Any]]


async def show_earlier(update: Update, context: KanoonContext, value: object) -> None:
    """Before a question asked again by «🔙»: what the person answered to it before."""
    if isinstance(value, str) and value.strip():
        await reply(update, context, t("step-earlier-answer", answer=value))


class BackMessage(MessageHandler[KanoonContext, Any]):
    """«🔙 مرحله‌ی قبل» or «برگشت» typed, in one step (found by the navigation test)."""


class BackTap(CallbackQueryHandler[KanoonContext, Any]):
    """The inline «🔙 مرحله‌ی قبل» in one step."""


def _going_back(step: Step) -> Step:
    async def go_back(update: Update, context: KanoonContext) -> Any:  # noqa: ANN401 (the state)
        await answer(update, context)
        await drop_buttons(update)
        return await step(update, context)

    return go_back


def back_handlers(step: Step) -> list[BaseHandler[Any, Any, Any]]:
    go_back = _going_back(step)
    return [BackMessage(BACK_INPUT, go_back), BackTap(go_back, pattern=callbacks.STEP_BACK.matches)]


def with_back(states: Mapping[Hashable, list[BaseHandler[Any, Any, Any]]],
              back: Mapping[Hashable, Step | None]) -> dict[Hashable, list[BaseHandler[Any, Any, Any]]]:
    """The states, each with its back handlers first (before anything that reads answers)."""
    if unnamed := set(states) ^ set(back):
        raise ValueError(f"every state needs a back entry (None for a first step): {sorted(map(str, unnamed))}")
    return {state: [*back_handlers(step), *handlers] if (step := back[state]) else list(handlers)
            for state, handlers in states.items()}
