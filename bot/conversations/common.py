"""Building blocks every conversation shares: free-text checks, the way out, stray input.

A conversation re-asks with a message that says what was wrong; it never loses what the
user already gave (that lives in user_data, persisted after every update).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Coroutine, Hashable, Mapping
from dataclasses import dataclass
from typing import Any, NoReturn

from telegram import Update
from telegram.warnings import PTBUserWarning
from telegram.ext import CallbackQueryHandler, CommandHandler, ConversationHandler, MessageHandler, filters

from bot.ptb.context import Conversation, Handler, KanoonContext
from bot.ptb.persistence import ConversationKey
from bot import callbacks
from bot.conversations import navigation
from bot.conversations.navigation import BACK_INPUT, CANCEL_INPUT, CONTROL_INPUT
from bot.persian.catalog import t
from bot.persian.text import clean, one_line
from bot.ptb.ui import MAIN_MENU_ROWS, ROLE_MENU_KEYS, answer, button, drop_buttons, main_menu, reply

END = ConversationHandler.END

# Main-menu buttons pressed mid-conversation are navigation, not answers.
MENU_BUTTONS = button(*(key for row in MAIN_MENU_ROWS for key in row), *ROLE_MENU_KEYS)
CANCEL_BUTTON = button("btn-cancel")
# What a free-text step accepts as an answer: «برگشت»، «لغو»، «منو» typed or tapped are
# navigation (bot/conversations/navigation.py), never a name or a title.
FREE_TEXT = filters.TEXT & ~filters.COMMAND & ~MENU_BUTTONS & ~CONTROL_INPUT
# Anything a step reads itself to say what was wrong (a photo for a name…); commands, menu
# buttons and the control words are left to the back handlers and the fallbacks.
ANY_INPUT = filters.ALL & ~filters.COMMAND & ~MENU_BUTTONS & ~CONTROL_INPUT & ~filters.StatusUpdate.ALL

@dataclass(frozen=True)
class TextRule:
    """Limits for one free-text answer, counted after normalisation."""

    max_len: int
    min_len: int = 1
    multiline: bool = False


def read_text(update: Update, rule: TextRule) -> tuple[str | None, str | None]:
    """(value, None) when the message is an acceptable answer, else (None, the reason to show)."""
    message = update.effective_message
    if message is None or message.text is None:
        return None, t("input-need-text")
    value = clean(message.text) if rule.multiline else one_line(message.text)
    if not value:
        return None, t("input-empty")
    if len(value) > rule.max_len:
        return None, t("input-too-long", length=len(value), limit=rule.max_len)
    if len(value) < rule.min_len:
        return None, t("input-too-short", limit=rule.min_len)
    return value, None


def clear_draft(context: KanoonContext, *keys: str) -> None:
    for key in keys:
        context.person_data.pop(key, None)


class _Conversation(ConversationHandler[KanoonContext]):
    """A conversation that knows its siblings and the one-tap buttons (see link_conversations).

    It does not start while its user is in the middle of another one: otherwise `/register`
    typed mid-invitation would open a second conversation and the user's next answer would
    land in whichever was registered first. Declining lets the update reach the conversation
    the user is in, whose fallbacks say "finish or cancel".

    It lets one-tap buttons through while its user is in it (an assistant's decision, a member
    action, an answer to a campaign): they start nothing and change no step, so the handler
    registered for them after the conversations takes them, and the step stays as it was.
    """

    siblings: tuple[Conversation, ...] = ()
    one_tap: tuple[Handler, ...] = ()
    back_steps: dict[Hashable, navigation.Step | None] | None = None  # see conversation()
    _answering = False  # set while a text typed mid-step is being matched: no re-entry by it

    @property
    def allow_reentry(self) -> bool:
        return self._allow_reentry and not self._answering

    @allow_reentry.setter
    def allow_reentry(self, _: object) -> NoReturn:  # as in PTB: fixed at initialisation
        raise AttributeError("You can not assign a new value to allow_reentry after initialization.")

    def check_update(self, update: object) -> tuple[object, ConversationKey, Handler, object] | None:
        if isinstance(update, Update) and update.effective_chat and update.effective_user:
            # PTB has no public "is this user in a conversation"; _get_key/_conversations are
            # what ConversationHandler itself uses for that.
            key = self._get_key(update)
            if key in self._conversations:
                if update.callback_query and any(h.check_update(update) for h in self.one_tap):
                    return None
                if _answers_the_step(update):
                    self._answering = True
                    try:
                        return super().check_update(update)
                    finally:
                        self._answering = False
            elif any(key in other._conversations for other in self.siblings):
                return None
        return super().check_update(update)


def _answers_the_step(update: Update) -> bool:
    """Text typed mid-step is the step's answer, even when it reads as a start («اعلان مهم: جلسه
    فردا» as the announcement's text, «پویش جدید کمک به سیل‌زدگان» as a campaign's title: both
    once restarted their conversation). A command or a menu button still starts afresh."""
    message = update.message
    if message is None or message.text is None or message.text.startswith("/"):
        return False
    return not MENU_BUTTONS.check_update(update)


def discard_with(draft_key: str, text: str) -> Callable[[Update, KanoonContext], Coroutine[Any, Any, int]]:
    """A handler that drops the draft, takes the buttons off and says `text`: «لغو» on a preview."""

    async def discard(update: Update, context: KanoonContext) -> int:
        await answer(update, context)
        await drop_buttons(update)
        clear_draft(context, draft_key)
        await reply(update, context, text, main_menu())
        return END

    return discard


def say(text: str) -> Callable[[Update, KanoonContext], Coroutine[Any, Any, None]]:
    """A handler that only answers with `text` and stays in the step (e.g. "use the buttons")."""

    async def respond(update: Update, context: KanoonContext) -> None:
        await reply(update, context, text)

    return respond


def conversation(*, back: Mapping[Hashable, navigation.Step | None] | None = None,
                 **options: Any) -> Conversation:  # noqa: ANN401 (ConversationHandler's own)
    """A persistent ConversationHandler (state kept in the database, see bot/ptb/persistence.py).

    `back` names, for every state, what «🔙 مرحله‌ی قبل» does there (None: a first step);
    see bot/conversations/navigation.py. tests/unit/test_navigation.py fails without it.

    PTB warns when per_message=False is combined with button handlers; that is meant here:
    a conversation follows a person's chat, not one message, and old buttons are answered.
    """
    if back is not None:
        options["states"] = navigation.with_back(options["states"], back)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*per_message.*", category=PTBUserWarning)
        handler = _Conversation(persistent=True, **options)
    handler.back_steps = dict(back) if back is not None else None
    return handler


def link_conversations(handlers: list[Handler], one_tap: list[Handler]) -> None:
    """Tell each conversation of one Application about the others and about the one-tap
    buttons it lets through (see _Conversation)."""
    conversations = [h for h in handlers if isinstance(h, _Conversation)]
    for handler in conversations:
        handler.siblings = tuple(other for other in conversations if other is not handler)
        handler.one_tap = tuple(one_tap)


def fallbacks(*draft_keys: str) -> list[Handler]:
    """«❌ انصراف» (tapped, or «لغو»، «انصراف»، «منو» typed, or /cancel) from any step, and «🔙» on
    a first step; anything a step did not accept gets a pointer back to it."""

    async def cancel(update: Update, context: KanoonContext) -> int:
        clear_draft(context, *draft_keys)
        await answer(update, context)
        await drop_buttons(update)
        await reply(update, context, t("cancel-done"), main_menu())
        return END

    async def stray(update: Update, context: KanoonContext) -> None:
        # Returning None keeps the conversation in the step it was in.
        await reply(update, context, t("input-stray-command"))

    async def wrong_type(update: Update, context: KanoonContext) -> None:
        await reply(update, context, t("input-need-text"))

    async def other_button(update: Update, context: KanoonContext) -> None:
        # A button of an earlier step, or one that would start another flow: this one first.
        await answer(update, context, t("input-stray-command"), alert=True)

    return [
        CommandHandler("cancel", cancel),
        MessageHandler(CANCEL_INPUT | BACK_INPUT, cancel),
        CallbackQueryHandler(cancel, pattern=callbacks.CANCEL.matches),
        CallbackQueryHandler(cancel, pattern=callbacks.STEP_BACK.matches),
        MessageHandler(filters.COMMAND | MENU_BUTTONS, stray),
        CallbackQueryHandler(other_button),
        MessageHandler(filters.ALL & ~filters.StatusUpdate.ALL, wrong_type),
    ]
