"""Sending a batch of pending deliveries: campaign calls, announcements, reminders, notices.

A batch is every Delivery row with one (purpose, ref_id). The rows were written, pending,
by a service before anything is sent; this module sends them in the background (never
inside the update that asked for it), marks each row sent / unreachable / failed, and keeps
the leader's report message up to date. A stop or a crash leaves unsent rows pending, and
the next start resumes them (see `resume`, armed at start, and the periodic sweep); a row
already marked sent is never sent again. docs/sending.md has the details.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlmodel.ext.asyncio.session import AsyncSession

from telegram import InlineKeyboardMarkup
from telegram.error import TelegramError

from bot.db.enums import BATCH_PURPOSES, CampaignKind, DeliveryStatus, Purpose
from bot.db.models import User
from bot.deps import Deps
from bot.jobs.scheduler import Scheduler
from bot.platforms import Platform
from bot.sending.delivery import PASSING, STOPPED, send_with_retries, stopped_during
from bot.sending.ratelimit import BULK_SEND
from bot.services import broadcasts as bookkeeping
from bot.services.broadcasts import Batch, Claimed
from bot.services.campaigns import id_of
from bot.views import campaigns as views

log = logging.getLogger(__name__)

# Sends in flight at once per batch: enough to keep the rate limiter's queue full when each
# request takes a few hundred milliseconds, few enough to leave connections for replies.
WORKERS = 8
# A row's claim or outcome that meets a busy database (SQLite's lock wait ran out under a burst,
# a PostgreSQL connection dropped) is tried again after these pauses: one passing error must not
# stop the whole batch until the sweep, nor leave a sent row claimed (it would be sent again).
DB_RETRY_PAUSES = (0.5, 1.0, 2.0)

T = TypeVar("T")
# While sending, the leader's report is edited once this many deliveries have settled since
# the last edit, or this many seconds after the last edit if any has; and once at the end.
REPORT_EVERY = 3.0
REPORT_EVERY_SENDS = 100
# Answers that arrive after the sending are gathered for this long into one report edit.
ANSWER_REPORT_DELAY = 5.0

# The purposes sent as batches here are bot.db.enums.BATCH_PURPOSES. Other rows (notices
# recorded by delivery.notify) are not this module's: delivery.resend_notices sends those again.

Rendered = tuple[str, InlineKeyboardMarkup | None]
Renderer = Callable[[Claimed], Rendered]


def key(purpose: str, ref_id: int) -> str:
    return f"{purpose}:{ref_id}"


def start(deps: Deps, purpose: str, ref_id: int) -> bool:
    """Send the batch's pending rows in the background (no-op if it is already being sent)."""
    if purpose not in BATCH_PURPOSES:
        raise ValueError(f"{purpose!r} is not a broadcast batch")

    async def work(stop: asyncio.Event) -> None:
        await run(deps, purpose, ref_id, stop)

    return deps.background.start(key(purpose, ref_id), work)


def _renderer(deps: Deps, batch: Batch) -> Renderer:
    """The message for one member, from the campaign and their answer as they are when their
    row is claimed (a new time is in every call sent after a move; the buttons tick the answer)."""
    tz = deps.settings.tz
    center_name = batch.center.name

    def buttons(claimed: Claimed) -> InlineKeyboardMarkup:
        return views.answer_markup(id_of(claimed.campaign), claimed.answer, claimed.muted)

    if batch.purpose == Purpose.CAMPAIGN_CALL:
        def call(claimed: Claimed) -> Rendered:
            campaign = claimed.campaign
            if campaign.kind == CampaignKind.ANNOUNCEMENT:
                return views.announcement_text(campaign.body, center_name), None
            return views.call_text(campaign, center_name, tz), buttons(claimed)

        return call
    if batch.purpose == Purpose.CAMPAIGN_REMINDER:
        return lambda claimed: (views.reminder_text(claimed.campaign, deps.clock(), tz), buttons(claimed))
    if batch.purpose == Purpose.CAMPAIGN_MOVED:
        previous = batch.previous_start
        assert previous is not None
        return lambda claimed: (views.moved_notice(claimed.campaign, previous, tz), buttons(claimed))
    return lambda claimed: (views.cancel_notice(claimed.campaign, tz), None)


async def run(deps: Deps, purpose: str, ref_id: int, stop: asyncio.Event) -> None:
    grace = timedelta(hours=deps.settings.reminder_grace_hours)
    async with deps.unit() as session:
        # This task is the batch's only sender: rows still claimed were left by one that is gone.
        if left := await bookkeeping.release_left_claimed(session, purpose, ref_id):
            log.info("batch %s: %d deliveries claimed by an earlier sender are pending again", key(purpose, ref_id), left)
    async with deps.unit() as session:
        batch = await bookkeeping.batch(session, purpose, ref_id, deps.clock(), grace)
        if batch is None:
            skipped = await bookkeeping.skip_rest(session, purpose, ref_id)
            if skipped:
                log.info("batch %s: %d pending deliveries skipped (no longer worth sending)", key(purpose, ref_id), skipped)
            rows = []
        else:
            rows = await bookkeeping.pending_rows(session, purpose, ref_id)
    if batch is not None and rows:
        log.info("batch %s: sending %d", key(purpose, ref_id), len(rows))
        await _send_all(deps, batch, ref_id, rows, _renderer(deps, batch), stop)
    if stop.is_set():
        return  # the rest stays pending for the next start
    if purpose == Purpose.CAMPAIGN_CALL:
        async with deps.unit() as session:
            await bookkeeping.finish_sending(session, ref_id)
        await refresh_report(deps, ref_id)
    log.info("batch %s: done", key(purpose, ref_id))


async def _send_all(
    deps: Deps, batch: Batch, ref_id: int, rows: list[tuple[int, User]], render: Renderer, stop: asyncio.Event,
) -> None:
    queue = deque(rows)
    progress = _Progress()

    async def worker() -> None:
        while queue and not stop.is_set():
            delivery_id, user = queue.popleft()
            if await deliver(deps, batch, delivery_id, user, render, stop) is not None:
                progress.settled_one()

    finished = asyncio.Event()
    reporter = None
    if batch.purpose == Purpose.CAMPAIGN_CALL:
        reporter = asyncio.create_task(_report_while(deps, ref_id, progress, finished))
    try:
        async with asyncio.TaskGroup() as group:  # one failing worker (e.g. the database) stops the others
            for _ in range(min(WORKERS, len(rows))):
                group.create_task(worker())
    finally:
        finished.set()
        if reporter is not None:
            await reporter


async def deliver(
    deps: Deps, batch: Batch, delivery_id: int, user: User, render: Renderer, stop: asyncio.Event,
) -> DeliveryStatus | None:
    """One row: claim it (pending → sending, committed before the send), send with retries,
    record the outcome. A row a cancel skipped meanwhile is not sent, nor a reminder to someone
    who declined or muted since it fired. None if left pending."""
    messenger = deps.messengers.get(Platform(user.platform))
    if messenger is None:  # that platform is not served by this run: keep it for a run that does
        return None
    user_id = id_of(user)
    claimed = await _in_unit(deps, lambda session: bookkeeping.claim(
        session, batch.purpose, delivery_id, id_of(batch.campaign), user_id, deps.clock()))
    if claimed is None:  # skipped by a cancel, or no longer worth sending (e.g. declined since)
        return DeliveryStatus.SKIPPED
    text, markup = render(claimed)
    attempt = await send_with_retries(messenger, user.platform_user_id, text, markup, rate_limit_args=BULK_SEND, stop=stop)
    # PASSING: given up for this batch (failed); STOPPED: stopped while waiting to retry, the next start sends it.
    status = {PASSING: DeliveryStatus.FAILED, STOPPED: DeliveryStatus.PENDING}.get(attempt.status) or DeliveryStatus(attempt.status)
    if status not in (DeliveryStatus.SENT, DeliveryStatus.PENDING):
        log.warning("delivery %s to %s:%s %s: %s", delivery_id, user.platform, user.platform_user_id, status, attempt.error)
    await _in_unit(deps, lambda session: bookkeeping.record(
        session, delivery_id, user_id, status, attempts=attempt.attempts, error=attempt.error,
        message_id=attempt.message.message_id if attempt.message else None, now=deps.clock(),
    ))
    return None if status == DeliveryStatus.PENDING else status


async def _in_unit(deps: Deps, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """`work` in one unit of work, tried again after DB_RETRY_PAUSES when the database is busy."""
    for pause in DB_RETRY_PAUSES:
        try:
            async with deps.unit() as session:
                return await work(session)
        except OperationalError:
            log.warning("a delivery's database step failed; again in %.1f s", pause, exc_info=True)
            await asyncio.sleep(pause)
    async with deps.unit() as session:  # the last try: its error stops the batch (the sweep resumes it)
        return await work(session)


# --- the leader's report -------------------------------------------------------------------


class _Progress:
    """How many deliveries of a batch have settled (sent, unreachable, failed, skipped)."""

    def __init__(self) -> None:
        self.settled = 0
        self.changed = asyncio.Event()

    def settled_one(self) -> None:
        self.settled += 1
        self.changed.set()


async def _report_while(deps: Deps, campaign_id: int, progress: _Progress, finished: asyncio.Event) -> None:
    """Edit the report as deliveries settle: after REPORT_EVERY_SENDS of them, or REPORT_EVERY
    seconds after the last edit if any has settled since. Nothing settled, no edit."""
    loop = asyncio.get_running_loop()
    reported, last_edit = progress.settled, loop.time()
    while not finished.is_set():
        unseen = progress.settled - reported
        due = last_edit + REPORT_EVERY
        if unseen >= REPORT_EVERY_SENDS or (unseen and loop.time() >= due):
            reported, last_edit = progress.settled, loop.time()
            await refresh_report(deps, campaign_id)
            continue
        progress.changed.clear()
        waiters = [asyncio.ensure_future(progress.changed.wait()), asyncio.ensure_future(finished.wait())]
        try:
            await asyncio.wait(waiters, timeout=max(due - loop.time(), 0) if unseen else None,
                               return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in waiters:
                waiter.cancel()


async def refresh_report(deps: Deps, campaign_id: int) -> None:
    """Edit the creator's report message with the current figures; post it anew if there is
    none yet (just after «ارسال») or it can no longer be edited, and remember the new one."""
    async with deps.background.lock(f"report:{campaign_id}"):
        async with deps.unit() as session:
            target = await bookkeeping.report_target(session, campaign_id)
        if target is None:
            return
        creator, campaign = target.creator, target.campaign
        messenger = deps.messengers.get(Platform(creator.platform))
        if messenger is None:
            return
        now = deps.clock()
        text, markup = views.report(campaign, target.figures, now, deps.settings.tz, can_manage=True)
        try:
            result = await messenger.edit_or_send(creator.platform_user_id, campaign.report_message_id, text, markup)
        except TelegramError as exc:
            log.info("report of campaign %s not updated: %s", campaign_id, exc)
            return
        if result.message_id != campaign.report_message_id:
            async with deps.unit() as session:
                await bookkeeping.set_report_message(session, campaign_id, result.message_id)


def report_soon(deps: Deps, campaign_id: int) -> None:
    """An answer changed the figures: edit the report shortly. A burst of answers makes one
    edit; an answer that comes while that edit is on its way makes one more, so the report
    always ends with the latest figures (also while sending: the sending loop's last edit may
    already have read its figures)."""
    task_key = f"report:{campaign_id}"
    dirty = deps.background.dirty
    dirty.add(task_key)

    async def later(stop: asyncio.Event) -> None:
        while task_key in dirty:
            await stopped_during(stop, ANSWER_REPORT_DELAY)
            dirty.discard(task_key)  # answers from here on need another round
            await refresh_report(deps, campaign_id)

    deps.background.start(task_key, later)


# --- after a cancel or a change of time ----------------------------------------------------


def follow_up(deps: Deps, purpose: Purpose, ref_id: int, campaign_id: int) -> None:
    """After a cancel (campaign_cancel) or a new time (campaign_moved): let the call's sends in
    flight finish, tell those they reached too, then send the notices — and, for a new time,
    the rest of the call, which now carries the new time."""

    async def work(stop: asyncio.Event) -> None:
        await deps.background.stop_one(key(Purpose.CAMPAIGN_CALL, campaign_id))
        async with deps.unit() as session:
            await bookkeeping.tell_those_reached(session, purpose, ref_id, campaign_id, deps.clock())
        start(deps, purpose, ref_id)
        start(deps, Purpose.CAMPAIGN_CALL, campaign_id)  # resumes the rest with the new time, or skips it if cancelled

    deps.background.start(f"follow-up:{key(purpose, ref_id)}", work)


# --- at start, and now and then: resume what a stop or crash left pending -------------------


async def resume(deps: Deps) -> int:
    async with deps.unit() as session:
        batches = await bookkeeping.open_batches(session)
    started = sum(start(deps, purpose, ref_id) for purpose, ref_id in batches)
    if started:
        log.info("resumed %d unfinished broadcast(s)", started)
    return started


async def resume_at_start(scheduler: Scheduler) -> None:
    await resume(scheduler.deps)


async def sweep(deps: Deps) -> None:
    await resume(deps)
