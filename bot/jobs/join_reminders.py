"""Requests left waiting: the assistant is reminded once a day of those pending over 48 hours,
and the leader is told (once per request) of those pending over 7 days.

An hourly check; the rows say what is due (Membership.last_reminded_at, leader_alerted_at),
and each send is claimed by a conditional UPDATE (committed in its own unit) first, so a
restart or a second run in the same hour sends nothing twice.
"""

from __future__ import annotations

from bot.deps import Deps
from bot.sending.delivery import notify
from bot.services import memberships as svc
from bot.views import joining as views


async def check_waiting_requests(deps: Deps) -> None:
    """The hourly check: who is due, from one grouped query; then each notice claimed first."""
    now = deps.clock()
    async with deps.unit() as session:
        reminders, alerts = await svc.waiting_requests_due(session, now)
    for overdue in reminders:
        async with deps.unit() as session:
            claimed = await svc.claim_assistant_reminder(session, overdue, now)
        if claimed:
            await notify(deps, overdue.recipient, *views.assistant_reminder(overdue.count, overdue.center))
    for overdue in alerts:
        async with deps.unit() as session:
            told = await svc.claim_leader_alert(session, overdue, now)
        if told:
            await notify(deps, overdue.recipient, *views.leader_alert(told, overdue.center, overdue.assistant))
