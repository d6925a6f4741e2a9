"""«🤝 حامیان هم ببینند: بله/خیر» under the preview of a gathering or an announcement (issue 13,
docs/charity.md): the leader's choice, kept in the draft (default no) and stored on the
campaign when it is sent. The toggle edits the preview's control message in place."""

from __future__ import annotations

from telegram import Update

from bot.conversations.when_step import Draft
from bot.db.models import Center
from bot.ptb.context import KanoonContext
from bot.ptb.ui import answer
from bot.services import campaigns as service
from bot.services.campaigns import id_of
from bot.views.campaigns import Card, SupportersChoice

KEY = "to_supporters"


def chosen(draft: Draft) -> bool:
    return bool(draft.get(KEY))


async def audience(context: KanoonContext, draft: Draft) -> tuple[Center, int, SupportersChoice]:
    """The center, how many the call reaches without supporters, and the supporters' choice."""
    assert context.me is not None
    async with context.deps.unit() as session:
        center, people, extra = await service.preview_audience(session, id_of(context.me))
    return center, len(people), SupportersChoice(len(extra), chosen(draft) and bool(extra))


def flip(draft: Draft) -> None:
    draft[KEY] = not chosen(draft)


async def show_again(update: Update, context: KanoonContext, card: Card) -> None:
    """The control message again, in place (the tapped one)."""
    await answer(update, context)
    query = update.callback_query
    message = query.message if query else None
    if message is not None:
        await context.messenger.edit_or_send(message.chat.id, message.message_id, *card)
