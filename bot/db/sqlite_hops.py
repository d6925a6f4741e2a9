"""One hop to aiosqlite's thread per SQLite statement, instead of four (docs/scale.md «Per update»).

aiosqlite runs sqlite3 on a thread of its own; every call is a hop there and back (a queue put,
a self-pipe write, an event-loop wake-up), which costs more CPU than SQLite's own work on a
one-row read. SQLAlchemy's adapter makes four per statement: make a cursor, execute, fetch the
rows, close. Here the statement's one hop does all four on the thread (`_run`), and the adapter
cursor keeps what SQLAlchemy reads afterwards: the rows, description, rowcount and lastrowid.

Installed through create_engine's documented `module=` (an alternate DBAPI module) by
bot/db/engine.py, SQLite only. Server-side cursors (`session.stream`, the members file) keep
SQLAlchemy's own: they fetch a batch per hop on purpose. What this takes from aiosqlite that is
not its public API — `Connection._execute` (queue a function for its thread) and `._conn` (the
sqlite3 connection on that thread) — SQLAlchemy's own adapter uses too (its isolation level
setter); tests/unit/test_sqlite_hops.py checks both are there and what goes through them.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, cast

import aiosqlite
from sqlalchemy.connectors.asyncio import AsyncAdapt_dbapi_connection, AsyncIODBAPIConnection
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT


class _Finished:
    """What a statement left on its sqlite3 cursor, read on the thread before it was closed."""

    __slots__ = ("description", "rowcount", "lastrowid")

    def __init__(self, description: Any = None, rowcount: int = -1, lastrowid: int | None = None) -> None:  # noqa: ANN401 (sqlite3's description)
        self.description = description
        self.rowcount = rowcount
        self.lastrowid = lastrowid


_NOTHING_YET = _Finished()


def _run(adapted: OneHopConnection, number: int, isolation_level: str | None, operation: str, parameters: Any,  # noqa: ANN401 (a DBAPI's parameters)
         many: bool) -> tuple[_Finished, list[Any]]:
    """On aiosqlite's thread: statement `number` of this connection, whole, its cursor closed
    whatever happens, after the isolation level asked for when it was queued (OneHopConnection).
    rowcount is read after the rows: for an UPDATE … RETURNING sqlite3 counts them as fetched."""
    try:
        sqlite = cast(aiosqlite.Connection, adapted._connection)._conn
        if sqlite.isolation_level != isolation_level:
            sqlite.isolation_level = cast(Any, isolation_level)  # "" too (SQLAlchemy's "not autocommit"), unlike typeshed says
        cursor = sqlite.cursor()
        try:
            if many:
                cursor.executemany(operation, parameters)
            else:
                cursor.execute(operation, parameters)
            rows = cursor.fetchall() if cursor.description else []
            return _Finished(cursor.description, cursor.rowcount, cursor.lastrowid), rows
        finally:
            cursor.close()
    finally:
        adapted._ran = number  # written by this thread only; statements run in the order queued


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's aiosqlite cursor, each statement in one hop: no cursor is made on the thread
    before the statement and none is left open after it, so closing is only forgetting the rows."""

    __slots__ = ("_finished",)
    _awaitable_cursor_close = False  # nothing to close on the thread

    def __init__(self, adapt_connection: AsyncAdapt_dbapi_connection) -> None:
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._finished = _NOTHING_YET
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()

    @property
    def description(self) -> Any:  # noqa: ANN401 (sqlite3's description)
        return self._finished.description

    @property
    def rowcount(self) -> int:
        return self._finished.rowcount

    @property
    def lastrowid(self) -> Any:  # noqa: ANN401 (sqlite3's lastrowid)
        return self._finished.lastrowid

    @property
    def arraysize(self) -> int:
        return 1  # sqlite3's default; every row is here already

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:  # noqa: ANN401 (DBAPI)
        return await self._hop(operation, () if parameters is None else parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:  # noqa: ANN401 (DBAPI)
        return await self._hop(operation, seq_of_parameters, many=True)

    async def _hop(self, operation: str, parameters: Any, many: bool) -> OneHopCursor:  # noqa: ANN401 (DBAPI)
        connection = cast(aiosqlite.Connection, self._connection)
        on_its_thread: Callable[..., Awaitable[tuple[_Finished, list[Any]]]] = connection._execute
        adapted = cast(OneHopConnection, self._adapt_connection)
        async with adapted._execute_mutex:
            adapted._queued += 1
            self._finished, rows = await on_its_thread(_run, adapted, adapted._queued, adapted.isolation_level,
                                                       operation, parameters, many)
        self._rows = collections.deque(rows)
        return self


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """Makes OneHopCursors; a new isolation level (AUTOCOMMIT is sqlite3's None, the rest "")
    is only remembered, and set on the thread by the next statement's hop instead of a hop of
    its own (SQLAlchemy's adapter makes one). sqlite3 reads it only when a statement starts
    (None: no implicit BEGIN before a write), so it is in force for every statement after it
    was asked for. (Set while a transaction is open, None commits it, as sqlite3's setter does;
    SQLAlchemy sets it only between transactions.) Server-side cursors run SELECTs only, which
    sqlite3 runs alike under either level.

    ROLLBACK is skipped (no hop) when sqlite3 has no transaction open and every statement queued
    has run: sqlite3's rollback does nothing then. SQLAlchemy rolls back whenever a connection
    goes back to the pool, and twice after AUTOCOMMIT, where nothing is ever open. After a
    cancelled statement the one still queued may yet open a transaction: then it is not skipped
    (`_queued`, counted here, is ahead of `_ran`, set by the thread when a statement ends).
    Server-side cursors are not counted: SQLAlchemy's own, they run SELECTs, which never open one."""

    __slots__ = ("_isolation_level", "_queued", "_ran")
    _cursor_cls = OneHopCursor

    def __init__(self, dbapi: Any, connection: AsyncIODBAPIConnection) -> None:  # noqa: ANN401 (the DBAPI module)
        super().__init__(dbapi, connection)
        self._isolation_level: str | None = cast(aiosqlite.Connection, connection).isolation_level
        self._queued = self._ran = 0

    def rollback(self) -> None:
        try:
            idle = self._ran == self._queued and not cast(aiosqlite.Connection, self._connection).in_transaction
        except ValueError:  # closed: SQLAlchemy's rollback knows what to do
            idle = False
        if not idle:
            super().rollback()

    @property
    def isolation_level(self) -> str | None:
        return self._isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._isolation_level = value


class OneHopDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """SQLAlchemy's aiosqlite DBAPI module whose connections make OneHopCursors."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:  # noqa: ANN401 (sqlite3.connect's arguments)
        return OneHopConnection(self, super().connect(*arg, **kw)._connection)
