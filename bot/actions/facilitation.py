"""Facilitators' intents (accept or decline an appointment, see their centers, message a
center's leader, answer a question) and the intent of anyone in a center to ask its
facilitator. Each opens one unit of work and then tells whoever must know.

Notices are recorded Delivery rows (purpose, ref_id): sent once, sent again from the state
then if passing errors or a crash left them unsent (RESENDERS), and a person who blocked the
bot is reported to the other side, never retried. docs/association.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from telegram import InlineKeyboardMarkup

from bot.db.enums import AssociationPurpose, DeliveryStatus
from bot.db.models import Delivery, User
from bot.deps import Deps, Rendered, Resender
from bot.persian.catalog import Raw
from bot.sending import batches
from bot.sending.delivery import expect_notice, notify
from bot.services import association as association_svc
from bot.services import facilitation as svc
from bot.services.facilitation import Appointed, Asked, FacilitatorCenter, Health, InvitationView, QuestionView, Sent
from bot.views import facilitation as views

NOT_REACHED = (DeliveryStatus.UNREACHABLE, DeliveryStatus.FAILED)
QUESTIONS_SHOWN = views.QUESTIONS_SHOWN


async def _reached(deps: Deps, purpose: str, ref_id: int, user: User) -> bool:
    """False if the notice could not reach the person for good (blocked the bot, refused);
    True if it arrived or will be tried again."""
    async with deps.unit() as session:
        status = await svc.delivery_status(session, purpose, ref_id, association_svc.id_of(user))
    return status not in NOT_REACHED


# --- the appointment ---------------------------------------------------------------------------------------


async def invitation(deps: Deps, token: str) -> InvitationView:
    async with deps.unit() as session:
        return await svc.inspect(session, token, deps.clock())


async def accept(deps: Deps, user: User, token: str) -> Appointed:
    """The person becomes the facilitator of the link's centers; the admin, the centers'
    leaders and assistants, and any facilitator replaced are told."""
    async with deps.unit() as session:
        appointed = await svc.accept(session, token, user, deps.clock())
        invitation_id = association_svc.id_of(appointed.view.invitation)
        # Rows first: the admin's notice, and the replaced facilitators', commit with the appointment.
        await expect_notice(session, appointed.view.admin, AssociationPurpose.FACILITATOR_ANSWERED, invitation_id,
                            deps.clock())
        for person in (await svc.people(session, list(appointed.replaced))).values():
            await expect_notice(session, person, AssociationPurpose.FACILITATOR_REPLACED, invitation_id, deps.clock())
    await notify(deps, appointed.view.admin,
                 views.answered_notice(True, appointed.facilitator.name, len(appointed.view.centers)),
                 purpose=AssociationPurpose.FACILITATOR_ANSWERED, ref_id=invitation_id)
    async with deps.unit() as session:
        replaced = await svc.people(session, list(appointed.replaced))
        await svc.enqueue_set_notices(session, appointed, deps.clock())  # rows first: the batch sends them
    for person in replaced.values():
        await notify(deps, person, views.ended_notice(), purpose=AssociationPurpose.FACILITATOR_REPLACED,
                     ref_id=invitation_id)
    batches.start(deps, SET_BATCH, invitation_id)
    return appointed


async def decline(deps: Deps, user: User, token: str) -> InvitationView:
    async with deps.unit() as session:
        view = await svc.decline(session, token, user, deps.clock())
        await expect_notice(session, view.admin, AssociationPurpose.FACILITATOR_ANSWERED,  # rows first
                            association_svc.id_of(view.invitation), deps.clock())
    await notify(deps, view.admin, views.answered_notice(False, view.invitation.name, len(view.centers)),
                 purpose=AssociationPurpose.FACILITATOR_ANSWERED, ref_id=association_svc.id_of(view.invitation))
    return view


async def answered_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        invitation_row, _ = await svc.invitation_outcome(session, row.ref_id)
    accepted = invitation_row.status == "accepted"
    return views.answered_notice(accepted, invitation_row.name, svc.invitation_size(invitation_row)), None


async def replaced_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    return views.ended_notice(), None


async def _prepare_set(deps: Deps, invitation_id: int) -> batches.Renderer | None:
    """Each leader and assistant hears of the facilitator their center has now (if it still has them)."""
    async with deps.unit() as session:
        found = await svc.set_notice_targets(session, invitation_id)
    if found is None:
        return None
    name, by_person = found

    def render(user: User) -> Rendered | None:
        center = by_person.get(association_svc.id_of(user))
        return (views.set_notice(center, name), None) if center else None

    return render


SET_BATCH = batches.Kind(AssociationPurpose.FACILITATOR_SET, _prepare_set)


# --- the facilitator's centers -------------------------------------------------------------------------------


@dataclass
class Home:
    centers: list[Health]
    open_questions: int


async def home(deps: Deps, user: User) -> Home:
    async with deps.unit() as session:
        healths = await svc.my_centers(session, association_svc.id_of(user), deps.clock())
        _, count = await svc.open_questions(session, association_svc.id_of(user), 0)
    return Home(healths, count)


async def center(deps: Deps, user: User, center_id: int) -> FacilitatorCenter:
    async with deps.unit() as session:
        return await svc.facilitator_center(session, association_svc.id_of(user), center_id, deps.clock())


async def is_facilitator(deps: Deps, user: User) -> bool:
    async with deps.unit() as session:
        return await svc.is_facilitator(session, association_svc.id_of(user))


@dataclass
class MessageSent:
    sent: Sent
    unreachable: list[User]  # leader or assistant who could not be reached


async def message_center(deps: Deps, user: User, center_id: int, body: str, request_key: str) -> MessageSent:
    async with deps.unit() as session:
        sent = await svc.message_center(session, user, center_id, body, deps.clock(), request_key)
        for person in sent.recipients if sent.made else ():  # rows first
            await expect_notice(session, person, AssociationPurpose.FACILITATOR_MESSAGE,
                                association_svc.id_of(sent.message), deps.clock())
    message_id = association_svc.id_of(sent.message)
    text = views.message_notice(sent.center, sent.sender_name, body)
    unreachable = []
    for person in sent.recipients:
        if sent.made:
            await notify(deps, person, text, purpose=AssociationPurpose.FACILITATOR_MESSAGE, ref_id=message_id)
        if not await _reached(deps, AssociationPurpose.FACILITATOR_MESSAGE, message_id, person):
            unreachable.append(person)
    return MessageSent(sent, unreachable)


async def message_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        found = await svc.message_to_send(session, row.ref_id, association_svc.id_of(recipient))
    if found is None:
        return None
    message, center_row, name = found
    return views.message_notice(center_row, name, message.body), None


# --- questions ----------------------------------------------------------------------------------------------


async def asking(deps: Deps, user: User) -> svc.Asking:
    async with deps.unit() as session:
        return await svc.asking(session, association_svc.id_of(user))


@dataclass
class AskResult:
    asked: Asked
    reached: bool


async def ask(deps: Deps, user: User, body: str, request_key: str) -> AskResult:
    async with deps.unit() as session:
        asked = await svc.ask(session, user, body, deps.clock(), request_key)
        if asked.made:  # rows first
            await expect_notice(session, asked.asking.facilitator_user, AssociationPurpose.QUESTION_ASKED,
                                association_svc.id_of(asked.question), deps.clock())
    question_id = association_svc.id_of(asked.question)
    if asked.made:
        view = await _question_view(deps, question_id)
        await notify(deps, asked.asking.facilitator_user, views.question_text(view, deps.settings.tz),
                     views.answer_button(question_id), purpose=AssociationPurpose.QUESTION_ASKED, ref_id=question_id)
    reached = await _reached(deps, AssociationPurpose.QUESTION_ASKED, question_id, asked.asking.facilitator_user)
    return AskResult(asked, reached)


async def _question_view(deps: Deps, question_id: int) -> QuestionView:
    async with deps.unit() as session:
        view = await svc.question_view(session, question_id)
    assert view is not None
    return view


async def answerable(deps: Deps, user: User, question_id: int) -> QuestionView:
    async with deps.unit() as session:
        return await svc.answerable(session, question_id, association_svc.id_of(user))


@dataclass
class AnswerResult:
    view: QuestionView
    reached: bool


async def answer(deps: Deps, user: User, question_id: int, text: str) -> AnswerResult:
    async with deps.unit() as session:
        view = await svc.answer(session, question_id, user, text, deps.clock())
        await expect_notice(session, view.asker, AssociationPurpose.QUESTION_ANSWERED, question_id,  # rows first
                            deps.clock())
    await notify(deps, view.asker, views.answer_text(view), purpose=AssociationPurpose.QUESTION_ANSWERED,
                 ref_id=question_id)
    return AnswerResult(view, await _reached(deps, AssociationPurpose.QUESTION_ANSWERED, question_id, view.asker))


async def open_questions(deps: Deps, user: User) -> list[tuple[Raw, InlineKeyboardMarkup | None]]:
    async with deps.unit() as session:
        found, total = await svc.open_questions(session, association_svc.id_of(user), QUESTIONS_SHOWN)
    return views.open_questions(found, total, deps.settings.tz)


async def question_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    async with deps.unit() as session:
        view = await svc.question_view(session, row.ref_id)
    if view is None:
        return None
    tz = deps.settings.tz
    if row.purpose == AssociationPurpose.QUESTION_ANSWERED:
        return (views.answer_text(view), None) if view.question.answer else None
    if view.question.status != "open":
        return None
    if row.purpose == AssociationPurpose.QUESTION_REMINDER:
        return views.reminder_text(view, tz), views.answer_button(row.ref_id)
    return views.question_text(view, tz), views.answer_button(row.ref_id)


# --- timed work (bot/jobs/facilitation.py calls these) -----------------------------------------------------------


async def remind_unanswered(deps: Deps) -> int:
    """Each question open for 72 hours: its facilitator is reminded, once."""
    now = deps.clock()
    async with deps.unit() as session:
        due = await svc.unanswered(session, now)
    reminded = 0
    for question in due:
        question_id = association_svc.id_of(question)
        view = await _question_view(deps, question_id)
        async with deps.unit() as session:
            facilitator = (await svc.people(session, [question.facilitator_id])).get(question.facilitator_id)
        if facilitator is None:
            continue
        # The notice's own Delivery key makes it once (a second run, or a crash after the send,
        # finds the row); reminded_at then keeps the question out of later runs.
        await notify(deps, facilitator, views.reminder_text(view, deps.settings.tz), views.answer_button(question_id),
                     purpose=AssociationPurpose.QUESTION_REMINDER, ref_id=question_id)
        async with deps.unit() as session:
            reminded += await svc.mark_reminded(session, question_id, now)
    return reminded


async def send_digests(deps: Deps) -> int:
    """This week's digest to every facilitator, once the week's Saturday morning has come:
    the Delivery row's unique key (purpose, week, person) makes it once per week per person,
    however often this runs and across restarts."""
    now = deps.clock()
    tz = deps.settings.tz
    week = svc.digest_week(now, tz)
    if now < week.due:
        return 0
    async with deps.unit() as session:
        people = await svc.digest_recipients(session, week)
        done = await svc.digest_done(session, week)
    sent = 0
    for person in people:
        if person.id in done:
            continue
        async with deps.unit() as session:
            digest = await svc.digest(session, association_svc.id_of(person), week, now)
        message = await notify(deps, person, views.digest_text(digest, week.start, tz), views.digest_buttons(),
                               purpose=AssociationPurpose.FACILITATOR_DIGEST, ref_id=week.key)
        sent += message is not None
    return sent


async def digest_again(deps: Deps, row: Delivery, recipient: User) -> Rendered | None:
    now = deps.clock()
    week = svc.digest_week(now, deps.settings.tz)
    if row.ref_id != week.key:  # a later week's digest is on its way instead
        return None
    async with deps.unit() as session:
        digest = await svc.digest(session, association_svc.id_of(recipient), week, now)
    return views.digest_text(digest, week.start, deps.settings.tz), views.digest_buttons()


BATCHES: dict[str, batches.Kind] = {AssociationPurpose.FACILITATOR_SET: SET_BATCH}

RESENDERS: dict[str, Resender] = {
    AssociationPurpose.FACILITATOR_ANSWERED: answered_again,
    AssociationPurpose.FACILITATOR_REPLACED: replaced_again,
    AssociationPurpose.FACILITATOR_MESSAGE: message_again,
    AssociationPurpose.QUESTION_ASKED: question_again,
    AssociationPurpose.QUESTION_ANSWERED: question_again,
    AssociationPurpose.QUESTION_REMINDER: question_again,
    AssociationPurpose.FACILITATOR_DIGEST: digest_again,
}
