"""How facilitators' things are shown: the invitation, their centers (those needing help
first), a center's card for them, messages, questions and answers, the weekly digest, and
the facilitator's line and «💬 پرسش از رهیار» button on the center card others see.

Never a phone number here: the relay between members and facilitators does not reveal them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot import callbacks as cb
from bot.db.models import Center, Question, User, id_of
from bot.persian.catalog import Raw, t
from bot.persian.text import format_date, format_datetime
from bot.ptb.ui import inline, label
from bot.services.facilitation import Digest, FacilitatorCenter, Health, InvitationView, Need, QuestionView
from bot.views.association import age, centers_list, lines
from bot.views.centers import area_text, code_text, person_name

PAGE_SIZE = 10
NAME_ON_BUTTON = 24
DIGEST_CHANGES = 15
DIGEST_NEEDS = 10
QUESTIONS_SHOWN = 10
NEED_MARKS = {Need.WAITING: "⏳", Need.NO_ASSISTANT: "👤", Need.NO_CAMPAIGN: "📭", Need.FALLING: "📉"}


def _short(text: str) -> str:
    return text if len(text) <= NAME_ON_BUTTON else text[: NAME_ON_BUTTON - 1] + "…"


# --- the invitation -----------------------------------------------------------------------------------


def invitation_card(view: InvitationView) -> tuple[Raw, InlineKeyboardMarkup]:
    token = view.invitation.token
    org = view.org.name if view.org else None
    text = lines(
        t("fac-invitation", name=view.invitation.name, count=len(view.centers)),
        t("fac-invitation-org", org=org) if org else None,
        "",
        centers_list(view.centers),
        "",
        t("fac-invitation-ask"),
    )
    return text, inline([(label("fac-btn-accept"), cb.FACILITATOR_ACCEPT.build(token)),
                         (label("fac-btn-decline"), cb.FACILITATOR_DECLINE.build(token))])


def welcome(name: str, count: int) -> Raw:
    return t("fac-accepted", name=name, count=count)


def set_notice(center: Center, name: str) -> Raw:
    """To a leader or assistant: your center's facilitator is now …"""
    return t("fac-notice-set", center=center.name, name=name)


def ended_notice() -> Raw:
    return t("fac-notice-replaced")


def removed_notice(center: Center, name: str) -> Raw:
    return t("fac-notice-removed", center=center.name, name=name)


def removed_you_notice(center: Center) -> Raw:
    return t("fac-notice-removed-you", center=center.name)


def answered_notice(accepted: bool, name: str, count: int) -> Raw:
    return t("fac-admin-accepted" if accepted else "fac-admin-declined", name=name, count=count)


# --- the facilitator's centers ---------------------------------------------------------------------------


def needs_text(needs: Sequence[Need]) -> str:
    return str(t("fac-needs-separator")).join(f"{NEED_MARKS[n]} {label(f'fac-need-{n}')}" for n in needs)


def home(healths: Sequence[Health], page: int, open_questions: int) -> tuple[Raw, InlineKeyboardMarkup]:
    pages = max(1, -(-len(healths) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = healths[page * PAGE_SIZE:(page + 1) * PAGE_SIZE]
    needing = sum(1 for h in healths if h.needs)
    rows = []
    for health in shown:
        marks = "".join(NEED_MARKS[n] for n in health.needs)
        rows.append([(label("fac-center-button", marks=marks, name=_short(health.center.name)),
                      cb.FACILITATOR_CENTER.build(health.center.id))])
    navigation = []
    if page > 0:
        navigation.append((label("btn-prev"), cb.FACILITATOR_HOME.build(page - 1)))
    if page + 1 < pages:
        navigation.append((label("btn-next"), cb.FACILITATOR_HOME.build(page + 1)))
    if navigation:
        rows.append(navigation)
    rows.append([(label("fac-btn-questions", count=open_questions), cb.FACILITATOR_QUESTIONS.build())])
    text = lines(
        t("fac-home-title", count=len(healths), needing=needing),
        t("fac-home-page", page=page + 1, pages=pages) if pages > 1 else None,
        t("fac-home-legend"),
    )
    return text, inline(*rows)


def center_card(fc: FacilitatorCenter, now: datetime, tz: ZoneInfo) -> tuple[Raw, InlineKeyboardMarkup]:
    health = fc.health
    center = health.center
    waiting = t("fac-card-pending", count=fc.pending) if not health.oldest_pending else t(
        "fac-card-pending-oldest", count=fc.pending, age=age(health.oldest_pending, now))
    text = lines(
        t("fac-card-title", name=center.name),
        t("fac-card-code", code=code_text(center.code) if center.code else "—", area=area_text(center.area)),
        t(f"adm-status-{center.status}"),
        t("fac-card-leader", name=person_name(fc.leader)),
        t("fac-card-assistant", name=person_name(fc.assistant)) if fc.assistant else t("fac-card-assistant-none"),
        t("fac-card-members", count=fc.members),
        waiting,
        t("fac-card-last-campaign", date=format_date(health.last_campaign, tz)) if health.last_campaign else t("fac-card-no-campaign"),
        "",
        t("fac-card-needs", needs=needs_text(health.needs)) if health.needs else t("fac-card-fine"),
    )
    return text, inline(
        [(label("fac-btn-message"), cb.FACILITATOR_MESSAGE.build(center.id))],
        [(label("fac-btn-list"), cb.FACILITATOR_HOME.build(0))],
    )


def message_notice(center: Center, name: str, body: str) -> Raw:
    return t("fac-message", center=center.name, name=name, body=body)


# --- questions -------------------------------------------------------------------------------------------


def role_text(role: str) -> Raw:
    return t(f"qa-role-{role}")


def question_text(view: QuestionView, tz: ZoneInfo) -> Raw:
    """To the facilitator: who asks (name, role, center; never a phone number), and what."""
    question = view.question
    return t("qa-question", name=person_name(view.asker), role=role_text(question.asker_role),
             center=view.center.name, time=format_datetime(question.asked_at, tz), body=question.body)


def answer_button(question_id: int) -> InlineKeyboardMarkup:
    return inline([(label("qa-btn-answer"), cb.QUESTION_ANSWER.build(question_id))])


def reminder_text(view: QuestionView, tz: ZoneInfo) -> Raw:
    return lines(t("qa-reminder"), "", question_text(view, tz))


def answer_text(view: QuestionView) -> Raw:
    """To the asker: the facilitator's answer, with their question."""
    question = view.question
    return t("qa-answer", name=view.facilitator_name, question=question.body, answer=question.answer or "")


def answered_line(question: Question, tz: ZoneInfo) -> Raw:
    assert question.answered_at is not None
    return t("qa-answered-at", time=format_datetime(question.answered_at, tz))


def open_questions(views: Sequence[QuestionView], total: int, tz: ZoneInfo) -> list[tuple[Raw, InlineKeyboardMarkup | None]]:
    """The list's heading, then one message per open question with its «✍️ پاسخ»."""
    if not total:
        return [(t("qa-open-none"), None)]
    heading = t("qa-open-title", count=total)
    if total > len(views):
        heading = lines(heading, t("qa-open-more", shown=len(views)))
    return [(heading, None), *[(question_text(v, tz), answer_button(id_of(v.question))) for v in views]]


# --- the weekly digest ------------------------------------------------------------------------------------


def digest_text(digest: Digest, week_start: datetime, tz: ZoneInfo) -> Raw:
    changes = [
        t("fac-digest-change", center=center.name, joined=c.joined, left=c.left, requests=c.requests,
          campaigns=c.campaigns)
        for center, c in digest.changes[:DIGEST_CHANGES]
    ]
    needing = [h for h in digest.health if h.needs]
    needs = [t("fac-digest-need", center=h.center.name, needs=needs_text(h.needs)) for h in needing[:DIGEST_NEEDS]]
    return lines(
        t("fac-digest-title", date=format_date(week_start, tz)),
        "",
        t("fac-digest-changes-title") if changes else t("fac-digest-no-changes"),
        *changes,
        t("fac-digest-more", count=len(digest.changes) - DIGEST_CHANGES) if len(digest.changes) > DIGEST_CHANGES else None,
        "",
        t("fac-digest-needs-title", count=len(needing)) if needing else t("fac-digest-no-needs"),
        *needs,
        "",
        t("fac-digest-questions", count=digest.open_questions) if digest.open_questions else None,
    )


def digest_buttons() -> InlineKeyboardMarkup:
    return inline([(label("fac-btn-open-list"), cb.FACILITATOR_HOME.build(0))])


def asker_name(user: User) -> str:
    return person_name(user)
