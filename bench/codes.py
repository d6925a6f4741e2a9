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


async def fill(url: str, codes: list[int], rounds: int = 1) -> None:
    """A fresh database with one center per code (cancelled: only their IDs matter here), and
    ISSUES centers awaiting their assistant per round (a world issued on this table), each with
    an open invitation of its own (key `codes-bench-{round}-{k}`) and an invitee: a second round
    accepts fresh invitations rather than replaying the first round's."""
    await dataset._reset(url)
    engine = create_engine(url)
    await migrate.upgrade(engine)
    await engine.dispose()
    parsed = make_url(url)
    writer = (dataset.SqliteWriter(Path(parsed.database)) if parsed.get_backend_name() == "sqlite"
              else await dataset.PostgresWriter.open(url))
    now = NOW.timestamp()
    awaiting = rounds * ISSUES
    users = 1 + 2 * awaiting

    def user_rows() -> Iterator[tuple]:
        for uid in range(1, users + 1):
            yield uid, "telegram", 500_000_000 + uid, f"کاربر{uid}", None, None, f"کاربر {uid}", f"0912{uid:07d}", None, now

    def center_rows() -> Iterator[tuple]:
        for i, code in enumerate(codes, start=1):
            yield i, code, f"کانون {i}", f"کانون{i}", "mosque", None, None, None, None, "cancelled", 1, None, None, now, now, None
        for j in range(awaiting):  # led by users 2..awaiting+1, invitees awaiting+2..
            yield (len(codes) + 1 + j, None, f"کانون تازه {j}", f"کانونتازه{j}", "family", None, None, None, None,
                   "awaiting_assistant", 2 + j, None, None, now, None, None)

    def invitation_rows() -> Iterator[tuple]:
        for j in range(awaiting):
            round_, k = divmod(j, ISSUES)
            yield (j + 1, invitation_key(round_, k), len(codes) + 1 + j, 2 + j, "open", now, now + 7 * 86400,
                   None, None)

    await writer.write("users", dataset.Generator.USER_COLUMNS, user_rows())
    await writer.write("centers", dataset.Generator.CENTER_COLUMNS, center_rows())
    await writer.write("assistant_invitations", dataset.Generator.INVITATION_COLUMNS, invitation_rows())
    await writer.finish()


def invitation_key(round_: int, k: int) -> str:
    return f"codes-bench-{round_}-{k:06d}"


async def issue(url: str, new_code: Callable[[], int], round_: int = 0, rounds: int = 1) -> dict[str, float]:
    """ISSUES acceptances of round `round_`'s invitations (of `rounds` filled), each in its
    unit of work as the bot runs it; what each cost. Every one must issue a new ID."""
    engine = create_engine(url)
    sessions = session_factory(engine)
    lookups, trips, times, lengths = [], [], [], set()
    for k in range(ISSUES):
        j = round_ * ISSUES + k
        with counting(engine) as counted:
            started = time.perf_counter()
            async with unit_of_work(sessions) as session:
                accepted = await centers.accept_invitation(
                    session, invitation_key(round_, k), 2 + rounds * ISSUES + j, full_name=f"همیار {k}",
                    mobile=f"0935{k:07d}", now=NOW + timedelta(minutes=1), new_code=new_code,
                )
            times.append(time.perf_counter() - started)
        if accepted.already:
            raise RuntimeError(f"{invitation_key(round_, k)} was already accepted: this world replayed another's")
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
    await fill(url, _codes(draw, 100_000, 0), rounds=2)  # two worlds on one table, each its own invitations
    found.append(("100,000 centers (7 digits), issuing 7 digits", await issue(url, old_code, 0, rounds=2)))
    found.append(("100,000 centers (7 digits, + the 200 just issued), issuing 8 digits",
                  await issue(url, center_codes.new_code, 1, rounds=2)))
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
