"""What both export workers share (members_worker.py, centers_worker.py): their answer on stdout,
and their reading: one query through the bare driver (sqlite3, or asyncpg for PostgreSQL), its
rows handed on a batch at a time. No SQLAlchemy: a worker's start-up is a small part of a big
file's time.

The query comes as a function of its placeholders (`sql(placeholder)`, placeholder(i) naming the
i-th value), since each driver spells them its own way.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import Any, Protocol

# A worker gives way to the bot on a busy machine: people's updates first, the file meanwhile
# (with a core to spare, as on most servers, it changes nothing).
NICENESS = 10

# SQLite waits this long for a writer's lock before failing (the bot's own busy_timeout).
SQLITE_BUSY_SECONDS = 10.0

# PostgreSQL, for the worker's one read only (SET LOCAL: its transaction; docs/scale.md, «Exports
# stream»). The every-center query is planned dear, so by default the server compiled it with JIT
# every time (3.3 of its 4.0 s on 100,000 centers); parallel workers made both files' reads slower
# still. Without both the same rows come in about half the time. No hash aggregation: the
# every-center file's grouped counts (bot/db/centers_file_query.py) then stream in one pass over the
# memberships index instead of hashing a scan of the whole table; the members file has none.
POSTGRESQL_READ_SETTINGS = {"jit": "off", "max_parallel_workers_per_gather": "0", "enable_hashagg": "off"}

Batch = Sequence[Sequence[Any]]


class Sheet(Protocol):
    @property
    def rows(self) -> int: ...

    def content(self) -> bytes: ...


def serve(make: Callable[[dict[str, Any]], Sheet]) -> None:
    """A worker's main: the job (JSON) from stdin; on stdout the number of rows, a newline, the
    file's bytes. Any failure is a traceback on stderr and a non-zero exit (bot/exports/apart.py)."""
    os.nice(NICENESS)
    # No cyclic garbage collection: the rows and cells are millions of short-lived objects that
    # form no cycles, and the collector's passes over them found nothing while costing 8–26% of a
    # 100,000-center file's CPU (0.3–0.5 s, ~250 passes; docs/scale.md). The process ends with the file.
    gc.disable()
    sheet = make(json.loads(sys.stdin.buffer.read()))
    out = sys.stdout.buffer
    out.write(b"%d\n" % sheet.rows)
    out.write(sheet.content())
    out.flush()


def read(database: dict[str, str], sql: Callable[[Callable[[int], str]], str], values: Sequence[object],
         batch: int, add: Callable[[Batch], None]) -> None:
    if database["driver"] == "sqlite":
        sqlite_rows(database["path"], sql(lambda i: f"?{i + 1}"), values, batch, add)
    else:
        asyncio.run(postgresql_rows(database["dsn"], sql(lambda i: f"${i + 1}"), values, batch, add))


def sqlite_rows(path: str, sql: str, values: Sequence[object], batch: int, add: Callable[[Batch], None]) -> None:
    # Read-only, by URI: a wrong path fails instead of creating an empty database. WAL lets it
    # read while the bot writes.
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=SQLITE_BUSY_SECONDS) as db:
        cursor = db.execute(sql, values)
        while rows := cursor.fetchmany(batch):
            add(rows)


async def postgresql_rows(dsn: str, sql: str, values: Sequence[object], batch: int,
                          add: Callable[[Batch], None]) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    try:
        async with connection.transaction(readonly=True):
            for name, value in POSTGRESQL_READ_SETTINGS.items():
                await connection.execute("SELECT set_config($1, $2, true)", name, value)
            cursor = await connection.cursor(sql, *values)
            # The next batch is asked for before this one is formatted: the server makes it meanwhile.
            following = asyncio.ensure_future(cursor.fetch(batch))
            while rows := await following:
                following = asyncio.ensure_future(cursor.fetch(batch))
                await asyncio.sleep(0)  # the request goes out
                add(rows)
    finally:
        await connection.close()
