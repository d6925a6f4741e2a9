"""How centers, people and invitations are shown: the registration conversation, the
invitation, the leader's and assistant's card, and the registration notices.

Times are shown in the configured zone `tz` (settings.timezone), passed in by the caller.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot import callbacks, links
from bot.db.enums import CenterKind, CenterStatus
from bot.db.models import AssistantInvitation, Center, User
from bot.deps import Deps, Rendered
from bot.views.card_extras import with_association
from bot.persian.catalog import Raw, t
from bot.persian.digits import persian_digits
from bot.persian.text import format_datetime, name_of
from bot.ptb.ui import inline, label, main_menu
from bot.services.centers import Accepted, Card, InvitationView, Problem, is_expired


def person_name(user: User | None) -> str:
    """The name a person declared, else their messenger profile name."""
    if user is None:
        return ""
    return name_of(user.full_name, user.first_name, user.last_name)


def kind_text(kind: str | None, kind_label: str | None = None) -> str:
    if kind == CenterKind.OTHER and kind_label:
        return kind_label
    return str(t(f"reg-kind-{kind}")) if kind else ""


def area_text(area: str | None) -> str:
    return area or str(t("reg-area-none"))


def code_text(code: int | None) -> str:
    """The ID in Persian digits, without a thousands separator."""
    return persian_digits(code) if code is not None else ""


def problem_text(problem: Problem) -> Raw:
    """Why a registration rule said no (one catalog message per reason)."""
    return t(f"reg-problem-{problem.code}")


def links_block(deps: Deps, payload: str) -> Raw:
    """One line per platform the bot serves: «بله: https://ble.ir/…»."""
    lines = [
        t("reg-link-line", platform=t(f"reg-platform-{platform}"), url=url)
        for platform, url in sorted(deps.links(payload).items(), key=lambda item: item[0] != "bale")
    ]
    return Raw("\n".join(lines))


# --- the assistant's invitation -------------------------------------------------------------------


def invitation_messages(
    deps: Deps, center: Center, invitation: AssistantInvitation, leader: User, assistant: User | None = None,
) -> tuple[Raw, Raw]:
    """(what the leader is told, the text they forward to the person they choose)."""
    expires = format_datetime(invitation.expires_at, deps.settings.tz)
    if assistant is not None and center.status == CenterStatus.ACTIVE:
        intro = t("reg-invite-intro-replace", assistant=person_name(assistant), expires=expires)
    else:
        intro = t("reg-invite-intro", expires=expires)
    forward = t(
        "reg-invite-forward", leader=person_name(leader), center=center.name,
        links=links_block(deps, links.assistant_invite(invitation.token)), expires=expires,
    )
    return intro, forward


def invitation_card(center: Center, leader: User) -> Raw:
    """What the invited person sees before accepting or declining."""
    if center.status == CenterStatus.ACTIVE:
        return t(
            "reg-invitation-card-replace", leader=person_name(leader), name=center.name,
            code=code_text(center.code), kind=kind_text(center.kind, center.kind_label), area=area_text(center.area),
        )
    return t(
        "reg-invitation-card", leader=person_name(leader), name=center.name,
        kind=kind_text(center.kind, center.kind_label), area=area_text(center.area),
    )


def invitation_buttons(token: str) -> InlineKeyboardMarkup:
    return inline([
        (label("reg-btn-accept"), callbacks.INVITATION_ACCEPT.build(token)),
        (label("reg-btn-decline"), callbacks.INVITATION_DECLINE.build(token)),
    ])


def member_invitation(deps: Deps, center: Center) -> Raw:
    assert center.code is not None
    return t(
        "reg-member-invite", name=center.name, code=code_text(center.code),
        links=links_block(deps, links.center(center.code)),
    )


# --- notices (bot/actions/registration.py sends them, and sends them again) --------------------------


def accepted_notice(accepted: Accepted) -> Raw:
    """To the leader: the invited person accepted (the center's ID, or the new assistant)."""
    center, assistant = accepted.center, person_name(accepted.assistant)
    if accepted.activated:
        return t("reg-activated-leader", assistant=assistant, name=center.name, code=code_text(center.code))
    return t("reg-replaced-leader", assistant=assistant, name=center.name)


def replaced_notice(accepted: Accepted) -> Rendered:
    """To the assistant who was replaced."""
    return (t("reg-replaced-old", name=accepted.center.name, assistant=person_name(accepted.assistant)),
            main_menu())


def declined_notice(view: InvitationView, person: User) -> Rendered:
    """To the leader: the invited person said no; a button to invite someone else."""
    return (
        t("reg-declined-leader", person=person_name(person), name=view.center.name),
        inline([(label("reg-btn-new-invitation"), callbacks.CARD_INVITATION.build("again"))]),
    )


# --- the card of a center for its leader and assistant -------------------------------------------


def card_text(card: Card, now: datetime, tz: ZoneInfo) -> Raw:
    center = card.center
    lines = [t("ccard-title", name=center.name)]
    lines.append(t("ccard-code", code=code_text(center.code)) if center.code else t("ccard-code-pending"))
    lines.append(t(f"ccard-status-{center.status}"))
    lines.append(t("ccard-kind", kind=kind_text(center.kind, center.kind_label)))
    lines.append(t("ccard-area", area=area_text(center.area)))
    if center.description:
        lines.append(t("ccard-description", description=center.description))
    lines.append(t("ccard-leader", name=person_name(card.leader)))
    if card.assistant is not None:
        lines.append(t("ccard-assistant", name=person_name(card.assistant)))
    elif card.invitation is None:
        lines.append(t("ccard-assistant-none"))
    invitation = card.invitation
    if invitation is not None:
        if is_expired(invitation, now):
            lines.append(t("ccard-invitation-expired"))
        else:
            lines.append(t("ccard-invitation-open", expires=format_datetime(invitation.expires_at, tz)))
    if card.facilitator is not None:
        lines.append(t("ccard-facilitator", name=person_name(card.facilitator)))
    if center.status == CenterStatus.ACTIVE:
        lines.append(t("ccard-members", count=card.members))
        lines.append(t("ccard-pending", count=card.pending))
        lines.append(t("ccard-supporters", count=card.supporters))  # issue 13
    return Raw("\n".join(lines))


def card_buttons(card: Card, viewer_id: int, now: datetime) -> InlineKeyboardMarkup:
    """Other features' buttons by contract (members, requests, campaigns), then the leader's."""
    center = card.center
    is_leader = viewer_id == center.leader_id
    rows: list[list[tuple[str, str]]] = []
    if center.status == CenterStatus.ACTIVE:
        rows.append([(label("ccard-btn-members"), callbacks.MEMBERS_LIST.build(0)),
                     (label("ccard-btn-requests"), callbacks.REQUEST_LIST.build())])
        if is_leader:
            rows.append([(label("ccard-btn-new-campaign"), callbacks.CREATE_CAMPAIGN.build()),
                         (label("ccard-btn-campaigns"), callbacks.CAMPAIGNS_LIST.build())])
            rows.append([(label("ccard-btn-announce"), callbacks.CREATE_ANNOUNCEMENT.build()),
                         (label("ccard-btn-invite-supporter"), callbacks.SUPPORTER_INVITE.build())])
            if card.supporters:  # issue 13: the list, to take one off
                rows.append([(label("ccard-btn-supporters"), callbacks.SUPPORTERS_LIST.build())])
        else:
            rows.append([(label("ccard-btn-campaigns"), callbacks.CAMPAIGNS_LIST.build())])
        rows.append([(label("ccard-btn-link"), callbacks.CARD_LINK.build())])
        rows.append([(label("fund-btn-home"), callbacks.FUND_HOME.build())])  # the loan fund (issue 16)
    if is_leader and center.status in (CenterStatus.ACTIVE, CenterStatus.AWAITING_ASSISTANT):
        rows.append([(label("ccard-btn-edit"), callbacks.CARD_EDIT.build())])
        invitation = card.invitation
        if invitation is not None and not is_expired(invitation, now):
            rows.append([
                (label("ccard-btn-resend"), callbacks.CARD_INVITATION.build("send")),
                (label("ccard-btn-cancel-invitation"), callbacks.CARD_INVITATION.build("cancel")),
            ])
        else:
            invite = "ccard-btn-replace" if center.status == CenterStatus.ACTIVE else "ccard-btn-invite"
            rows.append([(label(invite), callbacks.CARD_INVITATION.build("new"))])
        if center.status == CenterStatus.AWAITING_ASSISTANT:
            rows.append([(label("ccard-btn-drop"), callbacks.CARD_DROP.build())])
    rows.append([(label("ccard-btn-refresh"), callbacks.CARD_SHOW.build())])
    return inline(*rows)


def card_message(card: Card, viewer_id: int, now: datetime, tz: ZoneInfo) -> tuple[Raw, InlineKeyboardMarkup | None]:
    # The association (issue 11): the suspension's reason and «💬 پرسش از رهیار» (the line is above).
    return with_association(card_text(card, now, tz), card_buttons(card, viewer_id, now), card.center,
                            person_name(card.facilitator) if card.facilitator else None, line=False)


def drop_confirmation(center: Center) -> tuple[Raw, InlineKeyboardMarkup]:
    return (
        t("ccard-drop-confirm", name=center.name),
        inline([(label("ccard-btn-drop-yes"), callbacks.CARD_DROP_CONFIRM.build())],
               [(label("btn-back"), callbacks.CARD_SHOW.build())]),
    )
