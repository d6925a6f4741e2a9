"""Long tasks that must run once in the whole cluster, not once per instance.

A broadcast batch has one sender at a time: its sender starts by handing back rows an
earlier sender left claimed (bot/sending/broadcast.run), which is only right if no other
sender is alive. In one process bot/sending/background.Background guarantees it by key; with
several instances the key is also taken as a PostgreSQL advisory lock (a task lock, see
coordination.py) for as long as the task runs. Another instance asked to start the same batch
(a sweep, the leader taking over) finds the lock taken and does nothing; when the sender's
process dies, its lock goes with it and the next sweep resumes the batch.

`stop_one` works across instances too: a cancel or a change of time handled on one instance
stops the call's sending wherever it runs before telling those it reached (broadcast.follow_up).
"""

from __future__ import annotations

import asyncio
import logging

from bot.instances.coordination import STOP_CHANNEL, Coordinator
from bot.sending.background import Background, Work
from bot.db.enums import BATCH_PURPOSES

log = logging.getLogger(__name__)

# The notice resender's key (bot/sending/delivery._resend_in_background): one in the cluster.
NOTICES = "notices"


def exclusive(key: str) -> bool:
    """Keys that run once in the cluster: broadcast batches (`purpose:ref_id`) and the resender."""
    return key == NOTICES or key.split(":", 1)[0] in BATCH_PURPOSES


class ClusterBackground(Background):
    def __init__(self, coordinator: Coordinator) -> None:
        super().__init__()
        self.coordinator = coordinator
        coordinator.listen(STOP_CHANNEL, self._stop_requested)

    def start(self, key: str, work: Work) -> bool:
        if not exclusive(key):
            return super().start(key, work)

        async def once_in_the_cluster(stop: asyncio.Event) -> None:
            if not await self.coordinator.try_lock(key):
                log.debug("%s runs on another instance", key)
                return
            try:
                await work(stop)
            finally:
                await self.coordinator.unlock(key)

        return super().start(key, once_in_the_cluster)

    async def stop_one(self, key: str, timeout: float = 10.0) -> None:
        if self.running(key) or not exclusive(key):
            await super().stop_one(key, timeout)
            return
        # Not here: ask whoever runs it, and wait until its lock is free.
        await self.coordinator.notify(STOP_CHANNEL, key)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if await self.coordinator.try_lock(key):
                await self.coordinator.unlock(key)
                return
            await asyncio.sleep(0.05)  # polling a lock held elsewhere; bounded by `timeout`
        log.warning("%s did not stop within %.0fs on the instance that runs it", key, timeout)

    def _stop_requested(self, key: str) -> None:
        if self.running(key):
            asyncio.get_running_loop().create_task(super().stop_one(key), name=f"stop {key}")
