"""Long work started by an update or a job that must not hold up the update (broadcasts).

Each task has a key (one broadcast per key at a time) and a stop event it honours between
steps. Stopping the bot sets every stop event and waits a little for in-flight sends to
finish, so their rows are marked before the process ends; whatever was not sent stays
pending in the database and the next start resumes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine
from typing import Any

log = logging.getLogger(__name__)

Work = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


class Background:
    def __init__(self) -> None:
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._stops: dict[str, asyncio.Event] = {}
        self.stopping = asyncio.Event()  # set once the bot has begun to stop
        self._locks: dict[str, asyncio.Lock] = {}
        # Keys whose work has something new to do; the work loops until its key is clean
        # (see broadcast.report_soon), so a request made while it runs is never dropped.
        self.dirty: set[str] = set()

    def start(self, key: str, work: Work) -> bool:
        """Run `work(stop_event)` unless a task with this key is already running."""
        if self.stopping.is_set() or self.running(key):
            return False
        stop = asyncio.Event()
        task = asyncio.get_running_loop().create_task(self._guard(key, work, stop), name=key)
        self._tasks[key], self._stops[key] = task, stop
        return True

    def lock(self, key: str) -> asyncio.Lock:
        """A lock per key, for work that must not overlap (e.g. edits of one report)."""
        return self._locks.setdefault(key, asyncio.Lock())

    def running(self, key: str) -> bool:
        task = self._tasks.get(key)
        return task is not None and not task.done()

    async def _guard(self, key: str, work: Work, stop: asyncio.Event) -> None:
        try:
            await work(stop)
        except asyncio.CancelledError:
            log.info("background task %s cancelled", key)
            raise
        except Exception:  # the rows stay as they are; the next start (or sweep) resumes them
            log.exception("background task %s failed", key)
        finally:
            if self._tasks.get(key) is asyncio.current_task():
                del self._tasks[key], self._stops[key]

    async def stop_one(self, key: str, timeout: float = 10.0) -> None:
        """Ask one task to stop after its current step, and wait for it."""
        task, stop = self._tasks.get(key), self._stops.get(key)
        if task is None or stop is None:
            return
        stop.set()
        await self._wait([task], timeout)

    async def join(self, key: str | None = None, timeout: float | None = None) -> None:
        """Wait until the task (or every task) has finished; tests use it."""
        async with asyncio.timeout(timeout):
            while True:
                tasks = [t for k, t in self._tasks.items() if key is None or k == key]
                if not tasks:
                    return
                await asyncio.wait(tasks)

    async def stop(self, timeout: float = 10.0) -> None:
        self.stopping.set()
        for stop in self._stops.values():
            stop.set()
        await self._wait(list(self._tasks.values()), timeout)

    @staticmethod
    async def _wait(tasks: list[asyncio.Task[None]], timeout: float) -> None:
        if not tasks:
            return
        _, late = await asyncio.wait(tasks, timeout=timeout)
        for task in late:  # stuck (e.g. a long flood-wait): its unsent rows stay pending
            task.cancel()
        for task in late:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
