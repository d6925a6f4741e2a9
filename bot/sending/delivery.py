"""Sending to a person on *their* platform, wherever the update came from.

A failure to reach someone is recorded, never retried forever, and never undoes the
decision that caused the message. Errors that may pass (network, timeout, 5xx, a 429 the
rate limiter gave up on) are retried a few times at once (`send_with_retries`, shared with
bot/sending/broadcast.py); a blocked bot (403) or a refused request (400) is not.

A notice recorded as a Delivery row (`purpose`, `ref_id`) that met only passing errors stays
`pending`, and so does one a crash left unsent: at start and every few minutes,
`resend_notices` renders each again from the state *then* (a feature registers how, with
registers how in bot/runner.py's RESENDERS) and sends it, or skips it if it is no longer true. docs/sending.md.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.error import BadRequest, RetryAfter, TelegramError

from bot.db.models import Delivery, User, id_of
from bot.db.repo import deliveries as deliveries_repo
from bot.db.repo import users as users_repo
from bot.deps import Deps
from bot.platforms import Messenger, Platform, ReplyMarkup, Sent, is_unreachable
from bot.sending.ratelimit import SendArgs, retry_after_seconds
from bot.jobs.scheduler import Scheduler

log = logging.getLogger(__name__)

# Attempts for errors that may pass, and the pauses between them.
ATTEMPTS = 3
BACKOFF = (1.0, 4.0)
# A notice still unsent after this long is given up (failed): it is no longer news.
NOTICE_RETRY_FOR = timedelta(hours=24)

# What send_with_retries found, besides the row statuses sent / unreachable / failed.
PASSING = "passing"  # every attempt met an error that may pass: worth trying again later
STOPPED = "stopped"  # the bot began to stop while waiting to retry


@dataclass
class Attempt:
    status: str  # sent, unreachable, failed (refused for good), passing, stopped
    error: str | None = None
    message: Sent | None = None
    attempts: int = 0


async def stopped_during(stop: asyncio.Event, seconds: float) -> bool:
    """Wait `seconds`; True (at once) if `stop` is set meanwhile."""
    try:
        await asyncio.wait_for(stop.wait(), seconds)
    except TimeoutError:
        return False
    return True


async def send_with_retries(
    messenger: Messenger, chat_id: int, text: str, markup: ReplyMarkup = None, *,
    rate_limit_args: SendArgs | None = None, stop: asyncio.Event | None = None, photo: str | None = None,
) -> Attempt:
    """Up to ATTEMPTS sends, BACKOFF apart, while the error may pass; 403 and 400 end it."""
    error = None
    for attempt in range(1, ATTEMPTS + 1):
        try:
            message = await messenger.send(chat_id, text, markup, rate_limit_args=rate_limit_args, photo=photo)
            return Attempt(deliveries_repo.SENT, None, message, attempt)
        except RetryAfter as exc:  # the rate limiter already waited and retried
            error = f"429 retry_after={retry_after_seconds(exc):g}"
        except TelegramError as exc:
            error = str(exc)[:300]
            if is_unreachable(exc):
                return Attempt(deliveries_repo.UNREACHABLE, error, None, attempt)
            if isinstance(exc, BadRequest):  # the same request would be refused again
                return Attempt(deliveries_repo.FAILED, error, None, attempt)
        if attempt < ATTEMPTS:
            pause = BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]
            if stop is None:
                await asyncio.sleep(pause)
            elif await stopped_during(stop, pause):
                return Attempt(STOPPED, error, None, attempt)
    return Attempt(PASSING, error, None, ATTEMPTS)


# --- one notice ------------------------------------------------------------------------------


async def notify(
    deps: Deps, user: User, text: str, markup: ReplyMarkup = None,
    *, purpose: str | None = None, ref_id: int | None = None, photo: str | None = None,
) -> Sent | None:
    """Send `text` (catalog HTML) to `user`; None if it did not arrive (now).

    With `purpose` and `ref_id` the attempt is recorded as a Delivery row: the pending one the
    action's unit of work committed (`expect_notice`, rows first), claimed now, or a new one; a
    second call for the same (purpose, ref_id, user) finds it claimed or settled and does not
    send again; with `photo` (a file_id of the user's platform's bot) `text` is its caption; if only passing errors met it and
    the purpose has a resender (deps.resenders), the row stays pending for `resend_notices`.
    """
    delivery_id = None
    if purpose is not None and ref_id is not None:
        delivery_id = await _insert_claimed(deps, user, purpose, ref_id)
        if delivery_id is None:
            return None
    messenger = deps.messengers.get(Platform(user.platform))
    if messenger is None:  # that platform is not served by this run: a run that does sends it
        attempt = Attempt(PASSING, f"{user.platform} is not served by this run")
    else:
        attempt = await send_with_retries(messenger, user.platform_user_id, text, markup, photo=photo)
    if attempt.status == PASSING and purpose not in deps.resenders:
        attempt.status = deliveries_repo.FAILED  # nothing would send it again
    await _record(deps, user, delivery_id, attempt)
    return attempt.message


async def expect_notice(session: AsyncSession, user: User, purpose: str, ref_id: int, now: datetime) -> None:
    """Inside the unit of work that makes the news: the notice's row, pending, so it commits with
    the change it tells of. `notify` after the commit claims and sends it; if the process dies
    between the commit and the send, `resend_notices` sends it at the next start (the purpose
    needs a resender in bot/runner.py's RESENDERS). A row that already exists is left as it is."""
    assert user.id is not None
    await deliveries_repo.enqueue(session, purpose, ref_id, [user.id], now)


async def _insert_claimed(deps: Deps, user: User, purpose: str, ref_id: int) -> int | None:
    """The row, claimed for this send: the pending one the change committed (expect_notice),
    or a new one; None if another sender has it or it was handled already."""
    async with deps.sessions() as session:
        expected = await deliveries_repo.claim_expected(session, purpose, ref_id, id_of(user))
        if expected is not None:
            await session.commit()
            return expected
        if await deliveries_repo.of_user(session, purpose, ref_id, id_of(user)) is not None:
            return None
        row = Delivery(purpose=purpose, ref_id=ref_id, user_id=id_of(user), status=deliveries_repo.SENDING,
                       created_at=deps.clock())
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:
            return None
        return row.id


async def _record(deps: Deps, user: User, delivery_id: int | None, attempt: Attempt) -> None:
    status = deliveries_repo.PENDING if attempt.status in (PASSING, STOPPED) else attempt.status
    if status not in (deliveries_repo.SENT, deliveries_repo.SKIPPED):
        log.warning("could not reach %s:%s (%s)%s", user.platform, user.platform_user_id, attempt.error,
                    "; will try again" if delivery_id is not None and status == deliveries_repo.PENDING else "")
    async with deps.sessions() as session:
        if status == deliveries_repo.UNREACHABLE:
            await users_repo.mark_blocked(session, id_of(user), deps.clock())
        if delivery_id is not None:
            await deliveries_repo.record(
                session, delivery_id, status, attempts=attempt.attempts, error=attempt.error,
                message_id=attempt.message.message_id if attempt.message else None,
                sent_at=deps.clock() if attempt.message else None,
            )
        await session.commit()


# --- notices left unsent: again, from the state now ---------------------------------------------


async def resend_notices(deps: Deps, stop: asyncio.Event | None = None) -> int:
    """Send again every pending notice of a registered purpose (passing errors each time, or a
    crash before the send): rendered from the state now, skipped if no longer true, given up
    (failed) after NOTICE_RETRY_FOR. Each row is claimed first, so none goes twice."""
    now = deps.clock()
    async with deps.sessions() as session:
        rows = await deliveries_repo.pending_with_recipients(session, list(deps.resenders))
    sent = 0
    for row, user in rows:
        if stop is not None and stop.is_set():
            break
        if now - row.created_at > NOTICE_RETRY_FOR:
            async with deps.sessions() as session:
                await deliveries_repo.record(session, id_of(row), deliveries_repo.FAILED, attempts=0,
                                             error=row.last_error, message_id=None, sent_at=None,
                                             expected=deliveries_repo.PENDING)
                await session.commit()
            log.info("notice %s (%s) given up: unsent for over %s", row.id, row.purpose, NOTICE_RETRY_FOR)
            continue
        messenger = deps.messengers.get(Platform(user.platform))
        if messenger is None:
            continue
        async with deps.sessions() as session:
            if not await deliveries_repo.claim(session, id_of(row)):
                continue
            await session.commit()
        try:
            rendered = await deps.resenders[row.purpose](deps, row, user)
        except Exception:
            log.exception("notice %s (%s) could not be rendered again", row.id, row.purpose)
            rendered, attempt = None, Attempt(PASSING, "render failed")
        else:
            attempt = Attempt(deliveries_repo.SKIPPED)
        if rendered is not None:
            attempt = await send_with_retries(messenger, user.platform_user_id, *rendered, stop=stop)
        await _record(deps, user, row.id, attempt)
        sent += attempt.status == deliveries_repo.SENT
    if sent:
        log.info("%d notice(s) sent again", sent)
    return sent


def _resend_in_background(deps: Deps) -> None:
    async def work(stop: asyncio.Event) -> None:
        await resend_notices(deps, stop)

    deps.background.start("notices", work)


async def release_abandoned(deps: Deps) -> int:
    """At start, before anything sends: rows a stopped or crashed process left claimed
    (`sending`) are pending again, for their batch or resend_notices to send."""
    async with deps.sessions() as session:
        released = await deliveries_repo.unclaim_all(session)
        await session.commit()
    if released:
        log.info("%d deliveries claimed before the last stop are pending again", released)
    return released


async def resend_at_start(scheduler: Scheduler) -> None:
    _resend_in_background(scheduler.deps)


async def sweep(deps: Deps) -> None:
    _resend_in_background(deps)
