"""The movable clock, and the scheduler following deps.clock when it jumps (no waiting on real time)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.clock import MovableClock
from bot.deps import Deps
from bot.jobs.scheduler import Periodic, Scheduler
from bot.settings import Settings

START = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)


def test_movable_clock_runs_on_from_where_it_was_moved() -> None:
    wall = [START]
    clock = MovableClock(lambda: wall[0])
    assert clock() == START
    clock.advance(timedelta(hours=1))
    wall[0] += timedelta(minutes=5)
    assert clock() == START + timedelta(hours=1, minutes=5)
    with pytest.raises(ValueError):
        clock.advance(timedelta(seconds=-1))
    clock.freeze()
    wall[0] += timedelta(hours=3)
    assert clock() == START + timedelta(hours=1, minutes=5)
    clock.reset()
    assert clock() == wall[0]


@pytest.fixture
async def scheduler() -> Scheduler:
    deps = Deps(settings=Settings(_env_file=None), sessions=None)  # type: ignore[arg-type]
    clock = MovableClock()
    clock.freeze(START)
    deps.clock = clock
    scheduler = Scheduler(deps)
    yield scheduler
    scheduler.stop()


async def test_catch_up_runs_what_the_jump_made_due_in_order_and_once(scheduler: Scheduler) -> None:
    ran: list[str] = []

    def job(name: str):  # noqa: ANN202
        async def run(deps: Deps) -> None:
            ran.append(name)
        return run

    sweeps: list[datetime] = []

    async def sweep(deps: Deps) -> None:
        sweeps.append(deps.clock())

    await scheduler.start([Periodic("sweep", 3600, sweep)], [])
    clock: MovableClock = scheduler.deps.clock  # type: ignore[assignment]
    scheduler.at("late", START + timedelta(hours=3), job("late"))
    scheduler.at("soon", START + timedelta(hours=2), job("soon"))
    scheduler.at("gone", START + timedelta(hours=1), job("gone"))
    scheduler.cancel("gone")
    assert scheduler.next_due() == START + timedelta(hours=2)

    clock.advance(timedelta(hours=1))
    await scheduler.catch_up()
    assert ran == [] and sweeps == [START + timedelta(hours=1)]

    clock.advance(timedelta(hours=5))
    await scheduler.catch_up()
    assert ran == ["soon", "late"] and scheduler.next_due() is None
    await scheduler.catch_up()
    assert ran == ["soon", "late"] and len(sweeps) == 3


async def test_one_off_jobs_wait_on_the_wall_clock_for_the_time_by_deps_clock(scheduler: Scheduler) -> None:
    async def nothing(deps: Deps) -> None:
        pass

    await scheduler.start([], [])
    clock: MovableClock = scheduler.deps.clock  # type: ignore[assignment]
    clock.reset()
    clock.advance(timedelta(days=2))  # the bot's time is two days ahead of the wall clock
    scheduler.at("reminder", clock() + timedelta(hours=1), nothing)
    wall_run = scheduler.aps.get_job("reminder").next_run_time
    assert abs(wall_run - (datetime.now(timezone.utc) + timedelta(hours=1))) < timedelta(minutes=1)
