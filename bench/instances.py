"""Benchmark: the inbox's cost per update, and one vs two instances on one PostgreSQL (not a test).

    .venv/bin/python bench/instances.py overhead                      # SQLite, in one process
    .venv/bin/python bench/instances.py overhead --database-url postgresql+asyncpg://…/db
    .venv/bin/python bench/instances.py scale --database-url postgresql+asyncpg://…/db

overhead: one instance, the same users and messages handled two ways — `direct`, the runner as
it was before the inbox (PTB's updater polls, PTB's update processor runs users concurrently
and in order, persistence written behind after each update: main at c1a967e, rebuilt below as
DirectKanoon), and `inbox`, today's path (stored, claimed, state read and written per update).
Two figures: throughput with many users at once (updates/s), and the round trip of one user
sending one message after another (ms per update, the inbox's added latency). Ratio = inbox
time per update / direct time per update; the issue's target is ≤ 1.3.

scale: `python main.py` processes in webhook mode behind a round-robin proxy (as in
deploy/compose.yaml), the fake Bot API posting the updates; many users send at once; updates/s
with one instance and with two. On a 2-core machine the instances, PostgreSQL, the fake API and
this script share the CPUs, so expect the ratio to show contention rather than scaling.

The database given is wiped (every table emptied). Results are printed and appended to
bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from bench.broadcast import machine  # noqa: E402
from bot.db import migrate  # noqa: E402
from bot.db.engine import create_engine  # noqa: E402
from bot.emulator import FakeBotApi, FakeUser  # noqa: E402
from bot.platforms import Messenger, Platform  # noqa: E402
from bot.runner import AT_START, PERIODIC, Kanoon  # noqa: E402
from bot.settings import Settings  # noqa: E402

TOKEN = "111111:bench-telegram-token"
FIRST_USER = 60_000_000
MESSAGES = ("/start", "/help")


class DirectKanoon(Kanoon):
    """The runner before the inbox: updates go straight from PTB's updater to the handlers."""

    async def start(self, poll_interval: float = 0.0) -> None:
        from bot.app import build_application

        await migrate.upgrade_or_explain(self.engine)
        for platform in self.settings.platforms:
            application = build_application(platform, self.deps)
            application.persistence.per_update = False  # PTB's load-at-start and write-behind
            await application.initialize()
            self.applications[platform] = application
            self.deps.messengers[platform] = Messenger(platform, application.bot)
            self.deps.bot_usernames[platform] = application.bot.username
        for application in self.applications.values():
            await application.start()
            await application.updater.start_polling(
                poll_interval=0, timeout=30, drop_pending_updates=False, allowed_updates=["message", "callback_query"],
            )
        await self.scheduler.start(PERIODIC, AT_START)
        await self.scheduler.caught_up()

    async def stop(self) -> None:
        await self.deps.background.stop()
        await self.scheduler.finish_start()
        self.scheduler.stop()
        for application in self.applications.values():
            if application.updater and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
            await application.shutdown()
        self.applications.clear()
        await self.engine.dispose()


async def wipe(url: str) -> None:
    if url.startswith("sqlite"):  # a new file: the inbox would drop the fake API's update ids, from 1 again, as repeats
        database = Path(url.split(":///", 1)[1])
        for leftover in (database, database.with_name(database.name + "-wal"), database.with_name(database.name + "-shm")):
            leftover.unlink(missing_ok=True)
    engine = create_engine(url)
    await migrate.upgrade(engine)
    if engine.dialect.name == "postgresql":
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        async with engine.begin() as connection:
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


async def converse(user: FakeUser, count: int) -> list[float]:
    """`count` messages one after another, each once the previous was answered; round trips."""
    trips = []
    for n in range(count):
        before = len(user.messages)
        started = time.monotonic()
        await user.send(MESSAGES[n % len(MESSAGES)])
        await user.api._signal.wait_until(lambda: len(user.messages) > before, 60)
        trips.append(time.monotonic() - started)
    return trips


async def server_cpu(url: str) -> dict[int, float]:
    """CPU seconds so far of each PostgreSQL backend connected to the bench's database, by pid
    (from /proc: the server runs on this machine); {} on SQLite."""
    if not url.startswith("postgresql"):
        return {}
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            pids = (await connection.execute(text(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            ))).scalars().all()
    finally:
        await engine.dispose()
    ticks = os.sysconf("SC_CLK_TCK")
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return seconds


async def overhead_once(url: str, mode: str, users: int, per_user: int, sequential: int) -> dict[str, float]:
    await wipe(url)
    api = FakeBotApi("telegram", bot_username="kanoon_bench_bot")
    await api.start()
    settings = Settings(_env_file=None, telegram_token=TOKEN, telegram_api_url=api.base_url, database_url=url,
                        send_rate=1000.0, log_level="WARNING")
    kanoon = (DirectKanoon if mode == "direct" else Kanoon)(settings)
    await kanoon.start()
    await kanoon.caught_up()  # the start-up jobs, before anything is measured
    try:
        fakes = [api.user(FIRST_USER + n, f"کاربر{n}") for n in range(users)]
        await asyncio.gather(*(converse(user, 1) for user in fakes))  # warm up: every user known
        server_before = await server_cpu(url)
        started, cpu_before = time.monotonic(), time.process_time()
        await asyncio.gather(*(converse(user, per_user) for user in fakes))
        burst, cpu = time.monotonic() - started, time.process_time() - cpu_before
        server_after = await server_cpu(url)
        trips = await converse(fakes[0], sequential)
    finally:
        await kanoon.stop()
        await api.stop()
    updates = users * per_user
    server = sum(after - server_before.get(pid, 0.0) for pid, after in server_after.items())
    # CPU per update: this process (bot, fake Bot API and fake users: the same for both modes)
    # and the database's backends; steadier than wall time on a shared machine.
    return {"per_s": updates / burst, "per_update_ms": burst / updates * 1000,
            "trip_ms": statistics.median(trips) * 1000,
            "cpu_ms": cpu / updates * 1000, "server_cpu_ms": server / updates * 1000}


async def overhead(url: str, users: int, per_user: int, sequential: int, rounds: int) -> str:
    results: dict[str, list[dict[str, float]]] = {"direct": [], "inbox": []}
    for _ in range(rounds):  # interleaved, so a change in the machine's load hits both
        for mode in ("direct", "inbox"):
            results[mode].append(await overhead_once(url, mode, users, per_user, sequential))
            print(mode, results[mode][-1], flush=True)

    def best(mode: str, key: str, low: bool) -> float:
        values = [r[key] for r in results[mode]]
        return min(values) if low else max(values)

    direct_ms, inbox_ms = best("direct", "per_update_ms", True), best("inbox", "per_update_ms", True)
    direct_trip, inbox_trip = best("direct", "trip_ms", True), best("inbox", "trip_ms", True)
    backend = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    ratio = inbox_ms / direct_ms
    direct_cpu, inbox_cpu = best("direct", "cpu_ms", True), best("inbox", "cpu_ms", True)
    direct_server, inbox_server = best("direct", "server_cpu_ms", True), best("inbox", "server_cpu_ms", True)
    server = (f"; the database's backends: direct {direct_server:.1f} ms, inbox {inbox_server:.1f} ms"
              if url.startswith("postgresql") else "")
    return "\n".join([
        f"- {backend}; {users} users × {per_user} messages at once (/start and /help in turn), best of {rounds} "
        f"interleaved rounds; then one user, {sequential} messages one after another",
        f"- many users: direct {1000 / direct_ms:.0f} updates/s ({direct_ms:.1f} ms each), inbox "
        f"{1000 / inbox_ms:.0f} updates/s ({inbox_ms:.1f} ms each): **{ratio:.2f}× per update** "
        f"{'✓' if ratio <= 1.3 else '✗'} (target ≤ 1.3×)",
        f"- one user, round trip (send → answer; median): direct {direct_trip:.1f} ms, inbox {inbox_trip:.1f} ms "
        f"({inbox_trip / direct_trip:.2f}×)",
        f"- CPU per update (many users; best round): this process (bot, fake API, fake users) direct "
        f"{direct_cpu:.1f} ms, inbox {inbox_cpu:.1f} ms ({inbox_cpu / direct_cpu:.2f}×){server}",
    ])


async def scale_once(url: str, instances: int, users: int, per_user: int, workdir: Path) -> float:
    from tests.e2e.cluster import Node, RoundRobinProxy

    await wipe(url)
    api = FakeBotApi("telegram", bot_username="kanoon_bench_bot")
    await api.start()
    proxy = RoundRobinProxy()
    await proxy.start()
    nodes = []
    try:
        for _ in range(instances):
            env = {k: v for k, v in os.environ.items() if not k.endswith(("_TOKEN", "_API_URL")) and k != "DATABASE_URL"}
            env.update(TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=api.base_url, DATABASE_URL=url, WEBHOOK_URL=proxy.url,
                       HTTP_HOST="127.0.0.1", HTTP_PORT="0", SEND_RATE="1000", LOG_LEVEL="WARNING",
                       LEADER_CHECK_SECONDS="1")
            env["LOG_LEVEL"] = "INFO"  # the start-up lines carry the port
            node = Node(env, workdir)
            await node.start()
            nodes.append(node)
            proxy.targets.append(f"http://127.0.0.1:{node.port}")
        fakes = [api.user(FIRST_USER + n, f"کاربر{n}") for n in range(users)]
        await asyncio.gather(*(converse(user, 1) for user in fakes))
        started = time.monotonic()
        await asyncio.gather(*(converse(user, per_user) for user in fakes))
        return users * per_user / (time.monotonic() - started)
    finally:
        for node in nodes:
            await node.stop()
        await proxy.stop()
        await api.stop()


async def scale(url: str, users: int, per_user: int, rounds: int) -> str:
    workdir = Path(tempfile.mkdtemp(prefix="kanoon-bench-"))
    rates: dict[int, list[float]] = {1: [], 2: []}
    for _ in range(rounds):
        for count in (1, 2):
            rates[count].append(await scale_once(url, count, users, per_user, workdir))
            print(f"{count} instance(s): {rates[count][-1]:.1f} updates/s", flush=True)
    one, two = max(rates[1]), max(rates[2])
    return "\n".join([
        f"- PostgreSQL, webhook mode, `main.py` processes behind a round-robin proxy; {users} users × {per_user} "
        f"messages at once, best of {rounds}",
        f"- one instance: {one:.1f} updates/s; two instances: {two:.1f} updates/s; **ratio {two / one:.2f}** "
        f"(all rounds: {', '.join(f'{r:.1f}' for r in rates[1])} | {', '.join(f'{r:.1f}' for r in rates[2])})",
    ])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["overhead", "scale"])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--messages", type=int, default=10, help="per user")
    parser.add_argument("--sequential", type=int, default=40, help="round trips of one user (overhead)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    url = args.database_url
    if args.what == "scale" and not url.startswith("postgresql"):
        parser.error("scale needs --database-url postgresql+asyncpg://… (several instances need PostgreSQL)")
    if not url:
        url = f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp(prefix='kanoon-bench-')) / 'bench.db'}"
    if args.what == "overhead":
        body = asyncio.run(overhead(url, args.users, args.messages, args.sequential, args.rounds))
    else:
        body = asyncio.run(scale(url, args.users, args.messages, args.rounds))
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = f"\n## {stamp} — `bench/instances.py {args.what}`\n\nMachine: {machine()}\n\n{body}\n"
    print(section)
    if not args.no_record:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as results:
            results.write(section)


if __name__ == "__main__":
    main()
