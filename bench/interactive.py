"""Benchmark: how fast the bot answers many people at once, beside a bare echo bot (not a test).

    .venv/bin/python bench/interactive.py                    # SQLite, 200 users, 5 rounds each
    .venv/bin/python bench/interactive.py --database postgres \\
        --postgres-url postgresql+asyncpg://postgres@127.0.0.1:55460/kanoon_national

Two bots run in this process, each against its own fake Bot API with no send limit: Kanoon
(SEND_RATE at its maximum, on the 1,000-center dataset of bench/dataset.py) and a bare
python-telegram-bot echo bot (one handler that replies, the same 64 concurrent updates and
connection pool as Kanoon). Each round, USERS people write at the same moment and we time until
every one has the bot's answer; rounds alternate between the two bots so both see the same
machine. Two steps:

- /start from a returning user (their row exists; the round before made it);
- a join step: a person in the join flow sends a center's code and gets its card (the echo bot
  echoes it).

Printed: answers per second (median of the rounds), p50/p95 of each person's wait, the ratio
to the echo bot (targets ≥ 0.7 for /start, ≥ 0.5 for the join step), and the database
statements (and commits) Kanoon issued per update, counted with SQLAlchemy engine events.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The bot's code under test: this checkout, or another one named by KANOON_CODE (bench/national.py
# measures a baseline checkout beside this one); the benchmarks themselves always come from here.
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from sqlalchemy import event  # noqa: E402
from telegram import Update  # noqa: E402
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from bench import dataset  # noqa: E402
from bench.common import (  # noqa: E402
    SHARED_NOTE, FakeBotApi, FakeUser, in_checkout, load_average, on_a_copy, percentile, record,
)
from bot.persian.text import persian_digits  # noqa: E402
from bot.runner import Kanoon  # noqa: E402
from bot.settings import Settings  # noqa: E402

TOKEN = "111111:interactive-bench-token"
USER_BASE = 9_200_000_000  # far from the dataset's ids
START, JOIN_STEP = "/start (returning user)", "join step (a code → the card)"


@dataclass
class Round:
    seconds: float
    waits: list[float]
    cpu: float  # CPU seconds of this process during the round (the fake API's work included)


@dataclass
class Step:
    rounds: list[Round] = field(default_factory=list)
    statements: int = 0
    commits: int = 0
    updates: int = 0

    def rate(self) -> float:
        return statistics.median(len(r.waits) / r.seconds for r in self.rounds)

    def waits(self) -> list[float]:
        return sorted(w for r in self.rounds for w in r.waits)

    def cpu_per_answer(self) -> float:
        return statistics.median(r.cpu / len(r.waits) for r in self.rounds)


class Answers:
    """The time each chat got a message from the bot, seen at the fake API (cheap: no polling)."""

    def __init__(self, api: FakeBotApi) -> None:
        self.times: dict[int, float] = {}
        self.expected = 0
        self.all_in = asyncio.Event()
        original = api._methods["sendMessage"]

        async def counting(params: dict) -> dict:
            result = await original(params)
            chat = int(params["chat_id"])
            if chat not in self.times:
                self.times[chat] = time.perf_counter()
                if len(self.times) >= self.expected:
                    self.all_in.set()
            return result

        api._methods["sendMessage"] = counting

    def expect(self, count: int) -> None:
        self.times.clear()
        self.expected = count
        self.all_in.clear()


async def one_round(users: list[FakeUser], answers: Answers, text: Callable[[int], str],
                    settle: Callable[[], Awaitable[None]] | None = None) -> Round:
    """One message from each person; the time to the last answer, each one's wait, and the CPU
    until `settle` (Kanoon: its inbox has marked every row done and written the states they
    left) — work deferred past the answers belongs to this round, not to the next bot's."""
    answers.expect(len(users))
    cpu = time.process_time()
    sent: dict[int, float] = {}
    for i, user in enumerate(users):  # all written before the bot can take any (one event-loop turn)
        sent[user.id] = time.perf_counter()
        await user.send(text(i))
    first = min(sent.values())
    await asyncio.wait_for(answers.all_in.wait(), 120)
    last = max(answers.times.values())
    if settle is not None:
        await settle()
    return Round(last - first, [answers.times[uid] - sent[uid] for uid in sent], time.process_time() - cpu)


async def echo_bot(api: FakeBotApi) -> Application:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(update.effective_message.text or "…")

    application = (
        ApplicationBuilder().token(TOKEN).base_url(api.base_url).concurrent_updates(64)
        .connection_pool_size(64).build()
    )
    application.add_handler(MessageHandler(filters.ALL, echo))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=30)
    return application


async def stop_echo(application: Application) -> None:
    await application.updater.stop()
    await application.stop()
    await application.shutdown()


class StatementCounter:
    def __init__(self, engine) -> None:  # noqa: ANN001  (a sync Engine)
        self.statements = 0
        self.commits = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, *args: object) -> None:
        self.statements += 1

    def _commit(self, *args: object) -> None:
        self.commits += 1


async def run(url: str, manifest: dataset.Manifest, users: int, rounds: int) -> dict[str, dict[str, Step]]:
    codes = manifest.codes
    steps: dict[str, dict[str, Step]] = {"kanoon": {START: Step(), JOIN_STEP: Step()},
                                         "echo": {START: Step(), JOIN_STEP: Step()}}
    bot_api, echo_api = FakeBotApi("telegram", bot_username="kanoon_interactive_bot"), FakeBotApi("telegram")
    await bot_api.start()
    await echo_api.start()
    bot_answers, echo_answers = Answers(bot_api), Answers(echo_api)
    settings = Settings(_env_file=None, telegram_token=TOKEN, bale_token=None, telegram_api_url=bot_api.base_url,
                        database_url=url, send_rate=1000, log_level="WARNING")
    kanoon = Kanoon(settings)
    await kanoon.start()
    await kanoon.caught_up()  # the start-up jobs, before anything is measured
    echo = await echo_bot(echo_api)
    counter = StatementCounter(kanoon.engine.sync_engine)
    try:
        people = [bot_api.user(USER_BASE + i, f"کاربر{i}", "آزمون", started=True) for i in range(users)]
        echoed = [echo_api.user(USER_BASE + i, f"کاربر{i}", "آزمون", started=True) for i in range(users)]
        start = lambda i: "/start"  # noqa: E731
        assert kanoon.instances.worker is not None
        settled = kanoon.instances.worker.settled
        # Warm up: the first /start makes each person's row; a /cancel leaves no flow open.
        for text in ("/cancel", "/start"):
            await one_round(people, bot_answers, lambda i: text)  # noqa: B023
        await one_round(echoed, echo_answers, start)
        for _ in range(rounds):
            steps["echo"][START].rounds.append(await one_round(echoed, echo_answers, start))
            before = (counter.statements, counter.commits)
            steps["kanoon"][START].rounds.append(await one_round(people, bot_answers, start, settled))
            _count(steps["kanoon"][START], counter, before, users)
        await one_round(people, bot_answers, lambda i: "/join")
        code = lambda i: persian_digits(codes[i % len(codes)])  # noqa: E731
        for _ in range(rounds):
            steps["echo"][JOIN_STEP].rounds.append(await one_round(echoed, echo_answers, code))
            before = (counter.statements, counter.commits)
            steps["kanoon"][JOIN_STEP].rounds.append(await one_round(people, bot_answers, code, settled))
            _count(steps["kanoon"][JOIN_STEP], counter, before, users)
        await one_round(people, bot_answers, lambda i: "/cancel")
    finally:
        await stop_echo(echo)
        await kanoon.stop()
        await bot_api.stop()
        await echo_api.stop()
    return steps


def _count(step: Step, counter: StatementCounter, before: tuple[int, int], updates: int) -> None:
    step.statements += counter.statements - before[0]
    step.commits += counter.commits - before[1]
    step.updates += updates


def report(database: str, steps: dict[str, dict[str, Step]], users: int, rounds: int) -> str:
    lines = [
        f"{database}, {users} people writing at once, {rounds} rounds per bot and step (alternating):",
        "",
        "| step | echo bot: answers/s, p50 / p95 wait ms | Kanoon: answers/s, p50 / p95 wait ms | Kanoon ÷ echo | "
        "target | CPU ms per answer, echo / Kanoon (its ratio) | Kanoon's statements / commits per update |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, target in ((START, 0.7), (JOIN_STEP, 0.5)):
        echo, bot = steps["echo"][name], steps["kanoon"][name]
        ratio = bot.rate() / echo.rate()
        ew, bw = echo.waits(), bot.waits()
        lines.append(
            f"| {name} | {echo.rate():.0f}, {percentile(ew, 50) * 1000:.0f} / {percentile(ew, 95) * 1000:.0f} | "
            f"{bot.rate():.0f}, {percentile(bw, 50) * 1000:.0f} / {percentile(bw, 95) * 1000:.0f} | "
            f"{ratio:.2f} {'✓' if ratio >= target else '✗'} | ≥ {target} | "
            f"{echo.cpu_per_answer() * 1000:.1f} / {bot.cpu_per_answer() * 1000:.1f} "
            f"({echo.cpu_per_answer() / bot.cpu_per_answer():.2f}) | "
            f"{bot.statements / bot.updates:.2f} / {bot.commits / bot.updates:.2f} |"
        )
    return "\n".join(lines)


def _steps(raw: dict) -> dict[str, dict[str, Step]]:
    return {bot: {name: Step(rounds=[Round(**r) for r in step["rounds"]], statements=step["statements"],
                             commits=step["commits"], updates=step["updates"]) for name, step in steps.items()}
            for bot, steps in raw.items()}


async def main_async(args: argparse.Namespace) -> str:
    spec = dataset.Spec.for_centers(1_000)
    if args.database == "sqlite":
        master = dataset.sqlite_url(spec, args.data_dir)
    else:
        from bench.national import _database_url

        master = _database_url("postgres", spec, args.data_dir, args.postgres_url)
    await dataset.ensure(master, spec, args.data_dir)
    manifest_file = dataset.manifest_path(master, args.data_dir)
    sections = []
    for name, _, path in (v.partition("=") for v in args.code or [f"this={ROOT}"]):
        code = Path(path).resolve()
        out = manifest_file.with_name(f"interactive-{name}.json")

        async def work(url: str, code: Path = code, out: Path = out) -> None:
            await in_checkout(code, str(Path(__file__).resolve()), "--one", url, "--manifest", str(manifest_file),
                              "--out", str(out), "--users", str(args.users), "--rounds", str(args.rounds))

        await on_a_copy(code, master, name, work)
        steps = _steps(json.loads(out.read_text()))
        sections.append(f"**{name}** ({code}):\n\n" + report(args.database, steps, args.users, args.rounds))
    return "\n\n".join(sections)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--postgres-url", help="postgresql+asyncpg://…/NAME: the database NAME_1k is used")
    parser.add_argument("--data-dir", type=Path, default=dataset.DEFAULT_DATA_DIR)
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--note", default="")
    parser.add_argument("--code", action="append", metavar="NAME=PATH", help="checkouts side by side")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.one:
        manifest = dataset.Manifest(**json.loads(Path(args.manifest).read_text(encoding="utf-8")))
        steps = asyncio.run(run(args.one, manifest, args.users, args.rounds))
        Path(args.out).write_text(json.dumps({bot: {n: asdict(st) for n, st in by.items()} for bot, by in steps.items()}))
        return
    text = asyncio.run(main_async(args))
    text += "\n\n" + SHARED_NOTE.format(load=load_average())
    if args.note:
        text = args.note + "\n\n" + text
    print(text)
    if not args.no_record:
        record(f"`bench/interactive.py --database {args.database}`", text)


if __name__ == "__main__":
    main()
