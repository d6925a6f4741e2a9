"""What instances agree on through the database: who leads, who is alive, who runs which task,
and wake-up calls between them.

On PostgreSQL each instance keeps one connection of its own (not from the pool) and holds on it:
- the **alive** lock, an advisory lock on its own number: other instances see it in pg_locks,
  and it vanishes the moment the process dies (its connection closes), so what a dead instance
  had claimed can be handed back without waiting for a lease;
- the **leader** lock (`pg_try_advisory_lock`), taken by whichever instance asks first;
- a **task** lock per long task that must run once in the cluster (a broadcast batch, the
  notice resender): bot/instances/background.py;
- LISTEN for wake-ups: a new update in the inbox, "re-arm the jobs" for the leader, "stop this
  task" for the instance that runs it (NOTIFY, sent within the transaction that made the change).

TCP keepalives on that connection make the server notice a vanished machine in about 25 s, so
a leader whose machine died is replaced within the 30 s the issue asks for.

On SQLite there is one instance: it always leads, every lock is its own, wake-ups are local,
and a lock file next to the database makes a second instance refuse to start.
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import os
import secrets
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import ConfigError

log = logging.getLogger(__name__)

# Channels for wake-ups between instances.
INBOX_CHANNEL = "kanoon_inbox"  # an update was stored: claim it
JOBS_CHANNEL = "kanoon_jobs"  # a follower armed a job: the leader re-arms from rows
STOP_CHANNEL = "kanoon_stop"  # payload: a task key; its runner stops it

# Advisory lock namespaces (the first of the two int4 keys); "kan" + a kind.
_LEADER = 0x6B616E00
_ALIVE = 0x6B616E01
_TASK = 0x6B616E02

Listener = Callable[[str], None]


def new_instance_name() -> tuple[str, int]:
    """A fresh name per process start: `k` + 8 hex digits, and the number they spell."""
    number = secrets.randbits(31)
    return f"k{number:08x}", number


def _task_key(key: str) -> int:
    return zlib.crc32(key.encode()) - 2**31  # int4


class Coordinator(Protocol):
    instance: str
    distributed: bool  # several instances can run (PostgreSQL)

    async def open(self) -> None: ...

    async def close(self) -> None: ...

    async def try_lead(self) -> bool: ...

    async def still_leading(self) -> bool: ...

    async def resign(self) -> None: ...

    async def try_lock(self, key: str) -> bool: ...

    async def unlock(self, key: str) -> None: ...

    async def live_instances(self) -> set[str]: ...

    async def notify(self, channel: str, payload: str = "") -> None: ...

    def listen(self, channel: str, listener: Listener) -> None: ...


class LocalCoordinator:
    """One instance on SQLite: it leads, its locks are uncontested, wake-ups stay in-process."""

    distributed = False

    def __init__(self, database_url: str) -> None:
        self.instance, _ = new_instance_name()
        self._listeners: dict[str, list[Listener]] = {}
        self._lock_file: Any = None
        url = make_url(database_url)
        database = url.database or ""
        self._lock_path = Path(database + ".lock") if database and database != ":memory:" else None

    async def open(self) -> None:
        if self._lock_path is None:
            return
        handle = open(self._lock_path, "a+")  # noqa: SIM115 — held open for the process's life
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise ConfigError(
                f"Another Kanoon instance ({holder}) is already running on the SQLite database "
                f"{self._lock_path.with_suffix('')}. SQLite serves one instance: stop the other one, or "
                "set DATABASE_URL to a PostgreSQL database (postgresql+asyncpg://…) to run several "
                "(docs/deploy.md)."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}, instance {self.instance}\n")
        handle.flush()
        self._lock_file = handle

    async def close(self) -> None:
        if self._lock_file is not None:
            fcntl.flock(self._lock_file, fcntl.LOCK_UN)
            self._lock_file.close()
            self._lock_file = None

    async def try_lead(self) -> bool:
        return True

    async def still_leading(self) -> bool:
        return True

    async def resign(self) -> None:
        pass

    async def try_lock(self, key: str) -> bool:
        return True  # one process: bot/sending/background.py already runs one task per key

    async def unlock(self, key: str) -> None:
        pass

    async def live_instances(self) -> set[str]:
        return {self.instance}

    async def notify(self, channel: str, payload: str = "") -> None:
        for listener in self._listeners.get(channel, []):
            listener(payload)

    def listen(self, channel: str, listener: Listener) -> None:
        self._listeners.setdefault(channel, []).append(listener)


class PostgresCoordinator:
    """Several instances on one PostgreSQL database (see the module's docstring)."""

    distributed = True

    def __init__(self, engine: AsyncEngine) -> None:
        self.instance, self.number = new_instance_name()
        self._engine = engine
        self._connection: Any = None
        self._lock = asyncio.Lock()  # one query at a time on the connection
        self._listeners: dict[str, list[Listener]] = {}
        self._tasks: set[str] = set()
        self.leading = False

    async def _connect(self) -> Any:
        import asyncpg  # only needed on PostgreSQL

        _, options = self._engine.dialect.create_connect_args(self._engine.url)
        options = {k: v for k, v in options.items() if k in {"host", "port", "user", "password", "database", "ssl"}}
        connection = await asyncpg.connect(
            **options, timeout=10,
            server_settings={
                "application_name": f"kanoon {self.instance}",
                # A machine that vanished (no FIN) is noticed in ~10 + 3×5 s.
                "tcp_keepalives_idle": "10", "tcp_keepalives_interval": "5", "tcp_keepalives_count": "3",
            },
        )
        await connection.execute("SELECT pg_advisory_lock($1, $2)", _ALIVE, self.number)
        for channel in self._listeners:
            await connection.add_listener(channel, self._dispatch)
        return connection

    async def open(self) -> None:
        self._connection = await self._connect()

    async def close(self) -> None:
        connection, self._connection = self._connection, None
        self.leading = False
        if connection is not None:
            try:
                await connection.close(timeout=5)
            except Exception:  # closing is best effort: the server drops our locks either way
                connection.terminate()

    async def _run(self, query: str, *args: Any) -> Any:
        """One query on the coordination connection; reconnects (locks lost) if it broke."""
        async with self._lock:
            if self._connection is None or self._connection.is_closed():
                self.leading = False
                self._tasks.clear()
                self._connection = await self._connect()
                log.warning("coordination connection re-opened as %s; leadership and task locks were lost",
                            self.instance)
            try:
                return await self._connection.fetchval(query, *args)
            except (OSError, asyncio.TimeoutError, ConnectionError) as exc:
                log.warning("coordination connection failed: %s", exc)
                self._connection.terminate()
                self._connection = None
                raise

    async def try_lead(self) -> bool:
        try:
            self.leading = bool(await self._run("SELECT pg_try_advisory_lock($1, 0)", _LEADER))
        except Exception:
            self.leading = False
        return self.leading

    async def still_leading(self) -> bool:
        """The lock is held as long as our connection lives: check that it does."""
        if not self.leading:
            return False
        try:
            held = await self._run(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid() "
                "AND classid = $1 AND objid = 0 AND objsubid = 2 AND granted", _LEADER,
            )
        except Exception:
            held = 0
        self.leading = bool(held)
        return self.leading

    async def resign(self) -> None:
        if self.leading:
            self.leading = False
            try:
                await self._run("SELECT pg_advisory_unlock($1, 0)", _LEADER)
            except Exception:  # the connection is gone, and the lock with it
                pass

    async def try_lock(self, key: str) -> bool:
        if key in self._tasks:  # session locks stack; this process runs a key once anyway
            return False
        if await self._run("SELECT pg_try_advisory_lock($1, $2)", _TASK, _task_key(key)):
            self._tasks.add(key)
            return True
        return False

    async def unlock(self, key: str) -> None:
        if key in self._tasks:
            self._tasks.discard(key)
            try:
                await self._run("SELECT pg_advisory_unlock($1, $2)", _TASK, _task_key(key))
            except Exception:
                pass

    async def live_instances(self) -> set[str]:
        numbers = await self._run(
            "SELECT coalesce(array_agg(objid::bigint), '{}') FROM pg_locks WHERE locktype = 'advisory' "
            "AND classid = $1 AND objsubid = 2 AND granted "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())", _ALIVE,
        )
        return {f"k{int(n):08x}" for n in numbers}

    async def notify(self, channel: str, payload: str = "") -> None:
        await self._run("SELECT pg_notify($1, $2)", channel, payload)

    def listen(self, channel: str, listener: Listener) -> None:
        first = channel not in self._listeners
        self._listeners.setdefault(channel, []).append(listener)
        if first and self._connection is not None:
            asyncio.get_running_loop().create_task(self._add_listener(channel))

    async def _add_listener(self, channel: str) -> None:
        async with self._lock:
            if self._connection is not None:
                await self._connection.add_listener(channel, self._dispatch)

    def _dispatch(self, _connection: Any, _pid: int, channel: str, payload: str) -> None:
        for listener in self._listeners.get(channel, []):
            try:
                listener(payload)
            except Exception:
                log.exception("listener for %s failed", channel)


def coordinator_for(engine: AsyncEngine, database_url: str) -> LocalCoordinator | PostgresCoordinator:
    if engine.dialect.name == "postgresql":
        return PostgresCoordinator(engine)
    return LocalCoordinator(database_url)

