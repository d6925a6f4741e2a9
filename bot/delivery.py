"""Sending to a person on *their* platform, wherever the update came from.

A failure to reach someone is recorded, never retried forever, and never undoes the
decision that caused the message.
"""

from __future__ import annotations

import logging

from sqlalchemy.exc import IntegrityError
from telegram import Message
from telegram.error import RetryAfter, TelegramError

from bot.db.models import Delivery, User
from bot.db.repo import users as users_repo
from bot.deps import Deps
from bot.platforms import ReplyMarkup, is_unreachable
from bot.ratelimit import retry_after_seconds

log = logging.getLogger(__name__)


async def notify(
    deps: Deps, user: User, text: str, markup: ReplyMarkup = None,
    *, purpose: str | None = None, ref_id: int | None = None,
) -> Message | None:
    """Send `text` (catalog HTML) to `user`; None if they could not be reached.

    With `purpose` and `ref_id` the attempt is recorded as a Delivery row, and a second call
    for the same (purpose, ref_id, user) does not send again.
    """
    if purpose is not None and ref_id is not None and not await _claim(deps, user, purpose, ref_id):
        return None
    status, error, message = "sent", None, None
    try:
        message = await deps.messenger(user.platform).send(user.platform_user_id, text, markup)
    except RetryAfter as exc:  # the rate limiter already waited and retried; give up on this one
        status, error = "failed", f"429 retry_after={retry_after_seconds(exc):g}"
    except TelegramError as exc:
        status, error = ("unreachable" if is_unreachable(exc) else "failed"), str(exc)[:300]
    if status != "sent":
        log.warning("could not reach %s:%s (%s)", user.platform, user.platform_user_id, error)
    async with deps.sessions() as session:
        if status == "unreachable":
            await users_repo.mark_blocked(session, user.id, deps.clock())
        if purpose is not None and ref_id is not None:
            row = (await session.exec(_delivery_query(purpose, ref_id, user.id))).one()
            row.status, row.last_error, row.attempts = status, error, row.attempts + 1
            row.message_id = message.message_id if message else None
            row.sent_at = deps.clock() if message else None
            session.add(row)
        await session.commit()
    return message


def _delivery_query(purpose: str, ref_id: int, user_id: int):  # noqa: ANN202
    from sqlmodel import select

    return select(Delivery).where(Delivery.purpose == purpose, Delivery.ref_id == ref_id, Delivery.user_id == user_id)


async def _claim(deps: Deps, user: User, purpose: str, ref_id: int) -> bool:
    """Insert the pending row; False if one exists (the message was already handled)."""
    async with deps.sessions() as session:
        session.add(Delivery(purpose=purpose, ref_id=ref_id, user_id=user.id, created_at=deps.clock()))
        try:
            await session.commit()
        except IntegrityError:
            return False
    return True
