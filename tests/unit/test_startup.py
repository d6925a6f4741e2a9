"""What a start costs (docs/scale.md «Start-up»): work done once per process, not once per client."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
import pytest

from bot import app
from bot.db.engine import create_engine, session_factory
from bot.deps import Deps
from bot.jobs.scheduler import AtStart, Scheduler
from bot.platforms import Platform
from bot.ptb.transport import AiohttpRequest
from bot.settings import Settings


def test_every_bot_api_client_shares_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    real = httpx.create_ssl_context

    def counted() -> object:
        made.append(1)
        return real()

    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    app._tls.cache_clear()
    settings = Settings(_env_file=None, telegram_token="111111:tls-test-token", bale_token="222222:tls-test-token")
    deps = Deps(settings=settings, sessions=session_factory(create_engine("sqlite+aiosqlite://")))
    try:
        built = [app.build_application(platform, deps) for platform in (Platform.TELEGRAM, Platform.BALE)]
    finally:
        app._tls.cache_clear()
    assert len(made) == 1  # the CA certificates read once, not once per client (four here)
    for application in built:
        updates, requests = application.bot._request
        assert isinstance(updates, AiohttpRequest) and isinstance(requests, AiohttpRequest)
        assert updates._tls is requests._tls is not None
        # Slow village links: the timeouts the builder used to set.
        assert (requests.read_timeout, updates.read_timeout) == (20, 35)
        assert (requests._connect, requests._read, requests._write, requests._pool) == (10, 20, 20, 10)
        assert (requests._pool_size, updates._pool_size) == (64, 1)


# --- the start-up jobs (AT_START) run after «ready», in order --------------------------------

@pytest.fixture
async def scheduler() -> AsyncIterator[Scheduler]:
    settings = Settings(_env_file=None)
    scheduler = Scheduler(Deps(settings=settings, sessions=session_factory(create_engine("sqlite+aiosqlite://"))))
    yield scheduler
    await scheduler.finish_start()
    scheduler.stop()


def _job(ran: list[str], name: str, gate: asyncio.Event | None = None, fail: bool = False) -> AtStart:
    async def job(_scheduler: Scheduler) -> None:
        ran.append(f"{name} began")
        if gate is not None:
            await gate.wait()
        if fail:
            raise RuntimeError(name)
        ran.append(f"{name} done")

    return job


async def test_start_returns_before_the_start_up_jobs_which_then_run_in_order(scheduler: Scheduler) -> None:
    ran: list[str] = []
    gate = asyncio.Event()
    await scheduler.start([], [_job(ran, "resume", gate), _job(ran, "arm")])
    assert scheduler.aps.running and "resume done" not in ran  # ready while the first still waits
    gate.set()
    await scheduler.caught_up()
    assert ran == ["resume began", "resume done", "arm began", "arm done"]


async def test_a_failed_start_up_job_does_not_keep_the_next_from_running(
        scheduler: Scheduler, caplog: pytest.LogCaptureFixture) -> None:
    ran: list[str] = []
    await scheduler.start([], [_job(ran, "broken", fail=True), _job(ran, "arm")])
    await scheduler.caught_up()
    assert ran == ["broken began", "arm began", "arm done"]
    assert "start-up job" in caplog.text and "broken" in caplog.text


async def test_a_stop_lets_the_job_in_progress_finish_and_begins_no_other(scheduler: Scheduler) -> None:
    ran: list[str] = []
    gate = asyncio.Event()
    await scheduler.start([], [_job(ran, "resume", gate), _job(ran, "arm")])
    await asyncio.sleep(0)  # the task takes its first step: "resume" is in progress
    stopping = asyncio.create_task(scheduler.finish_start())
    await asyncio.sleep(0)
    assert not stopping.done()  # waits for "resume"
    gate.set()
    await stopping
    assert ran == ["resume began", "resume done"]
    await scheduler.caught_up()  # nothing left to wait for


async def test_a_start_up_job_that_overruns_the_stop_is_cancelled(scheduler: Scheduler) -> None:
    ran: list[str] = []
    await scheduler.start([], [_job(ran, "stuck", asyncio.Event()), _job(ran, "arm")])
    await asyncio.sleep(0)
    await scheduler.finish_start(timeout=0)
    assert ran == ["stuck began"]
