"""The name-search benchmark at 300 centers (bench/search.py): its seeding keeps the database's
rules (one live center per leader, valid codes) on SQLite and PostgreSQL, and every kind of
search is timed through bot/services/search.py (the 100,000-center run is not a test)."""

from __future__ import annotations

from sqlmodel import func, select

from bench import search
from bot.db.engine import SessionFactory
from bot.db.models import Center
from bot.services import center_codes

CENTERS, PER_KIND = 300, 10


async def test_a_small_run_seeds_by_the_rules_and_times_every_search(database_url: str,
                                                                     sessions: SessionFactory) -> None:
    measured = await search.run(database_url, CENTERS, seed_value=1405, per_kind=PER_KIND)

    async with sessions() as session:
        centers = (await session.exec(select(Center))).all()
        leaders = (await session.exec(select(func.count(func.distinct(Center.leader_id))))).one()
    assert len(centers) == CENTERS and leaders == CENTERS  # each center its own leader
    assert all(center_codes.is_valid(c.code) for c in centers if c.status in ("active", "suspended"))
    assert all(c.code is None for c in centers if c.status in ("awaiting_assistant", "cancelled"))

    assert set(measured.results) == {"exact", "partial", "typo", "short", "common"}
    for kind, ways in measured.results.items():
        assert set(ways) == {search.FIRST, search.AGAIN, search.OLD}, kind
        assert all(len(timing.millis) == PER_KIND and timing.statements >= PER_KIND for timing in ways.values())
    assert measured.results["exact"][search.AGAIN].hits == PER_KIND  # a whole name, as typed, finds it
    assert search.report(measured).count("\n") == 3 + len(measured.results)
