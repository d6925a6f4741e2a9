"""Joining a center: /join, the menu's «عضویت در کانون», or a center's link (/start c-<code>).

BROWSE: the person sends a center's ID (any digits) or part of its name; name results come
a page at a time as buttons; a center's card offers «ارسال درخواست عضویت».
NAME, MOBILE: asked only when the profile lacks them. Then the request is saved and goes to
the center's assistant (bot/actions/joining.submit_join_request).

While finding (BROWSE), a new /join, a center's link or another card's button starts finding
again; once the name or mobile is being asked, they get «you are in the middle of something»
like any command, so what was typed is not lost.

Callback data: JOIN_OPEN jn:c:<center>:<l|c|s> open a card · JOIN_SEND jn:s:<center>:<l|c|s>
send the request · JOIN_PAGE jn:p:<page> a page of results (bot/callbacks.py; l, c, s: found
by link, code or search).
Pages are reached through the cursors bot/services/search.py hands out, kept in the draft;
no total is counted.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import links
from bot.actions import joining
from bot.callbacks import JOIN_OPEN, JOIN_PAGE, JOIN_SEND
from bot.ptb.context import Draft, Handler, KanoonContext
from bot.conversations import common, navigation
from bot.persian.intents import Intent
from bot.ptb.intent_filter import IntentIs, reading_of
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.conversations.profile_steps import ask_full_name, ask_mobile, read_full_name, read_mobile
from bot.db.enums import JoinSource
from bot.db.models import User
from bot.views import joining as views
from bot.persian.catalog import Raw, t
from bot.services import center_codes
from bot.services.memberships import CenterInfo, JoinOutcome
from bot.persian.text import persian_digits
from bot.services import search
from bot.ptb.ui import answer, button, inline, label, main_menu, reply

BROWSE, NAME, MOBILE = "browse", "name", "mobile"
DRAFT = "join"  # user_data key: {"query", "cursors", "page", "center_id", "source", "name"}
PAGE_SIZE = 5
QUERY = TextRule(max_len=64)


def _me(context: KanoonContext) -> User:
    assert context.me is not None  # the middleware sets it for every update with a user
    return context.me


def _draft(context: KanoonContext) -> Draft:
    draft: Draft = context.person_data.setdefault(DRAFT, {})
    return draft


def _new_draft(context: KanoonContext) -> None:
    assert context.user_data is not None
    context.user_data[DRAFT] = {}


def _cancel_button() -> list[tuple[str, str]]:
    return [views.cancel_button()]


async def _show(update: Update, context: KanoonContext, text: str, markup: InlineKeyboardMarkup | None,
                in_place: bool) -> None:
    message = update.callback_query.message if update.callback_query else None
    if in_place and message is not None:
        await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup)
    else:
        await reply(update, context, text, markup)


# --- entry ------------------------------------------------------------------------------------


async def _begin(update: Update, context: KanoonContext) -> bool:
    """A fresh draft; False (and the person told where they are) if they already run or
    belong to a center."""
    clear_draft(context, DRAFT)
    place = await joining.place_of(context.deps, _me(context))
    placed = views.already_placed(place.staff, place.current, context.deps.settings.tz)
    if placed is not None:
        await reply(update, context, *placed)
        return False
    _new_draft(context)
    return True


async def start(update: Update, context: KanoonContext) -> str | int:
    if not await _begin(update, context):
        return END
    await reply(update, context, *views.ask_how_to_find())
    return BROWSE


async def start_by_link(update: Update, context: KanoonContext) -> str:
    """/start c-<code>: the center's card at once."""
    clear_draft(context, DRAFT)
    _new_draft(context)
    message = update.effective_message
    assert message is not None and message.text is not None  # the link's filter matched its text
    code = message.text.split()[1][len(links.CENTER):]  # ASCII: the filter allows [A-Za-z0-9_-]
    info = await joining.center_by_code(context.deps, int(code)) if center_codes.is_valid(code) else None
    if info is None:
        await reply(update, context, t("join-link-invalid"), inline(_cancel_button()))
        return BROWSE
    return await _show_card(update, context, info, JoinSource.LINK, in_place=False)


async def start_from_text(update: Update, context: KanoonContext) -> str | int:
    """Free text at the main menu: «میخوام عضو بشم» starts finding; a center's code or name
    alone is looked up at once, and when nothing is found the answer is the main menu's
    «متوجه نشدم» (docs/intents.md: a name is only a guess)."""
    reading = reading_of(update.effective_message)
    if reading.intent is Intent.JOIN:
        return await start(update, context)
    if not await _begin(update, context):
        return END
    if reading.intent is Intent.CENTER_CODE and reading.code is not None:
        parsed = center_codes.parse(str(reading.code))
        center = await joining.center_by_code(context.deps, parsed) if isinstance(parsed, int) else None
        if center is not None:
            return await _show_card(update, context, center, "code", in_place=False)
        clear_draft(context, DRAFT)
        key = "join-code-unknown" if isinstance(parsed, int) else "join-code-mistyped"
        await reply(update, context, t(key, code=persian_digits(reading.code)), main_menu())
        return END
    query = reading.query or ""
    found = None
    if len(search.query_key(query)) >= search.MIN_KEY:
        async with context.deps.unit() as session:  # a read-only look: is there anything to show?
            found = await search.find_centers(session, query, after=None, limit=1)
    if found is None or not found.centers:
        clear_draft(context, DRAFT)
        await reply(update, context, t("unknown"), main_menu())
        return END
    context.person_data[DRAFT] = {"query": query, "cursors": [None], "page": 0}
    return await _show_results(update, context, 0, in_place=False)


# --- finding ------------------------------------------------------------------------------------


async def _show_card(update: Update, context: KanoonContext, info: CenterInfo, source: str, in_place: bool) -> str:
    draft = _draft(context)
    results_page = None
    if source == "search" and draft.get("cursors"):
        results_page = draft.get("page", 0)
    text, markup = views.join_card(info, JoinSource(source), results_page)
    draft["card"] = [info.center.id, str(source)]  # what «🔙» from the name or mobile shows again
    await _show(update, context, text, markup, in_place)
    return BROWSE


async def _show_results(update: Update, context: KanoonContext, page: int, in_place: bool) -> str:
    draft = _draft(context)
    cursors = draft["cursors"]  # cursors[p] starts page p; one more is added once a page has a next
    page = min(max(page, 0), len(cursors) - 1)
    async with context.deps.unit() as session:  # a read-only look
        found = await search.find_centers(session, draft["query"], after=cursors[page], limit=PAGE_SIZE)
    if not found.centers:
        await _show(update, context, t("join-search-none", query=draft["query"]), inline(_cancel_button()), in_place)
        return BROWSE
    draft["page"] = page
    draft.pop("card", None)
    draft["cursors"] = cursors[:page + 1] + ([found.next] if found.has_more else [])
    numbered = list(enumerate(found.centers, start=page * PAGE_SIZE + 1))  # every page but the last is full
    buttons = [[(views.result_button(n, center), JOIN_OPEN.build(center.id, JoinSource.SEARCH))] for n, center in numbered]
    navigation = []
    if page > 0:
        navigation.append((label("btn-prev"), JOIN_PAGE.build(page - 1)))
    if found.has_more:
        navigation.append((label("btn-next"), JOIN_PAGE.build(page + 1)))
    if navigation:
        buttons.append(navigation)
    buttons.append(_cancel_button())
    listed = Raw("\n".join(views.result_line(n, center) for n, center in numbered))
    if found.best_guess is not None:
        text = t("join-search-guess", query=draft["query"], guess=found.best_guess.name, list=listed)
    else:
        key = "join-search-near" if found.only_near else "join-search-results"
        text = t(key, query=draft["query"], page=page + 1, list=listed)
    await _show(update, context, text, inline(*buttons), in_place)
    return BROWSE


async def on_text(update: Update, context: KanoonContext) -> str:
    value, error = read_text(update, QUERY)
    if error is not None:
        await reply(update, context, error)
        return BROWSE
    assert value is not None
    reading = reading_of(update.effective_message)
    if reading.intent in (Intent.GREETING, Intent.THANKS):
        await reply(update, context, *views.ask_how_to_find())  # «سلام» is no center's name
        return BROWSE
    if reading.intent is Intent.CENTER_NAME and reading.query:
        value = reading.query  # «سلام، کانون صاحب‌الزمان»: the name without the greeting
    parsed = center_codes.parse(value)
    if isinstance(parsed, int):
        center = await joining.center_by_code(context.deps, parsed)
        if center is None:
            await reply(update, context, t("join-code-unknown", code=persian_digits(parsed)))
            return BROWSE
        return await _show_card(update, context, center, "code", in_place=False)
    if parsed == center_codes.CodeInput.MISTYPED:
        await reply(update, context, t("join-code-mistyped", code=value))
        return BROWSE
    if len(search.query_key(value)) < search.MIN_KEY:
        await reply(update, context, t("join-search-short"))
        return BROWSE
    context.person_data[DRAFT] = {"query": value, "cursors": [None], "page": 0}
    return await _show_results(update, context, 0, in_place=False)


async def on_page(update: Update, context: KanoonContext) -> str:
    if not _draft(context).get("cursors"):
        await answer(update, context, t("join-results-gone"))
        return BROWSE
    parsed = JOIN_PAGE.parse(update.callback_query.data if update.callback_query else None)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return BROWSE
    await answer(update, context)
    return await _show_results(update, context, parsed[0], in_place=True)


async def on_open(update: Update, context: KanoonContext) -> str | None:
    parsed = JOIN_OPEN.parse(update.callback_query.data if update.callback_query else None)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    center_id, source = parsed
    info = await joining.center_by_id(context.deps, center_id)
    if info is None:
        await answer(update, context, t("join-not-found"))
        return BROWSE
    await answer(update, context)
    return await _show_card(update, context, info, source, in_place=True)


# --- the request ----------------------------------------------------------------------------------


async def on_send(update: Update, context: KanoonContext) -> str | int | None:
    parsed = JOIN_SEND.parse(update.callback_query.data if update.callback_query else None)
    if parsed is None:
        await answer(update, context, t("button-stale"))
        return None
    center_id, source = parsed
    await answer(update, context)
    _draft(context).update(center_id=center_id, source=source.value)
    return await _submit(update, context)


async def _submit(update: Update, context: KanoonContext, full_name: str | None = None,
                  mobile: str | None = None) -> str | int:
    """Ask to join the draft's center (with the name and mobile just given, if any); ask for
    whatever the profile still lacks first."""
    draft = _draft(context)
    try:
        result = await joining.submit_join_request(context.deps, _me(context), draft["center_id"], draft["source"],
                                                   full_name=full_name, mobile=mobile)
    except joining.RequestNotSaved as refusal:
        clear_draft(context, DRAFT)
        text, markup = views.request_refused(refusal.result, context.deps.settings.tz)
        await reply(update, context, text, markup or main_menu())
        return END
    if result.outcome is JoinOutcome.NEEDS_PROFILE:
        if not _me(context).full_name and not draft.get("name"):
            await ask_full_name(update, context, "join-ask-name")
            return NAME
        await ask_mobile(update, context, "join-ask-mobile")
        return MOBILE
    clear_draft(context, DRAFT)
    await reply(update, context, views.request_sent(result), main_menu())
    return END


async def on_name(update: Update, context: KanoonContext) -> str | int:
    value, error = read_full_name(update)
    if error is not None:
        await reply(update, context, error)
        return NAME
    assert value is not None
    _draft(context)["name"] = value
    if _me(context).mobile:
        return await _submit(update, context, full_name=value, mobile=_me(context).mobile)
    await ask_mobile(update, context, "join-ask-mobile")
    return MOBILE


async def on_mobile(update: Update, context: KanoonContext) -> str | int:
    mobile, error = read_mobile(update)
    if error is not None:
        await reply(update, context, error)
        return MOBILE
    name = _draft(context).get("name") or _me(context).full_name
    if not name:  # not asked yet (a draft from before the name step): ask it now
        await ask_full_name(update, context, "join-ask-name")
        return NAME
    return await _submit(update, context, full_name=name, mobile=mobile)


# --- a step back ------------------------------------------------------------------------------


async def _leave(update: Update, context: KanoonContext) -> int:
    clear_draft(context, DRAFT)
    await reply(update, context, t("cancel-done"), main_menu())
    return END


async def back_while_finding(update: Update, context: KanoonContext) -> str | int:
    """«🔙» on a center's card found by a search: the results again; anywhere else it leaves."""
    draft = _draft(context)
    if draft.get("card") and draft.get("cursors"):
        return await _show_results(update, context, draft.get("page", 0), in_place=False)
    return await _leave(update, context)


async def back_to_card(update: Update, context: KanoonContext) -> str | int:
    """«🔙» at the name (or at the mobile when no name was asked): the center's card again."""
    draft = _draft(context)
    card = draft.get("card")
    if not card:
        return await _leave(update, context)
    info = await joining.center_by_id(context.deps, card[0])
    if info is None:
        return await _leave(update, context)
    return await _show_card(update, context, info, card[1], in_place=False)


async def back_from_mobile(update: Update, context: KanoonContext) -> str | int:
    draft = _draft(context)
    if draft.get("name"):
        await navigation.show_earlier(update, context, draft.pop("name"))
        await ask_full_name(update, context, "join-ask-name")
        return NAME
    return await back_to_card(update, context)


def _finding() -> list[Handler]:
    """What starts finding a center, from outside the conversation or again while finding."""
    return [
        CommandHandler("join", start),
        MessageHandler(button("menu-join"), start),
        MessageHandler(filters.Regex(links.start_pattern(links.CENTER)), start_by_link),
        CallbackQueryHandler(on_open, pattern=JOIN_OPEN.matches),
        CallbackQueryHandler(on_send, pattern=JOIN_SEND.matches),
    ]


def handlers() -> list[Handler]:
    # No allow_reentry: in the NAME and MOBILE steps a command, a link or the menu gets the
    # fallbacks' «you are in the middle of something», like every other conversation.
    return [common.conversation(
        name="join",
        # Free text at the main menu (not in BROWSE, where any text is what to search for).
        # Menu buttons (everyone's and the admins' and facilitators') are never a center's name.
        entry_points=[*_finding(), MessageHandler(
            IntentIs(Intent.JOIN, Intent.CENTER_CODE, Intent.CENTER_NAME) & ~common.MENU_BUTTONS, start_from_text)],
        back={BROWSE: back_while_finding, NAME: back_to_card, MOBILE: back_from_mobile},
        states={
            BROWSE: [*_finding(), MessageHandler(FREE_TEXT, on_text), CallbackQueryHandler(on_page, pattern=JOIN_PAGE.matches)],
            NAME: [MessageHandler(FREE_TEXT, on_name)],
            MOBILE: [MessageHandler(filters.CONTACT | FREE_TEXT, on_mobile)],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]
