"""Benchmark: issuing center IDs as the table of centers grows, 7 digits beside 8 (not a test).

    .venv/bin/python bench/codes.py                      # SQLite, 100,000 and 500,000 centers
    .venv/bin/python bench/codes.py --database-url postgresql+asyncpg://postgres@127.0.0.1:55460/kanoon_codes

An ID is issued when an assistant accepts an invitation (bot/services/centers.accept_invitation):
a random ID is drawn and looked up (centers.code is unique); a taken one is drawn again. Here
the real acceptance runs ISSUES times in each world, on a table of centers filled in bulk:

- 100,000 centers with 7-digit IDs (today), issuing 7-digit IDs (the old scheme) and 8-digit
  IDs (the new one);
- 500,000 centers had IDs stayed 7 digits (55% of the 7-digit space taken), issuing 7 digits;
- 500,000 centers since the switch (100,000 of 7 digits and 400,000 of 8), issuing 8 digits.

Printed: lookups of an ID per issue (each a round trip; 1.00 is one draw), every statement and
commit of the acceptance, and its time (p50 / p95 ms). On PostgreSQL give a throwaway database:
it is emptied for each world.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from sqlalchemy.engine import make_url  # noqa: E402

from bench import dataset  # noqa: E402
from bench.common import SHARED_NOTE, load_average, percentile, record  # noqa: E402
from bot.db import migrate  # noqa: E402
from bot.db.engine import create_engine, session_factory, unit_of_work  # noqa: E402
from bot.services import center_codes, centers  # noqa: E402
from tests.roundtrips import counting  # noqa: E402

ISSUES = 200
NOW = datetime.now(timezone.utc).replace(microsecond=0)


def old_code() -> int:
    """The 7-digit scheme: 6 random digits and the check digit."""
    return center_codes.with_check_digit(secrets.randbelow(900_000) + 100_000)


def _codes(draw: random.Random, sevens: int, eights: int) -> list[int]:
    seven = [center_codes.with_check_digit(b) for b in draw.sample(range(100_000, 1_000_000), sevens)]
    eight = [center_codes.with_check_digit(b) for b in draw.sample(range(1_000_000, 10_000_000), eights)]
    return seven + eight


async def fill(url: str, codes: list[int]) -> None:
    """A fresh database with one center per code (cancelled: only their IDs matter here), and
    ISSUES centers awaiting their assistant, each with an open invitation and an invitee."""
    await dataset._reset(url)
    engine = create_engine(url)
    await migrate.upgrade(engine)
    await engine.dispose()
    parsed = make_url(url)
    writer = (dataset.SqliteWriter(Path(parsed.database)) if parsed.get_backend_name() == "sqlite"
              else await dataset.PostgresWriter.open(url))
    now = NOW.timestamp()
    users = 1 + 2 * ISSUES

    def user_rows() -> Iterator[tuple]:
        for uid in range(1, users + 1):
            yield uid, "telegram", 500_000_000 + uid, f"کاربر{uid}", None, None, f"کاربر {uid}", f"0912{uid:07d}", None, now

    def center_rows() -> Iterator[tuple]:
        for i, code in enumerate(codes, start=1):
            yield i, code, f"کانون {i}", f"کانون{i}", "mosque", None, None, None, None, "cancelled", 1, None, None, now, now, None
        for k in range(ISSUES):  # led by users 2..ISSUES+1, invitees ISSUES+2..
            yield (len(codes) + 1 + k, None, f"کانون تازه {k}", f"کانونتازه{k}", "family", None, None, None, None,
                   "awaiting_assistant", 2 + k, None, None, now, None, None)

    def invitation_rows() -> Iterator[tuple]:
        for k in range(ISSUES):
            yield (k + 1, f"codes-bench-{k:06d}", len(codes) + 1 + k, 2 + k, "open", now, now + 7 * 86400, None, None)

    await writer.write("users", dataset.Generator.USER_COLUMNS, user_rows())
    await writer.write("centers", dataset.Generator.CENTER_COLUMNS, center_rows())
    await writer.write("assistant_invitations", dataset.Generator.INVITATION_COLUMNS, invitation_rows())
    await writer.finish()


async def issue(url: str, new_code: Callable[[], int]) -> dict[str, float]:
    """ISSUES acceptances, each in its unit of work as the bot runs it; what each cost."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    lookups, trips, times, lengths = [], [], [], set()
    for k in range(ISSUES):
        with counting(engine) as counted:
            started = time.perf_counter()
            async with unit_of_work(sessions) as session:
                accepted = await centers.accept_invitation(
                    session, f"codes-bench-{k:06d}", 2 + ISSUES + k, full_name=f"همیار {k}",
                    mobile=f"0935{k:07d}", now=NOW + timedelta(minutes=1), new_code=new_code,
                )
            times.append(time.perf_counter() - started)
        lengths.add(len(str(accepted.center.code)))
        lookups.append(sum(1 for s in counted.statements if "centers.code =" in s))
        trips.append(counted.total)
    await engine.dispose()
    times.sort()
    return {"lookups": statistics.mean(lookups), "max_lookups": max(lookups), "trips": statistics.mean(trips),
            "p50": percentile(times, 50), "p95": percentile(times, 95), "digits": sorted(lengths)}


async def run(url: str) -> list[tuple[str, dict[str, float]]]:
    draw = random.Random(14)
    found = []
    await fill(url, _codes(draw, 100_000, 0))
    found.append(("100,000 centers (7 digits), issuing 7 digits", await issue(url, old_code)))
    found.append(("100,000 centers (7 digits), issuing 8 digits", await issue(url, center_codes.new_code)))
    await fill(url, _codes(draw, 500_000, 0))
    found.append(("500,000 centers, all 7 digits, issuing 7 digits", await issue(url, old_code)))
    await fill(url, _codes(draw, 100_000, 400_000))
    found.append(("500,000 centers (100,000 of 7 digits, 400,000 of 8), issuing 8 digits",
                  await issue(url, center_codes.new_code)))
    return found


def report(database: str, found: list[tuple[str, dict[str, float]]]) -> str:
    lines = [f"{database}, {ISSUES} acceptances in each world:", "",
             "| world | ID lookups per issue (max) | statements + commits per acceptance | acceptance p50 / p95 ms |",
             "|---|---|---|---|"]
    for world, r in found:
        lines.append(f"| {world} | {r['lookups']:.2f} ({r['max_lookups']}) | {r['trips']:.1f} | "
                     f"{r['p50'] * 1000:.0f} / {r['p95'] * 1000:.0f} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", help="a throwaway database (default: a SQLite file under --data-dir)")
    parser.add_argument("--data-dir", type=Path, default=dataset.DEFAULT_DATA_DIR)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    url = args.database_url or f"sqlite+aiosqlite:///{args.data_dir / 'codes.db'}"
    database = make_url(url).get_backend_name()
    text = report(database, asyncio.run(run(url))) + "\n\n" + SHARED_NOTE.format(load=load_average())
    print(text)
    if not args.no_record:
        record(f"`bench/codes.py` ({database})", text)


if __name__ == "__main__":
    main()
