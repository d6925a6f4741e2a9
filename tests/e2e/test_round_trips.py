"""What a plain step costs the database, inbox included (docs/scale.md «Per update»).

Every update goes through the inbox (docs/instances.md): stored (one INSERT; on PostgreSQL the
NOTIFY waking the other instances rides in it), claimed, the user's conversation state read,
handled, and marked done. On PostgreSQL a worker's *look* is one statement — the done marks of
what it handled since the last look, the claim and the claimed users' rows together — so a lone
update costs the INSERT and two looks (the one that claims it, the one that marks it done and
claims whatever came meanwhile); on SQLite (no data-modifying CTEs) the done mark, the claim
and the state read are a statement each. State writes join the done mark in one transaction
only when the step changed something. Each of these is a single statement that commits by
itself: no BEGIN, no COMMIT. The step's own work for a returning person is the read of who is
writing plus what the command itself reads; persistence writes nothing when nothing changed."""

from __future__ import annotations

import pytest

from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.roundtrips import counting

pytestmark = pytest.mark.e2e


async def test_a_returning_persons_start_and_help_cost_one_read_each(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform, "مریم", "احمدی")
    await user.send("/start")  # first contact: the row is written
    await user.next_message()
    await harness.settle()
    assert harness.kanoon is not None
    for command in ("/start", "/help", "/start"):
        with counting(harness.kanoon.engine) as trips:
            await user.send(command)
            await user.next_message()
            await harness.settle()
        statements = [s for s in trips.statements if not s.startswith("SELECT count(*)")]  # settle()'s own look
        stored = [s for s in statements if "INSERT INTO inbox_updates" in s]  # on PostgreSQL with the NOTIFY
        looks = [s for s in statements if "claimable" in s]  # on PostgreSQL also the done marks and the state
        done = [s for s in statements if s.startswith("UPDATE inbox_updates SET status")]
        state = [s for s in statements if s not in looks and ("conversation_states" in s or "user_data" in s)]
        # PostgreSQL only: the reply's slot in the send rate shared by every instance (bot/instances/pace.py).
        pace = [s for s in statements if "send_pace" in s]
        own = [s for s in statements if s not in stored + looks + done + state + pace]
        assert trips.commits == 0, trips.statements  # every statement commits by itself
        assert len(stored) == 1 and len(pace) <= 1, [s[:90] for s in trips.statements]
        if harness.kanoon.engine.dialect.name == "postgresql":
            assert "pg_notify" in stored[0]  # no trip of its own on the coordination connection
            # The look that claims the update, the one that marks it done (and claims anything
            # new); a third only if the worker's every-2-s look fell in between. No echo of our
            # own NOTIFY: the storing instance woke its worker in-process already.
            assert (len(done), len(state)) == (0, 0) and 2 <= len(looks) <= 3, statements
            assert all("WITH done AS" in s and "user_data" in s for s in looks), looks  # marks, claim, state
        else:
            assert (len(done), len(state)) == (1, 1), statements
            # The claim; any other is one of the worker's looks for more (once a row is done,
            # and every 2 s), which claim nothing and serve every user at once.
            assert len(looks) >= 1, statements
        # Who is writing and whether they facilitate (the menu's «🧭 رهیاری»): one read, plus
        # /help's own (leader, assistant, member or newcomer: the center they lead, the one they
        # assist, then their membership — at most two more reads, no transaction).
        assert len(own) <= (3 if command == "/help" else 1) and own[0].startswith("SELECT users."), own


async def test_a_changed_profile_is_written_once(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform, "مریم", "احمدی")
    await user.send("/start")
    await user.next_message()
    await harness.settle()
    user.first_name = "مریم‌السادات"
    assert harness.kanoon is not None
    with counting(harness.kanoon.engine) as trips:
        await user.send("/start")
        await user.next_message()
        await harness.settle()
    assert trips.commits == 1, trips.statements
    async with harness.sessions() as session:
        from sqlmodel import select

        from bot.db.models import User

        row = (await session.exec(select(User).where(User.platform_user_id == user.id))).one()
    assert row.first_name == "مریم‌السادات"


async def test_a_join_step_reads_the_card_in_one_statement_without_a_transaction(
    harness: Harness, platform: Platform,
) -> None:
    """A person in the join flow sends a center's code and gets its card (bench/interactive.py's
    join step): who is writing, then the center with its leader, assistant and member count in
    one joined read — no unit of work, no COMMIT. The draft the card changed («🔙» from the name
    shows it again) is written by the inbox's next look, with its done marks (one transaction)."""
    from bot.persian.text import persian_digits
    from tests.e2e.join_helpers import center, person

    staffed = await center(harness, platform)
    member = await person(harness, platform)
    await member.fake.send("/join")
    await member.fake.next_message()
    await harness.settle()
    assert harness.kanoon is not None
    for round_ in range(2):  # the second time the draft is unchanged: nothing to write
        with counting(harness.kanoon.engine) as trips:
            await member.fake.send(persian_digits(staffed.center.code))
            card = await member.fake.next_message()
            await harness.settle()
        assert "راهبر: حسن جمالی" in card.text and "همیار: زهرا قادری" in card.text
        statements = [s for s in trips.statements if not s.startswith("SELECT count(*)")]  # settle()'s own look
        inbox = [s for s in statements if "inbox_updates" in s or "send_pace" in s]
        state = [s for s in statements if "conversation_states" in s or "user_data" in s]
        own = [s for s in statements if s not in inbox + state]
        assert [s.split()[1] for s in own] == ["users.id,", "centers.id,"], own
        assert "JOIN users" in own[1] and "count(*)" in own[1], own[1]
        writes = [s for s in state if not s.lstrip().startswith(("SELECT", "WITH"))]
        assert len(writes) == (1 if round_ == 0 else 0), state
        assert trips.commits == len(writes), trips.statements  # only the look's write of the draft


async def test_the_senders_of_a_claimed_batch_are_read_in_one_statement(
    harness: Harness, platform: Platform, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Who is writing is the first thing every update asks: the inbox reads it for every update
    one look claims, in one statement, and no handler reads it again (bot/actions/users.py)."""
    import asyncio

    from bot.instances import inbox as inbox_module

    people = [harness.user(platform, name) for name in ("مریم", "زهرا", "علی")]
    for person in people:  # first contact: their rows are written
        await person.send("/start")
        await person.next_message()
    await harness.settle()
    assert harness.kanoon is not None
    held, stored = asyncio.Event(), asyncio.Event()
    release = asyncio.Event()
    real_look, real_store = inbox_module.repo.look, inbox_module.repo.store
    pending = 0

    async def held_look(*args: object, **kwargs: object) -> object:
        if held.is_set():
            await release.wait()
        return await real_look(*args, **kwargs)  # type: ignore[arg-type]

    async def counted_store(*args: object, **kwargs: object) -> int:
        nonlocal pending
        new = await real_store(*args, **kwargs)  # type: ignore[arg-type]
        pending += new
        if pending >= len(people):
            stored.set()
        return new

    monkeypatch.setattr(inbox_module.repo, "look", held_look)
    monkeypatch.setattr(inbox_module.repo, "store", counted_store)
    held.set()  # every look from now on waits: the three updates gather in the inbox
    with counting(harness.kanoon.engine) as trips:
        for person in people:
            await person.send("/start")
        await stored.wait()
        release.set()
        for person in people:
            await person.expect("خوش آمدید")
        await harness.settle()
    senders = [s for s in trips.statements if s.lstrip().startswith("SELECT users.")]
    assert len(senders) == 1 and " IN " in senders[0], senders
