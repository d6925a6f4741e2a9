"""Start an export worker process (members_worker.py, centers_worker.py), hand it the job, take the file.

The worker runs the same Python (`sys.executable`) on this checkout's code (PYTHONPATH), reads the
database the bot uses, and is killed if it outlives `timeout` or if the bot stops while it
runs. It writes nothing anywhere (the file comes back through a pipe): a crash leaves no temp
file and no row behind. Failures raise ExportFailed; the caller tells the person in Persian.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

log = logging.getLogger(__name__)

CODE_ROOT = Path(__file__).resolve().parents[2]
WORKER = "bot.exports.members_worker"
CENTERS_WORKER = "bot.exports.centers_worker"
STDERR_LINES_LOGGED = 20


class ExportFailed(Exception):
    """The worker crashed, answered nonsense or took longer than its time."""


def database_for_worker(database_url: str) -> dict[str, str] | None:
    """Where the worker finds the database, in its bare driver's terms; None when another
    process cannot reach it (SQLite in memory): the file is then made in the bot's process."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:" or url.query.get("mode") == "memory":
            return None
        return {"driver": "sqlite", "path": str(Path(url.database).resolve())}
    # asyncpg takes a libpq-style address: the same URL without SQLAlchemy's «+asyncpg».
    return {"driver": "postgresql", "dsn": url.set(drivername="postgresql").render_as_string(hide_password=False)}


async def run_worker(job: dict[str, Any], timeout: float, worker: str = WORKER) -> tuple[int, bytes]:
    """(rows, the file's bytes) from one worker process (`python -m worker`); ExportFailed if it
    does not finish well."""
    environment = dict(os.environ)
    environment["PYTHONPATH"] = os.pathsep.join(filter(None, [str(CODE_ROOT), environment.get("PYTHONPATH")]))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", worker, stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE, env=environment, cwd=str(CODE_ROOT),
    )
    try:
        async with asyncio.timeout(timeout):
            out, err = await process.communicate(json.dumps(job).encode())
    except TimeoutError:
        raise ExportFailed(f"the export worker {worker} took more than {timeout:.0f} s; killed") from None
    finally:
        if process.returncode is None:  # timed out, or the bot is stopping: no orphan left behind
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await asyncio.shield(process.wait())
    if process.returncode != 0:
        tail = "\n".join(err.decode("utf-8", "replace").splitlines()[-STDERR_LINES_LOGGED:])
        raise ExportFailed(f"the export worker {worker} exited with {process.returncode}:\n{tail}")
    head, newline, content = out.partition(b"\n")
    if not newline or not head.isdigit():
        raise ExportFailed(f"the export worker {worker} answered without its row count")
    return int(head), content
