"""`python -m bot.exports.members_worker`: one center's members file, made in its own process.

The job arrives as JSON on stdin (bot/exports/apart.py; the database's address goes there, never
on the command line, where `ps` would show its password). The answer on stdout: the number of
rows, a newline, then the file's bytes. Exit status 0 only once the whole file is written;
anything else (a traceback on stderr) is a failure the bot reports to the person who asked.

The worker reads through the bare driver (sqlite3, or asyncpg for PostgreSQL) and imports no
SQLAlchemy, ORM, catalog or telegram: its start-up is a small part of a big file's time.
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.members_file_query import active_member_rows_sql
from bot.exports.members_sheet import MemberRow, MembersSheet, SheetLabels

# The worker gives way to the bot on a busy machine: people's updates first, the file meanwhile
# (with a core to spare, as on most servers, it changes nothing).
NICENESS = 10
# SQLite waits this long for a writer's lock before failing (the bot's own busy_timeout).
SQLITE_BUSY_SECONDS = 10.0


def sqlite_rows(path: str, center_id: int, status: str, batch: int) -> Iterator[Sequence[MemberRow]]:
    # Read-only, by URI: a wrong path fails instead of creating an empty database. WAL lets it
    # read while the bot writes.
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=SQLITE_BUSY_SECONDS) as db:
        cursor = db.execute(active_member_rows_sql(":center_id", ":status"), {"center_id": center_id, "status": status})
        while rows := cursor.fetchmany(batch):
            yield rows


async def postgresql_rows(dsn: str, center_id: int, status: str, batch: int, sheet: MembersSheet) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction(readonly=True):
            cursor = await connection.cursor(active_member_rows_sql("$1", "$2"), center_id, status)
            while rows := await cursor.fetch(batch):
                sheet.add(rows)
    finally:
        await connection.close()


def make(job: dict[str, Any]) -> MembersSheet:
    labels = job["labels"]
    sheet = MembersSheet(SheetLabels(labels["header"], labels["platforms"], labels["title"]), ZoneInfo(job["tz"]),
                         bool(job["workbook"]))
    database, center_id, status, batch = job["database"], int(job["center_id"]), str(job["status"]), int(job["batch"])
    if database["driver"] == "sqlite":
        for rows in sqlite_rows(database["path"], center_id, status, batch):
            sheet.add(rows)
    else:
        asyncio.run(postgresql_rows(database["dsn"], center_id, status, batch, sheet))
    return sheet


def main() -> None:
    os.nice(NICENESS)
    sheet = make(json.loads(sys.stdin.buffer.read()))
    out = sys.stdout.buffer
    out.write(b"%d\n" % sheet.rows)
    out.write(sheet.content())
    out.flush()


if __name__ == "__main__":
    main()
