"""Benchmark: a 50,000-member center's members file, or (--file centers) the admins' every-center
file of the national 100,000-center dataset, and who waits while it is made (not a test).

    .venv/bin/python bench/export.py --code baseline=/tmp/kanoon-baseline --code new=.
    .venv/bin/python bench/export.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55460/kanoon_export_50k \\
        --code baseline=/tmp/kanoon-baseline --code new=.
    .venv/bin/python bench/export.py --file centers [--workbook] [--database-url …/a_copy_of_national_100k]

The dataset (bench/dataset.py, generated once): 1,000 centers, one of them with 50,000 members.
Each checkout, on its own copy, runs the real bot against the fake Bot API; the center's
assistant taps «دریافت فایل اعضا» ROUNDS times. While each file is being made, the same
assistant sends /help every PROBE_EVERY seconds and another person sends /start: their waits
show whether the file holds up the person who asked (their updates are served in order) or
everyone (the event loop). Printed per checkout: seconds to the file, rows per second (wall
clock, and per CPU second of the process: the machine is shared), the rise of the process's
peak memory while the file is made, and the waits. With --workbook, the XLSX file instead; a file
that big is made by the export worker process (bot/exports/), whose CPU is counted apart (the
bot's reaped children).

--file centers: an admin taps «📄 فایل CSV» (or «📊 فایل اکسل») under /admin's figures; the asker
is that admin, the national dataset (bench/dataset.py, 100,000 centers) is never generated here:
it must exist (SQLite under --data-dir; for PostgreSQL, a database given by --database-url, whose
manifest may be missing: then the SQLite one's clock is used).
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import os
import resource
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from sqlalchemy.engine import make_url  # noqa: E402

from bench import dataset  # noqa: E402
from bench.common import SHARED_NOTE, FakeBotApi, load_average, on_a_copy, in_checkout, percentile, record, rss_mb  # noqa: E402
from bench.national import _settings, _staff_names  # noqa: E402
from bot.ptb.ui import label  # noqa: E402
from bot.runner import Kanoon  # noqa: E402

MEMBERS = 50_000
SPEC = dataset.Spec(centers=1_000, members=MEMBERS + 20_000, pending=1_000, ended=2_000, users=75_000, campaigns=20,
                    big_center_members=MEMBERS)
ROUNDS = 3
PROBE_EVERY = 0.25
QUIET_PROBES = 12  # 3 s of probes before any file
OTHER_ID = 9_300_000_001
ADMIN_ID = 9_300_000_002  # --file centers: the admin who asks
CENTERS_SPEC = dataset.Spec.for_centers(100_000)


@dataclass
class Measured:
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    worker_cpu_seconds: list[float] = field(default_factory=list)  # the export worker processes, reaped meanwhile
    made_seconds: list[float] = field(default_factory=list)  # tap to the worker's bytes in the bot (before sending)
    peak_rise_mb: list[float] = field(default_factory=list)
    rows: int = 0
    same_person: list[float] = field(default_factory=list)  # the asker's /help waits during the file
    other_person: list[float] = field(default_factory=list)  # someone else's /start waits
    loop_lag: list[float] = field(default_factory=list)  # how late a 20 ms timer fired meanwhile
    quiet: list[float] = field(default_factory=list)  # both people's waits with no file being made
    migrate_seconds: float = float("nan")


def _reset_peak() -> None:
    """VmHWM back to the present RSS (Linux: clear_refs 5), so the next peak is the file's."""
    Path("/proc/self/clear_refs").write_text("5")


def _children_cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _rows_in(content: bytes, workbook: bool) -> int:
    if not workbook:
        return content.decode("utf-8-sig").count("\r\n") - 1
    from openpyxl import load_workbook
    return sum(1 for _ in load_workbook(io.BytesIO(content), read_only=True).active.iter_rows()) - 1


async def measure(url: str, manifest: dataset.Manifest, rounds: int, workbook: bool = False,
                  file: str = "members") -> Measured:
    result = Measured()
    api = FakeBotApi("telegram", bot_username="kanoon_export_bot")
    await api.start()
    replies: dict[int, list[float]] = {}
    documents: list[tuple[float, bytes]] = []
    send_message, send_document = api._methods["sendMessage"], api._methods["sendDocument"]

    async def seen_message(params: dict) -> dict:
        answer = await send_message(params)
        replies.setdefault(int(params["chat_id"]), []).append(time.perf_counter())
        return answer

    async def seen_document(params: dict) -> dict:
        answer = await send_document(params)
        documents.append((time.perf_counter(), params["document"].content))
        return answer

    api._methods["sendMessage"], api._methods["sendDocument"] = seen_message, seen_document
    anchor, moment = time.monotonic(), manifest.now
    settings = _settings(api, url)
    if file == "centers":
        settings = settings.model_copy(update={"admin_ids": f"telegram:{ADMIN_ID}"})
    made: list[float] = []
    _time_the_worker(made)
    kanoon = Kanoon(settings)
    kanoon.deps.clock = lambda: moment + timedelta(seconds=time.monotonic() - anchor)
    await kanoon.start()
    await kanoon.caught_up()  # the start-up jobs, before anything is measured
    try:
        if file == "centers":  # the asker is an admin, the button under the figures
            assistant = api.user(ADMIN_ID, "مدیر", started=True)
            await assistant.send("/admin")
            button = label("adm-btn-xlsx" if workbook else "adm-btn-csv")
        else:
            big = manifest.big_center
            assistant = api.user(big["assistant"], *await _staff_names(url, big["assistant"]), started=True)
            await assistant.send("/members")
            button = label("ml-btn-export-xlsx" if workbook else "ml-btn-export")
        other = api.user(OTHER_ID, "رهگذر", started=True)
        listing = await assistant.next_message(timeout=300)
        # The same probes with no file being made: what the machine's load alone costs them.
        replies.clear()
        asked_quiet: dict[int, list[float]] = {assistant.user_id: [], other.user_id: []}
        for _ in range(QUIET_PROBES):
            for who, text in ((assistant, "/help"), (other, "/start")):
                asked_quiet[who.user_id].append(time.perf_counter())
                await who.send(text)
            await asyncio.sleep(PROBE_EVERY)
        for who in (assistant, other):
            while len(replies.get(who.user_id, [])) < len(asked_quiet[who.user_id]):
                await asyncio.sleep(0.05)
            result.quiet.extend(r - a for a, r in zip(asked_quiet[who.user_id], replies[who.user_id]))
        for _ in range(rounds):
            await asyncio.sleep(1)
            for who in (assistant, other):  # a clean slate: every earlier answer is in
                replies.pop(who.user_id, None)
            files = len(documents)
            _reset_peak()
            before = rss_mb()[0]
            cpu, children, started = time.process_time(), _children_cpu(), time.perf_counter()
            await assistant.tap(listing, button)
            asked: dict[int, list[float]] = {assistant.user_id: [], other.user_id: []}
            lagging = asyncio.create_task(_lag(result.loop_lag, lambda: len(documents) > files))
            while len(documents) == files:
                for who, text in ((assistant, "/help"), (other, "/start")):
                    asked[who.user_id].append(time.perf_counter())
                    await who.send(text)
                await asyncio.sleep(PROBE_EVERY)
            await lagging
            done_at, content = documents[-1]
            result.seconds.append(done_at - started)
            if made:  # the file's bytes were back from the worker: what follows is sending them
                result.made_seconds.append(made.pop() - started)
            result.cpu_seconds.append(time.process_time() - cpu)
            result.worker_cpu_seconds.append(_children_cpu() - children)
            result.peak_rise_mb.append(rss_mb()[1] - before)
            result.rows = _rows_in(content, workbook)
            for who, waits in ((assistant, result.same_person), (other, result.other_person)):
                while len(replies.get(who.user_id, [])) < len(asked[who.user_id]):
                    await asyncio.sleep(0.05)
                waits.extend(r - a for a, r in zip(asked[who.user_id], replies[who.user_id]))
    finally:
        await kanoon.stop()
        await api.stop()
    return result


def _time_the_worker(made: list[float]) -> None:
    """Note when each export worker's bytes are back in the bot (a checkout without one: nothing)."""
    try:
        from bot.exports import apart
    except ImportError:
        return
    run_worker = apart.run_worker

    async def timed(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        answer = await run_worker(*args, **kwargs)
        made.append(time.perf_counter())
        return answer

    apart.run_worker = timed


async def _lag(found: list[float], done) -> None:  # noqa: ANN001
    """The event loop's lateness: a timer set for 20 ms, again and again, until `done()`."""
    while not done():
        planned = time.perf_counter() + 0.02
        await asyncio.sleep(0.02)
        found.append(time.perf_counter() - planned)


def report(database: str, results: dict[str, Measured], workbook: bool = False, file: str = "members") -> str:
    kind = "XLSX" if workbook else "CSV"
    what = (f"the every-center file ({kind}) of the national {CENTERS_SPEC.centers:,}-center dataset (the asker: an admin)"
            if file == "centers" else f"the members file ({kind}) of a {MEMBERS:,}-member center")
    lines = [f"{database}, {what}, {ROUNDS} times per checkout:", "",
             "| | " + " | ".join(results) + " |", "|---|" + "---|" * len(results)]

    def row(name: str, cell) -> None:  # noqa: ANN001
        lines.append(f"| {name} | " + " | ".join(cell(r) for r in results.values()) + " |")

    row("rows in the file", lambda r: f"{r.rows:,}")
    row("seconds to the file (median)", lambda r: f"{statistics.median(r.seconds):.1f}")
    row("rows per second, wall clock (target ≥ 20,000)", lambda r: f"{r.rows / statistics.median(r.seconds):,.0f}")
    row("rows per CPU second of the process", lambda r: f"{r.rows / statistics.median(r.cpu_seconds):,.0f}")
    row("seconds to the file's bytes back from the worker, before sending (median)",
        lambda r: f"{statistics.median(r.made_seconds):.1f}" if r.made_seconds else "—")
    row("rows per second to those bytes, wall clock", lambda r: f"{r.rows / statistics.median(r.made_seconds):,.0f}"
        if r.made_seconds else "—")
    row("rows per CPU second of the export worker", lambda r: f"{r.rows / statistics.median(r.worker_cpu_seconds):,.0f}"
        if r.worker_cpu_seconds and statistics.median(r.worker_cpu_seconds) else "—")
    row("CPU s of the export worker process (median; 0: made in the bot's)",
        lambda r: f"{statistics.median(r.worker_cpu_seconds or [0.0]):.2f}")
    row("rise of peak memory while it is made (MB, median)", lambda r: f"{statistics.median(r.peak_rise_mb):.0f}")
    for name, attr in (("both people's waits with no file being made (the load alone), p50 / p95 / max ms", "quiet"),
                       ("the asker's /help meanwhile, p50 / p95 / max ms", "same_person"),
                       ("someone else's /start meanwhile, p50 / p95 / max ms", "other_person"),
                       ("the event loop's lateness meanwhile (a 20 ms timer), p50 / p95 / max ms", "loop_lag")):
        row(name, lambda r, a=attr: (lambda w: f"{percentile(w, 50) * 1000:,.0f} / {percentile(w, 95) * 1000:,.0f} / "
                                              f"{w[-1] * 1000:,.0f}")(sorted(getattr(r, a))))
    row("`python main.py migrate` on the copy (s)", lambda r: f"{r.migrate_seconds:.1f}")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> str:
    if args.file == "centers":
        master = args.database_url or dataset.sqlite_url(CENTERS_SPEC, args.data_dir)
        manifest_file = dataset.manifest_path(master, args.data_dir)
        if not manifest_file.exists():  # PostgreSQL copies come without one: the SQLite dataset's clock
            manifest_file = dataset.manifest_path(dataset.sqlite_url(CENTERS_SPEC, args.data_dir), args.data_dir)
        if not manifest_file.exists():
            raise SystemExit(f"no national dataset: generate it first (bench/dataset.py --centers 100000); {master}")
    else:
        master = args.database_url or f"sqlite+aiosqlite:///{args.data_dir / 'export-50k.db'}"
        await dataset.ensure(master, SPEC, args.data_dir)
        manifest_file = dataset.manifest_path(master, args.data_dir)
    results = {}
    for name, _, path in (v.partition("=") for v in args.code or [f"this={ROOT}"]):
        code = Path(path).resolve()
        out = manifest_file.with_name(f"export-{args.file}-{name}.json")

        async def work(url: str, code: Path = code, out: Path = out) -> None:
            await in_checkout(code, str(Path(__file__).resolve()), "--one", url, "--manifest", str(manifest_file),
                              "--out", str(out), "--file", args.file, *(["--workbook"] if args.workbook else []))

        migrated = await on_a_copy(code, master, name, work)
        results[name] = Measured(**{"quiet": [float("nan")], **json.loads(out.read_text())})
        results[name].migrate_seconds = migrated
    return report(make_url(master).get_backend_name(), results, args.workbook, args.file)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a throwaway database for the dataset (default: SQLite under --data-dir)")
    parser.add_argument("--data-dir", type=Path, default=dataset.DEFAULT_DATA_DIR)
    parser.add_argument("--code", action="append", metavar="NAME=PATH", help="checkouts side by side")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--workbook", action="store_true", help="the XLSX file («📊 فایل اکسل اعضا») instead of the CSV")
    parser.add_argument("--file", choices=("members", "centers"), default="members",
                        help="the members file of one big center, or the admins' every-center file (national 100k)")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.one:
        manifest = dataset.Manifest(**json.loads(Path(args.manifest).read_text(encoding="utf-8")))
        measured = asyncio.run(measure(args.one, manifest, ROUNDS, args.workbook, args.file))
        Path(args.out).write_text(json.dumps(asdict(measured)))
        return
    text = asyncio.run(main_async(args)) + "\n\n" + SHARED_NOTE.format(load=load_average())
    print(text)
    if not args.no_record:
        record("`bench/export.py`", text)


if __name__ == "__main__":
    main()
