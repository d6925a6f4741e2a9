"""Requests left waiting: the assistant is reminded once a day of those pending over 48 hours,
and the leader is told (once per request) of those pending over 7 days.

An hourly check; the rows say what is due (Membership.last_reminded_at, leader_alerted_at),
and each send is claimed by a conditional UPDATE first, so a restart or a second run in the
same hour sends nothing twice.
"""

from __future__ import annotations

from bot.sending.delivery import notify
from bot.deps import Deps
from bot.views import joining as views
from bot.persian.catalog import t
from bot.services import memberships as svc
from bot.ptb.ui import inline, label


def _show_button():  # noqa: ANN202
    return inline([(label("rq-btn-show"), "rq:list")])


async def remind_assistants(deps: Deps) -> None:
    now = deps.clock()
    async with deps.sessions() as session:
        due = await svc.assistant_reminders_due(session, now)
    for overdue in due:
        async with deps.sessions() as session:
            if not await svc.claim_assistant_reminder(session, overdue, now):
                continue
        text = t("rq-remind-assistant", count=len(overdue.membership_ids), center=overdue.center.name)
        await notify(deps, overdue.recipient, text, _show_button())


async def alert_leaders(deps: Deps) -> None:
    now = deps.clock()
    async with deps.sessions() as session:
        due = await svc.leader_alerts_due(session, now)
    for overdue in due:
        async with deps.sessions() as session:
            claimed = await svc.claim_leader_alert(session, overdue, now)
            info = await svc.center_info(session, overdue.center)
        if not claimed:
            continue
        text = t("rq-alert-leader", count=claimed, center=overdue.center.name,
                 assistant=views.person_name(info.assistant))
        await notify(deps, overdue.recipient, text, _show_button())


async def check_waiting_requests(deps: Deps) -> None:
    await remind_assistants(deps)
    await alert_leaders(deps)
