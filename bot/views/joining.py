"""How the joining feature shows centers, requests, decisions and members (catalog text and
buttons). Times are shown in the configured zone `tz` (deps.settings.tz)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot.callbacks import (
    CANCEL,
    FUND_HOME,
    JOIN_PAGE,
    JOIN_SEND,
    MEMBER_KEEP,
    MEMBER_LEAVE,
    MEMBER_REMOVE,
    MEMBER_REMOVE_CONFIRM,
    MEMBERS_CSV,
    MEMBERS_XLSX,
    MEMBERS_PAGE,
    REQUEST_APPROVE,
    REQUEST_APPROVE_ALL,
    REQUEST_LIST,
    REQUEST_REJECT,
    REQUEST_REJECT_BACK,
    REQUEST_REJECT_OWN_WORDS,
    REQUEST_REJECT_REASON,
)
from bot.db.enums import CenterStatus, JoinSource, MembershipStatus
from bot.db.models import Center, Membership, User
from bot.views.card_extras import with_association
from bot.persian.catalog import Raw, t
from bot.persian.text import format_date, format_datetime, persian_digits
from bot.views import steps
from bot.ptb.ui import inline, label
from bot.exports.members_sheet import SheetLabels
from bot.platforms import Platform
from bot.services.memberships import (
    REASK_AFTER,
    REJECT_OTHER,
    REJECT_PRESETS,
    CenterInfo,
    Decision,
    DecisionOutcome,
    JoinOutcome,
    JoinResult,
    MemberRow,
    MembersPage,
    Staff,
    StaffRole,
)
from bot.views.centers import kind_text, person_name

# A message and its buttons.
Rendered = tuple[Raw, InlineKeyboardMarkup | None]
Button = tuple[str, str]

NAME_ON_BUTTON = 24
NO_VALUE = "—"
MEMBERS_PAGE_SIZE = 8


def lines(*parts: str | None) -> Raw:
    return Raw("\n".join(p for p in parts if p))


def kind_label(center: Center) -> str:
    return kind_text(center.kind, center.kind_label)


def when(moment: datetime, tz: ZoneInfo) -> Raw:
    return Raw(format_datetime(moment, tz))


def role_text(role: StaffRole) -> Raw:
    return t(f"join-role-{role}")


def cancel_button() -> Button:
    return label("btn-cancel"), CANCEL.build()


def leave_button(membership_id: int) -> Button:
    return label("ml-btn-leave"), MEMBER_LEAVE.build("lv", membership_id)


def withdraw_button(membership_id: int) -> Button:
    return label("ml-btn-withdraw"), MEMBER_LEAVE.build("wd", membership_id)


# --- finding a center ---------------------------------------------------------------------------


def ask_how_to_find() -> Rendered:
    return t("join-ask"), inline([cancel_button()])


def center_card(info: CenterInfo) -> Raw:
    """Name, kind, area, ID, leader, assistant, member count — never anyone's mobile."""
    center = info.center
    return lines(
        t("join-card-title", name=center.name),
        t("join-card-kind", kind=kind_label(center)),
        t("join-card-area", area=center.area) if center.area else None,
        t("join-card-code", code=persian_digits(center.code)) if center.code else None,
        t("join-card-leader", name=person_name(info.leader)) if info.leader else None,
        t("join-card-assistant", name=person_name(info.assistant)) if info.assistant else None,
        t("join-card-members", count=info.members),
    )


def not_joinable_reason(center: Center) -> Raw | None:
    if center.status == CenterStatus.AWAITING_ASSISTANT:
        return t("join-card-awaiting")
    if center.status == CenterStatus.SUSPENDED:
        return t("join-card-suspended")
    return None


def join_card(info: CenterInfo, source: JoinSource, results_page: int | None = None) -> Rendered:
    """The card someone finding a center sees: «send the request» if it takes members, «back
    to the results» if it came from a search (`results_page`), and cancel."""
    center = info.center
    reason = not_joinable_reason(center)
    rows = []
    if reason is None and center.id is not None:
        rows.append([(label("join-btn-send"), JOIN_SEND.build(center.id, source))])
    if results_page is not None:
        rows.append([(label("join-btn-back-results"), JOIN_PAGE.build(results_page))])
    rows.append([cancel_button()])
    return lines(center_card(info), "", reason or t("join-card-prompt")), inline(*rows)


def result_button(n: int, center: Center) -> str:
    """«۳. کانون صاحب‌الزمان…»: the number and the name, cut to fit a button (≤ 32 characters);
    the kind and the area are on the numbered line in the message above (issue 10, item 5)."""
    return steps.fit(label("join-result-button", n=n, name=center.name))


def result_line(n: int, center: Center) -> Raw:
    if center.area:
        return t("join-search-line", n=n, name=center.name, kind=kind_label(center), area=center.area)
    return t("join-search-line-noarea", n=n, name=center.name, kind=kind_label(center))


def already_placed(staff: Staff | None, current: tuple[Membership, Center] | None, tz: ZoneInfo) -> Rendered | None:
    """/join by someone who already runs a center, belongs to one or waits for one; else None."""
    if staff is not None:
        return t("join-start-runs", role=role_text(staff.role), center=staff.center.name), None
    if current is None:
        return None
    membership, center = current
    assert membership.id is not None
    if membership.status == MembershipStatus.ACTIVE:
        return t("join-start-member", center=center.name), inline([leave_button(membership.id)])
    text = t("join-start-pending", center=center.name, date=format_date(membership.requested_at, tz))
    return text, inline([withdraw_button(membership.id)])


def request_sent(result: JoinResult) -> Raw:
    assert result.center is not None
    return t("join-sent", center=result.center.name)


def request_refused(result: JoinResult, tz: ZoneInfo) -> Rendered:
    """What to tell someone whose request was not saved, and the button that helps, if any."""
    center, membership, other = result.center, result.membership, result.other_center
    outcome = result.outcome
    if outcome is JoinOutcome.NOT_FOUND or center is None:
        return t("join-not-found"), None
    if outcome in (JoinOutcome.RUNS_THIS, JoinOutcome.RUNS_OTHER):
        assert other is not None and result.role is not None
        role = role_text(result.role)
        if outcome is JoinOutcome.RUNS_THIS:
            return t("join-runs-this", role=role), None
        return t("join-runs-other", role=role, other=other.name), None
    if outcome is JoinOutcome.ALREADY_PENDING:
        assert membership is not None
        return t("join-already-pending", center=center.name, date=format_date(membership.requested_at, tz)), None
    if outcome is JoinOutcome.ALREADY_MEMBER:
        return t("join-already-member", center=center.name), None
    if outcome is JoinOutcome.PENDING_ELSEWHERE:
        assert membership is not None and membership.id is not None and other is not None
        return (t("join-pending-elsewhere", other=other.name, center=center.name),
                inline([withdraw_button(membership.id)]))
    if outcome is JoinOutcome.MEMBER_ELSEWHERE:
        assert membership is not None and membership.id is not None and other is not None
        return (t("join-member-elsewhere", other=other.name, center=center.name),
                inline([leave_button(membership.id)]))
    if outcome is JoinOutcome.TOO_SOON:
        assert result.retry_at is not None
        return t("join-too-soon", center=center.name, retry=when(result.retry_at, tz)), None
    return not_joinable_reason(center) or t("join-not-found"), None


# --- requests ------------------------------------------------------------------------------


def request_text(membership: Membership, applicant: User, center: Center, tz: ZoneInfo) -> Raw:
    return t(
        "rq-request", center=center.name, name=person_name(applicant),
        mobile=persian_digits(applicant.mobile or ""), source=t(f"join-source-{membership.source}"),
        time=when(membership.requested_at, tz),
    )


def request_buttons(membership_id: int) -> InlineKeyboardMarkup:
    return inline([(label("rq-btn-approve"), REQUEST_APPROVE.build(membership_id)),
                   (label("rq-btn-reject"), REQUEST_REJECT.build(membership_id))])


def reason_buttons(membership_id: int) -> InlineKeyboardMarkup:
    presets = [[(label(f"rq-reason-{code}"), REQUEST_REJECT_REASON.build(membership_id, code))]
               for code in REJECT_PRESETS]
    return inline(
        *presets,
        [(label("rq-btn-reason-other"), REQUEST_REJECT_OWN_WORDS.build(membership_id))],
        [(label("rq-btn-reason-none"), REQUEST_REJECT_REASON.build(membership_id, "none"))],
        [(label("rq-btn-back"), REQUEST_REJECT_BACK.build(membership_id))],
    )


def request_message(membership: Membership, applicant: User, center: Center, tz: ZoneInfo,
                    asking_reason: bool = False) -> Rendered:
    """The request as the assistant decides it: ✅/❌, or the reasons for ❌."""
    assert membership.id is not None
    text = request_text(membership, applicant, center, tz)
    if asking_reason:
        return lines(text, "", t("rq-ask-reason")), reason_buttons(membership.id)
    return text, request_buttons(membership.id)


def reason_text(membership: Membership) -> str | None:
    """The rejection's reason as the applicant reads it; None if none was given."""
    if membership.reject_reason == REJECT_OTHER:
        return membership.reject_note
    if membership.reject_reason in REJECT_PRESETS:
        return label(f"rq-reason-{membership.reject_reason}")
    return None


def decision_line(membership: Membership, decider: User | None, tz: ZoneInfo) -> Raw | None:
    if membership.status == MembershipStatus.WITHDRAWN:
        return t("rq-decided-withdrawn")
    if membership.decided_at is None:
        return None
    if membership.status == MembershipStatus.REJECTED:
        reason = reason_text(membership)
        return lines(
            t("rq-decided-rejected", by=person_name(decider), time=when(membership.decided_at, tz)),
            t("rq-decided-reason", reason=reason) if reason else t("rq-decided-no-reason"),
        )
    approved = t("rq-decided-approved", by=person_name(decider), time=when(membership.decided_at, tz))
    ended = membership.status in (MembershipStatus.LEFT, MembershipStatus.REMOVED)
    return lines(approved, t("rq-decided-left") if ended else None)


def decided_text(decision: Decision, tz: ZoneInfo, unreachable: bool = False) -> Raw:
    membership, center, applicant = decision.membership, decision.center, decision.applicant
    assert membership is not None and center is not None and applicant is not None
    return lines(
        request_text(membership, applicant, center, tz),
        "",
        decision_line(membership, decision.decider, tz),
        t("rq-member-unreachable") if unreachable else None,
    )


def refreshed_request(decision: Decision, tz: ZoneInfo) -> Raw | None:
    """A tap on a request decided or withdrawn meanwhile brings the tapped message up to date
    (only the current assistant learns that much, see services.why_not_decide); else None."""
    if decision.outcome in (DecisionOutcome.ALREADY_DECIDED, DecisionOutcome.WITHDRAWN) and decision.center:
        return decided_text(decision, tz)
    return None


# The short answer to a tap, by outcome (catalog keys rq-answer-*).
ANSWERS = {
    DecisionOutcome.APPROVED: "approved",
    DecisionOutcome.REJECTED: "rejected",
    DecisionOutcome.ALREADY_DECIDED: "already",
    DecisionOutcome.WITHDRAWN: "withdrawn",
    DecisionOutcome.NOT_ASSISTANT: "not-assistant",
    DecisionOutcome.LEADER_NOT_ASSISTANT: "leader",
    DecisionOutcome.CENTER_INACTIVE: "inactive",
    DecisionOutcome.NOT_FOUND: "not-found",
}


def decision_answer(outcome: DecisionOutcome) -> Raw:
    return t(f"rq-answer-{ANSWERS[outcome]}")


def decision_notice(decision: Decision, tz: ZoneInfo) -> Raw:
    """The decision as the applicant hears it."""
    membership, center = decision.membership, decision.center
    assert membership is not None and center is not None
    if decision.outcome is DecisionOutcome.APPROVED:
        return t("rq-welcome", center=center.name)
    assert membership.decided_at is not None
    retry = when(membership.decided_at + REASK_AFTER, tz)
    reason = reason_text(membership)
    if reason:
        return t("rq-rejected-member-reason", center=center.name, reason=reason, retry=retry)
    return t("rq-rejected-member", center=center.name, retry=retry)


def assistant_unreachable_notice(applicant: User, center: Center, assistant: User | None) -> Raw:
    """To the leader, when the request could not reach the assistant."""
    return t("rq-assistant-unreachable", name=person_name(applicant), center=center.name,
             assistant=person_name(assistant))


# --- /requests -----------------------------------------------------------------------------------


def list_time(moment: datetime) -> int:
    """The time a list was shown, as its «approve all» button carries it (ms, rounded up)."""
    return math.ceil(moment.timestamp() * 1000)


def list_moment(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=timezone.utc)


def waiting_for_assistant(rows: Sequence[tuple[Membership, User]], assistant: User | None, limit: int,
                          tz: ZoneInfo) -> Raw:
    """The leader's view of requests waiting: who, their mobile, since when (deciding is the assistant's)."""
    listed = [
        t("rq-leader-line", n=n, name=person_name(user), mobile=persian_digits(user.mobile or ""),
          date=when(membership.requested_at, tz))
        for n, (membership, user) in enumerate(rows[:limit], start=1)
    ]
    header = t("rq-leader-header", count=len(rows), assistant=person_name(assistant))
    return lines(header, *listed, "", t("rq-leader-footer"))


def approve_all_offer(count: int, shown_at: datetime) -> Rendered:
    markup = inline([(label("rq-btn-approve-all", count=count), REQUEST_APPROVE_ALL.build("all", list_time(shown_at)))])
    return t("rq-list-summary", count=count), markup


def approve_all_confirm(count: int, ms: int) -> Rendered:
    if not count:
        return t("rq-all-nothing"), None
    markup = inline([(label("rq-btn-confirm-all"), REQUEST_APPROVE_ALL.build("ally", ms)),
                     (label("rq-btn-cancel-all"), REQUEST_APPROVE_ALL.build("alln", ms))])
    return t("rq-confirm-all", count=count), markup


def approved_all(count: int) -> Raw:
    return t("rq-all-done", count=count) if count else t("rq-all-nothing")


def show_requests_button() -> InlineKeyboardMarkup:
    return inline([(label("rq-btn-show"), REQUEST_LIST.build())])


def assistant_reminder(count: int, center: Center) -> Rendered:
    return t("rq-remind-assistant", count=count, center=center.name), show_requests_button()


def leader_alert(count: int, center: Center, assistant: User | None) -> Rendered:
    text = t("rq-alert-leader", count=count, center=center.name, assistant=person_name(assistant))
    return text, show_requests_button()


# --- members -------------------------------------------------------------------------------------


def _short(name: str) -> str:
    return name if len(name) <= NAME_ON_BUTTON else name[: NAME_ON_BUTTON - 1] + "…"


def members_list(center: Center, page: MembersPage, tz: ZoneInfo, note: str | None = None) -> Rendered:
    """A page of the member list (for the leader and assistant: mobiles shown), with removal."""
    if page.total == 0:
        return lines(note, t("ml-empty", center=center.name)), None
    rows, buttons = [], []
    for n, (membership, user) in enumerate(page.rows, start=page.page * MEMBERS_PAGE_SIZE + 1):
        assert membership.id is not None
        rows.append(t(
            "ml-line", n=n, name=person_name(user),
            mobile=persian_digits(user.mobile) if user.mobile else NO_VALUE,
            platform=t(f"ml-platform-{user.platform}"), date=format_date(_joined(membership), tz),
        ))
        buttons.append([(label("ml-btn-remove", name=_short(person_name(user))),
                         MEMBER_REMOVE.build(membership.id, page.page))])
    navigation = []
    if page.page > 0:
        navigation.append((label("btn-prev"), MEMBERS_PAGE.build(page.page - 1)))
    if page.page + 1 < page.pages:
        navigation.append((label("btn-next"), MEMBERS_PAGE.build(page.page + 1)))
    if navigation:
        buttons.append(navigation)
    buttons.append([(label("ml-btn-export"), MEMBERS_CSV.build()), (label("ml-btn-export-xlsx"), MEMBERS_XLSX.build())])
    title = t("ml-title", center=center.name, total=page.total, page=page.page + 1, pages=page.pages)
    return lines(note, title, "", *rows), inline(*buttons)


def _joined(membership: Membership) -> datetime:
    return membership.decided_at or membership.requested_at


def confirm_remove(membership_id: int, page: int, member: User, center: Center) -> Rendered:
    markup = inline([(label("ml-btn-confirm-remove"), MEMBER_REMOVE_CONFIRM.build(membership_id, page)),
                     (label("btn-back"), MEMBERS_PAGE.build(page))])
    return t("ml-confirm-remove", name=person_name(member), center=center.name), markup


def removed_note(member: User) -> Raw:
    return t("ml-removed-note", name=person_name(member))


def removed_notice(center: Center, role: StaffRole) -> Raw:
    """To the member who was removed."""
    return t("ml-removed-member", center=center.name, role=role_text(role))


def left_notice(member: User, center: Center) -> Raw:
    """To the assistant, when a member leaves."""
    return t("ml-left-notice", name=person_name(member), center=center.name)


def confirm_end(membership_id: int, center: Center, leaving: bool) -> Rendered:
    """«Are you sure?» before leaving a center or taking a request back."""
    if leaving:
        text, yes = t("ml-confirm-leave", center=center.name), (label("ml-btn-confirm-leave"), MEMBER_LEAVE.build("lvy", membership_id))
    else:
        text = t("ml-confirm-withdraw", center=center.name)
        yes = (label("ml-btn-confirm-withdraw"), MEMBER_LEAVE.build("wdy", membership_id))
    return text, inline([yes, (label("ml-btn-keep"), MEMBER_KEEP.build(membership_id))])


def ended(center: Center, leaving: bool) -> Raw:
    return t("ml-left", center=center.name) if leaving else t("ml-withdrawn", center=center.name)


def member_card(membership: Membership, info: CenterInfo, tz: ZoneInfo) -> Rendered:
    """The center's card for one of its members, or for someone whose request is pending
    (a membership that is neither any more: just that it changed)."""
    if membership.status not in (MembershipStatus.ACTIVE, MembershipStatus.PENDING):
        return t("ml-answer-changed"), None
    assert membership.id is not None
    center = info.center
    card = center_card(info)
    states: dict[str, Raw] = {CenterStatus.SUSPENDED: t("ml-card-suspended"), CenterStatus.CANCELLED: t("ml-card-cancelled")}
    state = states.get(center.status)
    if membership.status == MembershipStatus.PENDING:
        pending = t("ml-card-pending", center=center.name, date=format_date(membership.requested_at, tz))
        return lines(pending, "", card, state), inline([withdraw_button(membership.id)])
    text = lines(card, "", t("ml-card-since", date=format_date(_joined(membership), tz)), state)
    # The association (issue 11): the suspension's reason, the facilitator and «💬 پرسش از رهیار».
    fund_row = [(label("fund-btn-home"), FUND_HOME.build())]  # the loan fund (issue 16)
    return with_association(text, inline(fund_row, [leave_button(membership.id)]), center,
                            person_name(info.facilitator) if info.facilitator else None)


def members_sheet_labels(workbook: bool = False) -> SheetLabels:
    """The members file's words (bot/exports/members_sheet.py): made here, where the catalog is,
    and handed to the file's maker, in this process or the export worker."""
    names = ["ml-csv-name", "ml-csv-mobile", *(["ml-xlsx-mobile-latin"] if workbook else []), "ml-csv-platform",
             "ml-csv-joined"]
    return SheetLabels([label(name) for name in names],
                       {platform: label(f"ml-platform-{platform}") for platform in Platform},
                       label("ml-xlsx-sheet"))


@dataclass(frozen=True)
class MembersFile:
    """A center's finished member list: CSV or (workbook) an Excel sheet, made in the bot's
    process or by the export worker (bot/actions/joining.members_file)."""

    center: Center
    tz: ZoneInfo
    workbook: bool
    rows: int
    data: bytes

    @property
    def filename(self) -> str:
        return f"members-{self.center.code or self.center.id}.{'xlsx' if self.workbook else 'csv'}"

    def caption(self, now: datetime) -> Raw:
        return t("ml-export-caption", center=self.center.name, count=self.rows, date=format_date(now, self.tz))

    def content(self) -> bytes:
        return self.data


