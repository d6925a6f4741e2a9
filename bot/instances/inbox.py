"""The one processing path: every update goes through the inbox table (docs/instances.md).

`Intake.store` writes what a webhook or getUpdates brought and returns at once (the update is
acknowledged to the platform only after this commit). `Worker` claims open rows — a user's
strictly one at a time and in order, whichever instance takes them — reads the user's
conversation state from the database, lets the platform's Application handle the update, and
writes the state back in the same transaction that marks the row done. A row whose instance
died is claimed again: at once when the leader sees the instance gone, or when its lease runs out.

Per update the worker's own trips are shared by every row claimed together: one claim, one read
of the claimed users' states, and one done mark for every row handled since the last look that
changed no state (it goes with the next claim). Only a step that changed state costs a
transaction of its own: the new state and that row's done mark, committed together.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
import logging
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update

from bot.actions import users
from bot.actions.users import Identified
from bot.db.engine import SessionFactory, autocommit
from bot.ptb.context import KanoonApp
from bot.db.repo import inbox as repo
from bot.db.repo.inbox import Claimed, Received
from bot.instances.coordination import INBOX_CHANNEL, Coordinator
from bot.instances.metrics import Metrics
from bot.instances.state import Changes, Loaded, UserStates, as_json, from_look, read, user_key, write
from bot.persian.text import utcnow
from bot.platforms import Platform

log = logging.getLogger(__name__)

# What the bot asks the platforms for (getUpdates and setWebhook).
ALLOWED_UPDATES = ["message", "callback_query"]
# A row whose handling failed (not the handler: the database, say) is tried this many times.
MAX_ATTEMPTS = 5
# How long handled rows are kept: a redelivery of the same update within this is recognised.
KEEP_DONE = timedelta(days=2)

Clock = Callable[[], datetime]


class Unhandleable(Exception):
    """An update no attempt can handle: not an update PTB reads, or a platform not served here."""


@dataclass
class Prepared:
    """A claimed row made ready right after the claim: its update and its user's rows, or why
    no attempt can handle it."""

    update: Update | None = None
    loaded: Loaded | None = None
    error: Unhandleable | None = None
    sender: Identified | None = None  # who wrote it, read ahead (None: identify reads it)


class Intake:
    """Stores received updates; shared by the webhook server and the pollers."""

    def __init__(self, sessions: SessionFactory, coordinator: Coordinator, metrics: Metrics,
                 on_stored: Callable[[], None], clock: Clock = utcnow) -> None:
        self.sessions = sessions
        self.coordinator = coordinator
        self.metrics = metrics
        self.on_stored = on_stored
        self.clock = clock

    async def store(self, platform: Platform, payloads: Sequence[dict[str, Any]]) -> int:
        """Write these updates (raw JSON objects) to the inbox; returns how many were new."""
        rows = [Received(int(p["update_id"]), user_key(p), as_json(p)) for p in payloads]
        # The other instances' workers are woken by a NOTIFY in the same statement (signed with
        # our name: our own comes back through LISTEN and is ignored, on_stored woke us already).
        notify = (INBOX_CHANNEL, self.coordinator.instance) if self.coordinator.distributed else None
        async with autocommit(self.sessions) as session:  # one statement: stored, and committed
            new = await repo.store(session, platform.value, rows, self.clock(), notify=notify)
        if new:
            self.metrics.count("kanoon_updates_received_total", new, platform=platform.value)
            self.on_stored()
        if len(rows) > new:
            self.metrics.count("kanoon_updates_redelivered_total", len(rows) - new, platform=platform.value)
        return new


class Worker:
    """Claims inbox rows and handles them, up to `slots` at once (different users)."""

    def __init__(
        self, *, sessions: SessionFactory, instance: str, applications: dict[Platform, KanoonApp],
        metrics: Metrics, slots: int = 64, lease: timedelta = timedelta(seconds=60),
        look_every: float = 2.0, clock: Clock = utcnow,
    ) -> None:
        self.sessions = sessions
        self.instance = instance
        self.applications = applications
        self.states = {platform: UserStates(app, platform.value) for platform, app in applications.items()}
        # The persistent conversations' names: a look on PostgreSQL reads their states with the claim.
        self._conversations = sorted({name for states in self.states.values() for name in states.conversations})
        self.metrics = metrics
        self.slots = slots
        self.lease = lease
        self.look_every = look_every  # also finds rows whose lease ran out, and missed wake-ups
        self.clock = clock
        self.in_flight: dict[int, Claimed] = {}
        self._prepared: dict[int, Prepared] = {}  # claimed rows' updates and states, read with the claim
        # Handled rows, with the state each changed (None: none): still in flight until their done
        # mark, which goes with the next look (one statement for all of them; with their new
        # states, in one transaction, when some changed).
        self._finished: list[tuple[Claimed, Changes | None]] = []
        self._asked = 0  # how many rows the last look asked for
        # False: claim nothing new (tests and the benchmark choose which instance handles what).
        self.claiming = True
        # Wakes the other instances (a NOTIFY; none on SQLite): see claim().
        self.on_freed: Callable[[], Awaitable[None]] | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._wake = asyncio.Event()
        self._changed = asyncio.Event()  # something was claimed or finished (for settled())
        self._stop = asyncio.Event()  # set by stop(); also ends the lease renewal's wait
        self._loop_task: asyncio.Task[None] | None = None
        self._renew_task: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def _stopping(self) -> bool:
        return self._stop.is_set()

    @property
    def _may_claim(self) -> bool:
        return self.claiming and not self._stopping

    def start(self) -> None:
        self._loop_task = asyncio.get_running_loop().create_task(self._run(), name="inbox-worker")
        self._renew_task = asyncio.get_running_loop().create_task(self._renew(), name="inbox-leases")

    def wake(self, sender: str = "") -> None:
        """Look now. `sender`: the instance that stored rows and sent the NOTIFY (Intake.store);
        our own comes back to us through LISTEN after on_stored woke us, and is ignored."""
        if sender != self.instance:
            self._wake.set()

    async def stop(self, timeout: float = 10.0) -> None:
        """Claim nothing more; let updates in hand finish (up to `timeout`), hand back the rest."""
        self._stop.set()
        self._wake.set()
        # The look in progress and the lease renewal end by themselves (they watch _stopping):
        # cancelled in the middle of a statement, an UPDATE … RETURNING could be left unfinished on
        # its connection, and on SQLite that holds the write lock (the done marks below, and the
        # next start's hand-back, then wait 10 s and fail). Cancelled only if they overrun.
        for task in (self._loop_task, self._renew_task):
            if task is not None:
                await _end(task, timeout)
        if self._tasks:
            _, late = await asyncio.wait(set(self._tasks), timeout=timeout)
            for task in late:
                task.cancel()
            if late:
                await asyncio.wait(late)
        if self._finished:  # handled: marked done, not handed back
            try:
                await self.claim(0)
            except Exception:
                log.warning("could not mark %d handled update(s) done; they will be handled again",
                            len(self._finished), exc_info=True)
        try:
            async with self.sessions() as session:
                released = await repo.release(session, instance=self.instance)
                await session.commit()
            if released:
                log.info("%d update(s) handed back to the inbox for another instance", released)
        except Exception:
            log.warning("could not hand back claimed updates; their lease will run out", exc_info=True)

    async def settled(self, timeout: float = 10.0) -> None:
        """Wait until the inbox has no open row (any instance's) and this worker holds none."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            self._changed.clear()
            if not self.in_flight:
                async with self.sessions() as session:
                    if await repo.open_count(session) == 0:
                        return
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"the inbox still has open updates after {timeout}s (in hand: {len(self.in_flight)})")
            try:  # woken by our own progress; another instance's shows at the next look
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))
            except TimeoutError:
                pass

    # ------------------------------------------------------------------ claiming

    async def _run(self) -> None:
        failures = 0
        while not self._stopping:
            self._wake.clear()
            try:
                claimed = await self.claim()
                failures = 0
            except Exception:
                failures += 1
                log.warning("claiming from the inbox failed (%d in a row)", failures, exc_info=failures == 1)
                await self._pause(min(2.0 ** failures, 30.0))
                continue
            if claimed and not self._may_claim:
                await self._hand_back(claimed)  # told to stop claiming while this look ran
                continue
            for row in claimed:
                self._spawn(row)
            if claimed and len(claimed) == self._asked and self.claiming:
                continue  # maybe more: look again at once (the slots still bound us)
            await self._pause(self.look_every)

    async def _hand_back(self, claimed: list[Claimed]) -> None:
        """Rows claimed by a look that began before this instance was told to claim nothing
        (stop(), a test choosing the instance): pending again, for whoever claims next."""
        for row in claimed:
            self._prepared.pop(row.id, None)
        try:
            async with self.sessions() as session:
                await repo.release(session, instance=self.instance, ids=[row.id for row in claimed])
                await session.commit()
            if self.on_freed is not None:
                await self.on_freed()
        except Exception:  # their lease runs out
            log.warning("could not hand back %d update(s)", len(claimed), exc_info=True)

    async def _pause(self, seconds: float) -> None:
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except TimeoutError:
            pass

    async def claim(self, limit: int | None = None) -> list[Claimed]:
        """One look: mark done the rows handled since the last one, claim up to `limit` rows (by
        default as many as there are free slots) and read their users' states — on PostgreSQL
        one statement for all three, on SQLite three; each atomic alone, whatever the number
        of rows. Rows whose state changed are marked before, with their states."""
        by_slots = limit is None
        if limit is None:
            limit = self.slots - len(self.in_flight) + len(self._finished) if self._may_claim else 0
        self._asked = limit
        if limit <= 0 and not self._finished:
            return []
        now = self.clock()
        finished, self._finished = self._finished, []
        marking = bool(finished)
        try:
            if any(changes for _, changes in finished):
                await self._write_states(finished, now)
                finished = []
            async with autocommit(self.sessions) as session:
                # Told to stop claiming meanwhile (stop(), a test choosing the instance)? Checked
                # once the connection is in hand (a ping may have taken a while), just before.
                if by_slots and not self._may_claim:
                    limit = 0
                look = await repo.look(session, [r for r, _ in finished], self.instance, now, now + self.lease,
                                       limit, self._conversations)
                self._marked(finished, look.done)
                finished = []
                if look.claimed:
                    await self._prepare(session, look)
            if limit <= 0 and marking and self.on_freed is not None:
                # What this look marked done may free a user's next update, stored on another
                # instance whose look found it waiting; this one claims nothing: wake the others.
                try:
                    await self.on_freed()
                except Exception:  # they also look every few seconds
                    log.debug("inbox wake-up after done marks not sent", exc_info=True)
            return look.claimed
        finally:
            self._finished[:0] = finished  # not marked yet: at the next look

    async def _write_states(self, finished: list[tuple[Claimed, Changes | None]], now: datetime) -> None:
        """The new states and every row's done mark, in one transaction (a row taken over
        meanwhile gets neither); if that fails, row by row as the failures of their updates."""
        try:
            async with self.sessions() as session:
                done = await repo.finish_many(session, [row for row, _ in finished], self.instance, now)
                await write(session, [changes for row, changes in finished if changes and row.id in done])
                await session.commit()
        except Exception:
            log.warning("writing %d updates' states together failed; one by one", len(finished), exc_info=True)
            for row, changes in finished:
                await self._write_one(row, changes, now)
            return
        self._marked(finished, done)

    async def _write_one(self, row: Claimed, changes: Changes | None, now: datetime) -> None:
        try:
            async with self.sessions() as session:  # the new state and the done mark land together
                if changes:
                    await changes.write(session)
                if not await repo.finish(session, row, self.instance, now):
                    await session.rollback()
                    self._taken_over(row)
                    return
                await session.commit()
        except Exception as exc:
            await self._failed(row, exc)
        finally:
            self.in_flight.pop(row.id, None)
            self._changed.set()

    def _marked(self, rows: list[tuple[Claimed, Changes | None]], done: set[int]) -> None:
        for row, _ in rows:
            self.in_flight.pop(row.id, None)
            if row.id not in done:
                self._taken_over(row)
        self._changed.set()

    def _parse(self, row: Claimed) -> tuple[KanoonApp, Update]:
        application = self.applications.get(Platform(row.platform))
        if application is None:
            raise Unhandleable(f"{row.platform} is not served by this instance")
        try:
            return application, Update.de_json(json.loads(row.payload), application.bot)
        except Exception as exc:
            raise Unhandleable(f"not an update: {exc}") from exc

    async def _prepare(self, session: AsyncSession, look: repo.Look) -> None:
        """Parse the claimed updates and fill in their users' rows: from the look when it read
        them (PostgreSQL; right for a user in their private chat), else in one statement."""
        prepared: dict[int, Prepared] = {}
        wanted: list[tuple[UserStates, Loaded]] = []
        for row in look.claimed:
            try:
                _, update = self._parse(row)
            except Unhandleable as exc:
                self._prepared[row.id] = Prepared(error=exc)
                continue
            states = self.states[Platform(row.platform)]
            loaded = states.wanted(update)
            prepared[row.id] = Prepared(update, loaded)
            if not (look.read and from_look(loaded, row.user_key, look.states.get(row.id, {}),
                                            look.user_data.get(row.id))):
                wanted.append((states, loaded))
        try:
            if wanted:
                await read(session, wanted)
        except Exception:  # the rows are claimed: each reads its own when handled
            log.warning("reading the claimed users' states failed; read one by one", exc_info=True)
            return
        try:
            await self._read_senders(session, prepared.values())
        except Exception:  # identify reads each sender itself
            log.warning("reading the claimed updates' senders failed; read one by one", exc_info=True)
        self._prepared.update(prepared)

    @staticmethod
    async def _read_senders(session: AsyncSession, prepared: Iterable[Prepared]) -> None:
        """Who sent each update, for all of them in one read per platform: the first thing
        every handler asks (bot/actions/users.py identify)."""
        by_platform: dict[str, dict[int, list[Prepared]]] = {}
        for item in prepared:
            if item.loaded is not None and item.loaded.user_id is not None:
                by_platform.setdefault(item.loaded.platform, {}).setdefault(item.loaded.user_id, []).append(item)
        for platform, waiting in by_platform.items():
            for user_id, sender in (await users.read_ahead(session, platform, list(waiting))).items():
                for item in waiting[user_id]:
                    item.sender = sender

    def _spawn(self, row: Claimed) -> None:
        self.in_flight[row.id] = row
        self._changed.set()
        task = asyncio.get_running_loop().create_task(self.handle(row), name=f"update-{row.platform}-{row.update_id}")
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _renew(self) -> None:
        while not self._stopping:
            try:  # woken at once by stop()
                await asyncio.wait_for(self._stop.wait(), self.lease.total_seconds() / 3)
            except TimeoutError:
                pass
            if self._stopping or not self.in_flight:
                continue
            try:
                async with self.sessions() as session:
                    await repo.renew(session, list(self.in_flight), self.instance, self.clock() + self.lease)
                    await session.commit()
            except Exception:
                log.warning("renewing inbox leases failed", exc_info=True)

    # ------------------------------------------------------------------ handling one row

    async def handle(self, row: Claimed) -> None:
        started = time.monotonic()
        platform = Platform(row.platform)
        handled = False
        try:
            changes = await self._handle(platform, row, self._prepared.pop(row.id, None))
            handled = True
        except Exception as exc:
            await self._failed(row, exc)
        else:
            self._finished.append((row, changes or None))
            self.metrics.count("kanoon_updates_processed_total", platform=platform.value)
            self.metrics.observe("kanoon_update_processing_seconds", time.monotonic() - started, platform=platform.value)
        finally:
            if not handled:
                self.in_flight.pop(row.id, None)
            self._changed.set()
            self._wake.set()  # the done mark goes now, and the user's next update may be claimed

    async def _handle(self, platform: Platform, row: Claimed, prepared: Prepared | None) -> Changes:
        """Handle the row; what it changed is written, with its done mark, by the next look."""
        states = self.states[platform]
        if prepared is None:  # not read with the claim: read now
            application, update = self._parse(row)
            async with autocommit(self.sessions) as session:  # the user's state: one read
                loaded = await states.load(session, update)
        elif prepared.error is not None:
            raise prepared.error
        else:
            assert prepared.update is not None and prepared.loaded is not None
            application, update, loaded = self.applications[platform], prepared.update, prepared.loaded
            states.install(loaded)
        if prepared is not None and prepared.sender is not None:
            users.READ_AHEAD.set(prepared.sender)  # this task's own context: this update only
        try:
            # Handler errors do not come out of here: PTB hands them to the error handlers
            # (the user gets an apology), and the update counts as handled.
            await application.process_update(update)
        except BaseException:
            states.forget(loaded)
            raise
        # The done mark (and the new state, if any: they land together) is made by the next look,
        # for every row handled meanwhile at once. Exactly once is unchanged: the work the update
        # caused committed in its own unit of work already, and a crash before the mark replays
        # the update from the state it started from, as a crash between the two always could
        # (docs/instances.md).
        return states.changes(loaded)

    @staticmethod
    def _taken_over(row: Claimed) -> None:
        log.warning("update %s/%s was taken over by another instance while handled here; "
                    "its state is left as the other instance writes it", row.platform, row.update_id)

    async def _failed(self, row: Claimed, exc: Exception) -> None:
        reason = f"{type(exc).__name__}: {exc}"
        give_up = row.attempts >= MAX_ATTEMPTS or isinstance(exc, Unhandleable)
        log.error("update %s/%s %s: %s", row.platform, row.update_id,
                  "given up" if give_up else f"will be tried again (attempt {row.attempts})", reason,
                  exc_info=exc)
        try:
            async with self.sessions() as session:
                if give_up:
                    await repo.finish(session, row, self.instance, self.clock(), failed=reason)
                    self.metrics.count("kanoon_updates_failed_total", platform=row.platform)
                else:
                    backoff = timedelta(seconds=min(5 * row.attempts, 60))
                    await repo.retry_at(session, row, self.instance, self.clock() + backoff, reason)
                await session.commit()
        except Exception:
            log.warning("could not record the failure of update %s; its lease will run out", row.update_id)


async def prune(sessions: SessionFactory, now: datetime) -> int:
    async with sessions() as session:
        gone = await repo.prune(session, now - KEEP_DONE)
        await session.commit()
    return gone


async def _end(task: asyncio.Task[None], timeout: float) -> None:
    """Wait for `task` to end by itself; cancel it if it takes longer than `timeout`."""
    done, _ = await asyncio.wait({task}, timeout=timeout)
    if not done:
        task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass
