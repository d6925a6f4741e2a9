"""Benchmark: how fast the bot answers many people at once, beside a bare echo bot (not a test).

    .venv/bin/python bench/interactive.py                    # SQLite, 200 users, 5 rounds each
    .venv/bin/python bench/interactive.py --database postgres \\
        --postgres-url postgresql+asyncpg://postgres@127.0.0.1:55460/kanoon_national

Each bot runs in its own process, and the driver with the bots' fake Bot APIs (no send limit)
in another, as Telegram is not in the bot's process: Kanoon (SEND_RATE at its maximum, on the
1,000-center dataset of bench/dataset.py), a stock python-telegram-bot echo bot (one handler that
replies, the same 64 concurrent updates and connection pool as Kanoon, polling at once again; the
issue's baseline) and, where the checkout has Kanoon's own transport (bot/ptb/transport.py,
aiohttp), the same echo bot on it, so that the transport's part of the ratio shows. All
long-poll their fake API. Each round, USERS people write at the same moment and we time until
every one has the bot's answer; rounds take turns between the bots so all see the same machine,
and only one is driven at a time (the others wait in their long polls). Just before each timed
round, 64 other people write to the same bot, untimed, to open its connections to the API again
(see PRIMERS: the stock echo bot's pool has two speeds). Start-up (the dataset's copy, migrations, Kanoon's start and start-up
jobs, warm-up rounds) is not timed. Two steps:

- /start from a returning user (their row exists; the round before made it);
- a join step: a person in the join flow sends a center's code and gets its card (the echo bot
  echoes it).

Printed: answers per second (median of the rounds), p50/p95 of each person's wait, the ratio
to the echo bot (targets ≥ 0.7 for /start, ≥ 0.5 for the join step; the median of each Kanoon
round's over the echo round of the same turn: the machine's speed drifts with its other work, and
even a process's CPU per answer does, up to 3× within a minute here); the CPU per answer of each
bot's own process (/proc/<pid>/stat, from the round's start until the bot has settled: for Kanoon
until its inbox has marked every update done and written the states they left, asked over a pipe
to its process), of the driver's process (the fake API and the people writing: is the API the
bottleneck?), of the idle bots meanwhile (should be ~0) and, on PostgreSQL, of the server's
backends on Kanoon's database; and the database statements (and commits) Kanoon issued per
update, counted with SQLAlchemy engine events in its process.

`--profile FILE` also runs py-spy (`--py-spy PATH`) on Kanoon's process during its /start rounds
(or the join step's: `--profile-step join`) and prints the functions with the most samples, on
their own and with what they call.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import re
import signal
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The bot's code under test: this checkout, or another one named by KANOON_CODE (bench/national.py
# measures a baseline checkout beside this one); the benchmarks themselves always come from here.
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from bench import dataset  # noqa: E402
from bench.common import (  # noqa: E402
    SHARED_NOTE, FakeBotApi, FakeUser, in_checkout, load_average, on_a_copy, percentile, record,
)
from bench.instances import server_cpu  # noqa: E402
from bench.national import cpu_seconds  # noqa: E402
from bot.persian.text import persian_digits  # noqa: E402

BOTS = Path(__file__).resolve().with_name("interactive_bots.py")  # each bot's process
USER_BASE = 9_200_000_000  # far from the dataset's ids
# The stock echo bot's connection pool (PTB's httpx) has two speeds: with its connections in use
# and fresh, about 5 ms of CPU per answer; once they have gone 5 s unused (httpx lets them expire)
# about 3× that, through that burst and often the next (py-spy: httpcore assigning requests to
# connections, scanning its pool, in 2/3 of the samples). A bot waits out the others' rounds,
# which may or may not last 5 s. Just before each timed round PRIMERS other people write, untimed;
# that did not always bring the stock echo bot back to its fast speed (bench/RESULTS.md,
# 2026-12-02), so its connections are now kept however long unused (interactive_bots.KEEP_ALIVE,
# as a bot busy all the time would find them): it has one speed, the fast one (4–7 ms per answer
# after 8 s idle, against 17–24 with httpx's 5 s; measured). The echo bot on Kanoon's transport
# (aiohttp) has one speed too.
PRIMERS, PRIMER_BASE = 64, USER_BASE + 1_000_000
START, JOIN_STEP = "/start (returning user)", "join step (a code → the card)"
PROFILED = {"start": START, "join": JOIN_STEP}  # --profile-step
KANOON, ECHO, ECHO_AIOHTTP = "kanoon", "echo", "echo-aiohttp"  # as bench/interactive_bots.py names them
READY_TIMEOUT = 300.0  # a bot process's start-up (Kanoon's start-up jobs on the dataset included)
ROUND_TIMEOUT = 120.0


@dataclass
class Round:
    seconds: float
    waits: list[float]
    cpu: float  # CPU seconds of the bot's process, from the round's start until it settled
    api_cpu: float  # of the driver's process meanwhile: the fake API and the people writing
    idle_cpu: float  # of the other bots' processes meanwhile (they are not being driven)
    database_cpu: float  # of the PostgreSQL server's backends on the bot's database (0 on SQLite)


@dataclass
class Step:
    rounds: list[Round] = field(default_factory=list)
    statements: int = 0
    commits: int = 0
    updates: int = 0

    def rates(self) -> list[float]:
        return [len(r.waits) / r.seconds for r in self.rounds]

    def rate(self) -> float:
        return statistics.median(self.rates())

    def waits(self) -> list[float]:
        return sorted(w for r in self.rounds for w in r.waits)

    def cpu_per_answer(self) -> float:
        return statistics.median(self.cpu_per_answers())

    def api_cpu_per_answer(self) -> float:
        return statistics.median(r.api_cpu / len(r.waits) for r in self.rounds)

    def database_cpu_per_answer(self) -> float:
        return statistics.median(r.database_cpu / len(r.waits) for r in self.rounds)

    def cpu_per_answers(self) -> list[float]:
        return [r.cpu / len(r.waits) for r in self.rounds]

    def idle_cpu(self) -> float:
        """The most CPU seconds the other bots used in one of this step's rounds."""
        return max(r.idle_cpu for r in self.rounds)


# --- the driver: the bots' processes, the fake Bot APIs, the people and the rounds ---------------


class BotProcess:
    """The driver's side of a bot's process (bench/interactive_bots.py: its requests and answers)."""

    def __init__(self, role: str, process: asyncio.subprocess.Process) -> None:
        self.role, self.process, self.pid = role, process, process.pid

    @classmethod
    async def launch(cls, role: str, api_url: str, url: str | None = None) -> BotProcess:
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(BOTS), role, api_url, *([url] if url else []),
            stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE)
        bot = cls(role, process)
        try:
            await asyncio.wait_for(bot._answer(), READY_TIMEOUT)
        except BaseException:
            await bot.stop()
            raise
        return bot

    async def _answer(self) -> dict[str, int]:
        assert self.process.stdout is not None
        line = await self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"the {self.role} bot's process ended (exit {await self.process.wait()})")
        answer: dict[str, int] = json.loads(line)
        return answer

    async def ask(self, request: str) -> dict[str, int]:
        assert self.process.stdin is not None
        self.process.stdin.write(f"{request}\n".encode())
        await self.process.stdin.drain()
        return await asyncio.wait_for(self._answer(), ROUND_TIMEOUT + 10)

    def cpu(self) -> float:
        return cpu_seconds(self.pid)

    async def stop(self) -> None:
        if self.process.returncode is None:
            try:
                assert self.process.stdin is not None
                self.process.stdin.write(b"stop\n")
                await self.process.stdin.drain()
                await asyncio.wait_for(self.process.wait(), 60)
            except (OSError, TimeoutError):
                self.process.kill()  # our own child, by its handle
                await self.process.wait()


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


@dataclass
class Driven:
    """A bot, its people, where their answers arrive, and the bots that wait meanwhile."""

    bot: BotProcess
    people: list[FakeUser]
    answers: Answers
    idle: list[BotProcess]  # the others, waiting meanwhile
    database_url: str = ""  # on PostgreSQL its backends' CPU is read too

    def idle_cpu(self) -> float:
        return sum(bot.cpu() for bot in self.idle)


async def one_round(driven: Driven, text: Callable[[int], str], step: Step | None = None) -> Round:
    """One message from each person; the time to the last answer, each one's wait, and the CPU of
    the bot's process until it has settled (Kanoon: its inbox has marked every row done and written
    the states they left) — work deferred past the answers belongs to this round, not the next's.
    With `step`, the round and Kanoon's statements and commits are added to it."""
    bot, answers = driven.bot, driven.answers
    before = await bot.ask("counts")
    answers.expect(len(driven.people))
    backends = await server_cpu(driven.database_url)
    cpu, idle_cpu, api_cpu = bot.cpu(), driven.idle_cpu(), time.process_time()
    sent: dict[int, float] = {}
    for i, user in enumerate(driven.people):  # all written before the bot can take any (one event-loop turn)
        sent[user.id] = time.perf_counter()
        await user.send(text(i))
    first = min(sent.values())
    await asyncio.wait_for(answers.all_in.wait(), ROUND_TIMEOUT)
    last = max(answers.times.values())
    after = await bot.ask("settled")
    measured = Round(last - first, [answers.times[uid] - sent[uid] for uid in sent], bot.cpu() - cpu,
                     time.process_time() - api_cpu, driven.idle_cpu() - idle_cpu, 0.0)
    if backends:
        now = await server_cpu(driven.database_url)
        measured.database_cpu = sum(seconds - backends.get(pid, 0.0) for pid, seconds in now.items())
    if step is not None:
        step.rounds.append(measured)
        step.statements += after["statements"] - before["statements"]
        step.commits += after["commits"] - before["commits"]
        step.updates += len(driven.people)
    return measured


class Profile:
    """py-spy on a process until stopped (raw stacks: one line per stack, its sample count last)."""

    def __init__(self, py_spy: str, out: Path, step: str) -> None:
        self.py_spy, self.out, self.step = py_spy, out, step
        self.process: asyncio.subprocess.Process | None = None

    async def start(self, pid: int) -> None:
        self.process = await asyncio.create_subprocess_exec(
            self.py_spy, "record", "--pid", str(pid), "--format", "raw", "-o", str(self.out), "--rate", "200",
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        assert self.process.stdout is not None
        await asyncio.wait_for(self.process.stdout.readline(), 30)  # "Sampling process …": it has attached

    async def stop(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGINT)
        await self.process.communicate()


# Innermost frames of a thread that waits (py-spy counts them as busy): aiosqlite's threads between
# statements (each connection has one), a thread's condition, the event loop with nothing to do.
WAITING = ("_connection_worker_thread ", "Condition.wait ", "EpollSelector.select ")


def profile_summary(raw: Path, step: str, top: int = 25) -> str:
    """The functions with the most samples on their own (the stack's innermost frame) and with
    what they call (any frame of the stack, once per stack), as shares of the busy samples."""
    own: Counter[str] = Counter()
    total: Counter[str] = Counter()
    samples = 0
    for line in raw.read_text(encoding="utf-8").splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [re.sub(r":\d+\)$", ")", frame) for frame in stack.split(";")]  # a function, not a line
        if frames[-1].startswith(WAITING):
            continue
        samples += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            total[frame] += int(count)
    lines = [f"{samples} busy samples of Kanoon's process during its rounds of {step} (py-spy; waiting threads left out)."]
    for title, counts in (("own", own), ("with what it calls", total)):
        lines += ["", f"| % {title} | function |", "|---|---|"]
        lines += [f"| {n * 100 / samples:.1f} | `{name}` |" for name, n in counts.most_common(top)]
    return "\n".join(lines)


def roles() -> tuple[str, ...]:
    """The bots, in the order their rounds alternate: the stock echo bot, the echo bot on Kanoon's
    transport (where the checkout has one: bot/ptb/transport.py), Kanoon."""
    on_transport = (ECHO_AIOHTTP,) if (CODE / "bot" / "ptb" / "transport.py").exists() else ()
    return (ECHO, *on_transport, KANOON)


async def run(url: str, codes: list[int], users: int, rounds: int,
              profile: Profile | None = None) -> dict[str, dict[str, Step]]:
    bots_in_turn = roles()
    steps = {role: {START: Step(), JOIN_STEP: Step()} for role in bots_in_turn}
    apis = {role: FakeBotApi("telegram", bot_username=f"{role.replace('-', '_')}_interactive_bot")
            for role in bots_in_turn}
    for api in apis.values():
        await api.start()
    answers = {role: Answers(api) for role, api in apis.items()}
    bots: dict[str, BotProcess] = {}
    try:
        launched = await asyncio.gather(*(BotProcess.launch(role, apis[role].base_url, url if role == KANOON else None)
                                          for role in bots_in_turn), return_exceptions=True)
        bots = {process.role: process for process in launched if isinstance(process, BotProcess)}
        for failed in launched:
            if isinstance(failed, BaseException):
                raise failed
        print("bot processes: " + ", ".join(f"{role} pid {bot.pid}" for role, bot in bots.items()), file=sys.stderr,
              flush=True)

        def driven(role: str, base: int, count: int, name: str) -> Driven:
            people = [apis[role].user(base + i, f"{name}{i}", "آزمون", started=True) for i in range(count)]
            return Driven(bots[role], people, answers[role], [bot for other, bot in bots.items() if other != role],
                          url if role == KANOON else "")

        writers = {role: driven(role, USER_BASE, users, "کاربر") for role in bots_in_turn}
        primers = {role: driven(role, PRIMER_BASE, min(PRIMERS, users), "آغازگر") for role in bots_in_turn}
        start = lambda i: "/start"  # noqa: E731
        code = lambda i: persian_digits(codes[i % len(codes)])  # noqa: E731
        # Warm up: the first /start makes each person's row in Kanoon; a /cancel leaves no flow open.
        for text in ("/cancel", "/start"):
            for role in bots_in_turn:
                await one_round(writers[role], lambda i: text)  # noqa: B023
                await one_round(primers[role], lambda i: text)  # noqa: B023
        for name, text in ((START, start), (JOIN_STEP, code)):
            if name == JOIN_STEP:
                await one_round(writers[KANOON], lambda i: "/join")
            if profile is not None and profile.step == name:
                await profile.start(bots[KANOON].pid)
            for _ in range(rounds):
                for role in bots_in_turn:
                    await one_round(primers[role], start)  # its connections open again (see PRIMERS)
                    await one_round(writers[role], text, steps[role][name])
            if profile is not None and profile.step == name:
                await profile.stop()
        await one_round(writers[KANOON], lambda i: "/cancel")
    finally:
        await asyncio.gather(*(process.stop() for process in bots.values()))
        for api in apis.values():
            await api.stop()
    return steps


def paired(tops: list[float], bottoms: list[float]) -> float:
    """The median of the ratios of rounds run in the same turn (the echo bot's, then Kanoon's)."""
    return statistics.median(top / bottom for top, bottom in zip(tops, bottoms, strict=True))


def report(database: str, steps: dict[str, dict[str, Step]], users: int, rounds: int) -> str:
    on_transport = ECHO_AIOHTTP in steps
    lines = [
        f"{database}, {users} people writing at once, {rounds} rounds per bot and step (alternating); "
        "each bot in its own process, the fake Bot APIs and the people in a third:",
        "",
        "| step | echo bot: answers/s, p50 / p95 wait ms | Kanoon: answers/s, p50 / p95 wait ms | Kanoon ÷ echo, by pairs | "
        "target | CPU ms per answer of the bot's process, echo / Kanoon (echo ÷ Kanoon, by pairs) | "
        "CPU ms per answer of the fake API's process, echo's / Kanoon's rounds | "
        "the idle bots' CPU ms in a round (most), during echo's / Kanoon's rounds | "
        "Kanoon's statements / commits per update |" + (" the echo bot on Kanoon's transport (aiohttp): answers/s, "
                                                       "CPU ms per answer (Kanoon ÷ it, by pairs) |" if on_transport else ""),
        "|---|---|---|---|---|---|---|---|---|" + ("---|" if on_transport else ""),
    ]
    for name, target in ((START, 0.7), (JOIN_STEP, 0.5)):
        echo, bot = steps[ECHO][name], steps[KANOON][name]
        ratio, cpu_ratio = paired(bot.rates(), echo.rates()), paired(echo.cpu_per_answers(), bot.cpu_per_answers())
        ew, bw = echo.waits(), bot.waits()
        database = f", and PostgreSQL's {bot.database_cpu_per_answer() * 1000:.1f}" if bot.database_cpu_per_answer() else ""
        lines.append(
            f"| {name} | {echo.rate():.0f}, {percentile(ew, 50) * 1000:.0f} / {percentile(ew, 95) * 1000:.0f} | "
            f"{bot.rate():.0f}, {percentile(bw, 50) * 1000:.0f} / {percentile(bw, 95) * 1000:.0f} | "
            f"{ratio:.2f} {'✓' if ratio >= target else '✗'} | ≥ {target} | "
            f"{echo.cpu_per_answer() * 1000:.1f} / {bot.cpu_per_answer() * 1000:.1f} "
            f"({cpu_ratio:.2f}){database} | "
            f"{echo.api_cpu_per_answer() * 1000:.1f} / {bot.api_cpu_per_answer() * 1000:.1f} | "
            f"{echo.idle_cpu() * 1000:.0f} / {bot.idle_cpu() * 1000:.0f} | "
            f"{bot.statements / bot.updates:.2f} / {bot.commits / bot.updates:.2f} |" + (
                f" {steps[ECHO_AIOHTTP][name].rate():.0f}, {steps[ECHO_AIOHTTP][name].cpu_per_answer() * 1000:.1f} "
                f"({paired(bot.rates(), steps[ECHO_AIOHTTP][name].rates()):.2f}) |" if on_transport else "")
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
        profiling = ["--profile", str(args.profile), "--py-spy", args.py_spy, "--profile-step", args.profile_step] \
            if args.profile else []

        async def work(url: str, code: Path = code, out: Path = out, profiling: list[str] = profiling) -> None:
            await in_checkout(code, str(Path(__file__).resolve()), "--one", url, "--manifest", str(manifest_file),
                              "--out", str(out), "--users", str(args.users), "--rounds", str(args.rounds), *profiling)

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
    parser.add_argument("--profile", type=Path, help="py-spy's raw stacks of Kanoon's rounds of a step, to this file "
                        "(py-spy slows the process: use with --no-record)")
    parser.add_argument("--py-spy", default="py-spy", help="the py-spy program (with --profile)")
    parser.add_argument("--profile-step", choices=PROFILED, default="start", help="the rounds --profile samples")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the driver's process, on this database
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.one:
        manifest = dataset.Manifest(**json.loads(Path(args.manifest).read_text(encoding="utf-8")))
        profile = Profile(args.py_spy, args.profile, PROFILED[args.profile_step]) if args.profile else None
        steps = asyncio.run(run(args.one, manifest.codes, args.users, args.rounds, profile))
        Path(args.out).write_text(json.dumps({bot: {n: asdict(st) for n, st in by.items()} for bot, by in steps.items()}))
        if profile is not None:
            print(profile_summary(args.profile, PROFILED[args.profile_step]), file=sys.stderr)
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
