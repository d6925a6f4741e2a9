"""Several real Kanoon instances in webhook mode on one PostgreSQL database, behind a
round-robin proxy, against the fake Bot API (which POSTs each update to the proxy)."""

from __future__ import annotations

import asyncio
import itertools
import re
import signal
import sys
from pathlib import Path

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
        await node.caught_up()
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


# --- instances as real processes (`python main.py`), for kill -9 -----------------------------

ROOT = Path(__file__).resolve().parents[2]
_PORT_RE = re.compile(rb"HTTP server on [\d.]+:(\d+)")
_NAME_RE = re.compile(rb"instance (k[0-9a-f]{8}) up")


class Node:
    """One `python main.py` process; its stderr is read as it comes (so the pipe never fills)."""

    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env = env
        self.cwd = cwd
        self.process: asyncio.subprocess.Process | None = None
        self.lines: list[bytes] = []
        self.port: int | None = None
        self.name: str | None = None
        self._reader: asyncio.Task[None] | None = None
        self._seen = asyncio.Event()

    async def start(self, timeout: float = 60) -> None:
        self.process = await asyncio.create_subprocess_exec(
            sys.executable, str(ROOT / "main.py"), cwd=self.cwd, env=self.env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
        )
        self._reader = asyncio.get_running_loop().create_task(self._read())
        await self.wait_for(b"Kanoon is running", timeout)
        self.port = int(self._find(_PORT_RE))
        self.name = self._find(_NAME_RE).decode()

    def _find(self, pattern: re.Pattern[bytes]) -> bytes:
        for line in self.lines:
            if match := pattern.search(line):
                return match.group(1)
        raise AssertionError(f"no {pattern.pattern!r} in the log:\n{self.log()}")

    async def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        while line := await self.process.stderr.readline():
            self.lines.append(line)
            self._seen.set()

    async def wait_for(self, needle: bytes, timeout: float = 30) -> None:
        async with asyncio.timeout(timeout):
            while not any(needle in line for line in self.lines):
                if self.process is not None and self.process.returncode is not None:
                    raise AssertionError(f"the process ended before {needle!r}:\n{self.log()}")
                self._seen.clear()
                await self._seen.wait()

    def log(self) -> str:
        return b"".join(self.lines[-80:]).decode(errors="replace")

    async def kill(self) -> None:
        """kill -9: no goodbye, no cleanup; the kernel closes its sockets."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()
        if self._reader is not None:
            await self._reader

    async def stop(self) -> None:
        if self.process is None or self.process.returncode is not None:
            return
        self.process.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.process.wait(), 30)
        except TimeoutError:
            self.process.kill()
            await self.process.wait()
        if self._reader is not None:
            await self._reader
