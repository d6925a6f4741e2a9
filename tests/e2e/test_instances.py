"""Two real instances in webhook mode on PostgreSQL behind a round-robin proxy (issue 15).

The fake Bot API POSTs every update to the proxy, which hands them to the instances in turn,
so a user's consecutive steps land on alternating instances.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.db.models import Center, InboxUpdate
from bot.platforms import Platform
from tests.conftest import POSTGRES_URL
from tests.e2e.campaign_helpers import center_with_members, create_campaign, reminder_rows, sent_out
from tests.e2e.cluster import ClusterHarness
from tests.e2e.join_helpers import APPROVE, ask_by_link, center, deliveries, memberships_of, person
from tests.e2e.registration_steps import accept, center_of, register
from bot.emulator import FakeBotApi

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not POSTGRES_URL, reason="several instances need PostgreSQL (TEST_DATABASE_URL)"),
]


@pytest.fixture
async def cluster(database_url: str, apis: dict[Platform, FakeBotApi]) -> AsyncIterator[ClusterHarness]:
    running = ClusterHarness(database_url, apis, count=2)
    await running.start()
    yield running
    await running.settle()
    await running.stop()
    running.check_platform_rules()


async def test_one_leader_and_webhooks_set_once(cluster: ClusterHarness, apis: dict[Platform, FakeBotApi]) -> None:
    assert [node is cluster.nodes[0] for node in cluster.leaders()] == [True]
    for platform, api in apis.items():
        calls = api.calls_to("setWebhook")
        assert len(calls) == 1 and calls[0]["url"].startswith(cluster.proxy.url + f"/{platform.value}/")
        # Telegram gets a secret token for its header; Bale has none, its path is the secret.
        assert bool(calls[0].get("secret_token")) == (platform is Platform.TELEGRAM)
        assert not api.calls_to("getUpdates")


async def test_a_registration_whose_steps_alternate_between_instances_completes(
    cluster: ClusterHarness, platform: Platform,
) -> None:
    leader = cluster.user(platform, "حسن", "جمالی")
    cluster.alternate(leader)
    token = await register(leader)
    assistant = cluster.user(platform, "زهرا", "احمدی")
    cluster.alternate(assistant)
    await accept(assistant, token)
    await cluster.settle()
    center_row = await center_of(cluster, leader, platform)
    assert center_row.status == "active" and center_row.code is not None
    # Each step was handled by the other instance than the step before: one that had not seen
    # it move the user on, and read the state from the database.
    targets = [index for _, index, status in cluster.proxy.forwarded if status == 200]
    assert set(targets) == {0, 1} and all(a != b for a, b in zip(targets, targets[1:]))
    for fake in (leader, assistant):
        async with cluster.sessions() as session:
            handled_by = (await session.exec(
                select(InboxUpdate.claimed_by).where(InboxUpdate.user_key == fake.user_id)
                .order_by(InboxUpdate.update_id)  # type: ignore[arg-type]
            )).all()
        assert len(handled_by) >= 4 and all(a != b for a, b in zip(handled_by, handled_by[1:])), handled_by
    async with cluster.sessions() as session:
        assert (await session.exec(select(func.count()).select_from(Center))).one() == 1


async def test_a_double_tap_landing_on_both_instances_is_decided_once(cluster: ClusterHarness, platform: Platform) -> None:
    staffed = await center(cluster, platform)
    member = await person(cluster, platform)
    request = await ask_by_link(cluster, member, staffed)
    before = len(member.fake.messages)
    first = await staffed.assistant.fake.tap(request, APPROVE)
    second = await staffed.assistant.fake.tap(request, APPROVE)  # pushed before either was handled
    await cluster.settle()
    answers = {await staffed.assistant.fake.callback_answer(q) for q in (first, second)}
    assert answers == {"✅ تأیید شد.", "این درخواست قبلاً بررسی شده است و تغییری نکرد."}
    assert len(member.fake.messages) == before + 1 and "خوش آمدید" in member.fake.messages[-1].text
    assert [m.status for m in await memberships_of(cluster, member)] == ["active"]
    assert len(await deliveries(cluster, "join_decision")) == 1
    taps = [index for update_id, index, _ in cluster.proxy.forwarded[-2:]]
    assert sorted(taps) == [0, 1]


async def test_a_redelivered_update_is_handled_once(cluster: ClusterHarness, platform: Platform) -> None:
    user = cluster.user(platform, "مریم")
    cluster.proxy.redeliver_next = 1  # the same /start reaches both instances
    await user.send("/start")
    await user.expect("خوش آمدید")
    await cluster.settle()
    assert len(user.messages) == 1
    redelivered = sum(
        sum(node.instances.metrics.counters["kanoon_updates_redelivered_total"].values()) for node in cluster.nodes
    )
    assert redelivered == 1
    async with cluster.sessions() as session:
        rows = (await session.exec(select(InboxUpdate).where(InboxUpdate.platform == platform.value))).all()
    assert [row.status for row in rows] == ["done"]


async def test_the_leader_stopping_hands_the_scheduler_to_the_other(cluster: ClusterHarness, platform: Platform) -> None:
    first, second = cluster.nodes
    assert first.instances.leading and not second.instances.leading
    assert first.scheduler.aps.running and not second.scheduler.aps.running
    second.instances.leadership.changed.clear()
    await cluster.stop_node(first)
    await second.instances.leadership.changed.wait()  # its next check (every 0.2 s here) wins
    assert second.instances.leading and second.scheduler.aps.running
    # The new leader set the webhook again, and the bot still answers.
    user = cluster.user(platform, "علی")
    await user.send("/start")
    await user.expect("خوش آمدید")


async def test_reminders_armed_on_a_follower_are_armed_on_the_leader(cluster: ClusterHarness, platform: Platform) -> None:
    leader_node, follower = cluster.nodes
    assert leader_node.instances.worker is not None
    leader_node.instances.worker.claiming = False  # every update of this test is handled by the follower
    people = await center_with_members(cluster, platform, telegram=1, bale=1)
    await create_campaign(people.leader)
    await sent_out(cluster)
    reminders = await reminder_rows(cluster)
    assert reminders and {r.status for r in reminders} == {"pending"}
    wanted = {f"reminder-{r.id}" for r in reminders}

    async def armed() -> None:
        while not wanted <= {job.id for job in leader_node.scheduler.aps.get_jobs()}:
            await asyncio.sleep(0.02)  # the leader re-arms when the follower's NOTIFY arrives

    await asyncio.wait_for(armed(), 10)
    assert not follower.scheduler.aps.running  # one scheduler in the cluster
