"""Several real Kanoon instances in webhook mode on one PostgreSQL database, behind a
round-robin proxy, against the fake Bot API (which POSTs each update to the proxy)."""

from __future__ import annotations

import asyncio
import itertools

import aiohttp
from aiohttp import web

from bot.runner import Kanoon
from bot.settings import Settings
from tests.e2e.harness import Harness
from bot.emulator import FakeUser


class RoundRobinProxy:
    """The reverse proxy in front of the instances: each POST goes to the next instance in turn.

    `redeliver_next` sends the next update to *every* instance, as a platform does when its
    first delivery timed out and it tries again (and the retry lands elsewhere).
    """

    def __init__(self) -> None:
        self.targets: list[str] = []
        self.forwarded: list[tuple[int, int, int]] = []  # (update_id, target index, status)
        self.redeliver_next = 0
        self._turn = itertools.count()
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self.url = ""

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._forward)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))

    async def stop(self) -> None:
        if self._http is not None:
            await self._http.close()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _send(self, index: int, request: web.Request, body: bytes, update_id: int) -> int:
        assert self._http is not None
        headers = {k: v for k, v in request.headers.items() if k.lower().startswith("x-telegram")}
        headers["Content-Type"] = request.headers.get("Content-Type", "application/json")
        try:
            async with self._http.post(self.targets[index] + request.path, data=body, headers=headers) as response:
                status = response.status
        except aiohttp.ClientError:
            status = 502
        self.forwarded.append((update_id, index, status))
        return status

    async def _forward(self, request: web.Request) -> web.Response:
        if not self.targets:
            return web.Response(status=502)
        body = await request.read()
        update_id = int((await request.json()).get("update_id", -1)) if body else -1
        if self.redeliver_next:
            self.redeliver_next -= 1
            statuses = await asyncio.gather(*(self._send(i, request, body, update_id) for i in range(len(self.targets))))
            return web.Response(status=min(statuses))
        index = next(self._turn) % len(self.targets)
        return web.Response(status=await self._send(index, request, body, update_id))


class ClusterHarness(Harness):
    """`nodes` instances sharing the database, the fake APIs and the clock; `kanoon` is the first."""

    def __init__(self, database_url: str, apis: dict, count: int = 2, **settings: object) -> None:  # noqa: ANN401
        super().__init__(database_url, apis, **settings)
        self.count = count
        self.proxy = RoundRobinProxy()
        self.nodes: list[Kanoon] = []

    def settings(self) -> Settings:
        base = super().settings()
        return base.model_copy(update={
            "webhook_url": self.proxy.url, "http_host": "127.0.0.1", "http_port": 0,
            "leader_check_seconds": 0.2,
        })

    async def start(self) -> None:
        if not self.proxy.url:
            await self.proxy.start()
        while len(self.nodes) < self.count:
            await self.start_node()
        self.kanoon = self.nodes[0]

    async def start_node(self) -> Kanoon:
        node = Kanoon(self.settings())
        node.deps.clock = self.clock
        await node.start()
        assert node.instances.web is not None and node.instances.web.port
        assert node.instances.worker is not None
        node.instances.worker.look_every = 0.05  # rows another instance finished are seen at once
        self.nodes.append(node)
        self.proxy.targets.append(f"http://127.0.0.1:{node.instances.web.port}")
        return node

    async def stop_node(self, node: Kanoon) -> None:
        index = self.nodes.index(node)
        self.proxy.targets.pop(index)
        self.nodes.pop(index)
        await node.stop()
        if self.kanoon is node:
            self.kanoon = self.nodes[0] if self.nodes else None

    async def stop(self) -> None:
        for node in list(self.nodes):
            await self.stop_node(node)
        self.kanoon = None
        await self.proxy.stop()

    async def settle(self) -> None:
        for api in self.apis.values():
            await api.wait_delivered()
        for node in self.nodes:
            await node.instances.settled()

    def processed(self, node: Kanoon) -> int:
        metrics = node.instances.metrics
        return int(sum(metrics.counters["kanoon_updates_processed_total"].values()))

    def alternate(self, fake: FakeUser) -> None:
        """From now on each update `fake` sends is handled by the next instance in turn (the
        others claim nothing meanwhile), whichever instance the proxy gave it to."""
        turn = itertools.cycle(self.nodes)

        def next_instance() -> None:
            chosen = next(turn)
            for node in self.nodes:
                assert node.instances.worker is not None
                node.instances.worker.claiming = node is chosen
                node.instances.worker.wake()

        send_message = fake._send_message

        def _send_message(**content: object) -> dict:
            next_instance()
            return send_message(**content)

        fake._send_message = _send_message  # type: ignore[method-assign]
        for name in ("tap", "forge_tap"):  # the two ways a callback query is pushed
            original = getattr(fake, name)

            async def pushed(*args: object, _original=original, **kwargs: object) -> object:  # noqa: ANN001
                next_instance()
                return await _original(*args, **kwargs)

            setattr(fake, name, pushed)

    def leaders(self) -> list[Kanoon]:
        return [node for node in self.nodes if node.instances.leading]
