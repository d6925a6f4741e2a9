"""Benchmark: `python main.py` on the national dataset, launch to ready and memory (not a test).

    .venv/bin/python bench/startup.py --code main=/tmp/kanoon-main --code new=.

For each checkout, on its own copy of the 100,000-center dataset (bench/dataset.py, generated
once) brought to that checkout's schema: the bot is launched LAUNCHES times as a process
against the fake Bot API (bench/national.measure_process): seconds from launch to «Kanoon is
running» (and the process's CPU seconds meanwhile: the machine is shared), then its resident
memory after a /start, the big center's members list and its export. Targets (issue 14):
start-up < 3 s, RSS < 150 MB. The import of the bot's code alone is timed too
(`python -c "import bot.runner"`), since it is most of a start on a small database.

Each checkout is first prepared as deploy/Dockerfile prepares an install: its bytecode
compiled and its catalog parsed once (`--as-is` skips that, e.g. to measure a read-only
install that has neither). Both are written into the checkout (`__pycache__/`,
`locales/.cache/`, ignored by git): point --code at a copy (`git archive`) of a checkout you
must not write in.
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
from collections import deque
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from bench import dataset  # noqa: E402
from bench.common import SHARED_NOTE, in_checkout, load_average, on_a_copy, record  # noqa: E402

LAUNCHES = 3
# What deploy/Dockerfile runs after compiling (a checkout without the catalog cache just parses).
PREPARE_CATALOG = "from bot.persian.catalog import bundle; bundle()"


def manifest_path_for_log(url: str) -> str:
    return url.rsplit("/", 1)[-1].replace(".db", "") + "-bot.log"


async def one(url: str, manifest: dataset.Manifest, launches: int) -> dict[str, list[float]]:
    from bench import national
    from bench.national import measure_process

    log = Path(manifest_path_for_log(url))

    async def keep(stream: asyncio.StreamReader, said: deque[str]) -> None:  # the bot's log, for when it goes wrong
        with log.open("ab") as out:
            while line := await stream.readline():
                out.write(line)
                said.append(line.decode(errors="replace").rstrip())

    national._drain = keep

    found: dict[str, list[float]] = {"ready": [], "ready_cpu": [], "rss": [], "rss_peak": [], "import": []}
    for _ in range(launches):
        # Each launch has a fresh fake API whose update ids start again at 1: the inbox would
        # take them for redeliveries of the last launch's updates.
        import sqlite3

        with sqlite3.connect(url.split(":///", 1)[1]) as db:
            db.execute("DELETE FROM inbox_updates")
        started = time.perf_counter()
        process = await asyncio.create_subprocess_exec(sys.executable, "-c", "import bot.runner", cwd=str(CODE))
        await process.wait()
        found["import"].append(time.perf_counter() - started)
        ready, cpu, (rss, peak) = await measure_process(url, manifest)
        found["ready"].append(ready)
        found["ready_cpu"].append(cpu)
        found["rss"].append(rss)
        found["rss_peak"].append(peak)
    return found


def report(results: dict[str, dict[str, list[float]]], centers: int, launches: int, as_is: bool = False) -> str:
    names = list(results)
    prepared = "as they are" if as_is else "bytecode compiled and the catalog parsed beforehand, as deploy/Dockerfile does"
    lines = [f"sqlite, {centers:,} centers, {launches} launches per checkout (median, and the worst); "
             f"checkouts {prepared}:", "",
             "| | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]

    def row(title: str, key: str, unit: str = "{:.2f}") -> None:
        cells = [f"{unit.format(statistics.median(r[key]))} ({unit.format(max(r[key]))})" for r in results.values()]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")

    row("`import bot.runner`, s", "import")
    row("`python main.py` launch to ready, s (target < 3)", "ready")
    row("CPU seconds of the bot until ready", "ready_cpu")
    row("RSS after /start, the members list and the export, MB (target < 150)", "rss", "{:.0f}")
    row("peak RSS, MB", "rss_peak", "{:.0f}")
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> str:
    spec = dataset.Spec.for_centers(args.centers)
    master = dataset.sqlite_url(spec, args.data_dir)
    await dataset.ensure(master, spec, args.data_dir)
    manifest_file = dataset.manifest_path(master, args.data_dir)
    results = {}
    for name, _, path in (v.partition("=") for v in args.code or [f"this={ROOT}"]):
        code = Path(path).resolve()
        out = manifest_file.with_name(f"startup-{name}.json")
        if not args.as_is:
            await in_checkout(code, "-m", "compileall", "-q", "bot", "main.py")
            await in_checkout(code, "-c", PREPARE_CATALOG)

        async def work(url: str, code: Path = code, out: Path = out) -> None:
            await in_checkout(code, str(Path(__file__).resolve()), "--one", url, "--manifest", str(manifest_file),
                              "--out", str(out), "--launches", str(args.launches))

        await on_a_copy(code, master, name, work)
        results[name] = json.loads(out.read_text())
    return report(results, args.centers, args.launches, args.as_is)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centers", type=int, default=100_000)
    parser.add_argument("--launches", type=int, default=LAUNCHES)
    parser.add_argument("--data-dir", type=Path, default=dataset.DEFAULT_DATA_DIR)
    parser.add_argument("--code", action="append", metavar="NAME=PATH", help="checkouts side by side")
    parser.add_argument("--no-record", action="store_true")
    parser.add_argument("--as-is", action="store_true", help="no compile or catalog step before the launches")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    parser.add_argument("--manifest", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    if args.one:
        manifest = dataset.Manifest(**json.loads(Path(args.manifest).read_text(encoding="utf-8")))
        Path(args.out).write_text(json.dumps(asyncio.run(one(args.one, manifest, args.launches))))
        return
    text = asyncio.run(main_async(args)) + "\n\n" + SHARED_NOTE.format(load=load_average())
    print(text)
    if not args.no_record:
        record("`bench/startup.py`", text)


if __name__ == "__main__":
    main()
