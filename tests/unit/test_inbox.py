"""The inbox's rules, on SQLite and PostgreSQL: a redelivered update is stored once; a user's
updates are claimed one at a time and in order; a lost lease is claimed again, and the
instance that lost it can no longer mark the row done (times come from the test, not a clock)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlmodel import select

from bot.db.engine import SessionFactory, autocommit
from bot.db.models import ConversationState, InboxUpdate, UserData
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


async def _look(
    sessions: SessionFactory, instance: str, finished: list[repo.Claimed], now: datetime = T0, limit: int = 10,
    conversations: tuple[str, ...] = (),
) -> repo.Look:
    async with autocommit(sessions) as session:  # as the worker does: atomic alone
        return await repo.look(session, finished, instance, now, now + LEASE, limit, conversations)


async def _postgres(sessions: SessionFactory) -> bool:
    async with sessions() as session:
        return session.bind is not None and session.bind.dialect.name == "postgresql"


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


async def test_a_look_marks_done_and_claims_the_same_users_next_update_at_once(sessions: SessionFactory) -> None:
    # On PostgreSQL one statement: its claim must count the row it marks done as no longer open.
    await _store(sessions, _update(1, 7), _update(2, 7), _update(3, 8))
    first = await _look(sessions, "a", [])
    assert sorted(r.update_id for r in first.claimed) == [1, 3] and first.done == set()
    one = next(r for r in first.claimed if r.update_id == 1)
    second = await _look(sessions, "a", [one])
    assert second.done == {one.id}
    assert [r.update_id for r in second.claimed] == [2]  # 3 is still in hand
    three = next(r for r in first.claimed if r.update_id == 3)
    last = await _look(sessions, "a", [three, second.claimed[0]], limit=0)  # stopping: marks only
    assert last.done == {three.id, second.claimed[0].id} and last.claimed == []
    async with sessions() as session:
        assert (await repo.open_figures(session))[0] == 0


async def test_a_look_neither_marks_a_row_taken_over_nor_claims_past_it(sessions: SessionFactory) -> None:
    await _store(sessions, _update(1, 7), _update(2, 7))
    [held] = await _claim(sessions, "a")
    late = T0 + LEASE + timedelta(seconds=1)
    [again] = await _claim(sessions, "b", now=late)  # a went quiet
    look = await _look(sessions, "a", [held], now=late)
    assert look.done == set() and look.claimed == []  # 2 waits for b's handling of 1
    look = await _look(sessions, "b", [again], now=late)
    assert look.done == {again.id} and [r.update_id for r in look.claimed] == [2]


async def test_a_look_reads_the_claimed_users_rows_with_the_claim_on_postgresql(sessions: SessionFactory) -> None:
    await _store(sessions, _update(1, 7), _update(2, 8))
    async with sessions() as session:
        session.add(ConversationState(platform="telegram", name="register", key="[7, 7]", state='"NAME"'))
        session.add(ConversationState(platform="telegram", name="other", key="[7, 7]", state='"X"'))  # not asked
        session.add(ConversationState(platform="telegram", name="register", key="[-5, 7]", state='"G"'))  # a group
        session.add(ConversationState(platform="bale", name="register", key="[8, 8]", state='"B"'))  # other bot
        session.add(UserData(platform="telegram", user_id=7, data='{"step": 1}'))
        await session.commit()
    look = await _look(sessions, "a", [], conversations=("register",))
    seven, eight = sorted(look.claimed, key=lambda r: r.update_id)
    if not await _postgres(sessions):
        assert not look.read  # SQLite: the worker reads them in a statement of their own
        return
    assert look.read
    assert look.states == {seven.id: {"register": '"NAME"'}}
    assert look.user_data == {seven.id: '{"step": 1}'}
    assert eight.id not in look.states and eight.id not in look.user_data


async def test_storing_wakes_the_listeners_in_the_same_statement_on_postgresql(
    sessions: SessionFactory, database_url: str,
) -> None:
    import asyncio

    if not await _postgres(sessions):
        return  # one instance on SQLite: wake-ups stay in-process
    import asyncpg
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    listener = await asyncpg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                                     database=url.database)
    heard: asyncio.Queue[str] = asyncio.Queue()
    await listener.add_listener("kanoon_test", lambda *args: heard.put_nowait(args[3]))
    try:
        async with autocommit(sessions) as session:
            assert await repo.store(session, "telegram", [_update(1, 7), _update(2, 8)], T0,
                                    notify=("kanoon_test", "k1")) == 2
        assert await asyncio.wait_for(heard.get(), 10) == "k1"
        async with autocommit(sessions) as session:  # a redelivery: nothing new, nobody woken
            assert await repo.store(session, "telegram", [_update(1, 7)], T0, notify=("kanoon_test", "k2")) == 0
            assert await repo.store(session, "telegram", [_update(3, 7)], T0, notify=("kanoon_test", "k3")) == 1
        assert await asyncio.wait_for(heard.get(), 10) == "k3"  # notifications arrive in commit order
    finally:
        await listener.close()


async def test_racing_looks_never_hold_two_of_one_user_and_keep_the_order(sessions: SessionFactory) -> None:
    """As above, each claimer marking what it handled in the statement of its next claim."""
    import asyncio

    users = 10
    await _store(sessions, *(_update(100 + n, n % users) for n in range(120)))
    holding: dict[int, int] = {}
    handled: dict[int, list[int]] = {u: [] for u in range(users)}
    overlaps: list[tuple[int, int, int]] = []

    async def claimer(name: str) -> None:
        idle = 0
        finished: list[repo.Claimed] = []
        while idle < 3:
            look = await _look(sessions, name, finished, limit=3)
            assert look.done == {r.id for r in finished}
            finished = []
            idle = 0 if look.claimed else idle + 1
            for row in look.claimed:
                user = int(row.user_key or 0)
                if user in holding:
                    overlaps.append((user, holding[user], row.update_id))
                holding[user] = row.update_id
            await asyncio.sleep(0)
            for row in look.claimed:
                handled[int(row.user_key or 0)].append(row.update_id)
                del holding[int(row.user_key or 0)]
                finished.append(row)
        assert finished == []

    await asyncio.gather(*(claimer(f"i{n}") for n in range(4)))
    assert overlaps == []
    assert all(ids == sorted(ids) and len(ids) == 12 for ids in handled.values()), handled
