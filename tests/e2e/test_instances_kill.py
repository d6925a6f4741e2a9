"""kill -9 of one of two real `python main.py` instances (webhook mode, PostgreSQL): during a
1,000-member broadcast and during a burst of 200 users.

What a process killed mid-request had in flight at the platform cannot be known: the message
may have arrived or not. A platform that accepted it and lost the answer would make any bot
send it again; that case is documented (docs/instances.md), and these tests fix the moment
of the kill so that it does not arise: sends are held at the fake API (a `Gate`), the test
waits until everything the platform accepted has been recorded, kills, and answers the dead
instance's held sends with an error, unprocessed — they never arrived. Then no update may be
lost or handled twice, no member called twice, the broadcast must finish, the scheduler must
move to the survivor and a reminder falling due during the failover must be sent once.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import jdatetime
import pytest
from aiohttp import web
from sqlalchemy import func, insert
from sqlmodel import select

from bot.db.engine import SessionFactory, create_engine, session_factory
from bot.db.models import Campaign, Delivery, InboxUpdate, Membership, Reminder, User
from bot.persian.text import utcnow
from bot.platforms import Platform
from tests.conftest import POSTGRES_URL
from tests.e2e.campaign_helpers import CALL_QUESTION, create_campaign
from tests.e2e.cluster import Node, RoundRobinProxy
from tests.e2e.harness import TOKENS, USERNAMES
from tests.factories import add_member, make_active_center, make_user
from bot.emulator import FakeBotApi

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not POSTGRES_URL, reason="several instances need PostgreSQL (TEST_DATABASE_URL)"),
]

MEMBERS = 1000
BURST = 200
FIRST_MEMBER = 30_000_000
TEHRAN = ZoneInfo("Asia/Tehran")


class Gate:
    """The fake API served on one extra port per instance, so each call's sender is known.

    While closed, sendMessage calls wait at the server, in flight. `drop(port)` makes those of
    a dead instance fail unprocessed (they never reached the platform); `open()` lets the rest
    through. Counts what each port had accepted.
    """

    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.held: Counter[int] = Counter()
        self.accepted: Counter[int] = Counter()
        self.dropped: set[int] = set()
        self._open = asyncio.Event()
        self._open.set()
        self._original = api._handle
        api._handle = self._handle  # type: ignore[method-assign]  # before api.start(): the route uses it

    async def add_port(self) -> tuple[str, int]:
        assert self.api._runner is not None
        known = set(self.api._runner.addresses)
        await web.TCPSite(self.api._runner, "127.0.0.1", 0).start()
        (address,) = set(self.api._runner.addresses) - known
        return f"http://127.0.0.1:{address[1]}/bot", address[1]

    def close(self) -> None:
        self._open.clear()

    def drop(self, port: int) -> None:
        self.dropped.add(port)

    def open(self) -> None:
        self._open.set()

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        port = request.transport.get_extra_info("sockname")[1] if request.transport else 0
        sending = request.match_info["method"].lower() == "sendmessage"
        if sending and not self._open.is_set():
            self.held[port] += 1
            self.api._signal.notify()
            await self._open.wait()
            self.held[port] -= 1
            if port in self.dropped:
                return web.json_response({"ok": False, "error_code": 502, "description": "Bad Gateway"}, status=502)
        response = await self._original(request)
        if sending and response.status == 200:
            self.accepted[port] += 1
        return response


async def until(predicate: Callable[[], object], what: str, timeout: float = 60, every: float = 0.02) -> None:
    """Wait for a condition over the database or the fake API (looked at every `every` s)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return
        if loop.time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(every)


@pytest.fixture
async def sessions_(database_url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()


@pytest.fixture
async def world(database_url: str, tmp_path: Path) -> AsyncIterator[dict]:
    api = FakeBotApi(flavour="telegram", bot_username=USERNAMES[Platform.TELEGRAM])
    gate = Gate(api)
    await api.start()
    proxy = RoundRobinProxy()
    await proxy.start()
    nodes: list[Node] = []

    async def node() -> Node:
        base_url, port = await gate.add_port()
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_TOKEN", "_API_URL")) and k != "DATABASE_URL"}
        env.update(
            TELEGRAM_TOKEN=TOKENS[Platform.TELEGRAM], TELEGRAM_API_URL=base_url, DATABASE_URL=database_url,
            WEBHOOK_URL=proxy.url, HTTP_HOST="127.0.0.1", HTTP_PORT="0", LEADER_CHECK_SECONDS="0.5",
            SEND_RATE="200", LOG_LEVEL="INFO",
        )
        started = Node(env, tmp_path)
        nodes.append(started)
        await started.start()
        started.api_port = port  # type: ignore[attr-defined]
        proxy.targets.append(f"http://127.0.0.1:{started.port}")
        return started

    yield {"api": api, "gate": gate, "proxy": proxy, "node": node}
    gate.open()
    for started in nodes:
        await started.stop()
    await proxy.stop()
    await api.stop()


def forget(proxy: RoundRobinProxy, node: Node) -> None:
    """What a proxy's health check does once the instance stops answering."""
    proxy.targets.remove(f"http://127.0.0.1:{node.port}")


async def count(sessions: SessionFactory, query) -> int:  # noqa: ANN001
    async with sessions() as session:
        return int((await session.exec(query)).one())


async def test_kill_9_of_the_leader_during_a_broadcast(world: dict, sessions_: SessionFactory) -> None:
    api: FakeBotApi = world["api"]
    gate: Gate = world["gate"]
    leader_fake = api.user(9_100_001, "راهبر", started=True)
    assistant_fake = api.user(9_100_002, "همیار", started=True)
    leader = await make_user(sessions_, "telegram", leader_fake.user_id, first_name="راهبر")
    assistant = await make_user(sessions_, "telegram", assistant_fake.user_id, first_name="همیار")
    center = await make_active_center(sessions_, leader, assistant)
    members = [api.user(FIRST_MEMBER + n, f"عضو{n}", started=True) for n in range(MEMBERS)]
    now = utcnow()
    async with sessions_() as session:
        await session.exec(insert(User), params=[  # type: ignore[call-overload]
            {"platform": "telegram", "platform_user_id": m.user_id, "first_name": m.first_name, "created_at": now}
            for m in members])
        ids = (await session.exec(select(User.id).where(User.platform_user_id >= FIRST_MEMBER))).all()
        await session.exec(insert(Membership), params=[  # type: ignore[call-overload]
            {"center_id": center.id, "user_id": uid, "status": "active", "source": "code", "requested_at": now,
             "decided_at": now} for uid in ids])
        await session.commit()

    first = await world["node"]()  # the leader
    when = jdatetime.datetime.fromgregorian(datetime=(now + timedelta(days=2)).astimezone(TEHRAN))
    await create_campaign(leader_fake, when=f"{when.year}/{when.month}/{when.day} 18:30")
    second = await world["node"]()
    assert b"leads" in b"".join(first.lines) and b"leads" not in b"".join(second.lines)

    recipients = [*members, assistant_fake]

    def calls() -> int:  # the leader's own preview shows the call too: not counted
        return sum(1 for r in recipients for m in r.messages if CALL_QUESTION in m.text)

    await until(lambda: calls() >= 300, "300 calls", timeout=240, every=0.2)
    gate.close()  # the leader's next sends wait at the platform, in flight
    sent = select(func.count()).select_from(Delivery).where(Delivery.purpose == "campaign", Delivery.status == "sent")
    await until(lambda: gate.held[first.api_port] >= 1, "a send in flight")  # type: ignore[attr-defined]

    async def everything_accepted_is_recorded() -> bool:
        return await count(sessions_, sent) == calls()

    await until(everything_accepted_is_recorded, "accepted sends recorded")
    # A small center's reminder, due while the leadership changes hands.
    reminded = await reminder_due_soon(sessions_, api, seconds=1.5)
    loop = asyncio.get_running_loop()
    killed_at = loop.time()
    await first.kill()
    forget(world["proxy"], first)
    gate.drop(first.api_port)  # type: ignore[attr-defined]
    gate.open()
    await second.wait_for(b"leads", timeout=30)
    failover = loop.time() - killed_at
    assert failover < 30

    try:
        # Generous: on a loaded 2-core machine the fake API and both bots share the CPU.
        await until(lambda: calls() >= len(recipients), "every member called", timeout=600, every=0.5)
    except AssertionError:
        print(second.log())
        raise
    await until(lambda: all(len(r.messages) >= 1 for r in reminded), "the reminder", timeout=30)
    await second.stop()  # lets anything in flight settle
    called = Counter(r.user_id for r in recipients for m in r.messages if CALL_QUESTION in m.text)
    assert set(called.values()) == {1}, [uid for uid, n in called.items() if n > 1][:10]
    assert [len(r.messages) for r in reminded] == [1, 1, 1, 1]
    async with sessions_() as session:
        campaign = (await session.exec(select(Campaign).where(Campaign.center_id == center.id))).one()
        statuses = Counter((await session.exec(select(Delivery.status).where(
            Delivery.purpose == "campaign", Delivery.ref_id == campaign.id))).all())
        reminder_rows = (await session.exec(select(Reminder.status).where(Reminder.campaign_id != campaign.id))).all()
    assert statuses == {"sent": MEMBERS + 1}
    assert reminder_rows == ["sent"] and campaign.status == "sent"  # the broadcast finished
    print(f"failover took {failover:.2f}s")


async def reminder_due_soon(sessions: SessionFactory, api: FakeBotApi, seconds: float) -> list:
    """A center whose assistant and three members received a campaign's call, and its reminder
    due in `seconds`; returns those four."""
    people = []
    for n in range(5):
        fake = api.user(9_200_000 + n, f"ب{n}", started=True)
        people.append((fake, await make_user(sessions, "telegram", fake.user_id, first_name=fake.first_name)))
    (_, leader), (_, assistant), *members = people
    center = await make_active_center(sessions, leader, assistant, name="کانون دوم")
    for _, row in members:
        await add_member(sessions, center, row)
    now = utcnow()
    async with sessions() as session:
        campaign = Campaign(center_id=center.id, created_by=leader.id, kind="campaign", title="پاک‌سازی چشمه",
                            body="بیایید.", starts_at=now + timedelta(seconds=seconds), reminder_offsets="0",
                            status="sent", created_at=now)
        session.add(campaign)
        await session.flush()
        for user in (assistant, *(row for _, row in members)):
            session.add(Delivery(purpose="campaign", ref_id=campaign.id, user_id=user.id, status="sent",
                                 attempts=1, created_at=now, sent_at=now))
        session.add(Reminder(campaign_id=campaign.id, offset_minutes=0, due_at=now + timedelta(seconds=seconds)))
        await session.commit()
    return [fake for fake, _ in people[1:]]


async def test_kill_9_of_an_instance_during_a_burst_of_users(world: dict, sessions_: SessionFactory) -> None:
    api: FakeBotApi = world["api"]
    gate: Gate = world["gate"]
    first = await world["node"]()
    second = await world["node"]()  # the one killed
    users = [api.user(40_000_000 + n, f"کاربر{n}") for n in range(BURST)]
    for user in users:
        await user.send("/start")

    def welcomed() -> int:
        return sum(1 for u in users if u.messages)

    await until(lambda: welcomed() >= BURST // 3, "a third of the burst answered", timeout=240, every=0.1)
    gate.close()
    port = second.api_port  # type: ignore[attr-defined]
    await until(lambda: gate.held[port] >= 1, "an update of the second instance in flight")
    done_by_second = select(func.count()).select_from(InboxUpdate).where(
        InboxUpdate.claimed_by == second.name, InboxUpdate.status == "done")

    async def replies_recorded() -> bool:
        return await count(sessions_, done_by_second) == gate.accepted[port]

    await until(replies_recorded, "every answered update of the second instance marked done")
    await second.kill()
    forget(world["proxy"], second)
    gate.drop(port)
    gate.open()
    await until(lambda: welcomed() == BURST, "every user answered", timeout=300, every=0.2)
    await until(lambda: api.pending_updates_count == 0, "every update delivered")
    open_rows = select(func.count()).select_from(InboxUpdate).where(InboxUpdate.status.in_(("pending", "claimed")))  # type: ignore[attr-defined]

    async def inbox_empty() -> bool:
        return await count(sessions_, open_rows) == 0

    await until(inbox_empty, "the inbox handled", timeout=60)
    await first.stop()
    assert [len(u.messages) for u in users] == [1] * BURST  # none lost, none answered twice
    async with sessions_() as session:
        rows = (await session.exec(select(InboxUpdate))).all()
    assert len(rows) == BURST and {r.status for r in rows} == {"done"}
    retaken = [r for r in rows if r.attempts > 1]
    assert retaken and all(r.claimed_by == first.name for r in retaken)  # the survivor finished them
    print(f"{len(retaken)} update(s) taken over from the killed instance")

