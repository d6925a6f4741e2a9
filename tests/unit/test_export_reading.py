"""The export workers' process (bot/exports/worker.py): it makes the file without the cyclic garbage
collector, whose passes over the rows found nothing and cost up to a quarter of the CPU.

Their reading on PostgreSQL: their one query runs without
JIT compilation and without parallel workers, which on the national 100,000 centers cost the server
more than the reading itself, and without hash aggregation (the every-center file's grouped counts
stream over the index instead; docs/scale.md, «Exports stream»). Only their transaction: SET LOCAL."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import os
import sys
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

import pytest

from bot.exports import apart, worker
from tests.conftest import POSTGRES_URL

postgres_only = pytest.mark.skipif(not POSTGRES_URL, reason="PostgreSQL's planner settings (TEST_DATABASE_URL)")

SETTINGS_SEEN = ("SELECT current_setting('jit'), current_setting('max_parallel_workers_per_gather'), "
                 "current_setting('enable_hashagg'), {marker}::int")


@postgres_only
async def test_the_worker_reads_postgresql_without_jit_or_parallel_workers() -> None:
    database = apart.database_for_worker(str(POSTGRES_URL))  # the test server; no table is read
    assert database is not None and database["driver"] == "postgresql"
    seen: list[Sequence[Any]] = []

    def add(rows: Sequence[Sequence[Any]]) -> None:
        seen.extend(tuple(row) for row in rows)

    await asyncio.to_thread(worker.read, database, lambda placeholder: SETTINGS_SEEN.format(marker=placeholder(0)),
                            [7], 100, add)

    assert seen == [("off", "0", "off", 7)]


class _Sheet:
    def __init__(self, collecting: bool) -> None:
        self.rows, self.collecting = 1, collecting

    def content(self) -> bytes:
        return b"collecting" if self.collecting else b"not collecting"


def test_the_worker_makes_its_file_without_the_garbage_collector(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "nice", lambda increment: 0)  # this test's process keeps its priority
    monkeypatch.setattr(sys, "stdin", SimpleNamespace(buffer=io.BytesIO(json.dumps({"job": 1}).encode())))
    out = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", SimpleNamespace(buffer=out))
    jobs: list[dict[str, Any]] = []

    def make(job: dict[str, Any]) -> _Sheet:
        jobs.append(job)
        return _Sheet(gc.isenabled())

    assert gc.isenabled()
    try:
        worker.serve(make)
    finally:
        gc.enable()  # the test's process goes on

    assert jobs == [{"job": 1}] and out.getvalue() == b"1\nnot collecting"
