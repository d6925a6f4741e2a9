"""How centers, people and invitations are shown: shared by the registration conversation,
the invitation handlers and the center's card."""

from __future__ import annotations

from datetime import datetime

from bot import links
from bot.db.models import AssistantInvitation, Center, User
from bot.deps import Deps
from bot.persian.catalog import Raw, t
from bot.services.centers import OTHER
from bot.persian.text import format_datetime, one_line, persian_digits


def person_name(user: User | None) -> str:
    """The name a person declared, else their messenger profile name."""
    if user is None:
        return ""
    return user.full_name or one_line(" ".join(filter(None, [user.first_name, user.last_name])))


def kind_text(kind: str | None, kind_label: str | None = None) -> str:
    if kind == OTHER and kind_label:
        return kind_label
    return str(t(f"reg-kind-{kind}")) if kind else ""


def area_text(area: str | None) -> str:
    return area or str(t("reg-area-none"))


def code_text(code: int | None) -> str:
    """The ID in Persian digits, without a thousands separator."""
    return persian_digits(code) if code is not None else ""


def links_block(deps: Deps, payload: str) -> Raw:
    """One line per platform the bot serves: «بله: https://ble.ir/…»."""
    lines = [
        t("reg-link-line", platform=t(f"reg-platform-{platform}"), url=url)
        for platform, url in sorted(deps.links(payload).items(), key=lambda item: item[0] != "bale")
    ]
    return Raw("\n".join(lines))


def invitation_messages(
    deps: Deps, center: Center, invitation: AssistantInvitation, leader: User, assistant: User | None = None,
) -> tuple[Raw, Raw]:
    """(what the leader is told, the text they forward to the person they choose)."""
    expires = format_datetime(invitation.expires_at)
    if assistant is not None and center.status == "active":
        intro = t("reg-invite-intro-replace", assistant=person_name(assistant), expires=expires)
    else:
        intro = t("reg-invite-intro", expires=expires)
    forward = t(
        "reg-invite-forward", leader=person_name(leader), center=center.name,
        links=links_block(deps, links.assistant_invite(invitation.token)), expires=expires,
    )
    return intro, forward


def member_invitation(deps: Deps, center: Center) -> Raw:
    assert center.code is not None
    return t(
        "reg-member-invite", name=center.name, code=code_text(center.code),
        links=links_block(deps, links.center(center.code)),
    )


def invitation_card(center: Center, leader: User) -> Raw:
    """What the invited person sees before accepting or declining."""
    if center.status == "active":
        return t(
            "reg-invitation-card-replace", leader=person_name(leader), name=center.name,
            code=code_text(center.code), kind=kind_text(center.kind, center.kind_label), area=area_text(center.area),
        )
    return t(
        "reg-invitation-card", leader=person_name(leader), name=center.name,
        kind=kind_text(center.kind, center.kind_label), area=area_text(center.area),
    )


def expires_text(moment: datetime) -> str:
    return format_datetime(moment)
