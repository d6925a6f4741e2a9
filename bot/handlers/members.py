"""Members of a center: the list for its leader and assistant, removal, the CSV file; and a
member leaving or an applicant taking their request back.

Callback data (prefix ml:; who may act is worked out from the tapping user):
  ml:list:<page> the list as a new message (the center card's «اعضا») · ml:pg:<page> in place ·
  ml:rm:<id>:<page> ask to remove · ml:rmy:<id>:<page> remove · ml:csv the file ·
  ml:lv:<id> ask to leave · ml:lvy:<id> leave · ml:wd:<id> ask to withdraw · ml:wdy:<id> withdraw ·
  ml:keep:<id> changed their mind (the card again)
"""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Update
from telegram.ext import BaseHandler, CallbackQueryHandler, CommandHandler

from bot.ptb.context import KanoonContext
from bot.db.models import Center, Delivery, User
from bot.sending.delivery import notify
from bot.deps import Deps
from bot.views import joining as views
from bot.handlers import member_card
from bot.persian.catalog import Raw, t
from bot.platforms import parse_mode
from bot.services import memberships as svc
from bot.services.members_export import to_csv
from bot.persian.text import format_date, format_jalali_date_numeric, persian_digits
from bot.ptb.ui import answer, inline, label, reply

PAGE_SIZE = 8
NAME_ON_BUTTON = 24
NO_VALUE = "—"
PURPOSE_REMOVED = "member_removed"
PURPOSE_LEFT = "member_left"


def _short(name: str) -> str:
    return name if len(name) <= NAME_ON_BUTTON else name[: NAME_ON_BUTTON - 1] + "…"


def _list_view(center: Center, page: svc.MembersPage, note: str | None = None) -> tuple[Raw, InlineKeyboardMarkup | None]:
    if page.total == 0:
        return views.lines(note, t("ml-empty", center=center.name)), None
    rows, buttons = [], []
    for n, (membership, user) in enumerate(page.rows, start=page.page * PAGE_SIZE + 1):
        joined = membership.decided_at or membership.requested_at
        rows.append(t(
            "ml-line", n=n, name=views.person_name(user),
            mobile=persian_digits(user.mobile) if user.mobile else NO_VALUE,
            platform=t(f"ml-platform-{user.platform}"), date=format_date(joined),
        ))
        buttons.append([(label("ml-btn-remove", name=_short(views.person_name(user))),
                         f"ml:rm:{membership.id}:{page.page}")])
    navigation = []
    if page.page > 0:
        navigation.append((label("btn-prev"), f"ml:pg:{page.page - 1}"))
    if page.page + 1 < page.pages:
        navigation.append((label("btn-next"), f"ml:pg:{page.page + 1}"))
    if navigation:
        buttons.append(navigation)
    buttons.append([(label("ml-btn-export"), "ml:csv")])
    title = t("ml-title", center=center.name, total=page.total, page=page.page + 1, pages=page.pages)
    return views.lines(note, title, "", *rows), inline(*buttons)


async def _staff(context: KanoonContext) -> svc.Staff | None:
    assert context.me is not None
    async with context.sessions() as session:
        return await svc.staff_of(session, context.me.id)


async def show_list(update: Update, context: KanoonContext, page_number: int, in_place: bool,
                    note: str | None = None) -> None:
    staff = await _staff(context)
    if staff is None:
        if update.callback_query:
            await answer(update, context, t("ml-not-staff"))
        else:
            await reply(update, context, t("ml-not-staff"))
        return
    await answer(update, context)
    async with context.sessions() as session:
        page = await svc.members_page(session, staff.center.id, page_number, PAGE_SIZE)
    text, markup = _list_view(staff.center, page, note)
    message = update.callback_query.message if update.callback_query else None
    if in_place and message is not None:
        await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup)
    else:
        await reply(update, context, text, markup)


async def members_command(update: Update, context: KanoonContext) -> None:
    await show_list(update, context, 0, in_place=False)


async def _export(update: Update, context: KanoonContext) -> None:
    staff = await _staff(context)
    if staff is None:
        await answer(update, context, t("ml-not-staff"))
        return
    await answer(update, context)
    async with context.sessions() as session:
        rows = await svc.all_members(session, staff.center.id)
    header = [label("ml-csv-name"), label("ml-csv-mobile"), label("ml-csv-platform"), label("ml-csv-joined")]
    data = [
        [views.person_name(user), persian_digits(user.mobile or ""), label(f"ml-platform-{user.platform}"),
         format_jalali_date_numeric(membership.decided_at or membership.requested_at)]
        for membership, user in rows
    ]
    caption = t("ml-export-caption", center=staff.center.name, count=len(rows),
                date=format_date(context.deps.clock()))
    await context.bot.send_document(
        update.effective_chat.id, document=to_csv(header, data),
        filename=f"members-{staff.center.code or staff.center.id}.csv",
        caption=context.messenger.render(caption), parse_mode=parse_mode(context.platform),
    )


async def _edit(update: Update, context: KanoonContext, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
    message = update.callback_query.message
    await context.messenger.edit_or_send(message.chat.id, message.message_id, text, markup)


async def _ask_remove(update: Update, context: KanoonContext, membership_id: int, page: int) -> None:
    staff = await _staff(context)
    async with context.sessions() as session:
        view = await svc.membership_view(session, membership_id)
    if staff is None or view is None or view[0].center_id != staff.center.id:
        await answer(update, context, t("ml-answer-not-allowed"))
        return
    membership, center, member = view
    if membership.status != "active":
        await show_list(update, context, page, in_place=True)
        return
    await answer(update, context)
    markup = inline([(label("ml-btn-confirm-remove"), f"ml:rmy:{membership_id}:{page}"),
                     (label("btn-back"), f"ml:pg:{page}")])
    await _edit(update, context, t("ml-confirm-remove", name=views.person_name(member), center=center.name), markup)


async def _remove(update: Update, context: KanoonContext, membership_id: int, page: int) -> None:
    assert context.me is not None
    async with context.sessions() as session:
        ending = await svc.remove(session, membership_id, context.me.id, context.deps.clock())
    if ending.outcome in (svc.EndOutcome.NOT_ALLOWED, svc.EndOutcome.NOT_FOUND):
        await answer(update, context, t("ml-answer-not-allowed"))
        return
    if ending.outcome is svc.EndOutcome.GONE:  # removed meanwhile (or left): show the list as it is
        await show_list(update, context, page, in_place=True, note=t("ml-answer-gone"))
        return
    assert ending.member is not None and ending.center is not None and ending.membership is not None
    name = views.person_name(ending.member)
    await show_list(update, context, page, in_place=True, note=t("ml-removed-note", name=name))
    await notify(context.deps, ending.member, _removed_text(ending.center, ending.extra["role"]),
                 purpose=PURPOSE_REMOVED, ref_id=ending.membership.id)


def _removed_text(center: Center, role: str) -> str:
    return t("ml-removed-member", center=center.name, role=t(f"join-role-{role}"))


def _left_text(member: User, center: Center) -> str:
    return t("ml-left-notice", name=views.person_name(member), center=center.name)


# Notices a passing error or a crash left unsent go again (bot/delivery.resend_notices), while
# still true: not to someone who has rejoined, nor about a member to an assistant since replaced.


async def removed_again(deps: Deps, row: Delivery, recipient: User) -> tuple[str, None] | None:
    async with deps.sessions() as session:
        found = await svc.ending_to_tell(session, row.ref_id, "removed", recipient.id)  # type: ignore[arg-type]
    if found is None:
        return None
    membership, center, _ = found
    return _removed_text(center, "assistant" if membership.decided_by == center.assistant_id else "leader"), None


async def left_again(deps: Deps, row: Delivery, recipient: User) -> tuple[str, None] | None:
    async with deps.sessions() as session:
        found = await svc.ending_to_tell(session, row.ref_id, "left", recipient.id)  # type: ignore[arg-type]
    if found is None:
        return None
    _, center, member = found
    return _left_text(member, center), None


async def _own(context: KanoonContext, membership_id: int, status: str):  # noqa: ANN202
    """The tapping user's own membership in `status`, with its center; else None."""
    assert context.me is not None
    async with context.sessions() as session:
        view = await svc.membership_view(session, membership_id)
    if view is None or view[0].user_id != context.me.id or view[0].status != status:
        return None
    return view


async def _ask_end(update: Update, context: KanoonContext, membership_id: int, leaving: bool) -> None:
    view = await _own(context, membership_id, "active" if leaving else "pending")
    if view is None:
        await answer(update, context, t("ml-answer-changed"))
        return
    await answer(update, context)
    center = view[1]
    if leaving:
        text, yes = t("ml-confirm-leave", center=center.name), (label("ml-btn-confirm-leave"), f"ml:lvy:{membership_id}")
    else:
        text, yes = (t("ml-confirm-withdraw", center=center.name),
                     (label("ml-btn-confirm-withdraw"), f"ml:wdy:{membership_id}"))
    await _edit(update, context, text, inline([yes, (label("ml-btn-keep"), f"ml:keep:{membership_id}")]))


async def _end(update: Update, context: KanoonContext, membership_id: int, leaving: bool) -> None:
    assert context.me is not None
    async with context.sessions() as session:
        action = svc.leave if leaving else svc.withdraw
        ending = await action(session, membership_id, context.me.id, context.deps.clock())
    if ending.outcome is not svc.EndOutcome.DONE:
        await answer(update, context, t("ml-answer-changed"))
        return
    await answer(update, context)
    assert ending.center is not None and ending.member is not None
    center = ending.center
    await _edit(update, context, t("ml-left", center=center.name) if leaving else t("ml-withdrawn", center=center.name))
    if leaving and center.assistant_id:
        async with context.sessions() as session:
            info = await svc.center_info(session, center)
        if info.assistant is not None:
            await notify(context.deps, info.assistant, _left_text(ending.member, center),
                         purpose=PURPOSE_LEFT, ref_id=membership_id)


async def _keep(update: Update, context: KanoonContext, membership_id: int) -> None:
    assert context.me is not None
    async with context.sessions() as session:
        view = await svc.membership_view(session, membership_id)
    await answer(update, context)
    if view is None or view[0].user_id != context.me.id:
        await _edit(update, context, t("ml-kept"))
        return
    text, markup = await member_card.render(context, view[0])
    await _edit(update, context, views.lines(t("ml-kept"), "", text), markup)


async def on_callback(update: Update, context: KanoonContext) -> None:
    parts = update.callback_query.data.split(":")
    action, args = parts[1], parts[2:]
    numbers = [int(a) for a in args if a.isdigit()]
    if len(numbers) != len(args):
        await answer(update, context, t("button-stale"))
    elif action in ("list", "pg") and len(numbers) == 1:
        await show_list(update, context, numbers[0], in_place=action == "pg")
    elif action == "csv" and not numbers:
        await _export(update, context)
    elif action in ("rm", "rmy") and len(numbers) == 2:
        step = _ask_remove if action == "rm" else _remove
        await step(update, context, numbers[0], numbers[1])
    elif action in ("lv", "wd") and len(numbers) == 1:
        await _ask_end(update, context, numbers[0], leaving=action == "lv")
    elif action in ("lvy", "wdy") and len(numbers) == 1:
        await _end(update, context, numbers[0], leaving=action == "lvy")
    elif action == "keep" and len(numbers) == 1:
        await _keep(update, context, numbers[0])
    else:
        await answer(update, context, t("button-stale"))


def one_tap_buttons() -> list[BaseHandler]:
    """Member actions stay possible in the middle of any conversation."""
    return [CallbackQueryHandler(on_callback, pattern=r"^ml:")]


def handlers() -> list[BaseHandler]:
    return [
        CommandHandler("members", members_command),
        *one_tap_buttons(),
    ]
