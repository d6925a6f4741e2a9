"""Conditions naming the rows a partial index holds (bot/db/models.py, migration 0006).

SQLite uses a partial index only when the query repeats the index's predicate, with the same
literal values (a bound parameter does not count for an IN list); PostgreSQL's generic plans
likewise cannot use one for a parameter. So the sweeps' queries write these literally.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, literal_column
from sqlmodel import col

from bot.db.enums import DeliveryStatus, MembershipStatus, ReminderStatus
from bot.db.models import Delivery, Membership, Reminder


def _quoted(value: str) -> ColumnElement[str]:
    assert value.isidentifier(), value  # statuses only: nothing that needs escaping
    return literal_column(f"'{value}'")


def open_delivery() -> ColumnElement[bool]:
    """Pending or claimed by a sender: ix_deliveries_open."""
    return col(Delivery.status).in_([_quoted(DeliveryStatus.PENDING), _quoted(DeliveryStatus.SENDING)])


def pending_reminder() -> ColumnElement[bool]:
    """Not yet fired: ix_reminders_pending_due."""
    return col(Reminder.status) == _quoted(ReminderStatus.PENDING)


def pending_membership() -> ColumnElement[bool]:
    """A request waiting for a decision: ix_memberships_pending."""
    return col(Membership.status) == _quoted(MembershipStatus.PENDING)
