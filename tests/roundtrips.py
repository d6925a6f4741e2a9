"""Counting what the bot asks of the database: statements and commits, via engine events."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


@dataclass
class RoundTrips:
    statements: list[str] = field(default_factory=list)
    commits: int = 0

    @property
    def total(self) -> int:
        """Statements and commits: each is a trip to the database (a read-only session's closing
        rollback is not counted: on SQLite it is a no-op, on PostgreSQL the pool's reset)."""
        return len(self.statements) + self.commits


@contextmanager
def counting(engine: AsyncEngine) -> Iterator[RoundTrips]:
    trips = RoundTrips()

    def statement(conn, cursor, sql, *args) -> None:  # noqa: ANN001
        trips.statements.append(sql)

    def commit(conn) -> None:  # noqa: ANN001
        # Under AUTOCOMMIT the driver has no transaction to end: SQLAlchemy still fires the
        # event (asyncpg), but nothing goes to the server.
        if conn.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
            trips.commits += 1

    sync = engine.sync_engine
    event.listen(sync, "before_cursor_execute", statement)
    event.listen(sync, "commit", commit)
    try:
        yield trips
    finally:
        event.remove(sync, "before_cursor_execute", statement)
        event.remove(sync, "commit", commit)
