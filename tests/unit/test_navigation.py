"""«🔙 مرحله‌ی قبل» and «❌ انصراف» at every step of every conversation (issue 10, item 2).

The conversations are the ones bot/app.py registers, so a new conversation, or a new state
in one, without a way back and a way out fails here.
"""

from __future__ import annotations

from typing import Any

import pytest
from telegram import Chat, Message, Update, User
from telegram.ext import ApplicationBuilder, BaseHandler, ConversationHandler, DictPersistence

from bot import callbacks
from bot.app import register_handlers
from bot.conversations import common, navigation
from bot.persian.catalog import t


def _conversations() -> list[ConversationHandler]:
    application = ApplicationBuilder().token("1:test").persistence(DictPersistence()).build()
    register_handlers(application)
    return [h for h in application.handlers[0] if isinstance(h, ConversationHandler)]


CONVERSATIONS = _conversations()


def _text(text: str) -> Update:
    user = User(1, "x", False)
    message = Message(1, None, Chat(1, "private"), from_user=user, text=text)  # type: ignore[arg-type]
    return Update(1, message=message)


def _takes(handlers: list[BaseHandler[Any, Any, Any]], update: Update) -> BaseHandler[Any, Any, Any] | None:
    return next((h for h in handlers if h.check_update(update) not in (None, False)), None)


def test_the_conversations_are_found() -> None:
    names = {c.name for c in CONVERSATIONS}
    assert {"register", "join", "campaign", "announcement", "campaign_time", "center_edit"} <= names


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.name)
def test_every_state_is_declared_with_its_way_back(conversation: ConversationHandler) -> None:
    back = getattr(conversation, "back_steps", None)
    assert back is not None, f"{conversation.name}: build it with common.conversation(back=…)"
    assert set(back) == set(conversation.states), f"{conversation.name}: states without a back entry"
    for state, handlers in conversation.states.items():
        has_back = any(isinstance(h, navigation.BackMessage) for h in handlers[:2])
        has_tap = any(isinstance(h, navigation.BackTap) for h in handlers[:2])
        assert has_back == has_tap == (back[state] is not None), (conversation.name, state)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.name)
@pytest.mark.parametrize("typed", ["❌ انصراف", "لغو", "انصراف", "منو", "كنسل", "🔙 مرحله‌ی قبل", "برگشت", "قبلی"])
def test_control_words_are_never_an_answer(conversation: ConversationHandler, typed: str) -> None:
    """In every step the back handler (if any) or the fallbacks take them, never a step's reader."""
    update = _text(typed)
    for state, handlers in conversation.states.items():
        taker = _takes([*handlers, *conversation.fallbacks], update)
        is_back = typed in ("🔙 مرحله‌ی قبل", "برگشت", "قبلی")
        if is_back and conversation.back_steps[state] is not None:
            assert isinstance(taker, navigation.BackMessage), (conversation.name, state, typed, taker)
        else:
            assert taker in conversation.fallbacks and taker.callback.__name__ == "cancel", (
                conversation.name, state, typed, taker)


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c.name)
def test_the_inline_buttons_leave_and_go_back_from_every_state(conversation: ConversationHandler) -> None:
    fallback_patterns = [getattr(h, "pattern", None) for h in conversation.fallbacks]
    for data in (callbacks.CANCEL.build(), callbacks.STEP_BACK.build()):
        assert any(callable(p) and p(data) for p in fallback_patterns), (conversation.name, data)


def test_the_buttons_say_what_they_do() -> None:
    assert navigation.nav_labels() == [t("btn-step-back"), t("btn-cancel")] == ["🔙 مرحله‌ی قبل", "❌ انصراف"]
    assert navigation.nav_labels(back=False) == ["❌ انصراف"]
    assert [text for text, _ in navigation.inline_row()] == ["🔙 مرحله‌ی قبل", "❌ انصراف"]


def test_a_state_without_a_back_entry_cannot_be_built() -> None:
    with pytest.raises(ValueError, match="back entry"):
        common.conversation(name="x", entry_points=[], states={"a": [], "b": []}, back={"a": None}, fallbacks=[])
