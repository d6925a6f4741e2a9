"""What campaign messages look like: texts from the catalog and their inline keyboards.

Pure functions of rows and figures, used by the handlers, the conversations (the preview is
rendered by the very function that renders the members' message) and the broadcaster.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.persian.dates import WhenProblem
from bot.db.models import Campaign
from bot.persian.catalog import Raw, t
from bot.services.campaigns import (
    CANCELLED,
    KIND_ANNOUNCEMENT,
    NO,
    OFFSETS,
    SENDING,
    YES,
    CampaignError,
    Figures,
    as_utc,
)
from bot.persian.text import TEHRAN, format_datetime, persian_digits
from bot.ptb.ui import inline, label

SNIPPET = 40


def when(moment: datetime | None, tz: ZoneInfo = TEHRAN) -> str:
    return format_datetime(as_utc(moment), tz, weekday=True) if moment else ""


def _join(*parts: str | None) -> Raw:
    """Lines of a message; None leaves a line out, "" is a blank line."""
    return Raw("\n".join(p for p in parts if p is not None))


def snippet(text: str, size: int = SNIPPET) -> str:
    line = " ".join(text.split())
    return line if len(line) <= size else line[: size - 1].rstrip() + "…"


# --- what members receive ------------------------------------------------------------------


def call_text(campaign: Campaign, center_name: str, tz: ZoneInfo = TEHRAN) -> Raw:
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


def answer_markup(campaign_id: int, answer: str | None, muted: bool, *, data_prefix: str = "ca") -> InlineKeyboardMarkup:
    """«شرکت می‌کنم» / «نمی‌توانم» (the chosen one ticked) and the reminder switch."""

    def choice(key: str, value: str) -> str:
        text = label(key)
        return label("campaign-btn-chosen", label=text) if answer == value else text

    rows = [[(choice("campaign-btn-yes", YES), f"{data_prefix}:y:{campaign_id}"),
             (choice("campaign-btn-no", NO), f"{data_prefix}:n:{campaign_id}")]]
    if answer != NO:
        mute_key = "campaign-btn-unmute" if muted else "campaign-btn-mute"
        rows.append([(label(mute_key), f"{data_prefix}:m:{campaign_id}")])
    return inline(*rows)


def preview_markup() -> InlineKeyboardMarkup:
    """The members' buttons on the preview: shown as they will be, answering «preview only»."""
    return inline([(label("campaign-btn-yes"), "cp:pv"), (label("campaign-btn-no"), "cp:pv")],
                  [(label("campaign-btn-mute"), "cp:pv")])


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


def reminder_text(campaign: Campaign, now: datetime, tz: ZoneInfo = TEHRAN) -> Raw:
    assert campaign.starts_at is not None
    remaining = as_utc(campaign.starts_at) - now
    return _join(
        t("reminder-message", title=campaign.title or "", lead=reminder_lead(remaining),
          when=Raw(when(campaign.starts_at, tz))),
        t("campaign-call-place", place=campaign.place) if campaign.place else None,
    )


def cancel_notice(campaign: Campaign, tz: ZoneInfo = TEHRAN) -> Raw:
    return t("campaign-cancel-notice", title=campaign.title or "", when=Raw(when(campaign.starts_at, tz)))


def moved_notice(campaign: Campaign, previous: datetime, tz: ZoneInfo = TEHRAN) -> Raw:
    return t("campaign-moved-notice", title=campaign.title or "", when=Raw(when(campaign.starts_at, tz)),
             previous=Raw(when(previous, tz)))


# --- what the leader sees ------------------------------------------------------------------


def _state(campaign: Campaign, figures: Figures, now: datetime) -> Raw:
    if campaign.status == CANCELLED:
        return t("campaign-state-cancelled")
    if campaign.status == SENDING or figures.pending:
        return t("campaign-state-sending")
    if campaign.starts_at is not None and as_utc(campaign.starts_at) <= now:
        return t("campaign-state-past")
    return t("campaign-state-sent")


def _delivery_lines(figures: Figures) -> Raw:
    return _join(
        t("report-deliveries", sent=figures.sent, total=figures.total, unreachable=figures.unreachable,
          failed=figures.failed, pending=figures.pending),
        t("report-skipped", skipped=figures.skipped) if figures.skipped else None,
    )


def _answer_lines(figures: Figures) -> Raw:
    return t("report-answers", yes=figures.yes, no=figures.no, none=figures.no_answer)


def report_text(campaign: Campaign, figures: Figures, now: datetime, tz: ZoneInfo = TEHRAN) -> Raw:
    if campaign.kind == KIND_ANNOUNCEMENT:
        return _join(
            t("report-announcement-title", snippet=snippet(campaign.body), when=Raw(when(campaign.created_at, tz))),
            _state(campaign, figures, now), "", _delivery_lines(figures),
        )
    return _join(
        t("report-campaign-title", title=campaign.title or "", when=Raw(when(campaign.starts_at, tz))),
        _state(campaign, figures, now), "", _delivery_lines(figures), "", _answer_lines(figures),
    )


def changeable(campaign: Campaign, now: datetime) -> bool:
    return (
        campaign.kind != KIND_ANNOUNCEMENT and campaign.status != CANCELLED
        and campaign.starts_at is not None and as_utc(campaign.starts_at) > now
    )


def report_markup(campaign: Campaign, now: datetime, can_manage: bool) -> InlineKeyboardMarkup:
    rows = [[(label("campaign-btn-refresh"), f"cr:r:{campaign.id}")]]
    if can_manage and changeable(campaign, now):
        rows.append([(label("campaign-btn-move"), f"cr:t:{campaign.id}"),
                     (label("campaign-btn-cancel-campaign"), f"cr:x:{campaign.id}")])
    return inline(*rows)


def list_text(center_name: str, campaigns: list[Campaign], figures: dict[int, Figures], total: int,
              first_number: int, now: datetime, tz: ZoneInfo = TEHRAN) -> Raw:
    if not campaigns:
        return t("campaigns-list-empty")
    items = [t("campaigns-list-title", center=center_name, total=total)]
    for number, campaign in enumerate(campaigns, start=first_number):
        f = figures[campaign.id]  # type: ignore[index]
        if campaign.kind == KIND_ANNOUNCEMENT:
            head = t("campaigns-list-announcement", n=number, snippet=snippet(campaign.body),
                     when=Raw(when(campaign.created_at, tz)))
            items.append(_join("", head, t("campaigns-list-deliveries", sent=f.sent, total=f.total,
                                            unreachable=f.unreachable, failed=f.failed, pending=f.pending)))
        else:
            head = t("campaigns-list-campaign", n=number, title=campaign.title or "",
                     when=Raw(when(campaign.starts_at, tz)), state=_state(campaign, f, now))
            items.append(_join("", head, t("campaigns-list-deliveries", sent=f.sent, total=f.total,
                                            unreachable=f.unreachable, failed=f.failed, pending=f.pending),
                               t("campaigns-list-answers", yes=f.yes, no=f.no, none=f.no_answer)))
    return _join(*items)


def list_markup(campaigns: list[Campaign], first_number: int, page: int, has_more: bool) -> InlineKeyboardMarkup | None:
    rows = [
        [(label("campaigns-list-open", n=persian_digits(number),
                title=snippet(campaign.title or campaign.body, 24)), f"cr:o:{campaign.id}")]
        for number, campaign in enumerate(campaigns, start=first_number)
    ]
    nav = []
    if has_more:
        nav.append((label("btn-next"), f"cp:all:{page + 1}"))
    if page > 0:
        nav.append((label("btn-prev"), f"cp:all:{page - 1}"))
    if nav:
        rows.append(nav)
    return inline(*rows) if rows else None


def reminders_summary(offsets: list[int]) -> Raw:
    chosen = [str(t(f"campaign-reminder-{o}")) for o in OFFSETS if o in offsets]
    return Raw(t("campaign-reminders-separator").join(chosen)) if chosen else t("campaign-reminders-none")


# --- refusals --------------------------------------------------------------------------------


def problem_text(problem: WhenProblem, moment: datetime | None = None, tz: ZoneInfo = TEHRAN) -> Raw:
    """Why a typed time was refused, and what to type instead."""
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
        return t("when-problem-past", when=Raw(when(moment, tz))) if moment else t("when-problem-past-plain")
    if code == "too_far":
        return t("when-problem-too-far")
    return t("when-problem-unreadable")


def error_text(error: CampaignError) -> Raw:
    code = error.code
    if code.startswith("when_"):
        return problem_text(WhenProblem(code.removeprefix("when_")))
    if code == "center_inactive":
        return t("campaign-center-suspended") if error.details.get("status") == "suspended" else t("campaign-center-not-active")
    return t(f"campaign-error-{code}")
