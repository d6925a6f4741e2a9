"""Benchmark: the real bot on the national dataset, beside a small one, through the fake Bot API.

    .venv/bin/python bench/national.py                            # SQLite: 1,000 and 100,000 centers
    .venv/bin/python bench/national.py --database postgres \\
        --postgres-url postgresql+asyncpg://postgres@127.0.0.1:55460/kanoon_national
    .venv/bin/python bench/national.py --sizes 1000 --no-record   # a quick look

Datasets come from bench/dataset.py (generated once, then reused; on PostgreSQL each size
gets its own database, `<name>_1k`, `<name>_100k`, which is emptied and filled the first time).
For each size the bot is started in this process (Kanoon, as main.py does) on the dataset,
with its clock set to the dataset's moment, so what was due when the data was made is due
now and nothing else (the periodic jobs below find what a quiet hour finds). Then, one at a
time, each operation is timed from the update's arrival at the fake API to the bot's answer:

- find by code: a person in the join flow sends a center's code; the center's card comes back;
- find by name, exact / partial / with a typo: the same person types a center's whole name (spaces
  for ZWNJ), its last word, or that word with a letter or two wrong; the first page of results
  comes back ("found" in the table: answers whose list held at least one center);
- a returning member's /start (their row exists; nothing about them changed);
- the members list of the 5,000-member center (its assistant's /members);
- the CSV export of those 5,000 members (the assistant taps «دریافت فایل اعضا»; the file arrives);
- the hourly pending-request check (bot/jobs/join_reminders.py), the broadcast resume sweep,
  the notice resend sweep and the reminder sweep (their PERIODIC functions, called directly);
- start-up: Kanoon.start() (migrations checked, getMe, polling; the at-start work runs after it), restarted
  a few times;

then, apart, the bot as a process (`python main.py`): seconds from launch to «Kanoon is
running», and its resident memory after it served a /start, the members list and the export.
Printed as p50 / p95 in ms, the sizes side by side, and appended to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import logging
import os
import random
import signal
import sys
import time
from collections.abc import Awaitable, Callable
from collections import Counter, deque
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The bot's code under test: this checkout, or another one named by KANOON_CODE (bench/national.py
# measures a baseline checkout beside this one); the benchmarks themselves always come from here.
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench import dataset  # noqa: E402
from bench.common import (  # noqa: E402
    SHARED_NOTE, FakeBotApi, FakeUser, in_checkout, load_average, on_a_copy, percentile, record, rss_mb,
)
from bench.search import _as_typed, _typo  # noqa: E402
from bot.callbacks import JOIN_OPEN  # noqa: E402
from bot.jobs import join_reminders, reminders  # noqa: E402
from bot.persian.text import persian_digits  # noqa: E402
from bot.ptb.ui import label as button_label  # noqa: E402
from bot.runner import Kanoon  # noqa: E402
from bot.sending import broadcast, delivery  # noqa: E402
from bot.settings import Settings  # noqa: E402

TOKEN = "111111:national-bench-token"
BOT_USERNAME = "kanoon_national_bot"
# Ids of the people this bench plays besides the dataset's: far from any dataset id.
FINDER_BASE = 9_100_000_000
REPLY_TIMEOUT = 120.0
PROCESS_FIRST_UPDATE_ID = 50_000_000  # beyond the in-process run's updates (10,000 on)

FIND_BY_CODE = "find by code"
FIND_EXACT = "find by name, exact"
FIND_PARTIAL = "find by name, partial"
FIND_TYPO = "find by name, a typo"
FIND_BY_NAME = (FIND_EXACT, FIND_PARTIAL, FIND_TYPO)
START = "a returning member's /start"
MEMBERS_LIST = "members list, 5 k members"
EXPORT = "CSV export, 5 k members"
PENDING_CHECK = "hourly pending-request check"
RESUME_SWEEP = "broadcast resume sweep"
NOTICE_SWEEP = "notice resend sweep"
REMINDER_SWEEP = "reminder sweep"
STARTUP = "start-up, Kanoon.start()"
OPERATIONS = (FIND_BY_CODE, *FIND_BY_NAME, START, MEMBERS_LIST, EXPORT, PENDING_CHECK, RESUME_SWEEP, NOTICE_SWEEP, REMINDER_SWEEP, STARTUP)


@dataclass
class Measured:
    label: str
    timings: dict[str, list[float]] = field(default_factory=dict)  # seconds, sorted
    cpu: dict[str, list[float]] = field(default_factory=dict)  # CPU seconds of this process, sorted
    export_rows: int = 0
    found: dict[str, int] = field(default_factory=dict)  # name searches whose first page listed a center
    # What the sweeps found to do on the dataset (nothing is due at its moment).
    resumed: int = -1
    resent: int = -1
    migrate_seconds: float = float("nan")  # `python main.py migrate` on the copy (this code's migrations)
    process_startup: float = float("nan")  # seconds, launch to ready
    process_startup_cpu: float = float("nan")  # CPU seconds the process used until then
    process_rss: tuple[float, float] = (float("nan"), float("nan"))  # MB now, peak
    bench_rss: tuple[float, float] = (float("nan"), float("nan"))

    def p(self, operation: str, q: float) -> float:
        return percentile(self.timings.get(operation, []), q)


_CPU: dict[int, list[float]] = {}  # id of a timings list → the CPU seconds of the same samples


async def _timed(samples: int, once: Callable[[int], Awaitable[object]]) -> list[float]:
    """Wall seconds of each sample, sorted; their CPU seconds (this process) kept in _CPU."""
    found, cpu = [], []
    for i in range(samples):
        started, used = time.perf_counter(), time.process_time()
        await once(i)
        found.append(time.perf_counter() - started)
        cpu.append(time.process_time() - used)
    found.sort()
    _CPU[id(found)] = sorted(cpu)
    return found


async def _reply(user: FakeUser, action: Awaitable[object], wanted: Callable[[object], bool] | None = None) -> None:
    """Do `action` and wait for the bot's next message to `user`, which `wanted` must accept."""
    await action
    message = await user.next_message(timeout=REPLY_TIMEOUT)
    if wanted is not None and not wanted(message):
        raise AssertionError(f"unexpected answer to {user.user_id}: {message.describe()}")


async def _staff_names(url: str, platform_user_id: int) -> tuple[str, str | None]:
    from bot.db.engine import create_engine

    engine = create_engine(url)
    async with engine.connect() as connection:
        first, last = (await connection.execute(
            text("SELECT first_name, last_name FROM users WHERE platform = 'telegram' AND platform_user_id = :id"),
            {"id": platform_user_id},
        )).one()
    await engine.dispose()
    return first, last


async def _center_names(url: str, codes: list[int]) -> list[str]:
    """The names of the centers with these codes, in the codes' order."""
    from bot.db.engine import create_engine

    engine = create_engine(url)
    async with engine.connect() as connection:
        rows = dict((await connection.execute(
            text("SELECT code, name FROM centers WHERE code IN (%s)" % ", ".join(str(int(c)) for c in codes)),
        )).all())
    await engine.dispose()
    return [rows[int(c)] for c in codes if int(c) in rows]


def _listed_a_center(message: object) -> bool:
    return any(data and JOIN_OPEN.parse(data) is not None for _, data in getattr(message, "buttons", []))


def _settings(api: FakeBotApi, url: str) -> Settings:
    return Settings(_env_file=None, telegram_token=TOKEN, bale_token=None, telegram_api_url=api.base_url,
                    database_url=url, log_level="WARNING")


async def measure(url: str, manifest: dataset.Manifest, samples: int = 40, export_samples: int = 10,
                  restarts: int = 5, process: bool = True, label: str = "") -> Measured:
    """Every operation on the dataset at `url` (see the module's docstring)."""
    result = Measured(label or manifest.database)
    api = FakeBotApi("telegram", bot_username=BOT_USERNAME)
    await api.start()
    anchor, moment = time.monotonic(), manifest.now
    clock = lambda: moment + timedelta(seconds=time.monotonic() - anchor)  # noqa: E731
    kanoon: Kanoon | None = None
    try:
        startups, startup_cpu = [], []
        for _ in range(max(1, restarts)):
            if kanoon is not None:
                await kanoon.stop()
            kanoon = Kanoon(_settings(api, url))
            kanoon.deps.clock = clock
            started, used = time.perf_counter(), time.process_time()
            await kanoon.start()
            startups.append(time.perf_counter() - started)
            startup_cpu.append(time.process_time() - used)
            await kanoon.caught_up()  # the start-up jobs (after «ready»), before the next measurement
        result.timings[STARTUP] = sorted(startups)
        _CPU[id(result.timings[STARTUP])] = sorted(startup_cpu)
        deps = kanoon.deps  # type: ignore[union-attr]

        big = manifest.big_center
        assistant = api.user(big["assistant"], *await _staff_names(url, big["assistant"]), started=True)
        members = [api.user(pid, first, last, started=True) for pid, first, last in manifest.members]
        finder = api.user(FINDER_BASE + 1, "یابنده", "آزمون", started=True)

        # Find by code: in the join flow, a code (in Persian digits, as typed) brings the card.
        await _reply(finder, finder.send("/cancel"))
        await _reply(finder, finder.send("/join"))
        codes = manifest.codes
        send_request = button_label("join-btn-send")
        result.timings[FIND_BY_CODE] = await _timed(samples, lambda i: _reply(
            finder, finder.send(persian_digits(codes[i % len(codes)])), lambda m: m.has_button(send_request)))
        await _reply(finder, finder.send("/cancel"))

        # Find by name: whole names, their last word, that word mistyped (drawn as bench/search.py does).
        draw = random.Random(14)
        names = await _center_names(url, codes[:samples])
        typed = {
            FIND_EXACT: [_as_typed(name, draw) for name in names],
            FIND_PARTIAL: [name.split()[-1] for name in names],
            FIND_TYPO: [_typo(name.split()[-1], draw) for name in names],
        }
        await _reply(finder, finder.send("/join"))
        for operation, queries in typed.items():
            hits: list[bool] = []

            def tally(message: object, hits: list[bool] = hits) -> bool:
                hits.append(_listed_a_center(message))  # «nothing found» is an answer too
                return True

            async def search_once(i: int, queries: list[str] = queries) -> None:
                await _reply(finder, finder.send(queries[i % len(queries)]), tally)

            result.timings[operation] = await _timed(samples, search_once)
            result.found[operation] = sum(hits)
        await _reply(finder, finder.send("/cancel"))

        result.timings[START] = await _timed(samples, lambda i: _reply(
            members[i % len(members)], members[i % len(members)].send("/start"), lambda m: "خوش آمدید" in m.text))

        result.timings[MEMBERS_LIST] = await _timed(samples, lambda i: _reply(assistant, assistant.send("/members")))
        listing = assistant.last_message
        export_button = button_label("ml-btn-export")
        assert listing is not None and listing.has_button(export_button), listing
        files: list[object] = []

        def got_file(message: object) -> bool:
            if getattr(message, "document", None) is not None:
                files.append(message)
                return True
            return False

        result.timings[EXPORT] = await _timed(export_samples, lambda i: _reply(
            assistant, assistant.tap(listing, export_button), got_file))
        document = files[-1].document  # type: ignore[attr-defined]
        result.export_rows = document.content.decode("utf-8-sig").count("\r\n") - 1

        result.timings[PENDING_CHECK] = await _timed(samples, lambda i: join_reminders.check_waiting_requests(deps))
        result.resumed, result.resent = await broadcast.resume(deps), await delivery.resend_notices(deps)
        result.timings[RESUME_SWEEP] = await _timed(samples, lambda i: broadcast.resume(deps))
        result.timings[NOTICE_SWEEP] = await _timed(samples, lambda i: delivery.resend_notices(deps))
        result.timings[REMINDER_SWEEP] = await _timed(samples, lambda i: reminders.check_due(deps))
        result.bench_rss = rss_mb()
        result.cpu = {name: _CPU.get(id(found), []) for name, found in result.timings.items()}
    finally:
        if kanoon is not None:
            await kanoon.stop()
        await api.stop()
    if process:
        result.process_startup, result.process_startup_cpu, result.process_rss = await measure_process(url, manifest)
    return result


async def measure_process(url: str, manifest: dataset.Manifest) -> tuple[float, float, tuple[float, float]]:
    """`python main.py` on the dataset: seconds from launch to ready, and its memory (now, peak)
    after a /start, the members list and the export of the big center."""
    api = FakeBotApi("telegram", bot_username=BOT_USERNAME)
    # Update ids go on from the in-process run's (a new fake API would start at 10,000 again, and
    # the inbox drops an update id it has stored already: Telegram's ids only grow).
    api._update_ids = itertools.count(PROCESS_FIRST_UPDATE_ID)
    await api.start()
    env = dict(os.environ, DATABASE_URL=url, TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=api.base_url, BALE_TOKEN="",
               LOG_LEVEL="INFO")
    started = time.perf_counter()
    bot = await asyncio.create_subprocess_exec(
        sys.executable, str(CODE / "main.py"), cwd=str(CODE), env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    said: deque[str] = deque(maxlen=40)  # the bot's last log lines, shown if it fails us
    drain: asyncio.Task[None] | None = None
    try:
        assert bot.stderr is not None
        while True:
            line = await asyncio.wait_for(bot.stderr.readline(), REPLY_TIMEOUT)
            said.append(line.decode(errors="replace").rstrip())
            if not line:
                raise RuntimeError(f"the bot exited before it was ready (code {await bot.wait()})")
            if b"Kanoon is running" in line:
                break
        ready = time.perf_counter() - started
        ready_cpu = cpu_seconds(bot.pid)
        drain = asyncio.create_task(_drain(bot.stderr, said))
        pid, first, last = manifest.members[0]
        member = api.user(pid, first, last, started=True)
        await _reply(member, member.send("/start"))
        big = manifest.big_center
        assistant = api.user(big["assistant"], *await _staff_names(url, big["assistant"]), started=True)
        await _reply(assistant, assistant.send("/members"))
        listing = assistant.last_message
        assert listing is not None
        await _reply(assistant, assistant.tap(listing, button_label("ml-btn-export")),
                     lambda m: getattr(m, "document", None) is not None)
        memory = rss_mb(bot.pid)
    except BaseException:
        made = Counter(name for name, _ in api.calls)
        print(f"updates pending: {api.pending_updates_count}, dropped: {len(api.dropped_updates)}, "
              f"getUpdates: {api.calls_to('getUpdates')}", file=sys.stderr)
        print(f"the bot process's calls to the API: {dict(made)}; its last log lines:\n" + "\n".join(said),
              file=sys.stderr, flush=True)
        raise
    finally:
        if bot.returncode is None:
            bot.send_signal(signal.SIGTERM)
            await bot.wait()
        await api.stop()
    if drain is not None:
        drain.cancel()
    return ready, ready_cpu, memory


def cpu_seconds(pid: int) -> float:
    """User and system CPU seconds a process has used (/proc/<pid>/stat)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _drain(stream: asyncio.StreamReader, said: deque[str]) -> None:
    while line := await stream.readline():
        said.append(line.decode(errors="replace").rstrip())


# --- the report ------------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}" if seconds == seconds else "–"


def table(database: str, results: list[Measured]) -> str:
    head = f"| {database}: operation, p50 / p95 ms (CPU p50 ms) | " + " | ".join(r.label for r in results) + " |"
    lines = [head, "|---|" + "---|" * len(results)]
    for operation in OPERATIONS:
        cells = [f"{_ms(r.p(operation, 50))} / {_ms(r.p(operation, 95))} ({_ms(percentile(r.cpu.get(operation, []), 50))})"
                 + (f", found {r.found[operation]}/{len(r.timings.get(operation, []))}" if operation in r.found else "")
                 for r in results]
        lines.append(f"| {operation} | " + " | ".join(cells) + " |")
    lines.append("| `python main.py migrate` on the dataset's copy (s) | " + " | ".join(
        f"{r.migrate_seconds:.1f}" for r in results) + " |")
    lines.append("| `python main.py` launch to ready, s (CPU s) | " + " | ".join(
        f"{r.process_startup:.2f} ({r.process_startup_cpu:.2f})" for r in results) + " |")
    lines.append("| the bot process's RSS after the export, now / peak (MB) | " + " | ".join(
        f"{r.process_rss[0]:.0f} / {r.process_rss[1]:.0f}" for r in results) + " |")
    lines.append("| this bench process's RSS (bot + fake API + driver), now / peak (MB) | " + " | ".join(
        f"{r.bench_rss[0]:.0f} / {r.bench_rss[1]:.0f}" for r in results) + " |")
    lines.append("| rows in the exported file | " + " | ".join(f"{r.export_rows:,}" for r in results) + " |")
    return "\n".join(lines)


def dataset_lines(manifests: list[tuple[str, dataset.Manifest]]) -> str:
    lines = []
    for label, m in manifests:
        counts = ", ".join(f"{table}: {n:,}" for table, n in m.counts.items())
        lines.append(f"- {label} ({m.database}), generated in {m.seconds.get('total', float('nan')):.0f} s: {counts}")
    return "\n".join(lines)


def _database_url(database: str, spec: dataset.Spec, data_dir: Path, postgres_url: str | None) -> str:
    if database == "sqlite":
        return dataset.sqlite_url(spec, data_dir)
    if not postgres_url:
        raise SystemExit("--postgres-url is needed for --database postgres")
    parsed = make_url(postgres_url)
    return parsed.set(database=f"{parsed.database}_{spec.label}").render_as_string(hide_password=False)


async def measure_variant(code: Path, master: str, manifest_file: Path, name: str, args: argparse.Namespace,
                          label: str) -> Measured:
    """A copy of the dataset migrated by `code`'s own migrations, then measured by `code`."""
    out = manifest_file.with_name(f"measured-{name}-{manifest_file.stem}.json")

    async def measure_copy(url: str) -> None:
        await in_checkout(code, str(Path(__file__).resolve()), "--measure-one", url, "--manifest", str(manifest_file),
                          "--out", str(out), "--samples", str(args.samples), "--export-samples",
                          str(args.export_samples), "--restarts", str(args.restarts), "--label", label,
                          *(["--no-process"] if args.no_process else []))

    migrated = await on_a_copy(code, master, name, measure_copy)
    raw = json.loads(out.read_text())
    result = Measured(**{**raw, "process_rss": tuple(raw["process_rss"]), "bench_rss": tuple(raw["bench_rss"])})
    result.migrate_seconds = migrated
    return result


async def run(args: argparse.Namespace) -> str:
    sections = []
    databases = ("sqlite", "postgres") if args.database == "both" else (args.database,)
    variants = [(name, Path(path).resolve()) for name, _, path in (v.partition("=") for v in args.code)]
    for database in databases:
        results, manifests = [], []
        for size in args.sizes:
            spec = dataset.Spec.for_centers(size)
            master = _database_url(database, spec, args.data_dir, args.postgres_url)
            manifest = await dataset.ensure(master, spec, args.data_dir)
            manifests.append((f"{size:,} centers", manifest))
            for name, code in variants:
                label = f"{size:,} centers, {name}" if len(variants) > 1 else f"{size:,} centers"
                print(f"{database}, {label}: measuring", flush=True)
                results.append(await measure_variant(
                    code, master, dataset.manifest_path(master, args.data_dir), name, args, label))
        sections.append(table(database, results) + "\n\n" + dataset_lines(manifests))
    lines = [f"- {name}: {code}" + (f" ({_commit(code)})" if _commit(code) else "") for name, code in variants]
    return "Code measured:\n" + "\n".join(lines) + "\n\n" + "\n\n".join(sections)


def _commit(code: Path) -> str:
    import subprocess

    found = subprocess.run(["git", "-C", str(code), "log", "-1", "--format=%h %s"], capture_output=True, text=True)
    return found.stdout.strip()[:80] if found.returncode == 0 else ""


async def measure_one(args: argparse.Namespace) -> None:
    """In a process of its own, with the code under test (KANOON_CODE): one dataset, as JSON."""
    manifest = dataset.Manifest(**json.loads(Path(args.manifest).read_text(encoding="utf-8")))
    result = await measure(args.measure_one, manifest, args.samples, args.export_samples, args.restarts,
                           process=not args.no_process, label=args.label)
    Path(args.out).write_text(json.dumps(asdict(result)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 100_000], help="centers, one dataset each")
    parser.add_argument("--database", choices=("sqlite", "postgres", "both"), default="sqlite")
    parser.add_argument("--postgres-url", help="postgresql+asyncpg://…/NAME: databases NAME_1k, NAME_100k are made")
    parser.add_argument("--data-dir", type=Path, default=dataset.DEFAULT_DATA_DIR)
    parser.add_argument("--samples", type=int, default=40)
    parser.add_argument("--export-samples", type=int, default=10)
    parser.add_argument("--restarts", type=int, default=5)
    parser.add_argument("--no-process", action="store_true", help="skip the `python main.py` start-up and memory run")
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to bench/RESULTS.md")
    parser.add_argument("--note", default="", help="a line to record with the figures (what changed)")
    parser.add_argument("--code", action="append", metavar="NAME=PATH",
                        help="a checkout to measure, e.g. baseline=/tmp/kanoon-baseline (repeat; default: this one)")
    parser.add_argument("--measure-one", metavar="URL", help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    parser.add_argument("--label", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.measure_one:
        asyncio.run(measure_one(args))
        return
    args.code = args.code or [f"this={ROOT}"]
    began = time.monotonic()
    text_ = asyncio.run(run(args))
    load = load_average()
    text_ += f"\n\n{SHARED_NOTE.format(load=load)} Whole run: {time.monotonic() - began:.0f} s."
    if args.note:
        text_ = args.note + "\n\n" + text_
    print(text_)
    if not args.no_record:
        record(f"`bench/national.py --database {args.database}`", text_)


if __name__ == "__main__":
    main()
