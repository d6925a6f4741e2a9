"""What campaign messages look like: texts from the catalog and their inline keyboards.

Pure functions of rows and figures, used by the handlers, the conversations (the preview is
rendered by the very function that renders the members' message), the actions and the
broadcaster. Times are shown in the configured zone `tz` (deps.settings.tz), passed in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.db.enums import Answer, CampaignKind, CampaignStatus, CenterStatus
from bot.db.models import Campaign, CampaignAnswer
from bot.persian.catalog import Raw, t
from bot.persian.dates import WhenProblem
from bot.persian.digits import persian_digits
from bot.persian.text import format_datetime
from bot.platforms import ReplyMarkup
from bot.ptb.ui import inline, label, main_menu
from bot.views import steps
from bot.views.centers import person_name
from bot.services.campaign_people import People, Who
from bot.services.campaigns import OFFSETS, CampaignError, CenterList, Figures, as_utc, has_started, id_of

SNIPPET = 40

# A message as it should be sent: (text, buttons); Card when the buttons are inline (editable).
Rendered = tuple[str, ReplyMarkup]
Card = tuple[str, InlineKeyboardMarkup | None]


def when(moment: datetime | None, tz: ZoneInfo) -> str:
    return format_datetime(as_utc(moment), tz, weekday=True) if moment else ""


def _join(*parts: str | None) -> Raw:
    """Lines of a message; None leaves a line out, "" is a blank line."""
    return Raw("\n".join(p for p in parts if p is not None))


def snippet(text: str, size: int = SNIPPET) -> str:
    line = " ".join(text.split())
    return line if len(line) <= size else line[: size - 1].rstrip() + "…"


# --- what members receive ------------------------------------------------------------------


def call_text(campaign: Campaign, center_name: str, tz: ZoneInfo) -> Raw:
    """The campaign call exactly as members see it (the preview shows this very text)."""
    return _join(
        t("campaign-call", title=campaign.title or "", center=center_name, body=campaign.body,
          when=Raw(when(campaign.starts_at, tz))),
        t("campaign-call-place", place=campaign.place) if campaign.place else None,
        "",
        t("campaign-call-question"),
    )


def announcement_text(body: str, center_name: str) -> Raw:
    return t("announcement-message", center=center_name, body=body)


def answer_markup(campaign_id: int, answer: str | None, muted: bool) -> InlineKeyboardMarkup:
    """«شرکت می‌کنم» / «نمی‌توانم» (the chosen one ticked) and the reminder switch."""

    def choice(key: str, value: Answer) -> str:
        text = label(key)
        return label("campaign-btn-chosen", label=text) if answer == value else text

    rows = [[(choice("campaign-btn-yes", Answer.YES), callbacks.ANSWER.build("y", campaign_id)),
             (choice("campaign-btn-no", Answer.NO), callbacks.ANSWER.build("n", campaign_id))]]
    if answer != Answer.NO:
        mute_key = "campaign-btn-unmute" if muted else "campaign-btn-mute"
        rows.append([(label(mute_key), callbacks.ANSWER.build("m", campaign_id))])
    return inline(*rows)


def reminder_lead(remaining: timedelta) -> Raw:
    minutes = int(remaining.total_seconds() // 60)
    if minutes >= 22 * 60:
        return t("reminder-lead-day")
    if minutes >= 90:
        return t("reminder-lead-hours", hours=round(minutes / 60))
    if minutes >= 5:
        return t("reminder-lead-minutes", minutes=minutes)
    if minutes >= -5:
        return t("reminder-lead-now")
    return t("reminder-lead-begun")


def reminder_text(campaign: Campaign, now: datetime, tz: ZoneInfo) -> Raw:
    assert campaign.starts_at is not None
    remaining = as_utc(campaign.starts_at) - now
    return _join(
        t("reminder-message", title=campaign.title or "", lead=reminder_lead(remaining),
          when=Raw(when(campaign.starts_at, tz))),
        t("campaign-call-place", place=campaign.place) if campaign.place else None,
    )


def cancel_notice(campaign: Campaign, tz: ZoneInfo) -> Raw:
    return t("campaign-cancel-notice", title=campaign.title or "", when=Raw(when(campaign.starts_at, tz)))


def moved_notice(campaign: Campaign, previous: datetime, tz: ZoneInfo) -> Raw:
    return t("campaign-moved-notice", title=campaign.title or "", when=Raw(when(campaign.starts_at, tz)),
             previous=Raw(when(previous, tz)))


def member_list(upcoming: list[tuple[Campaign, CampaignAnswer | None]], tz: ZoneInfo) -> Card:
    """The calls ahead of a member, each with their answer and a button to see it again."""
    words: dict[str | None, Raw] = {Answer.YES: t("campaigns-member-yes"), Answer.NO: t("campaigns-member-no")}
    lines = [t("campaigns-member-title")]
    for campaign, row in upcoming:
        answer_text = words.get(row.answer if row else None, t("campaigns-member-none"))
        lines.append(t("campaigns-member-item", title=campaign.title or "", when=Raw(when(campaign.starts_at, tz)),
                       answer=answer_text))
    markup = inline(*[
        [(label("campaigns-member-open", title=snippet(c.title or "", 30)), callbacks.ANSWER.build("v", id_of(c)))]
        for c, _ in upcoming[:10]
    ])
    return Raw("\n\n".join(lines)), markup


# --- creating ----------------------------------------------------------------------------------


def preview_markup() -> InlineKeyboardMarkup:
    """The members' buttons on the preview: shown as they will be, answering «preview only»."""
    inert = callbacks.CREATE_PREVIEW_BUTTON.build()
    return inline([(label("campaign-btn-yes"), inert), (label("campaign-btn-no"), inert)],
                  [(label("campaign-btn-mute"), inert)])


def reminders_markup(possible: list[int], chosen: list[int]) -> InlineKeyboardMarkup:
    """A switch per reminder still possible, and «ادامه»."""
    rows = []
    for offset in possible:
        name = label(f"campaign-reminder-{offset}")
        text = label("campaign-toggle-on", label=name) if offset in chosen else label("campaign-toggle-off", label=name)
        rows.append([(text, callbacks.CREATE_REMINDER_TOGGLE.build(str(offset)))])
    rows.append([(label("campaign-btn-reminders-done"), callbacks.CREATE_REMINDER_TOGGLE.build("ok"))])
    return inline(*rows, steps.inline_row())


def reminders_summary(offsets: list[int]) -> Raw:
    chosen = [str(t(f"campaign-reminder-{o}")) for o in OFFSETS if o in offsets]
    return Raw(t("campaign-reminders-separator").join(chosen)) if chosen else t("campaign-reminders-none")


@dataclass(frozen=True)
class SupportersChoice:
    """The center's supporters a call would not reach, and whether the leader chose to reach
    them too (the toggle under a preview; issue 13, docs/charity.md)."""

    count: int = 0
    chosen: bool = False

    def recipients(self, members: int) -> int:
        return members + (self.count if self.chosen else 0)

    def line(self) -> Raw | None:
        if not self.count:
            return None
        return t("supporters-preview-yes" if self.chosen else "supporters-preview-no", count=self.count)

    def rows(self) -> list[list[tuple[str, str]]]:
        """«🤝 حامیان هم ببینند: بله/خیر», only when the center has such supporters."""
        if not self.count:
            return []
        key = "supporters-btn-yes" if self.chosen else "supporters-btn-no"
        return [[(label(key), callbacks.CREATE_SUPPORTERS.build())]]


def campaign_control(recipients: int, reminders: list[int], supporters: SupportersChoice = SupportersChoice()) -> Card:
    """Under the preview: who will receive it, and «ارسال» / «ویرایش» / «لغو»."""
    text = t("campaign-preview-control", recipients=supporters.recipients(recipients),
             reminders=reminders_summary(reminders))
    return _join(text, supporters.line()), inline(
        [(label("campaign-btn-send"), callbacks.CREATE_SEND.build())],
        [(label("campaign-btn-edit"), callbacks.CREATE_EDIT.build())],
        *supporters.rows(),
        [steps.inline_row()[0], (label("campaign-btn-discard"), callbacks.CREATE_DISCARD.build())],
    )


def edit_which() -> Card:
    def field(key: str, name: str) -> tuple[str, str]:
        return label(key), callbacks.CREATE_EDIT_FIELD.build(name)

    return t("campaign-edit-which"), inline(
        [field("campaign-edit-title", "title"), field("campaign-edit-body", "body")],
        [field("campaign-edit-when", "when"), field("campaign-edit-place", "place")],
        [field("campaign-edit-reminders", "rem")],
        steps.inline_row(),
    )


def announcement_control(recipients: int, supporters: SupportersChoice = SupportersChoice()) -> Card:
    text = t("announce-preview-control", recipients=supporters.recipients(recipients))
    return _join(text, supporters.line()), inline(
        [(label("campaign-btn-send"), callbacks.ANNOUNCEMENT_SEND.build())],
        [(label("campaign-btn-edit"), callbacks.ANNOUNCEMENT_EDIT.build())],
        *supporters.rows(),
        [steps.inline_row()[0], (label("campaign-btn-discard"), callbacks.ANNOUNCEMENT_DISCARD.build())],
    )


def sending_started(kind: str) -> Rendered:
    """To the leader after «ارسال», just before the report they will watch."""
    key = "announce-sending-started" if kind == CampaignKind.ANNOUNCEMENT else "campaign-sending-started"
    return t(key), main_menu()


def already_sent(kind: str) -> Rendered:
    """To the leader whose «ارسال» came again: the first one was done, nothing is sent twice."""
    key = "announce-already-sent" if kind == CampaignKind.ANNOUNCEMENT else "campaign-already-sent"
    return t(key), main_menu()


# --- what the leader sees ------------------------------------------------------------------


def _state(campaign: Campaign, figures: Figures, now: datetime) -> Raw:
    if campaign.status == CampaignStatus.CANCELLED:
        return t("campaign-state-cancelled")
    if campaign.status == CampaignStatus.SENDING or figures.pending:
        return t("campaign-state-sending")
    if has_started(campaign, now):
        return t("campaign-state-past")
    return t("campaign-state-sent")


def _delivery_lines(figures: Figures) -> Raw:
    """«Received» always; the other lines only when they count someone (issue 10, item 8)."""
    return _join(
        t("report-sent", sent=figures.sent, total=figures.total),
        t("report-unreachable", count=figures.unreachable) if figures.unreachable else None,
        t("report-failed", count=figures.failed) if figures.failed else None,
        t("report-pending", count=figures.pending) if figures.pending else None,
        t("report-skipped", skipped=figures.skipped) if figures.skipped else None,
    )


def _answer_lines(figures: Figures) -> Raw:
    return _join(
        t("report-answers-title"),
        t("report-yes", count=figures.yes) if figures.yes else None,
        t("report-no", count=figures.no) if figures.no else None,
        t("report-no-answer", count=figures.no_answer) if figures.no_answer else None,
    )


def report_text(campaign: Campaign, figures: Figures, now: datetime, tz: ZoneInfo) -> Raw:
    if campaign.kind == CampaignKind.ANNOUNCEMENT:
        return _join(
            t("report-announcement-title", snippet=snippet(campaign.body), when=Raw(when(campaign.created_at, tz))),
            _state(campaign, figures, now), "", _delivery_lines(figures),
        )
    return _join(
        t("report-campaign-title", title=campaign.title or "", when=Raw(when(campaign.starts_at, tz))),
        _state(campaign, figures, now), "", _delivery_lines(figures), "", _answer_lines(figures),
        t("report-came", came=figures.came, yes=figures.yes) if has_started(campaign, now) else None,
    )


def changeable(campaign: Campaign, now: datetime) -> bool:
    return (
        campaign.kind != CampaignKind.ANNOUNCEMENT and campaign.status != CampaignStatus.CANCELLED
        and campaign.starts_at is not None and not has_started(campaign, now)
    )


def report_markup(campaign: Campaign, now: datetime, can_manage: bool) -> InlineKeyboardMarkup:
    campaign_id = id_of(campaign)
    rows = [[(label("campaign-btn-refresh"), callbacks.REPORT_REFRESH.build(campaign_id))]]
    if campaign.kind != CampaignKind.ANNOUNCEMENT:
        rows.append([(label("campaign-btn-people"), callbacks.REPORT_PEOPLE.build(campaign_id, "y", 0))])
    if can_manage and changeable(campaign, now):
        rows.append([(label("campaign-btn-move"), callbacks.REPORT_MOVE.build(campaign_id)),
                     (label("campaign-btn-cancel-campaign"), callbacks.REPORT_CANCEL.build(campaign_id))])
    if (campaign.kind == CampaignKind.CAMPAIGN and campaign.status != CampaignStatus.CANCELLED
            and has_started(campaign, now)):  # who came (issue 13)
        rows.append([(label("attendance-btn-open"), callbacks.ATTENDANCE_OPEN.build(campaign_id))])
    return inline(*rows)


def report(campaign: Campaign, figures: Figures, now: datetime, tz: ZoneInfo, can_manage: bool) -> Card:
    return report_text(campaign, figures, now, tz), report_markup(campaign, now, can_manage)


def list_text(center_name: str, campaigns: list[Campaign], figures: dict[int, Figures], total: int,
              first_number: int, now: datetime, tz: ZoneInfo) -> Raw:
    if not campaigns:
        return t("campaigns-list-empty")
    items = [t("campaigns-list-title", center=center_name, total=total)]
    for number, campaign in enumerate(campaigns, start=first_number):
        f = figures[id_of(campaign)]
        deliveries = t("campaigns-list-deliveries", sent=f.sent, total=f.total, unreachable=f.unreachable,
                       failed=f.failed, pending=f.pending)
        if campaign.kind == CampaignKind.HELP:  # its figures are its pledges: «وضعیت پویش» (issue 13)
            items.append(_join("", t("campaigns-list-help", n=number, title=campaign.title or "",
                                     when=Raw(when(campaign.created_at, tz)))))
        elif campaign.kind == CampaignKind.ANNOUNCEMENT:
            head = t("campaigns-list-announcement", n=number, snippet=snippet(campaign.body),
                     when=Raw(when(campaign.created_at, tz)))
            items.append(_join("", head, deliveries))
        else:
            head = t("campaigns-list-campaign", n=number, title=campaign.title or "",
                     when=Raw(when(campaign.starts_at, tz)), state=_state(campaign, f, now))
            items.append(_join("", head, deliveries,
                               t("campaigns-list-answers", yes=f.yes, no=f.no, none=f.no_answer)))
    return _join(*items)


def list_markup(campaigns: list[Campaign], first_number: int, page: int, has_more: bool,
                may_send: bool = False) -> InlineKeyboardMarkup | None:
    rows = [
        [(label("campaigns-list-open", n=persian_digits(number),
                title=snippet(campaign.title or campaign.body, 24)),
          (callbacks.HELP_REPORT if campaign.kind == CampaignKind.HELP else callbacks.REPORT_OPEN).build(id_of(campaign)))]
        for number, campaign in enumerate(campaigns, start=first_number)
    ]
    nav = []
    if has_more:
        nav.append((label("btn-next"), callbacks.CAMPAIGNS_PAGE.build(page + 1)))
    if page > 0:
        nav.append((label("btn-prev"), callbacks.CAMPAIGNS_PAGE.build(page - 1)))
    if nav:
        rows.append(nav)
    if may_send:  # buttons, not «/campaign» to type (issue 10, item 12)
        rows.append([(label("campaigns-btn-new"), callbacks.CREATE_CAMPAIGN.build()),
                     (label("campaigns-btn-announce"), callbacks.CREATE_ANNOUNCEMENT.build())])
    return inline(*rows) if rows else None


def center_list(listing: CenterList, page: int, per_page: int, now: datetime, tz: ZoneInfo) -> Card:
    """One page of a center's campaigns with their figures, and a button to open each."""
    first = page * per_page + 1
    text = list_text(listing.center.name, listing.campaigns, listing.figures, listing.total, first, now, tz)
    has_more = first - 1 + len(listing.campaigns) < listing.total
    return text, list_markup(listing.campaigns, first, page, has_more, listing.may_send)


# --- cancelling and moving -------------------------------------------------------------------


def cancel_confirm(campaign: Campaign, told: int) -> Card:
    campaign_id = id_of(campaign)
    return t("campaign-cancel-confirm", title=campaign.title or "", told=told), inline(
        [(label("campaign-btn-cancel-yes"), callbacks.REPORT_CANCEL_CONFIRM.build(campaign_id)),
         (label("campaign-btn-keep"), callbacks.REPORT_CANCEL_KEEP.build(campaign_id))],
    )


def move_confirm(campaign: Campaign, moment: datetime, told: int, tz: ZoneInfo) -> Card:
    return t(
        "campaign-move-confirm", title=campaign.title or "", previous=Raw(when(campaign.starts_at, tz)),
        when=Raw(when(moment, tz)), told=told,
    ), inline([(label("campaign-btn-move-yes"), callbacks.REPORT_MOVE_CONFIRM.build("ty"))],
              [steps.inline_row()[0], (label("campaign-btn-discard"), callbacks.REPORT_MOVE_CONFIRM.build("tn"))])


# --- refusals --------------------------------------------------------------------------------


def problem_text(problem: WhenProblem, moment: datetime | None = None, tz: ZoneInfo | None = None) -> Raw:
    """Why a typed time was refused, and what to type instead (`tz` shows a past `moment`)."""
    code = problem.code
    if code == "gregorian":
        return t("when-problem-gregorian")
    if code == "year":
        return t("when-problem-year", year=persian_digits(problem.year))
    if code == "month":
        return t("when-problem-month")
    if code == "day":
        return t("when-problem-day", month=t(f"month-{problem.month}"), year=persian_digits(problem.year), days=problem.days)
    if code == "esfand":
        return t("when-problem-esfand", year=persian_digits(problem.year))
    if code == "time":
        return t("when-problem-time")
    if code == "need_date":
        return t("when-problem-need-date")
    if code == "past":
        return t("when-problem-past", when=Raw(when(moment, tz))) if moment and tz else t("when-problem-past-plain")
    if code == "too_far":
        return t("when-problem-too-far")
    return t("when-problem-unreadable")


def error_text(error: CampaignError) -> Raw:
    code = error.code
    if code.startswith("when_"):
        return problem_text(WhenProblem(code.removeprefix("when_")))
    if code == "center_inactive":
        return t("campaign-center-suspended") if error.details.get("status") == CenterStatus.SUSPENDED else t("campaign-center-not-active")
    return t(f"campaign-error-{code}")


# --- «👥 چه کسانی می‌آیند؟» ---------------------------------------------------------------------


def people_card(found: People) -> Card:
    """One page of names (coming, not coming or silent), tabs for the three, pages, the report."""
    campaign_id = id_of(found.campaign)
    names = [t("people-line", n=n, name=person_name(user)) for n, user in enumerate(found.people, start=found.first_number)]
    text = _join(
        t("people-title", title=found.campaign.title or "", list=t(f"people-list-{found.who.value}")),
        *(names or [t("people-none")]),
    )
    tabs = []
    for who in Who:
        name = label(f"people-list-{who.value}")
        tabs.append((label("campaign-btn-chosen", label=name) if who is found.who else name,
                     callbacks.REPORT_PEOPLE.build(campaign_id, who.value, 0)))
    rows = [tabs]
    nav = []
    if found.has_more:
        nav.append((label("btn-next"), callbacks.REPORT_PEOPLE.build(campaign_id, found.who.value, found.page + 1)))
    if found.page > 0:
        nav.append((label("btn-prev"), callbacks.REPORT_PEOPLE.build(campaign_id, found.who.value, found.page - 1)))
    if nav:
        rows.append(nav)
    rows.append([(label("people-btn-report"), callbacks.REPORT_OPEN.build(campaign_id))])
    return text, inline(*rows)
