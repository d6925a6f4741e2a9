"""How the association's admins see things: figures, the chart, a center's full card, the
appointment link, suspension notices, the announcement's report, the export's table."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot import callbacks as cb
from bot import links
from bot.db.enums import AudienceKind, CenterKind, CenterStatus
from bot.db.models import AuditEvent, Center, FacilitationOrg, FacilitatorInvitation, LeaderAnnouncement, User
from bot.deps import Deps
from bot.exports.centers_sheet import CentersLabels
from bot.persian.catalog import Raw, bundle, t
from bot.persian.text import (
    format_date, format_datetime, jalali, persian_digits,
)
from bot.ptb.ui import inline, label
from bot.services.association import AdminCard, Figures, audit_details
from bot.services.refusals import Refusal
from bot.views.centers import area_text, code_text, kind_text, links_block, person_name

CENTERS_ON_INVITATION = 15
NAME_ON_BUTTON = 22
NO_VALUE = "—"


def lines(*parts: str | None) -> Raw:
    return Raw("\n".join(p for p in parts if p is not None))


def _short(text: str, limit: int = NAME_ON_BUTTON) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def refusal_text(refusal: Refusal) -> Raw:
    """The association's and facilitation's refusals: «adm-refusal-<code>», «fac-refusal-<code>»."""
    return t(f"{refusal.feature}-refusal-{refusal.code}")


def percent(part: int, whole: int) -> str:
    return str(t("adm-percent", value=round(100 * part / whole))) if whole else NO_VALUE


def age(since: datetime, now: datetime) -> Raw:
    """«۳ روز و ۴ ساعت» (or hours alone under a day)."""
    hours = max(int((now - since).total_seconds() // 3600), 0)
    days, hours = divmod(hours, 24)
    if days:
        return t("adm-age-days", days=days, hours=hours)
    return t("adm-age-hours", hours=hours)


# --- figures ----------------------------------------------------------------------------------------


def figures_text(figures: Figures, now: datetime, tz: ZoneInfo) -> Raw:
    scope = t("adm-scope-org", org=figures.org.name) if figures.org else t("adm-scope-all")
    statuses = [
        t("adm-fig-status", status=t(f"adm-status-{status}"), count=figures.by_status.get(status, 0))
        for status in (CenterStatus.ACTIVE, CenterStatus.SUSPENDED, CenterStatus.AWAITING_ASSISTANT)
    ]
    kinds = [
        t("adm-fig-kind", kind=kind_text(kind), count=figures.by_kind[kind])
        for kind in CenterKind if figures.by_kind.get(kind)
    ]
    platforms = t("adm-fig-platforms", bale=figures.by_platform.get("bale", 0),
                  telegram=figures.by_platform.get("telegram", 0))
    if figures.waiting:
        waiting = t("adm-fig-waiting", count=figures.waiting,
                    age=age(figures.oldest_waiting, now) if figures.oldest_waiting else NO_VALUE)
    else:
        waiting = t("adm-fig-waiting-none")
    campaigns = t("adm-fig-campaigns", month=t(f"month-{jalali(now, tz).month}"), count=figures.campaigns,
                  rate=percent(figures.answered, figures.delivered))
    return lines(
        t("adm-fig-title", scope=scope, date=format_datetime(now, tz)),
        "",
        t("adm-fig-centers", count=figures.centers),
        Raw(str(t("adm-fig-separator")).join(statuses)),
        Raw(str(t("adm-fig-separator")).join(kinds)) if kinds else None,
        t("adm-fig-without-assistant", count=figures.without_assistant),
        "",
        t("adm-fig-members", count=figures.members),
        t("adm-fig-supporters", count=figures.supporters),
        platforms,
        waiting,
        "",
        campaigns,
    )


def figures_buttons(org_id: int | None) -> InlineKeyboardMarkup:
    scope = org_id or 0
    return inline(
        [(label("adm-btn-chart"), cb.ADMIN_CHART.build(scope)), (label("adm-btn-orgs"), cb.ADMIN_ORGS.build())],
        [(label("adm-btn-search"), cb.ADMIN_SEARCH.build()), (label("adm-btn-appoint"), cb.ADMIN_APPOINT.build())],
        [(label("adm-btn-announce"), cb.ADMIN_ANNOUNCE.build())],
        [(label("adm-btn-csv"), cb.ADMIN_EXPORT.build("csv")), (label("adm-btn-xlsx"), cb.ADMIN_EXPORT.build("xlsx"))],
        [(label("adm-btn-refresh"), cb.ADMIN_FIGURES.build(scope))],
    )


def orgs_buttons(orgs: Sequence[FacilitationOrg]) -> InlineKeyboardMarkup:
    rows = [[(_short(org.name, 30), cb.ADMIN_FIGURES.build(org.id))] for org in orgs]
    rows.append([(label("adm-btn-all-centers"), cb.ADMIN_FIGURES.build(0))])
    return inline(*rows)


def week_label(start: datetime, tz: ZoneInfo) -> str:
    local = jalali(start, tz)
    return str(t("adm-chart-week", day=local.day, month=t(f"month-{local.month}")))


def chart_png(figures: Figures, tz: ZoneInfo) -> bytes:
    """The figures' weekly series as a picture: the same numbers as the text's totals."""
    centers = [p.centers for p in figures.series]
    members = [p.members for p in figures.series]
    scope = t("adm-scope-org", org=figures.org.name) if figures.org else t("adm-scope-all")
    from bot.views import chart  # Pillow and the shaping libraries: loaded for the first chart only

    return chart.bar_chart(
        str(t("adm-chart-title", weeks=len(figures.series))),
        str(t("adm-chart-subtitle", scope=scope)),
        [
            chart.Panel(str(t("adm-chart-centers")), centers, [persian_digits(v) for v in centers]),
            chart.Panel(str(t("adm-chart-members")), members, [persian_digits(v) for v in members]),
        ],
        [week_label(start, tz) for start in figures.weeks],
    )


def chart_caption(figures: Figures, tz: ZoneInfo) -> Raw:
    scope = t("adm-scope-org", org=figures.org.name) if figures.org else t("adm-scope-all")
    return t("adm-chart-caption", scope=scope, centers=figures.centers, members=figures.members)


# --- finding a center ---------------------------------------------------------------------------------


def search_results(centers: Sequence[Center], more: bool) -> tuple[Raw, InlineKeyboardMarkup]:
    rows = []
    for center in centers:
        code = code_text(center.code) if center.code else NO_VALUE
        rows.append([(label("adm-search-result", name=_short(center.name), code=code), cb.ADMIN_CENTER.build(center.id))])
    hint = t("adm-search-more", shown=len(centers)) if more else None
    return lines(t("adm-search-found", count=len(centers)), hint), inline(*rows)


# --- a center's full card ----------------------------------------------------------------------------


def _person(user: User | None) -> Raw:
    """Name and mobile: admins may see mobiles."""
    if user is None:
        return t("adm-card-nobody")
    if user.mobile:
        return t("adm-card-person", name=person_name(user), mobile=persian_digits(user.mobile))
    return t("adm-card-person-nomobile", name=person_name(user))


def action_line(event: AuditEvent, actor: User | None, tz: ZoneInfo) -> Raw:
    key = "adm-action-" + event.action.replace(".", "-").replace("_", "-")
    what = t(key) if bundle().has_message(key) else t("adm-action-other")
    details = audit_details(event)
    reason = details.get("reason")
    who = person_name(actor) if actor else t("adm-action-system")
    return t("adm-card-action", time=format_datetime(event.at, tz), who=who, what=what) if not reason else t(
        "adm-card-action-reason", time=format_datetime(event.at, tz), who=who, what=what, reason=str(reason))


def admin_card_text(card: AdminCard, now: datetime, tz: ZoneInfo) -> Raw:
    center = card.center
    status = t(f"adm-status-{center.status}")
    facilitator = t("adm-card-facilitator-none")
    if card.facilitator is not None:
        facilitator = t("adm-card-facilitator", name=card.facilitator.name,
                        org=card.org.name if card.org else t("adm-card-org-none"))
    waiting = t("adm-card-pending", count=card.pending) if not card.oldest_pending else t(
        "adm-card-pending-oldest", count=card.pending, age=age(card.oldest_pending, now))
    actions = [action_line(event, actor, tz) for event, actor in card.actions]
    return lines(
        t("adm-card-title", name=center.name),
        t("adm-card-code", code=code_text(center.code) if center.code else NO_VALUE),
        t("adm-card-status", status=status),
        t("adm-card-reason", reason=center.status_reason) if center.status == CenterStatus.SUSPENDED and center.status_reason else None,
        t("adm-card-kind", kind=kind_text(center.kind, center.kind_label), area=area_text(center.area)),
        t("adm-card-created", date=format_date(center.created_at, tz)),
        "",
        t("adm-card-leader", person=_person(card.leader)),
        t("adm-card-assistant", person=_person(card.assistant)),
        facilitator,
        "",
        t("adm-card-members", count=card.members),
        waiting,
        t("adm-card-campaigns", count=card.campaigns, last=format_date(card.last_campaign, tz) if card.last_campaign else NO_VALUE),
        "",
        t("adm-card-actions-title") if actions else t("adm-card-actions-none"),
        *actions,
    )


def admin_card_buttons(card: AdminCard) -> InlineKeyboardMarkup:
    center = card.center
    center_id = center.id
    rows = []
    if center.status == CenterStatus.ACTIVE:
        rows.append([(label("adm-btn-suspend"), cb.ADMIN_SUSPEND.build(center_id)),
                     (label("ccard-btn-invite-supporter"), cb.SUPPORTER_INVITE_FOR.build(center_id))])  # issue 13
    elif center.status == CenterStatus.SUSPENDED:
        rows.append([(label("adm-btn-reactivate"), cb.ADMIN_REACTIVATE.build(center_id))])
    appoint = label("adm-btn-replace-facilitator" if card.facilitator else "adm-btn-appoint-here")
    row = [(appoint, cb.ADMIN_APPOINT_CENTER.build(center_id))]
    if card.facilitator is not None:
        row.append((label("adm-btn-remove-facilitator"), cb.ADMIN_REMOVE_FACILITATOR.build(center_id)))
    rows.append(row)
    rows.append([(label("adm-btn-refresh"), cb.ADMIN_CENTER.build(center_id)),
                 (label("adm-btn-home"), cb.ADMIN_FIGURES.build(0))])
    return inline(*rows)


def remove_confirm(card: AdminCard) -> tuple[Raw, InlineKeyboardMarkup]:
    assert card.facilitator is not None
    return t("adm-remove-confirm", name=card.facilitator.name, center=card.center.name), inline(
        [(label("adm-btn-remove-yes"), cb.ADMIN_REMOVE_FACILITATOR_CONFIRM.build(card.center.id))],
        [(label("btn-back"), cb.ADMIN_CENTER.build(card.center.id))],
    )


# --- appointing a facilitator -------------------------------------------------------------------------


def centers_list(centers: Sequence[Center], limit: int = CENTERS_ON_INVITATION) -> Raw:
    shown = [
        t("adm-center-line", name=c.name, code=code_text(c.code) if c.code else NO_VALUE, area=area_text(c.area))
        for c in centers[:limit]
    ]
    more = t("adm-centers-more", count=len(centers) - limit) if len(centers) > limit else None
    return lines(*shown, more)


def appoint_summary(name: str, org: str | None, centers: Sequence[Center]) -> Raw:
    return lines(
        t("adm-appoint-summary", name=name, org=org or t("adm-card-org-none"), count=len(centers)),
        "",
        centers_list(centers),
    )


def appoint_links(deps: Deps, invitation: FacilitatorInvitation, tz: ZoneInfo) -> tuple[Raw, Raw]:
    """(what the admin is told, the text they forward to the person)."""
    expires = format_datetime(invitation.expires_at, tz)
    intro = t("adm-appoint-ready", name=invitation.name, expires=expires)
    forward = t("adm-appoint-forward", name=invitation.name,
                links=links_block(deps, links.facilitator_invite(invitation.token)), expires=expires)
    return intro, forward


# --- suspension -----------------------------------------------------------------------------------------


def status_notice(center: Center, action: str, reason: str) -> Raw:
    key = "adm-notice-suspended" if action == "center.suspended" else "adm-notice-reactivated"
    return t(key, center=center.name, reason=reason)


# --- announcements to leaders ------------------------------------------------------------------------------


def audience_text(kind: str, org: FacilitationOrg | None, area: str | None) -> Raw:
    if kind == AudienceKind.ORG and org is not None:
        return t("adm-audience-org", org=org.name)
    if kind == AudienceKind.AREA:
        return t("adm-audience-area", area=area or "")
    return t("adm-audience-all")


def announcement_text(body: str) -> Raw:
    return t("adm-announcement", body=body)


def announcement_report(counts: dict[str, int], audience: Raw) -> Raw:
    total = sum(counts.values())
    pending = counts.get("pending", 0) + counts.get("sending", 0)
    state = t("adm-report-sending") if pending else t("adm-report-done")
    return lines(
        t("adm-report-title", audience=audience),
        t("adm-report-figures", total=total, sent=counts.get("sent", 0), unreachable=counts.get("unreachable", 0),
          failed=counts.get("failed", 0) + counts.get("skipped", 0), pending=pending),
        state,
    )


def announcement_report_buttons(announcement_id: int) -> InlineKeyboardMarkup:
    return inline([(label("adm-btn-refresh"), cb.ADMIN_ANNOUNCE_REPORT.build(announcement_id))])


# --- the export ----------------------------------------------------------------------------------------------


EXPORT_COLUMNS = ("code", "name", "kind", "area", "state", "leader", "leader-mobile", "assistant", "assistant-mobile",
                  "facilitator", "org", "members", "pending", "created")


def export_header() -> list[str]:
    return [label(f"adm-export-{column}") for column in EXPORT_COLUMNS]


def centers_sheet_labels() -> CentersLabels:
    """The every-center file's words (bot/exports/centers_sheet.py): made here, where the catalog
    is, and handed to the file's maker, in this process or the export worker."""
    return CentersLabels(export_header(), {kind.value: kind_text(kind) for kind in CenterKind},
                         {status.value: label(f"adm-status-{status}") for status in CenterStatus})


def export_caption(kind: str, count: int, now: datetime, tz: ZoneInfo) -> Raw:
    return t("adm-export-caption", count=count, date=format_date(now, tz), kind=kind)
