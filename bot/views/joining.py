"""How the joining feature shows centers, requests and decisions (catalog text and buttons)."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup

from bot.db.models import Center, Membership, User
from bot.views.centers import kind_text, person_name
from bot.persian.catalog import Raw, t
from bot.services.memberships import REJECT_OTHER, REJECT_PRESETS, CenterInfo, Decision, DecisionOutcome
from bot.persian.text import format_datetime, persian_digits
from bot.ptb.ui import inline, label

AREA_ON_BUTTON = 28


def lines(*parts: str | None) -> Raw:
    return Raw("\n".join(p for p in parts if p))


def kind_label(center: Center) -> str:
    return kind_text(center.kind, center.kind_label)


def when(moment) -> Raw:  # noqa: ANN001
    return format_datetime(moment)


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
    if center.status == "awaiting_assistant":
        return t("join-card-awaiting")
    if center.status == "suspended":
        return t("join-card-suspended")
    return None


def result_button(n: int, center: Center) -> str:
    area = center.area or ""
    if len(area) > AREA_ON_BUTTON:
        area = area[: AREA_ON_BUTTON - 1] + "…"
    if area:
        return label("join-result-button", n=n, name=center.name, kind=kind_label(center), area=area)
    return label("join-result-button-noarea", n=n, name=center.name, kind=kind_label(center))


def result_line(n: int, center: Center) -> Raw:
    if center.area:
        return t("join-search-line", n=n, name=center.name, kind=kind_label(center), area=center.area)
    return t("join-search-line-noarea", n=n, name=center.name, kind=kind_label(center))


# --- requests ------------------------------------------------------------------------------


def request_text(membership: Membership, applicant: User, center: Center) -> Raw:
    return t(
        "rq-request", center=center.name, name=person_name(applicant),
        mobile=persian_digits(applicant.mobile or ""), source=t(f"join-source-{membership.source}"),
        time=when(membership.requested_at),
    )


def request_buttons(membership_id: int) -> InlineKeyboardMarkup:
    return inline([(label("rq-btn-approve"), f"rq:a:{membership_id}"), (label("rq-btn-reject"), f"rq:r:{membership_id}")])


def reason_buttons(membership_id: int) -> InlineKeyboardMarkup:
    presets = [[(label(f"rq-reason-{code}"), f"rq:x:{membership_id}:{code}")] for code in REJECT_PRESETS]
    return inline(
        *presets,
        [(label("rq-btn-reason-other"), f"rq:o:{membership_id}")],
        [(label("rq-btn-reason-none"), f"rq:x:{membership_id}:none")],
        [(label("rq-btn-back"), f"rq:b:{membership_id}")],
    )


def reason_text(membership: Membership) -> str | None:
    """The rejection's reason as the applicant reads it; None if none was given."""
    if membership.reject_reason == REJECT_OTHER:
        return membership.reject_note
    if membership.reject_reason in REJECT_PRESETS:
        return label(f"rq-reason-{membership.reject_reason}")
    return None


def decision_line(membership: Membership, decider: User | None) -> Raw | None:
    if membership.status == "withdrawn":
        return t("rq-decided-withdrawn")
    if membership.decided_at is None:
        return None
    if membership.status == "rejected":
        reason = reason_text(membership)
        return lines(
            t("rq-decided-rejected", by=person_name(decider), time=when(membership.decided_at)),
            t("rq-decided-reason", reason=reason) if reason else t("rq-decided-no-reason"),
        )
    approved = t("rq-decided-approved", by=person_name(decider), time=when(membership.decided_at))
    return lines(approved, t("rq-decided-left") if membership.status in ("left", "removed") else None)


def decided_text(decision: Decision, unreachable: bool = False) -> Raw:
    membership, center, applicant = decision.membership, decision.center, decision.applicant
    assert membership is not None and center is not None and applicant is not None
    return lines(
        request_text(membership, applicant, center),
        "",
        decision_line(membership, decision.decider),
        t("rq-member-unreachable") if unreachable else None,
    )


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
