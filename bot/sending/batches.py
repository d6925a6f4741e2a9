"""Sending a batch of pending deliveries of any purpose, paced like a campaign's.

A batch is every Delivery row with one (purpose, ref_id), written pending before anything is
sent (rows first). `start` sends them in the background with a few workers through the
platform's paced queue (bulk priority, so replies go first); each row is claimed just before
its send and records its outcome, so nothing goes twice; a stop leaves the rest pending and
`resume` (at start and every few minutes) carries on. bot/sending/broadcast.py does the same
for campaigns with their answers and reminders; this one serves features whose batches are
plain notices (the association's announcements to leaders, facilitators' appointments).

A feature describes each purpose with a `Kind`: how to render a row for its recipient (from
the state *now*: None skips the row), and what to do when the batch is done (a report).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.db.models import User, id_of
from bot.db.repo import deliveries as deliveries_repo
from bot.db.repo import users as users_repo
from bot.deps import Deps, Rendered
from bot.jobs.scheduler import Scheduler
from bot.platforms import Platform
from bot.sending.delivery import PASSING, STOPPED, send_with_retries
from bot.sending.ratelimit import BULK_SEND

log = logging.getLogger(__name__)

WORKERS = 8
# A progress callback runs after this many settled rows (and at the end).
PROGRESS_EVERY = 50

# One recipient's message, or None to skip them.
Renderer = Callable[[User], Rendered | None]
# (deps, ref_id) → a renderer for one recipient, or None if the whole batch is no longer wanted.
Prepare = Callable[[Deps, int], Awaitable[Renderer | None]]
Progress = Callable[[Deps, int], Awaitable[None]]


@dataclass(frozen=True)
class Kind:
    purpose: str
    prepare: Prepare
    progress: Progress | None = None  # edits a report; called now and then and when done
    done: Progress | None = None  # once every row has settled


def key(purpose: str, ref_id: int) -> str:
    return f"batch:{purpose}:{ref_id}"


def start(deps: Deps, kind: Kind, ref_id: int) -> bool:
    async def work(stop: asyncio.Event) -> None:
        await run(deps, kind, ref_id, stop)

    return deps.background.start(key(kind.purpose, ref_id), work)


async def run(deps: Deps, kind: Kind, ref_id: int, stop: asyncio.Event) -> None:
    async with deps.sessions() as session:
        # The batch's only sender: rows still claimed were left by one that is gone.
        if await deliveries_repo.unclaim(session, kind.purpose, ref_id):
            await session.commit()
    render = await kind.prepare(deps, ref_id)
    async with deps.sessions() as session:
        if render is None:
            await deliveries_repo.skip_pending(session, kind.purpose, ref_id)
            await session.commit()
            rows = []
        else:
            rows = await deliveries_repo.pending_with_users(session, kind.purpose, ref_id)
    if rows and render is not None:
        await _send_all(deps, kind, ref_id, rows, render, stop)
    if stop.is_set():
        return
    if kind.done is not None:
        await kind.done(deps, ref_id)
    if kind.progress is not None:
        await kind.progress(deps, ref_id)


async def _send_all(
    deps: Deps, kind: Kind, ref_id: int, rows: list[tuple[int, User]], render: Callable[[User], Rendered | None],
    stop: asyncio.Event,
) -> None:
    queue = deque(rows)
    settled = 0

    async def worker() -> None:
        nonlocal settled
        while queue and not stop.is_set():
            delivery_id, user = queue.popleft()
            if await deliver(deps, delivery_id, user, render, stop) is not None:
                settled += 1
                if kind.progress is not None and settled % PROGRESS_EVERY == 0:
                    await kind.progress(deps, ref_id)

    async with asyncio.TaskGroup() as group:
        for _ in range(min(WORKERS, len(rows))):
            group.create_task(worker())


async def deliver(
    deps: Deps, delivery_id: int, user: User, render: Callable[[User], Rendered | None], stop: asyncio.Event,
) -> str | None:
    """Claim the row, send, record; None if it stays pending (its platform is not served, or a stop)."""
    messenger = deps.messengers.get(Platform(user.platform))
    if messenger is None:
        return None
    async with deps.sessions() as session:
        claimed = await deliveries_repo.claim(session, delivery_id)
        await session.commit()
    if not claimed:
        return deliveries_repo.SKIPPED
    rendered = render(user)
    if rendered is None:
        async with deps.sessions() as session:
            await deliveries_repo.record(session, delivery_id, deliveries_repo.SKIPPED, attempts=0, error=None,
                                         message_id=None, sent_at=None)
            await session.commit()
        return deliveries_repo.SKIPPED
    text, markup = rendered
    attempt = await send_with_retries(messenger, user.platform_user_id, text, markup,
                                      rate_limit_args=BULK_SEND, stop=stop)
    status = {PASSING: deliveries_repo.FAILED, STOPPED: deliveries_repo.PENDING}.get(attempt.status, attempt.status)
    async with deps.sessions() as session:
        await deliveries_repo.record(
            session, delivery_id, status, attempts=attempt.attempts, error=attempt.error,
            message_id=attempt.message.message_id if attempt.message else None,
            sent_at=deps.clock() if attempt.message else None,
        )
        if status == deliveries_repo.UNREACHABLE:
            await users_repo.mark_blocked(session, id_of(user), deps.clock())
        await session.commit()
    return None if status == deliveries_repo.PENDING else status


async def resume(deps: Deps, kinds: dict[str, Kind]) -> int:
    """Start every batch of these kinds that still has rows to send."""
    async with deps.sessions() as session:
        batches = await deliveries_repo.open_batches(session, list(kinds))
    started = sum(start(deps, kinds[purpose], ref_id) for purpose, ref_id in batches)
    if started:
        log.info("resumed %d unfinished batch(es)", started)
    return started


def resumer(kinds: dict[str, Kind]) -> Callable[[Scheduler], Awaitable[None]]:
    """For AT_START in bot/runner.py."""

    async def at_start(scheduler: Scheduler) -> None:
        await resume(scheduler.deps, kinds)

    return at_start
