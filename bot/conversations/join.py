"""Joining a center: /join, the menu's «عضویت در کانون», or a center's link (/start c-<code>).

BROWSE: the person sends a center's ID (any digits) or part of its name; name results come
a page at a time as buttons; a center's card offers «ارسال درخواست عضویت».
NAME, MOBILE: asked only when the profile lacks them. Then the request is saved and goes to
the center's assistant (bot/handlers/requests.py).

Callback data: jn:c:<center>:<l|c|s> open a card · jn:s:<center>:<l|c|s> send the request ·
jn:p:<page> a page of results. (l, c, s: found by link, code or search.) Pages are reached
through the cursors bot/services/search.py hands out, kept in the draft; no total is counted.
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot import links
from bot.ptb.context import KanoonContext
from bot.conversations import common
from bot.conversations.common import END, FREE_TEXT, TextRule, clear_draft, read_text
from bot.conversations.profile_steps import ask_full_name, ask_mobile, read_full_name, read_mobile
from bot.db.models import Center
from bot.views import joining as views
from bot.handlers import requests
from bot.persian.catalog import Raw, t
from bot.services import center_codes
from bot.services import memberships as svc
from bot.services import search
from bot.services import users as users_svc
from bot.services.memberships import JoinOutcome
from bot.persian.text import format_date, persian_digits
from bot.ptb.ui import answer, button, inline, label, main_menu, reply

BROWSE, NAME, MOBILE = "browse", "name", "mobile"
DRAFT = "join"  # user_data key: {"query", "cursors", "page", "center_id", "source", "name"}
PAGE_SIZE = 5
QUERY = TextRule(max_len=64)
SOURCE_BY_LETTER = {"l": "link", "c": "code", "s": "search"}


def _draft(context: KanoonContext) -> dict:
    return context.user_data.setdefault(DRAFT, {})


def _cancel_button() -> list[tuple[str, str]]:
    return [(label("btn-cancel"), "cancel")]


async def _show(update: Update, context: KanoonContext, text: str, markup: InlineKeyboardMarkup | None,
                in_place: bool) -> None:
    message = update.callback_query.message if update.callback_query else None
    if in_place and message is not None:
        await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup)
    else:
        await reply(update, context, text, markup)


# --- entry ------------------------------------------------------------------------------------


async def start(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    clear_draft(context, DRAFT)
    async with context.sessions() as session:
        staff = await svc.staff_of(session, context.me.id)
        current = None if staff else await svc.current_membership(session, context.me.id)
    if staff is not None:
        await reply(update, context, t("join-start-runs", role=t(f"join-role-{staff.role}"), center=staff.center.name))
        return END
    if current is not None:
        membership, center = current
        if membership.status == "active":
            text = t("join-start-member", center=center.name)
            button = (label("ml-btn-leave"), f"ml:lv:{membership.id}")
        else:
            text = t("join-start-pending", center=center.name, date=format_date(membership.requested_at))
            button = (label("ml-btn-withdraw"), f"ml:wd:{membership.id}")
        await reply(update, context, text, inline([button]))
        return END
    context.user_data[DRAFT] = {}
    await reply(update, context, t("join-ask"), inline(_cancel_button()))
    return BROWSE


async def start_by_link(update: Update, context: KanoonContext) -> str:
    """/start c-<code>: the center's card at once."""
    clear_draft(context, DRAFT)
    context.user_data[DRAFT] = {}
    payload = update.effective_message.text.split()[1]
    code = payload[len(links.CENTER):]
    center = None
    if code.isdigit() and center_codes.is_valid(code):
        async with context.sessions() as session:
            center = await svc.center_by_code(session, int(code))
    if center is None:
        await reply(update, context, t("join-link-invalid"), inline(_cancel_button()))
        return BROWSE
    return await _show_card(update, context, center, "link", in_place=False)


# --- finding ------------------------------------------------------------------------------------


async def _show_card(update: Update, context: KanoonContext, center: Center, source: str, in_place: bool) -> str:
    async with context.sessions() as session:
        info = await svc.center_info(session, center)
    reason = views.not_joinable_reason(center)
    rows = []
    if reason is None:
        rows.append([(label("join-btn-send"), f"jn:s:{center.id}:{source[0]}")])
    draft = _draft(context)
    if source == "search" and draft.get("cursors"):
        rows.append([(label("join-btn-back-results"), f"jn:p:{draft.get('page', 0)}")])
    rows.append(_cancel_button())
    text = views.lines(views.center_card(info), "", reason or t("join-card-prompt"))
    await _show(update, context, text, inline(*rows), in_place)
    return BROWSE


async def _show_results(update: Update, context: KanoonContext, page: int, in_place: bool) -> str:
    draft = _draft(context)
    cursors = draft["cursors"]  # cursors[p] starts page p; one more is added once a page has a next
    page = min(max(page, 0), len(cursors) - 1)
    async with context.sessions() as session:
        found = await search.find_centers(session, draft["query"], after=cursors[page], limit=PAGE_SIZE)
    if not found.centers:
        await _show(update, context, t("join-search-none", query=draft["query"]), inline(_cancel_button()), in_place)
        return BROWSE
    draft["page"] = page
    draft["cursors"] = cursors[:page + 1] + ([found.next] if found.has_more else [])
    numbered = list(enumerate(found.centers, start=page * PAGE_SIZE + 1))  # every page but the last is full
    buttons = [[(views.result_button(n, center), f"jn:c:{center.id}:s")] for n, center in numbered]
    navigation = []
    if page > 0:
        navigation.append((label("btn-prev"), f"jn:p:{page - 1}"))
    if found.has_more:
        navigation.append((label("btn-next"), f"jn:p:{page + 1}"))
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
    parsed = center_codes.parse(value)
    if isinstance(parsed, int):
        async with context.sessions() as session:
            center = await svc.center_by_code(session, parsed)
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
    context.user_data[DRAFT] = {"query": value, "cursors": [None], "page": 0}
    return await _show_results(update, context, 0, in_place=False)


async def on_page(update: Update, context: KanoonContext) -> str:
    if not _draft(context).get("cursors"):
        await answer(update, context, t("join-results-gone"))
        return BROWSE
    await answer(update, context)
    return await _show_results(update, context, int(update.callback_query.data.split(":")[2]), in_place=True)


async def on_open(update: Update, context: KanoonContext) -> str:
    _, _, center_id, letter = update.callback_query.data.split(":")
    async with context.sessions() as session:
        center = await svc.center_by_id(session, int(center_id))
    if center is None:
        await answer(update, context, t("join-not-found"))
        return BROWSE
    await answer(update, context)
    return await _show_card(update, context, center, SOURCE_BY_LETTER[letter], in_place=True)


# --- the request ----------------------------------------------------------------------------------


async def on_send(update: Update, context: KanoonContext) -> str | int:
    _, _, center_id, letter = update.callback_query.data.split(":")
    await answer(update, context)
    draft = _draft(context)
    draft.update(center_id=int(center_id), source=SOURCE_BY_LETTER[letter])
    return await _submit(update, context)


async def _submit(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    draft = _draft(context)
    async with context.sessions() as session:
        result = await svc.request_join(session, context.me.id, draft["center_id"], draft["source"], context.deps.clock())
    if result.outcome is JoinOutcome.NEEDS_PROFILE:
        if not context.me.full_name and not draft.get("name"):
            await ask_full_name(update, context, "join-ask-name")
            return NAME
        await ask_mobile(update, context, "join-ask-mobile")
        return MOBILE
    clear_draft(context, DRAFT)
    if result.outcome is JoinOutcome.SENT:
        assert result.center is not None and result.membership is not None
        await reply(update, context, t("join-sent", center=result.center.name), main_menu())
        await requests.send_to_assistant(context.deps, result.membership.id)  # type: ignore[arg-type]
        return END
    text, markup = _refusal(result)
    await reply(update, context, text, markup or main_menu())
    return END


def _refusal(result: svc.JoinResult) -> tuple[Raw, InlineKeyboardMarkup | None]:
    """What to tell someone whose request was not saved, and the button that helps, if any."""
    center, membership, other = result.center, result.membership, result.other_center
    outcome = result.outcome
    if outcome is JoinOutcome.NOT_FOUND or center is None:
        return t("join-not-found"), None
    if outcome in (JoinOutcome.RUNS_THIS, JoinOutcome.RUNS_OTHER):
        assert other is not None
        role = t(f"join-role-{result.role}")
        if outcome is JoinOutcome.RUNS_THIS:
            return t("join-runs-this", role=role), None
        return t("join-runs-other", role=role, other=other.name), None
    if outcome is JoinOutcome.ALREADY_PENDING:
        assert membership is not None
        return t("join-already-pending", center=center.name, date=format_date(membership.requested_at)), None
    if outcome is JoinOutcome.ALREADY_MEMBER:
        return t("join-already-member", center=center.name), None
    if outcome is JoinOutcome.PENDING_ELSEWHERE:
        assert membership is not None and other is not None
        return (t("join-pending-elsewhere", other=other.name, center=center.name),
                inline([(label("ml-btn-withdraw"), f"ml:wd:{membership.id}")]))
    if outcome is JoinOutcome.MEMBER_ELSEWHERE:
        assert membership is not None and other is not None
        return (t("join-member-elsewhere", other=other.name, center=center.name),
                inline([(label("ml-btn-leave"), f"ml:lv:{membership.id}")]))
    if outcome is JoinOutcome.TOO_SOON:
        assert result.retry_at is not None
        return t("join-too-soon", center=center.name, retry=views.when(result.retry_at)), None
    return views.not_joinable_reason(center) or t("join-not-found"), None


async def on_name(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    value, error = read_full_name(update)
    if error is not None:
        await reply(update, context, error)
        return NAME
    draft = _draft(context)
    draft["name"] = value
    if context.me.mobile:
        async with context.sessions() as session:
            await users_svc.set_contact_details(session, context.me.id, value, context.me.mobile)  # type: ignore[arg-type]
        return await _submit(update, context)
    await ask_mobile(update, context, "join-ask-mobile")
    return MOBILE


async def on_mobile(update: Update, context: KanoonContext) -> str | int:
    assert context.me is not None
    mobile, error = read_mobile(update)
    if error is not None:
        await reply(update, context, error)
        return MOBILE
    name = _draft(context).get("name") or context.me.full_name
    async with context.sessions() as session:
        await users_svc.set_contact_details(session, context.me.id, name, mobile)  # type: ignore[arg-type]
    return await _submit(update, context)


def handlers() -> list[BaseHandler]:
    return [common.conversation(
        name="join",
        allow_reentry=True,
        entry_points=[
            CommandHandler("join", start),
            MessageHandler(button("menu-join"), start),
            MessageHandler(filters.Regex(links.start_pattern(links.CENTER)), start_by_link),
            CallbackQueryHandler(on_open, pattern=r"^jn:c:\d+:[lcs]$"),
            CallbackQueryHandler(on_send, pattern=r"^jn:s:\d+:[lcs]$"),
        ],
        states={
            BROWSE: [MessageHandler(FREE_TEXT, on_text), CallbackQueryHandler(on_page, pattern=r"^jn:p:\d+$")],
            NAME: [MessageHandler(FREE_TEXT, on_name)],
            MOBILE: [MessageHandler(filters.CONTACT | FREE_TEXT, on_mobile)],
        },
        fallbacks=common.fallbacks(DRAFT),
    )]
