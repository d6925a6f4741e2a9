"""What charitable campaigns look like: the call with a button per need, progress bars, the
staff's report and pledges list, the pledge steps' questions (docs/charity.md).

Pure functions of rows; times in the configured zone `tz`.
"""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot import callbacks, links
from bot.db.charity_models import Supporter, SupporterInvitation
from bot.db.models import Center, User
from bot.deps import Deps
from bot.persian.text import format_date, format_datetime
from bot.views.centers import links_block
from bot.db.charity_models import HelpNeed, Pledge
from bot.db.enums import NeedSort, PledgeStatus
from bot.db.models import Campaign
from bot.persian.amounts import format_quantity, format_toman
from bot.persian.catalog import Raw, t
from bot.ptb.ui import inline, label
from bot.services.campaigns import id_of
from bot.services.attendance import AttendanceList
from bot.services.charity import CharityError, Help, NeedProgress, Progress, display_name, scale
from bot.views.campaigns import Card, _join, snippet, when

BAR_CELLS = 10
# Buttons stay within 32 characters: the need's name is cut to this.
BUTTON_NAME = 14
# Receipt buttons under one pledges list (the rest: the export).
MAX_RECEIPT_BUTTONS = 20
# Toggles under one attendance list (a chat message holds about a hundred buttons).
MAX_ATTENDANCE = 90


def need_label(need: HelpNeed) -> str:
    if need.sort == NeedSort.MONEY:
        return t("charity-need-money-label")
    if need.sort == NeedSort.WORK:
        return t("charity-need-work-label")
    return t("charity-need-goods-label", name=need.name or "", unit=need.unit or "")


def unit_of(need: HelpNeed) -> str:
    return need.unit or "" if need.sort == NeedSort.GOODS else t("charity-work-unit")


def amount(need: HelpNeed, stored: int) -> str:
    """A stored amount as people read it: «۲٬۰۰۰٬۰۰۰ تومان», «۲ و نیم کیسه», «۳ روز کار»."""
    if need.sort == NeedSort.MONEY:
        return format_toman(stored)
    return t("charity-quantity", quantity=format_quantity(Fraction(stored, scale(need))), unit=unit_of(need))


def bar(done: int, target: int) -> Raw:
    """«▓▓▓▓▓░░░░░ ۵۲٪» (over the target: a full bar and the real percent)."""
    percent = done * 100 // target if target > 0 else 0
    cells = min(BAR_CELLS, percent * BAR_CELLS // 100)
    return t("charity-bar", bar="▓" * cells + "░" * (BAR_CELLS - cells), percent=percent)


# --- the call ----------------------------------------------------------------------------------


def call_text(campaign: Campaign, center_name: str, deadline: datetime | None, needs: list[HelpNeed],
              tz: ZoneInfo) -> Raw:
    need_lines = [
        t("charity-need-target", need=need_label(n), target=amount(n, n.target)) if n.target
        else t("charity-need-line", need=need_label(n))
        for n in needs
    ]
    return _join(
        t("charity-call", title=campaign.title or "", center=center_name, body=campaign.body),
        t("charity-call-deadline", when=Raw(when(deadline, tz))) if deadline else None,
        "", t("charity-call-needs"), *[f"• {line}" for line in need_lines],
        "", t("charity-no-money-held"), "", t("charity-call-question"),
    )


def call_markup(campaign_id: int, needs: list[HelpNeed]) -> InlineKeyboardMarkup:
    rows = [[(label("charity-btn-pledge", need=snippet(need_label(n), BUTTON_NAME)),
              callbacks.HELP_PLEDGE.build(id_of(n)))] for n in needs]
    rows.append([(label("charity-btn-status"), callbacks.HELP_STATUS.build(campaign_id))])
    return inline(*rows)


def call(found: Help, tz: ZoneInfo) -> Card:
    return (call_text(found.campaign, found.center.name, found.details.deadline, found.needs, tz),
            call_markup(id_of(found.campaign), found.needs))


# --- progress --------------------------------------------------------------------------------------


def status_of(row: Pledge) -> str:
    """«قول», «گفته تحویل داده», «رسیده»."""
    return _status(row)


def _status(row: Pledge) -> str:
    return t(f"charity-status-{PledgeStatus(row.status)}")


def _need_block(item: NeedProgress, full: bool) -> list[str]:
    need = item.need
    lines: list[str] = [t("charity-progress-need", need=need_label(need))]
    if need.target:
        lines += [t("charity-progress-target", amount=amount(need, need.target)),
                  t("charity-progress-promised", amount=amount(need, item.promised)), bar(item.promised, need.target),
                  t("charity-progress-delivered", amount=amount(need, item.delivered)), bar(item.delivered, need.target)]
    else:
        lines += [t("charity-progress-promised", amount=amount(need, item.promised)),
                  t("charity-progress-delivered", amount=amount(need, item.delivered))]
    if full:
        for giver in item.givers:
            name = t("charity-giver-anonymous", name=giver.name) if giver.pledge.anonymous else giver.name
            line = t("charity-giver-line", name=name, amount=amount(need, giver.pledge.amount),
                     status=_status(giver.pledge))
            if giver.pledge.note:
                line = Raw(f"{line} {t('charity-giver-note', note=giver.pledge.note)}")
            lines.append(line)
    else:
        if item.givers:
            names = t("charity-names-separator").join(dict.fromkeys(g.name for g in item.givers))
            lines.append(t("charity-progress-givers", names=names))
    return lines


def progress_text(found: Progress, now: datetime) -> Raw:
    campaign = found.help.campaign
    blocks: list[str | None] = [
        t("charity-progress-title", title=campaign.title or "", pledgers=found.pledgers),
        t("charity-progress-closed") if not found.help.is_open(now) else None,
    ]
    for item in found.needs:
        blocks += ["", *_need_block(item, found.full)]
    return _join(*blocks)


def status_markup(found: Progress, now: datetime) -> InlineKeyboardMarkup | None:
    """Under a member's «وضعیت پویش»: the pledge buttons while it is open."""
    if not found.help.is_open(now):
        return None
    return call_markup(id_of(found.help.campaign), found.help.needs)


def report_markup(campaign_id: int, is_leader: bool) -> InlineKeyboardMarkup:
    rows = [[(label("charity-btn-refresh"), callbacks.HELP_REPORT.build(campaign_id)),
             (label("charity-btn-pledges"), callbacks.HELP_PLEDGES.build(campaign_id))]]
    if is_leader:
        rows.append([(label("charity-btn-share"), callbacks.HELP_SHARE.build(campaign_id))])
        rows.append([(label("charity-btn-csv"), callbacks.HELP_EXPORT.build(campaign_id, "csv")),
                     (label("charity-btn-xlsx"), callbacks.HELP_EXPORT.build(campaign_id, "xlsx"))])
    return inline(*rows)


def pledges_list(found: Progress, viewer_id: int) -> Card:
    """Every live pledge for the staff, with a receipt button for those not yet delivered
    (never on the viewer's own pledge)."""
    lines = [t("charity-pledges-title", title=found.help.campaign.title or "")]
    buttons: list[list[tuple[str, str]]] = []
    for item in found.needs:
        for giver in item.givers:
            row = giver.pledge
            lines.append(t("charity-giver-line", name=giver.name, amount=amount(item.need, row.amount),
                           status=_status(row)))
            if row.status != PledgeStatus.DELIVERED and row.user_id != viewer_id and len(buttons) < MAX_RECEIPT_BUTTONS:
                buttons.append([(label("charity-btn-receipt", name=snippet(giver.name, 18)),
                                 callbacks.HELP_CONFIRM.build(id_of(row)))])
    if len(lines) == 1:
        lines.append(t("charity-pledges-empty"))
    return _join(*lines), inline(*buttons) if buttons else None


# --- a giver's pledge ------------------------------------------------------------------------------


def pledge_markup(row: Pledge) -> InlineKeyboardMarkup:
    rows = []
    if row.status == PledgeStatus.PROMISED:
        rows.append([(label("charity-btn-delivered"), callbacks.HELP_DELIVERED.build(id_of(row)))])
    if row.status in (PledgeStatus.PROMISED, PledgeStatus.REPORTED):
        rows.append([(label("charity-btn-withdraw"), callbacks.HELP_WITHDRAW.build(id_of(row)))])
    rows.append([(label("charity-btn-status"), callbacks.HELP_STATUS.build(row.campaign_id))])
    return inline(*rows)


def to_confirm(giver_name: str, row: Pledge, need: HelpNeed, title: str) -> Card:
    text = t("charity-to-confirm", name=giver_name, amount=amount(need, row.amount), need=need_label(need), title=title)
    return text, inline([(label("charity-btn-confirm"), callbacks.HELP_CONFIRM.build(id_of(row)))])


def reminder(found: Help, tz: ZoneInfo) -> Card:
    text = t("charity-reminder", title=found.campaign.title or "", when=Raw(when(found.details.deadline, tz)))
    return text, inline([(label("charity-btn-status"), callbacks.HELP_STATUS.build(id_of(found.campaign)))])


def chart_png(found: Progress) -> bytes:
    """The final report's picture: per need, promised and arrived against the target."""
    from bot.views import charity_chart  # Pillow and the shaping libraries: loaded for the first chart only

    rows = []
    for item in found.needs:
        whole = item.need.target or item.promised or 1
        rows.append(charity_chart.Row(
            str(need_label(item.need)), item.promised / whole, item.delivered / whole,
            str(t("charity-chart-promised", percent=item.promised * 100 // whole)),
            str(t("charity-chart-delivered", percent=item.delivered * 100 // whole)),
        ))
    return charity_chart.progress_chart(str(t("charity-chart-title", title=found.help.campaign.title or "")),
                                        str(t("charity-chart-legend")), rows)


def attendance(found: AttendanceList) -> Card:
    """The «شرکت می‌کنم» list with a toggle per person: ✅ came, ⬜ not marked."""
    campaign_id = id_of(found.campaign)
    text = _join(t("attendance-title", title=found.campaign.title or "", came=len(found.came), yes=len(found.people)),
                 t("attendance-empty") if not found.people else None)
    rows = [[(label("attendance-came" if uid in found.came else "attendance-not-marked", name=snippet(name, 28)),
              callbacks.ATTENDANCE_TOGGLE.build(campaign_id, uid))] for uid, name in found.people[:MAX_ATTENDANCE]]
    return text, inline(*rows) if rows else None


# --- supporters ---------------------------------------------------------------------------------------


def supporter_invitation_for_leader(deps: Deps, center: Center, invitation: SupporterInvitation) -> Raw:
    """What the leader forwards: one link per platform, for one person."""
    return _join(t("supporter-invite-intro", center=center.name,
                   expires=format_datetime(invitation.expires_at, deps.settings.tz)),
                 "", links_block(deps, links.supporter_invite(invitation.token)))


def supporter_invitation_card(center: Center, token: str) -> Card:
    return t("supporter-invitation", center=center.name), inline(
        [(label("supporter-btn-accept"), callbacks.SUPPORTER_ACCEPT.build(token))],
        [(label("supporter-btn-decline"), callbacks.SUPPORTER_DECLINE.build(token))],
    )


def supporter_card(row: Supporter, center: Center, tz: ZoneInfo) -> Card:
    """A supporter's own view of a center they back (on «کانون من»), with «ترک حمایت»."""
    center_id = id_of(center)
    return t("supporter-card", center=center.name, date=format_date(row.joined_at, tz)), inline(
        [(label("supporter-btn-leave"), callbacks.SUPPORTER_LEAVE.build("ask", center_id))])


def supporter_confirm_leave(center: Center) -> Card:
    """«Are you sure?» before leaving, with the way back to the card and the way out."""
    center_id = id_of(center)
    return t("supporter-confirm-leave", center=center.name), inline(
        [(label("supporter-btn-confirm-leave"), callbacks.SUPPORTER_LEAVE.build("yes", center_id))],
        [(label("btn-step-back"), callbacks.SUPPORTER_LEAVE.build("back", center_id)),
         (label("btn-cancel"), callbacks.SUPPORTER_LEAVE.build("no", center_id))],
    )


def supporters_list(center: Center, rows: list[tuple[Supporter, User]], tz: ZoneInfo, note: str | None = None) -> Card:
    """The leader's list of their center's supporters, a «remove» button each."""
    lines = [t("supporters-list-title", center=center.name, count=len(rows))]
    lines += [t("supporters-list-line", name=display_name(person), date=format_date(row.joined_at, tz)) for row, person in rows]
    buttons = [[(label("supporters-btn-remove", name=snippet(display_name(person), 18)),
                 callbacks.SUPPORTER_REMOVE.build("ask", id_of(row)))] for row, person in rows]
    return _join(note, "" if note else None, *lines, t("supporters-list-empty") if not rows else None), \
        inline(*buttons) if buttons else None


def supporter_confirm_remove(row: Supporter, person: User, center: Center) -> Card:
    supporter_id = id_of(row)
    return t("supporters-confirm-remove", name=display_name(person), center=center.name), inline(
        [(label("supporters-btn-confirm-remove"), callbacks.SUPPORTER_REMOVE.build("yes", supporter_id))],
        [(label("btn-step-back"), callbacks.SUPPORTER_REMOVE.build("back", supporter_id)),
         (label("btn-cancel"), callbacks.SUPPORTER_REMOVE.build("no", supporter_id))],
    )


def supporter_removed_notice(center: Center) -> Raw:
    """To the supporter the leader took off the center."""
    return t("supporter-removed-notice", center=center.name)


def supporter_left_notice(name: str, center: Center) -> Raw:
    """To the leader, when a supporter leaves."""
    return t("supporter-left-notice", name=name, center=center.name)


def error_text(error: CharityError) -> Raw:
    return t(f"charity-error-{error.code}")
