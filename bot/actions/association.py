"""The association's admins' intents: look at the figures and the chart, find and open a
center, suspend and reactivate it, take a facilitator off it, appoint facilitators by link,
announce to leaders, export every center. Each opens one unit of work, then does the
follow-ups (notices, sending). Who is an admin is settings.admin_ids, checked by the handler
from the person tapping; the actions take that person's User row. docs/association.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.error import TelegramError

from bot.actions import facilitation
from bot.db.engine import autocommit
from bot.db.enums import AssociationPurpose, AudienceKind
from bot.db.models import Center, Delivery, FacilitationOrg, FacilitatorInvitation, User
from bot.deps import Deps, Rendered, Resender
from bot.exports import apart
from bot.exports.centers_sheet import CentersSheet
from bot.persian.catalog import Raw
from bot.platforms import Platform
from bot.sending import batches
from bot.sending.delivery import expect_notice, notify
from bot.services import association as svc
from bot.services import center_codes
from bot.services import facilitation as facilitation_svc
from bot.services import search as search_svc
from bot.services.association import AdminCard, Announced, Figures, StatusChange
from bot.services.facilitation import Removed
from bot.views import association as views
from bot.views import facilitation as facilitation_views

log = logging.getLogger(__name__)

SEARCH_SHOWN = 10

ROLE_MENU_ADMIN = "menu-admin"
ROLE_MENU_FACILITATOR = "menu-facilitator"


def is_admin(deps: Deps, platform: str | Platform, platform_user_id: int) -> bool:
    return (Platform(platform), platform_user_id) in deps.settings.admins


async def menu_extras(deps: Deps, user: User | None) -> tuple[str, ...]:
    """The main-menu buttons this person has besides everyone's: «🏛 انجمن», «🧭 رهیاری»."""
    if user is None or user.id is None:
        return ()
    async with autocommit(deps.sessions) as session:  # one read, no transaction
        return menu_extras_of(deps, user, await facilitation_svc.is_facilitator(session, user.id))


def menu_extras_of(deps: Deps, user: User, facilitates: bool) -> tuple[str, ...]:
    """menu_extras when whether the person facilitates is known (every update's first read says)."""
    extras = []
    if is_admin(deps, user.platform, user.platform_user_id):
        extras.append(ROLE_MENU_ADMIN)
    if facilitates:
        extras.append(ROLE_MENU_FACILITATOR)
    return tuple(extras)


# --- looking -----------------------------------------------------------------------------------------


async def figures(deps: Deps, org_id: int | None = None) -> Figures:
    async with deps.unit() as session:
        return await svc.figures(session, deps.clock(), deps.settings.tz, org_id)


async def chart(deps: Deps, org_id: int | None = None) -> tuple[bytes, Raw]:
    """The weekly chart (PNG) and its caption, from the same figures as the text."""
    found = await figures(deps, org_id)
    return views.chart_png(found, deps.settings.tz), views.chart_caption(found, deps.settings.tz)


async def orgs(deps: Deps) -> list[FacilitationOrg]:
    async with deps.unit() as session:
        return await svc.orgs(session)


@dataclass
class Found:
    centers: list[Center]
    more: bool


async def search(deps: Deps, typed: str) -> Found:
    """A center by its code, or by name with the tolerant search members use."""
    async with deps.unit() as session:
        code = center_codes.parse(typed)
        if isinstance(code, int):
            center = await svc.center_by_code(session, code)
            return Found([center] if center else [], False)
        page = await search_svc.find_centers(session, typed, limit=SEARCH_SHOWN)
        return Found(page.centers, page.has_more)


async def card(deps: Deps, center_id: int) -> AdminCard:
    async with deps.unit() as session:
        return await svc.admin_card(session, center_id)


# --- suspension ---------------------------------------------------------------------------------------


async def _tell_status(deps: Deps, change: StatusChange, action: str) -> None:
    purpose = AssociationPurpose.CENTER_SUSPENDED if action == "center.suspended" else AssociationPurpose.CENTER_REACTIVATED
    text = views.status_notice(change.center, action, change.reason)
    for person in (change.leader, change.assistant):
        if person is not None:
            await notify(deps, person, text, purpose=purpose, ref_id=change.event_id)


async def _expect_status_notices(session: AsyncSession, change: StatusChange, purpose: str, now: datetime) -> None:
    """Rows first: the leader's and assistant's notices commit with the change."""
    for person in (change.leader, change.assistant):
        if person is not None:
            await expect_notice(session, person, purpose, change.event_id, now)


async def suspend(deps: Deps, admin: User, center_id: int, reason: str) -> StatusChange:
    async with deps.unit() as session:
        change = await svc.suspend(session, center_id, admin, reason, deps.clock())
        await _expect_status_notices(session, change, AssociationPurpose.CENTER_SUSPENDED, deps.clock())
    await _tell_status(deps, change, "center.suspended")
    return change


async def reactivate(deps: Deps, admin: User, center_id: int, reason: str) -> StatusChange:
    async with deps.unit() as session:
        change = await svc.reactivate(session, center_id, admin, reason, deps.clock())
        await _expect_status_notices(session, change, AssociationPurpose.CENTER_REACTIVATED, deps.clock())
    await _tell_status(deps, change, "center.reactivated")
    return change


async def status_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await svc.status_change(session, row.ref_id)
    if found is None:
        return None
    center, action, reason = found
    return views.status_notice(center, action, reason), None


# --- facilitators on a center -----------------------------------------------------------------------------


async def remove_facilitator(deps: Deps, admin: User, center_id: int) -> Removed:
    async with deps.unit() as session:
        removed = await facilitation_svc.remove(session, center_id, admin, deps.clock())
        for person in (removed.leader, removed.assistant):  # rows first: the notices commit with it
            if person is not None:
                await expect_notice(session, person, AssociationPurpose.FACILITATOR_REMOVED, removed.event_id,
                                    deps.clock())
        await expect_notice(session, removed.facilitator, AssociationPurpose.FACILITATOR_ENDED, removed.event_id,
                            deps.clock())
    text = facilitation_views.removed_notice(removed.center, removed.name)
    for person in (removed.leader, removed.assistant):
        if person is not None:
            await notify(deps, person, text, purpose=AssociationPurpose.FACILITATOR_REMOVED, ref_id=removed.event_id)
    await notify(deps, removed.facilitator, facilitation_views.removed_you_notice(removed.center),
                 purpose=AssociationPurpose.FACILITATOR_ENDED, ref_id=removed.event_id)
    return removed


async def removed_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await facilitation_svc.removal(session, row.ref_id)
    if found is None:
        return None
    center, name = found
    if row.purpose == AssociationPurpose.FACILITATOR_ENDED:
        return facilitation_views.removed_you_notice(center), None
    return facilitation_views.removed_notice(center, name), None


@dataclass
class Appointment:
    invitation: FacilitatorInvitation
    made: bool


async def appoint(
    deps: Deps, admin: User, *, name: str, org_id: int | None, new_org: str | None, center_ids: list[int],
    request_key: str,
) -> Appointment:
    """A one-time invitation for the person the admin chose (a new organisation is named here)."""
    now = deps.clock()
    async with deps.unit() as session:
        if new_org:
            org_id = (await svc.org_named(session, new_org, admin, now)).id
        made = await facilitation_svc.invite(session, admin, name, org_id, center_ids, now, request_key)
    return Appointment(made.invitation, made.made)


# --- announcements to leaders ----------------------------------------------------------------------------


async def audience_size(deps: Deps, kind: AudienceKind, org_id: int | None, area: str | None) -> int:
    async with deps.unit() as session:
        return len(await svc.audience(session, kind, org_id, area))


async def announce(
    deps: Deps, admin: User, kind: AudienceKind, org_id: int | None, area: str | None, body: str, request_key: str,
) -> Announced:
    """Rows first (one per leader or assistant, each person once), then the admin's report
    message, then the sending in the background."""
    async with deps.unit() as session:
        announced = await svc.announce(session, admin, kind, org_id, area, body, deps.clock(), request_key)
    if announced.made:
        await refresh_report(deps, svc.id_of(announced.announcement))
        batches.start(deps, ANNOUNCEMENT_BATCH, svc.id_of(announced.announcement))
    return announced


async def refresh_report(deps: Deps, announcement_id: int) -> None:
    """Post or edit the admin's delivery report of an announcement."""
    async with deps.background.lock(f"announcement-report:{announcement_id}"):
        async with deps.unit() as session:
            found = await svc.report(session, announcement_id)
        if found is None or found.admin is None or Platform(found.admin.platform) not in deps.messengers:
            return
        announcement, admin = found.announcement, found.admin
        text = views.announcement_report(
            found.counts, views.audience_text(announcement.audience, found.org, announcement.area))
        try:
            result = await deps.messenger(admin.platform).edit_or_send(
                admin.platform_user_id, announcement.report_message_id, text,
                views.announcement_report_buttons(announcement_id),
            )
        except TelegramError:
            return
        if result.message_id != announcement.report_message_id:
            async with deps.unit() as session:
                await svc.set_report_message(session, announcement_id, result.message_id)


async def _prepare_announcement(deps: Deps, announcement_id: int) -> batches.Renderer | None:
    async with deps.unit() as session:
        announcement = await svc.announcement(session, announcement_id)
    if announcement is None:
        return None
    text = views.announcement_text(announcement.body)
    return lambda user: (text, None)


async def _announcement_done(deps: Deps, announcement_id: int) -> None:
    async with deps.unit() as session:
        await svc.finish_announcement(session, announcement_id)


ANNOUNCEMENT_BATCH = batches.Kind(
    AssociationPurpose.LEADER_ANNOUNCEMENT, _prepare_announcement, progress=refresh_report, done=_announcement_done,
)


# --- the export ----------------------------------------------------------------------------------------------


@dataclass
class Export:
    content: bytes
    filename: str
    count: int


class CentersFileFailed(Exception):
    """The file's process crashed or ran out of time (logged); the admin is asked to try again.
    Nothing was recorded: the audit record is written only once the file is made."""


async def export(deps: Deps, admin: User, kind: str) -> Export:
    """Every live center in one file. Made by a separate process that reads the database itself
    (bot/exports/centers_worker.py): 100,000 centers cost seconds of CPU, which here would hold
    everyone's updates up. Who took it goes in the audit record once it is made. With SQLite in
    memory (which no other process can read) it is made here, a batch of plain rows at a time,
    each written in a worker thread as the next is read."""
    settings, workbook = deps.settings, kind == "xlsx"
    labels = views.centers_sheet_labels()
    database = apart.database_for_worker(settings.database_url)
    if database is None:
        sheet = CentersSheet(labels, settings.tz, workbook)
        async with deps.unit() as session:
            count = await svc.export_centers(session, admin, kind, deps.clock(),
                                             lambda rows: asyncio.to_thread(sheet.add, rows))
        content = sheet.content()
    else:
        job = {"database": database, **svc.export_rule(), "workbook": workbook, "tz": settings.tz.key,
               "labels": asdict(labels), "batch": svc.EXPORT_BATCH}
        try:
            count, content = await apart.run_worker(job, settings.export_timeout_seconds, apart.CENTERS_WORKER)
        except apart.ExportFailed as failure:
            log.error("every-center file: %s", failure)
            raise CentersFileFailed(str(failure)) from None
        async with deps.unit() as session:
            svc.record_export(session, admin, kind, count, deps.clock())
    stamp = deps.clock().astimezone(settings.tz).strftime("%Y%m%d")
    return Export(content, f"centers-{stamp}.{'xlsx' if workbook else 'csv'}", count)


def send_export(deps: Deps, admin: User, kind: str, send: Callable[[Export], Awaitable[object]],
                failed: Callable[[], Awaitable[object]]) -> bool:
    """Make the file and `send` it in the background, so the admin's other messages are answered
    meanwhile (100,000 centers take seconds); False if theirs is still being made. If the file
    cannot be made, `failed()` tells the admin (nothing was recorded; a later tap starts afresh).
    Like bot/actions/joining.send_members_file."""

    async def work(stop: asyncio.Event) -> None:
        try:
            made = await export(deps, admin, kind)
        except CentersFileFailed:
            await failed()
            return
        await send(made)

    return deps.background.start(f"centers-file:{admin.platform}:{admin.platform_user_id}", work)


# --- wiring (listed in bot/runner.py) -------------------------------------------------------------------------

BATCHES: dict[str, batches.Kind] = {
    AssociationPurpose.LEADER_ANNOUNCEMENT: ANNOUNCEMENT_BATCH,
    **facilitation.BATCHES,
}

RESENDERS: dict[str, Resender] = {
    AssociationPurpose.CENTER_SUSPENDED: status_again,
    AssociationPurpose.CENTER_REACTIVATED: status_again,
    AssociationPurpose.FACILITATOR_REMOVED: removed_again,
    AssociationPurpose.FACILITATOR_ENDED: removed_again,
    **facilitation.RESENDERS,
}


async def resume_batches(deps: Deps) -> None:
    await batches.resume(deps, BATCHES)


resume_batches_at_start = batches.resumer(BATCHES)
