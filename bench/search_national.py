"""Benchmark: name search on the national dataset on PostgreSQL, as the join flow calls it (not a test).

    .venv/bin/python bench/search_national.py --database-url postgresql+asyncpg://…/a_migrated_copy

Give a migrated copy of bench/dataset.py's 100,000-center database (`createdb -T` the dataset's
database, then `DATABASE_URL=… python main.py migrate`): nothing is written. NAMES active
centers are drawn at random, each searched three ways through bot.services.search.find_centers
with a session of its own, as the join flow does: exact (the whole name), partial (its last
word), typo (one letter of its second half changed). Two passes (the first reads cold pages);
per pass and kind: wall p50 / p95 ms, this process's CPU p50 / p95 ms, statements per search.
(bench/search.py seeds its own centers; its seeding predates the one-live-center-per-leader
rule and fails on it.)
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event, text  # noqa: E402

from bench.common import machine, record  # noqa: E402
from bot.db.engine import create_engine, session_factory  # noqa: E402
from bot.services.search import find_centers  # noqa: E402

NAMES = 60
KINDS = ("exact", "partial", "typo")


def typed(kind: str, name: str, rng: random.Random) -> str:
    if kind == "partial":
        return name.split()[-1]
    if kind == "typo":
        letters = list(name)
        at = rng.randrange(len(letters) // 2, len(letters))
        letters[at] = "ب" if letters[at] != "ب" else "پ"
        return "".join(letters)
    return name


async def run(url: str, passes: int) -> str:
    engine = create_engine(url)
    statements: list[str] = []

    @event.listens_for(engine.sync_engine, "before_cursor_execute")
    def _count(*_: object) -> None:
        statements.append("")

    sessions = session_factory(engine)
    async with sessions() as session:
        names = [row[0] for row in (await session.exec(text(  # type: ignore[call-overload]
            f"SELECT name FROM centers WHERE status = 'active' ORDER BY random() LIMIT {NAMES}"))).all()]
    lines = [f"PostgreSQL, the national dataset's migrated copy; {len(names)} names, each searched three ways", "",
             "| pass | search | wall p50 / p95 ms (target p95 < 50) | CPU p50 / p95 ms | statements per search |",
             "|---|---|---|---|---|"]
    for number in range(1, passes + 1):
        rng = random.Random(1)
        for kind in KINDS:
            walls, cpus, counts = [], [], []
            for name in names:
                query = typed(kind, name, rng)
                statements.clear()
                cpu, wall = time.process_time(), time.perf_counter()
                async with sessions() as session:
                    await find_centers(session, query)
                walls.append((time.perf_counter() - wall) * 1000)
                cpus.append((time.process_time() - cpu) * 1000)
                counts.append(len(statements))
            p95 = lambda values: sorted(values)[int(len(values) * 0.95) - 1]  # noqa: E731
            lines.append(f"| {number} | {kind} | {statistics.median(walls):.1f} / {p95(walls):.1f} | "
                         f"{statistics.median(cpus):.1f} / {p95(cpus):.1f} | {statistics.mean(counts):.2f} |")
    await engine.dispose()
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--passes", type=int, default=2)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    text_ = asyncio.run(run(args.database_url, args.passes))
    print(text_)
    if not args.no_record:
        record("`bench/search_national.py` (PostgreSQL, 100,000 centers)", text_)


if __name__ == "__main__":
    main()
