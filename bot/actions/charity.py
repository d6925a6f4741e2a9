"""Charitable campaigns: one function per thing a person does (docs/charity.md).

Each opens one unit of work, lets the rules (bot/services/charity.py) write, and once that
is committed does the follow-ups: the call's batch (bot/sending/batches.py), the notice to
the leader and assistant that a gift is said to be delivered, the giver's thank-you.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.error import TelegramError

from bot.db.charity_models import HelpNeed, Pledge, Supporter, SupporterInvitation
from bot.db.enums import CharityPurpose, PledgeStatus
from bot.db.models import Center, Delivery, User
from bot.db.repo import charity as charity_repo
from bot.deps import Deps, Rendered, Resender
from bot.platforms import Platform, parse_mode
from bot.persian.catalog import t
from bot.sending import batches, delivery
from bot.services import attendance as attendance_service
from bot.services import charity as service
from bot.services import supporters
from bot.services.campaigns import id_of
from bot.services.centers_export import to_xlsx
from bot.services.charity import CharityError, Help, NeedDraft, Progress
from bot.services.members_export import to_csv
from bot.views import charity as views

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HelpDraft:
    title: str
    body: str
    deadline: datetime | None
    needs: list[NeedDraft]
    key: str | None = None


async def create_help(deps: Deps, actor: User, draft: HelpDraft) -> service.Created:
    """The campaign, its needs and a pending call per recipient in one commit; then the
    leader's report and the sending in the background."""
    try:
        async with deps.unit() as session:
            created = await service.create(
                session, creator_id=id_of(actor), title=draft.title, body=draft.body, deadline=draft.deadline,
                needs=draft.needs, now=deps.clock(), request_key=draft.key,
            )
    except IntegrityError:
        if draft.key is None:
            raise
        async with deps.unit() as session:  # the same draft sent twice at once: the other made it
            made = await service.made_with(session, draft.key, id_of(actor))
        if made is None:
            raise
        return made
    if not created.already:
        campaign_id = id_of(created.campaign)
        messenger = deps.messengers.get(Platform(actor.platform))
        if messenger is not None:
            try:
                await messenger.send(actor.platform_user_id, t("charity-sending-started"),
                                     views.report_markup(campaign_id, is_leader=True))
            except TelegramError as exc:
                log.info("could not tell %s that help campaign %s is sent: %s", id_of(actor), campaign_id, exc)
        batches.start(deps, CALL_BATCH, campaign_id)
    return created


# --- pledges ------------------------------------------------------------------------------------


async def start_pledge(deps: Deps, actor: User, need_id: int) -> service.PledgeStart:
    async with deps.unit() as session:
        return await service.start_pledge(session, need_id, id_of(actor), deps.clock())


async def pledge(deps: Deps, actor: User, need_id: int, amount: int, note: str | None, anonymous: bool) -> tuple[Pledge, bool]:
    try:
        async with deps.unit() as session:
            return await service.pledge(session, need_id, id_of(actor), amount, deps.clock(), note=note,
                                        anonymous=anonymous)
    except IntegrityError:  # a second live pledge at the same moment: the unique index said no
        raise CharityError("already") from None


async def withdraw(deps: Deps, actor: User, pledge_id: int) -> Pledge:
    async with deps.unit() as session:
        return await service.withdraw(session, pledge_id, id_of(actor), deps.clock())


async def need_by_id(deps: Deps, need_id: int) -> HelpNeed | None:
    """A need by id: what a withdrawn pledge was for."""
    async with deps.unit() as session:
        return await charity_repo.need(session, need_id)


async def report_delivered(deps: Deps, actor: User, pledge_id: int) -> service.Reported:
    """«تحویل دادم»: then the leader and assistant (not the giver) are asked to confirm."""
    async with deps.unit() as session:
        reported = await service.report_delivered(session, pledge_id, id_of(actor), deps.clock())
        staff = [await service.user(session, uid) for uid in reported.staff]
    if reported.changed:
        rendered = await _to_confirm(deps, reported.pledge)
        if rendered is not None:
            for person in staff:
                if person is not None:
                    await delivery.notify(deps, person, *rendered, purpose=CharityPurpose.PLEDGE_REPORTED,
                                          ref_id=pledge_id)
    return reported


async def confirm(deps: Deps, actor: User, pledge_id: int) -> service.Confirmed:
    """The leader or assistant records the receipt; the giver is thanked once."""
    async with deps.unit() as session:
        confirmed = await service.confirm(session, pledge_id, id_of(actor), deps.clock())
        giver = await service.user(session, confirmed.pledge.user_id)
    if confirmed.changed and giver is not None:
        rendered = await _thanks(deps, confirmed.pledge)
        if rendered is not None:
            await delivery.notify(deps, giver, *rendered, purpose=CharityPurpose.PLEDGE_THANKS, ref_id=pledge_id)
    return confirmed


async def _to_confirm(deps: Deps, row: Pledge) -> Rendered | None:
    async with deps.unit() as session:
        found = await service.help_campaign(session, row.campaign_id)
        giver = await service.user(session, row.user_id)
    need = next((n for n in found.needs if n.id == row.need_id), None)
    if need is None:
        return None
    return views.to_confirm(service.display_name(giver), row, need, found.campaign.title or "")


async def _thanks(deps: Deps, row: Pledge) -> Rendered | None:
    async with deps.unit() as session:
        found = await service.help_campaign(session, row.campaign_id)
    need = next((n for n in found.needs if n.id == row.need_id), None)
    if need is None:
        return None
    text = t("charity-thanks", amount=views.amount(need, row.amount), need=views.need_label(need),
             title=found.campaign.title or "")
    return text, None


async def to_confirm_again(deps: Deps, row: Delivery, user: User) -> Rendered | None:
    async with deps.unit() as session:
        pledge_row = await session.get(Pledge, row.ref_id)
    if pledge_row is None or pledge_row.status != PledgeStatus.REPORTED:
        return None
    return await _to_confirm(deps, pledge_row)


async def thanks_again(deps: Deps, row: Delivery, user: User) -> Rendered | None:
    async with deps.unit() as session:
        pledge_row = await session.get(Pledge, row.ref_id)
    if pledge_row is None or pledge_row.status != PledgeStatus.DELIVERED:
        return None
    return await _thanks(deps, pledge_row)


# --- progress -----------------------------------------------------------------------------------


async def status(deps: Deps, actor: User, campaign_id: int) -> Progress:
    async with deps.unit() as session:
        return await service.progress(session, campaign_id, id_of(actor))


async def staff_progress(deps: Deps, actor: User, campaign_id: int) -> Progress:
    async with deps.unit() as session:
        return await service.staff_progress(session, campaign_id, id_of(actor))


async def my_pledges(deps: Deps, actor: User, campaign_id: int) -> list[Pledge]:
    async with deps.unit() as session:
        return await service.my_pledges(session, campaign_id, id_of(actor))


async def share_progress(deps: Deps, actor: User, campaign_id: int) -> int:
    """The leader's one tap: the progress to everyone the call reached (a batch)."""
    async with deps.unit() as session:
        event_id, count = await service.share_progress(session, campaign_id, id_of(actor), deps.clock())
    batches.start(deps, PROGRESS_BATCH, event_id)
    return count


@dataclass
class Export:
    content: bytes
    filename: str
    title: str


def export_table(found: Progress) -> tuple[list[str], list[list[object]]]:
    header: list[str] = [t(f"charity-export-header-{name}") for name in ("name", "need", "amount", "status", "anonymous", "note")]
    rows: list[list[object]] = []
    for item in found.needs:
        for giver in item.givers:
            row = giver.pledge
            rows.append([giver.name, views.need_label(item.need), views.amount(item.need, row.amount),
                         t(f"charity-status-{PledgeStatus(row.status)}"),
                         t("charity-yes") if row.anonymous else t("charity-no"), row.note or ""])
    return header, rows


async def export(deps: Deps, actor: User, campaign_id: int, kind: str) -> Export:
    """The pledges as CSV or XLSX, for the leader (every name and amount)."""
    async with deps.unit() as session:
        found = await service.staff_progress(session, campaign_id, id_of(actor))
    if found.help.center.leader_id != actor.id:
        raise CharityError("not_leader")
    header, rows = export_table(found)
    title = found.help.campaign.title or ""
    if kind == "xlsx":
        return Export(to_xlsx(header, rows, title="pledges"), f"pledges-{campaign_id}.xlsx", title)
    return Export(to_csv(header, rows), f"pledges-{campaign_id}.csv", title)


# --- supporters -------------------------------------------------------------------------------------


async def invite_supporter(deps: Deps, actor: User, admin_center_id: int | None = None) -> tuple[Center, SupporterInvitation]:
    """The leader's invitation for their center; an admin's (checked by the handler) for any active one."""
    async with deps.unit() as session:
        return await supporters.invite(session, id_of(actor), deps.clock(), admin_center_id)


async def open_supporter_invitation(deps: Deps, token: str) -> tuple[SupporterInvitation, Center]:
    async with deps.unit() as session:
        return await supporters.opened(session, token, deps.clock())


async def accept_support(deps: Deps, actor: User, token: str) -> supporters.Accepted:
    try:
        async with deps.unit() as session:
            return await supporters.accept(session, token, id_of(actor), deps.clock())
    except IntegrityError:  # the same person through two links at once: one row made it
        async with deps.unit() as session:
            invitation, center = await supporters.opened(session, token, deps.clock())
        return supporters.Accepted(center, already=True)


async def decline_support(deps: Deps, token: str) -> None:
    async with deps.unit() as session:
        await supporters.decline(session, token, deps.clock())


async def supported_centers(deps: Deps, actor: User) -> list[tuple[Supporter, Center]]:
    """The centers this person supports, for their «کانون من»."""
    async with deps.unit() as session:
        return await supporters.supported(session, id_of(actor))


async def own_support(deps: Deps, actor: User, center_id: int) -> tuple[Supporter, Center]:
    """This person's support of a center (their card, the «are you sure?»); a refusal if none."""
    async with deps.unit() as session:
        return await supporters.support_of(session, center_id, id_of(actor))


async def leave_support(deps: Deps, actor: User, center_id: int) -> Center:
    """«ترک حمایت»: the link goes and the leader is told (the notice's row first, in the same commit)."""
    async with deps.unit() as session:
        ended = await supporters.leave(session, center_id, id_of(actor), deps.clock())
        told = await _expect_ended_notice(deps, session, ended, ended.center.leader_id, CharityPurpose.SUPPORTER_LEFT)
    if told is not None:
        await delivery.notify(deps, told, views.supporter_left_notice(service.display_name(actor), ended.center),
                              purpose=CharityPurpose.SUPPORTER_LEFT, ref_id=id_of(ended.event))
    return ended.center


async def supporters_of_my_center(deps: Deps, actor: User) -> tuple[Center, list[tuple[Supporter, User]]]:
    async with deps.unit() as session:
        return await supporters.of_my_center(session, id_of(actor))


async def supporter_to_remove(deps: Deps, actor: User, supporter_id: int) -> tuple[Supporter, Center, User]:
    async with deps.unit() as session:
        return await supporters.removable(session, supporter_id, id_of(actor))


async def remove_supporter(deps: Deps, actor: User, supporter_id: int) -> User:
    """The leader takes a supporter off the center; the supporter is told (row first). Returns them."""
    async with deps.unit() as session:
        ended = await supporters.remove(session, supporter_id, id_of(actor), deps.clock())
        told = await _expect_ended_notice(deps, session, ended, ended.user_id, CharityPurpose.SUPPORTER_REMOVED)
    assert told is not None  # the supporter's row was there a moment ago
    await delivery.notify(deps, told, views.supporter_removed_notice(ended.center),
                          purpose=CharityPurpose.SUPPORTER_REMOVED, ref_id=id_of(ended.event))
    return told


async def _expect_ended_notice(deps: Deps, session: AsyncSession, ended: supporters.Ended, to: int,
                               purpose: CharityPurpose) -> User | None:
    person = await service.user(session, to)
    if person is not None:
        await delivery.expect_notice(session, person, purpose, id_of(ended.event), deps.clock())
    return person


async def supporter_left_again(deps: Deps, row: Delivery, user: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await supporters.ended_event(session, row.ref_id, supporters.LEFT)
        supporter = await service.user(session, found[1]) if found is not None else None
    if found is None:
        return None
    return views.supporter_left_notice(service.display_name(supporter), found[0]), None


async def supporter_removed_again(deps: Deps, row: Delivery, user: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await supporters.ended_event(session, row.ref_id, supporters.REMOVED)
    return (views.supporter_removed_notice(found[0]), None) if found is not None else None


# --- attendance of gatherings --------------------------------------------------------------------


async def attendance(deps: Deps, actor: User, campaign_id: int) -> attendance_service.AttendanceList:
    async with deps.unit() as session:
        return await attendance_service.attendance(session, campaign_id, id_of(actor), deps.clock())


async def toggle_attendance(deps: Deps, actor: User, campaign_id: int, member_id: int) -> attendance_service.AttendanceList:
    async with deps.unit() as session:
        return await attendance_service.toggle(session, campaign_id, member_id, id_of(actor), deps.clock())


# --- batches ------------------------------------------------------------------------------------

Render = Callable[[User], Rendered | None]


async def _prepare_call(deps: Deps, campaign_id: int) -> Render | None:
    async with deps.unit() as session:
        try:
            found = await service.help_campaign(session, campaign_id)
        except CharityError:
            return None
    if not found.is_open(deps.clock()):
        return None
    card = views.call(found, deps.settings.tz)
    return lambda user: card


async def _prepare_progress(deps: Deps, event_id: int) -> Render | None:
    async with deps.unit() as session:
        campaign_id = await service.campaign_of_event(session, event_id)
        if campaign_id is None:
            return None
        found = await service.progress_of(session, await service.help_campaign(session, campaign_id), full=False)
    now = deps.clock()
    text = "\n".join([t("charity-progress-update"), "", views.progress_text(found, now)])
    markup = views.status_markup(found, now)
    return lambda user: (text, markup)


async def _prepare_reminder(deps: Deps, campaign_id: int) -> Render | None:
    async with deps.unit() as session:
        found = await service.help_campaign(session, campaign_id)
        still = await charity_repo.undelivered_promisers(session, campaign_id)
    if found.details.closed_at is not None:
        return None
    card = views.reminder(found, deps.settings.tz)
    return lambda user: card if user.id in still else None


async def _prepare_thanks(deps: Deps, campaign_id: int) -> Render | None:
    async with deps.unit() as session:
        found = await service.help_campaign(session, campaign_id)
        public = await service.progress_of(session, found, full=False)
        full = await service.progress_of(session, found, full=True)
    now = deps.clock()
    title = found.campaign.title or ""
    thanks = "\n".join([t("charity-closed-thanks", title=title), "", views.progress_text(public, now)])
    final = "\n".join([t("charity-final-report", title=title), "", views.progress_text(full, now)])
    staff = {found.center.leader_id, found.center.assistant_id}
    return lambda user: (final, None) if user.id in staff else (thanks, None)


async def _send_chart(deps: Deps, campaign_id: int) -> None:
    """After the thank-yous: the progress chart to the leader, at most once (its row first)."""
    try:
        async with deps.unit() as session:
            found = await service.help_campaign(session, campaign_id)
            full = await service.progress_of(session, found, full=True)
            leader = await service.user(session, found.center.leader_id)
            if leader is None:
                return
            await service.claim_chart(session, campaign_id, id_of(leader), deps.clock())
    except IntegrityError:
        return  # sent before
    messenger = deps.messengers.get(Platform(leader.platform))
    if messenger is None:
        return
    caption = t("charity-chart-caption", title=found.campaign.title or "")
    try:
        await messenger.bot.send_photo(leader.platform_user_id, photo=views.chart_png(full),
                                       caption=messenger.render(caption), parse_mode=parse_mode(messenger.platform))
    except TelegramError as exc:  # the text report has every figure; the picture is a help
        log.info("could not send the chart of help campaign %s: %s", campaign_id, exc)


CALL_BATCH = batches.Kind(CharityPurpose.HELP_CALL, _prepare_call)
PROGRESS_BATCH = batches.Kind(CharityPurpose.HELP_PROGRESS, _prepare_progress)
REMINDER_BATCH = batches.Kind(CharityPurpose.HELP_REMINDER, _prepare_reminder)
THANKS_BATCH = batches.Kind(CharityPurpose.HELP_THANKS, _prepare_thanks, done=_send_chart)
BATCHES: dict[str, batches.Kind] = {kind.purpose: kind for kind in (CALL_BATCH, PROGRESS_BATCH, REMINDER_BATCH, THANKS_BATCH)}

RESENDERS: dict[str, Resender] = {
    CharityPurpose.PLEDGE_REPORTED: to_confirm_again,
    CharityPurpose.PLEDGE_THANKS: thanks_again,
    CharityPurpose.SUPPORTER_LEFT: supporter_left_again,
    CharityPurpose.SUPPORTER_REMOVED: supporter_removed_again,
}


async def deadlines(deps: Deps) -> None:
    """The reminder before each deadline and the close at it (rows first, then the sending)."""
    async with deps.unit() as session:
        reminded = await service.write_due_reminders(session, deps.clock())
        closed = await service.close_due(session, deps.clock())
    for campaign_id in reminded:
        batches.start(deps, REMINDER_BATCH, campaign_id)
    for campaign_id in closed:
        batches.start(deps, THANKS_BATCH, campaign_id)


async def resume_batches(deps: Deps) -> None:
    await batches.resume(deps, BATCHES)


resume_batches_at_start = batches.resumer(BATCHES)


