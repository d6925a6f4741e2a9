"""One send rate per platform, shared by everything the bot sends there, with priorities.

Why not python-telegram-bot's `AIORateLimiter`: in v22.8 a RetryAfter pause is an
`asyncio.Event` that *any* request completing sets again (its `finally:` clause), so one
concurrent request ending cuts every other request's flood-wait short, and the next burst
earns another 429. Here a 429 moves one shared `paused_until` forward and nothing else can
move it back.

How it paces (docs/sending.md):
- Messages (send*, edit*, copy*, forward*) leave one at a time, evenly spaced at
  `(1 + headroom) / rate` seconds: no bursts, because the platforms count a sliding
  one-second window and a burst plus network jitter is what earns a 429.
- Each request has a priority (`SendArgs.priority`); the next free slot goes to the most
  urgent waiter, oldest first. Answers to users are INTERACTIVE, broadcasts are BULK, so a
  user's reply waits for at most one slot even behind a 10,000-member campaign.
- A 429 pauses *all* requests of the platform until its `retry_after` has passed, then the
  same request is retried (keeping its place in line), up to `max_retries` times.
- Other methods (answerCallbackQuery, getMe, …) are not paced but do respect a pause.
- Other errors are not handled here (the BaseRateLimiter contract): callers decide.

`clock` and `sleep` are injectable so the unit tests never wait for real.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable, Coroutine
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Protocol

from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import BaseRateLimiter

log = logging.getLogger(__name__)

INTERACTIVE = 0
BULK = 10

_PACED_PREFIXES = ("send", "edit", "copy", "forward")
_UNPACED = frozenset({"sendChatAction"})


@dataclass(frozen=True)
class SendArgs:
    """What callers pass as `rate_limit_args=` to the bot's methods."""

    priority: int = INTERACTIVE
    max_retries: int | None = None  # None: the limiter's default


BULK_SEND = SendArgs(priority=BULK, max_retries=8)


# Several instances: slots are reserved in the cluster for the messages waiting here, at most
# this much sending time (and this many) per statement, so another instance waits at most that.
SHARED_BATCH_SECONDS = 0.2
SHARED_BATCH_MAX = 32


def retry_after_seconds(error: RetryAfter) -> float:
    # The private field avoids PTB 22's deprecation warning on `retry_after` (int → timedelta).
    value = getattr(error, "_retry_after", None)
    if value is None:
        value = error.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


def is_paced(endpoint: str) -> bool:
    return endpoint.startswith(_PACED_PREFIXES) and endpoint not in _UNPACED


class SharedSlots(Protocol):
    """Slots shared with other instances (bot/instances/pace.py: a row in PostgreSQL)."""

    async def take(self, interval: float, count: int = 1) -> float: ...  # seconds until the first of count starts

    def pause(self, seconds: float) -> None: ...


class PacedRateLimiter(BaseRateLimiter[SendArgs]):
    def __init__(
        self,
        rate: float,
        *,
        max_retries: int = 3,
        headroom: float = 0.03,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.interval = (1.0 + headroom) / rate
        self.max_retries = max_retries
        self._clock = clock
        self._sleep = sleep
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._next_slot = float("-inf")
        self._paused_until = float("-inf")
        self._wakeup: asyncio.Event | None = None
        self._dispatcher: asyncio.Task[None] | None = None
        self._closed = False
        # Figures for logs and the benchmark.
        self.released = 0
        self.retry_afters = 0
        # Hook for several instances (bot/instances/pace.py): when set, each release also
        # waits for the platform's next slot in the whole cluster.
        self.shared: SharedSlots | None = None
        # Slots reserved in the cluster and not used yet (the next starting at _next_slot), and
        # when the last of them ends: after that they are someone else's time, and are dropped.
        self._banked = 0
        self._banked_until = float("-inf")
        self._batch = max(1, min(SHARED_BATCH_MAX, int(SHARED_BATCH_SECONDS / self.interval)))
        # Paced requests by outcome (ok, retry_after, forbidden, bad_request, error), for /metrics.
        self.outcomes: Counter[str] = Counter()

    # ------------------------------------------------------------------ lifecycle

    async def initialize(self) -> None:
        self._closed = False

    async def shutdown(self) -> None:
        self._closed = True
        if self._dispatcher is not None:
            self._dispatcher.cancel()
            try:
                await self._dispatcher
            except asyncio.CancelledError:
                pass
            self._dispatcher = None
        while self._queue:
            _, _, waiter = heapq.heappop(self._queue)
            if not waiter.done():
                waiter.set_exception(NetworkError("the bot is shutting down"))

    # ------------------------------------------------------------------ the contract

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: SendArgs | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        options = rate_limit_args if isinstance(rate_limit_args, SendArgs) else SendArgs()
        retries = self.max_retries if options.max_retries is None else options.max_retries
        paced = is_paced(endpoint)
        seq = next(self._seq)  # kept across retries: a retried request keeps its place
        attempt = 0
        while True:
            if paced:
                await self._slot(options.priority, seq)
            else:
                await self._until_unpaused()
            try:
                result = await callback(*args, **kwargs)
            except RetryAfter as error:
                delay = retry_after_seconds(error)
                self.retry_afters += 1
                if paced:
                    self.outcomes["retry_after"] += 1
                self.pause(delay)
                if attempt >= retries:
                    log.warning("%s still refused with 429 after %d retries", endpoint, retries)
                    raise
                attempt += 1
                log.info("429 on %s: every request waits %.1fs, then retry %d", endpoint, delay, attempt)
            except Exception as error:
                if paced:
                    kind = "forbidden" if isinstance(error, Forbidden) else "bad_request" if isinstance(error, BadRequest) else "error"
                    self.outcomes[kind] += 1
                raise
            else:
                if paced:
                    self.outcomes["ok"] += 1
                return result

    # ------------------------------------------------------------------ pacing

    def pause(self, seconds: float) -> None:
        """Nothing is sent on this platform for `seconds` from now (a 429's retry_after)."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        self._banked = 0  # slots reserved before the 429 are not to be used
        if self._wakeup is not None:
            self._wakeup.set()
        if self.shared is not None:
            self.shared.pause(seconds)

    @property
    def waiting(self) -> int:
        return sum(1 for _, _, waiter in self._queue if not waiter.done())

    async def _until_unpaused(self) -> None:
        while (remaining := self._paused_until - self._clock()) > 0:
            await self._sleep(remaining)

    async def _slot(self, priority: int, seq: int) -> None:
        if self._closed:
            raise NetworkError("the bot is shutting down")
        loop = asyncio.get_running_loop()
        if self._wakeup is None:
            self._wakeup = asyncio.Event()
        if self._dispatcher is None or self._dispatcher.done():
            self._dispatcher = loop.create_task(self._dispatch(), name="rate-limiter")
        waiter: asyncio.Future[None] = loop.create_future()
        heapq.heappush(self._queue, (priority, seq, waiter))
        self._wakeup.set()
        await waiter

    async def _dispatch(self) -> None:
        assert self._wakeup is not None
        while True:
            while self._queue and self._queue[0][2].done():  # the waiter gave up (cancelled)
                heapq.heappop(self._queue)
            if not self._queue:
                self._wakeup.clear()
                await self._wakeup.wait()
                continue
            now = self._clock()
            ready_at = max(self._next_slot, self._paused_until)
            if now < ready_at:
                await self._sleep(ready_at - now)
                continue
            if self.shared is not None and (self._banked <= 0 or now >= self._banked_until):
                # The cluster's next slots (other instances send too): as many as are waiting
                # here, up to SHARED_BATCH_SECONDS of sending, in one statement; then look at the
                # queue again: a more urgent waiter may have come, or a pause, meanwhile.
                count = max(1, min(self.waiting, self._batch))
                delay = await self.shared.take(self.interval, count)
                self._banked = count
                self._banked_until = now + max(delay, 0.0) + count * self.interval
                if delay > 0:
                    await self._sleep(delay)
                now = self._clock()
                while self._queue and self._queue[0][2].done():
                    heapq.heappop(self._queue)
                if not self._queue or now < self._paused_until:
                    continue
            if self.shared is not None:
                self._banked -= 1
            _, _, waiter = heapq.heappop(self._queue)
            waiter.set_result(None)
            self.released += 1
            # Keep the rhythm when the loop woke a little late, but never bank a burst.
            base = self._next_slot if now - self._next_slot < self.interval else now
            self._next_slot = max(base, self._paused_until) + self.interval
            await asyncio.sleep(0)  # let the released request start before the next one
