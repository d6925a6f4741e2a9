"""The inbox's rules, on SQLite and PostgreSQL: a redelivered update is stored once; a user's
updates are claimed one at a time and in order; a lost lease is claimed again, and the
instance that lost it can no longer mark the row done (times come from the test, not a clock)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import select

from bot.db.engine import SessionFactory
from bot.db.models import InboxUpdate
from bot.db.repo import inbox as repo
from bot.db.repo.inbox import Received
from bot.instances.state import user_key

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc)
LEASE = timedelta(seconds=60)


def _update(update_id: int, user: int, text: str = "hi") -> Received:
    payload = {"update_id": update_id, "message": {"message_id": 1, "from": {"id": user}, "chat": {"id": user}, "text": text}}
    return Received(update_id, user_key(payload), str(payload))


async def _store(sessions: SessionFactory, *updates: Received, platform: str = "telegram") -> int:
    async with sessions() as session:
        new = await repo.store(session, platform, list(updates), T0)
        await session.commit()
    return new


async def _claim(sessions: SessionFactory, instance: str, now: datetime = T0, limit: int = 10) -> list[repo.Claimed]:
    async with sessions() as session:
        claimed = await repo.claim(session, instance, now, now + LEASE, limit)
        await session.commit()
    return claimed


async def _finish(sessions: SessionFactory, row: repo.Claimed, instance: str) -> bool:
    async with sessions() as session:
        done = await repo.finish(session, row, instance, T0)
        await session.commit()
    return done


async def test_a_redelivered_update_is_stored_once_per_platform(sessions: SessionFactory) -> None:
    assert await _store(sessions, _update(1, 7), _update(2, 7)) == 2
    assert await _store(sessions, _update(2, 7), _update(3, 7)) == 1  # 2 came again
    assert await _store(sessions, _update(1, 7), platform="bale") == 1  # the other bot's own ids
    async with sessions() as session:
        rows = (await session.exec(select(InboxUpdate.platform, InboxUpdate.update_id))).all()
    assert sorted(rows) == [("bale", 1), ("telegram", 1), ("telegram", 2), ("telegram", 3)]


async def test_one_users_updates_one_at_a_time_in_order_others_meanwhile(sessions: SessionFactory) -> None:
    # Stored out of order (two webhook calls crossing): order is by update_id, not arrival.
    await _store(sessions, _update(12, 7), _update(10, 7), _update(11, 7), _update(20, 8), _update(30, None))  # type: ignore[arg-type]
    first = await _claim(sessions, "a")
    assert sorted(r.update_id for r in first) == [10, 20, 30]  # user 7's first, user 8's, the user-less one
    assert await _claim(sessions, "b") == []  # 11 waits for 10, even on another instance
    by_id = {r.update_id: r for r in first}
    assert await _finish(sessions, by_id[10], "a")
    second = await _claim(sessions, "b")
    assert [r.update_id for r in second] == [11]
    assert await _finish(sessions, second[0], "b")
    assert [r.update_id for r in await _claim(sessions, "a")] == [12]


async def test_a_lost_lease_is_claimed_again_and_the_old_claim_cannot_finish(sessions: SessionFactory) -> None:
    await _store(sessions, _update(1, 7), _update(2, 7))
    [held] = await _claim(sessions, "a")
    assert await _claim(sessions, "b", now=T0 + LEASE - timedelta(seconds=1)) == []  # still a's
    [again] = await _claim(sessions, "b", now=T0 + LEASE + timedelta(seconds=1))  # a went quiet
    assert again.update_id == 1 and again.attempts == 2
    assert not await _finish(sessions, held, "a")  # too late: b holds it now
    assert await _claim(sessions, "a", now=T0 + LEASE + timedelta(seconds=2)) == []  # 2 still waits
    assert await _finish(sessions, again, "b")
    assert [r.update_id for r in await _claim(sessions, "a", now=T0 + LEASE + timedelta(seconds=3))] == [2]


async def test_renewing_keeps_the_lease(sessions: SessionFactory) -> None:
    await _store(sessions, _update(1, 7))
    [held] = await _claim(sessions, "a")
    async with sessions() as session:
        assert await repo.renew(session, [held.id], "a", T0 + 2 * LEASE) == 1
        assert await repo.renew(session, [held.id], "b", T0 + 9 * LEASE) == 0  # not b's to renew
        await session.commit()
    assert await _claim(sessions, "b", now=T0 + LEASE + timedelta(seconds=1)) == []
    assert len(await _claim(sessions, "b", now=T0 + 2 * LEASE + timedelta(seconds=1))) == 1


async def test_claims_of_instances_that_are_gone_are_handed_back(sessions: SessionFactory) -> None:
    await _store(sessions, _update(1, 7), _update(2, 8), _update(3, 9))
    claimed = await _claim(sessions, "a", limit=2)
    await _claim(sessions, "b", limit=1)
    async with sessions() as session:
        assert await repo.release(session, alive={"b"}) == 2  # a is gone
        await session.commit()
    assert sorted(r.update_id for r in await _claim(sessions, "c")) == sorted(r.update_id for r in claimed)
    async with sessions() as session:
        assert await repo.release(session, instance="b") == 1  # b stops and hands back its own
        await session.commit()
        assert (await repo.open_figures(session))[0] == 3


async def test_a_row_given_up_frees_the_users_next_update(sessions: SessionFactory) -> None:
    await _store(sessions, _update(1, 7), _update(2, 7))
    [held] = await _claim(sessions, "a")
    async with sessions() as session:
        assert await repo.finish(session, held, "a", T0, failed="ValueError: not an update")
        await session.commit()
    assert [r.update_id for r in await _claim(sessions, "a")] == [2]
    async with sessions() as session:
        row = (await session.exec(select(InboxUpdate).where(InboxUpdate.update_id == 1))).one()
    assert row.status == "failed" and row.error == "ValueError: not an update"


async def test_handled_rows_are_kept_two_days_for_redeliveries(sessions: SessionFactory) -> None:
    await _store(sessions, _update(1, 7))
    [held] = await _claim(sessions, "a")
    await _finish(sessions, held, "a")
    async with sessions() as session:
        assert await repo.prune(session, T0 - timedelta(seconds=1)) == 0
        assert await repo.prune(session, T0 + timedelta(seconds=1)) == 1
        await session.commit()


def test_the_order_key_is_the_sender_else_the_chat() -> None:
    assert user_key({"update_id": 1, "callback_query": {"id": "q", "from": {"id": 5}, "message": {"chat": {"id": 9}}}}) == 5
    assert user_key({"update_id": 1, "channel_post": {"chat": {"id": -100}}}) == -100
    assert user_key({"update_id": 1}) is None


async def test_racing_claimers_never_hold_two_of_one_user_and_keep_the_order(sessions: SessionFactory) -> None:
    """Four claimers on their own connections, 120 updates of 10 users, each handled and finished."""
    import asyncio

    users = 10
    await _store(sessions, *(_update(100 + n, n % users) for n in range(120)))
    holding: dict[int, int] = {}  # user → update_id being handled
    handled: dict[int, list[int]] = {u: [] for u in range(users)}
    overlaps: list[tuple[int, int, int]] = []

    async def claimer(name: str) -> None:
        idle = 0
        while idle < 3:
            claimed = await _claim(sessions, name, limit=3)
            idle = 0 if claimed else idle + 1
            for row in claimed:
                user = int(row.user_key or 0)
                if user in holding:
                    overlaps.append((user, holding[user], row.update_id))
                holding[user] = row.update_id
            await asyncio.sleep(0)  # let the others claim while these are "handled"
            for row in claimed:
                handled[int(row.user_key or 0)].append(row.update_id)
                del holding[int(row.user_key or 0)]
                assert await _finish(sessions, row, name)

    await asyncio.gather(*(claimer(f"i{n}") for n in range(4)))
    assert overlaps == []
    assert all(ids == sorted(ids) and len(ids) == 12 for ids in handled.values()), handled
