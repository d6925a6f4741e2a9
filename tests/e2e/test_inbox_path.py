"""The one processing path on one instance (SQLite by default, PostgreSQL in CI's second run):
updates go through the inbox, conversation state is read from the database for each update,
webhooks are checked, and a second instance on SQLite refuses to start."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from datetime import timedelta

import aiohttp
import pytest
from sqlalchemy import delete, update
from sqlmodel import select

from bot.db.models import ConversationState, InboxUpdate, UserData
from bot.instances.receive import header_secret, path_secret
from bot.persian.text import utcnow
from bot.platforms import Platform
from bot.runner import Kanoon
from bot.settings import ConfigError
from tests.conftest import POSTGRES_URL
from tests.e2e.harness import Harness
from bot.emulator import FakeBotApi

pytestmark = pytest.mark.e2e


async def _inbox(harness: Harness) -> list[InboxUpdate]:
    async with harness.sessions() as session:
        return list((await session.exec(select(InboxUpdate).order_by(InboxUpdate.id))).all())  # type: ignore[arg-type]


async def test_every_update_is_a_row_handled_once(harness: Harness, platform: Platform) -> None:
    user = harness.user(platform, "مریم")
    await user.send("/start")
    await user.expect("خوش آمدید")
    await user.send("/help")
    await harness.settle()
    rows = [row for row in await _inbox(harness) if row.platform == platform.value]
    assert [row.status for row in rows] == ["done", "done"] and {row.user_key for row in rows} == {user.user_id}
    assert all(row.claimed_by == harness.kanoon.instances.instance for row in rows)  # type: ignore[union-attr]


async def test_the_conversation_state_is_read_from_the_database_for_each_update(
    harness: Harness, platform: Platform,
) -> None:
    """What another instance wrote is what counts: here it ended the user's registration."""
    leader = harness.user(platform, "حسن")
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید")
    await harness.settle()
    async with harness.sessions() as session:
        states = (await session.exec(select(ConversationState.name).where(
            ConversationState.platform == platform.value))).all()
        assert states == ["register"]
        # As another instance's /cancel would leave it.
        await session.exec(delete(ConversationState).where(ConversationState.platform == platform.value))  # type: ignore[call-overload]
        await session.exec(delete(UserData).where(UserData.platform == platform.value))  # type: ignore[call-overload]
        await session.commit()
    await leader.send("کانون صاحب‌الزمان")  # no longer a center's name: the menu's free text
    reply = await leader.next_message()
    assert "در چه چیزی با هم مشترک‌اند" not in reply.text
    await leader.send("/register")  # and starting again works, from the first step
    await leader.expect("نام کانون را بنویسید")


async def test_an_update_stored_before_a_crash_is_handled_after_the_restart(harness: Harness, platform: Platform) -> None:
    """Acknowledged to the platform = in the inbox: a stop between the two loses nothing."""
    assert harness.kanoon is not None and harness.kanoon.instances.worker is not None
    harness.kanoon.instances.worker.claiming = False  # received, not yet handled
    user = harness.user(platform, "علی")
    await user.send("/start")
    await harness.apis[platform].wait_delivered()
    assert [row.status for row in await _inbox(harness)] == ["pending"]
    await harness.restart()
    await user.expect("خوش آمدید")
    await harness.settle()
    assert [row.status for row in await _inbox(harness)] == ["done"]


async def test_an_update_whose_lease_ran_out_is_taken_again(harness: Harness, platform: Platform) -> None:
    """Claimed by an instance that went quiet: taken once its lease has run out (by the
    worker's clock, moved here), not before."""
    assert harness.kanoon is not None and harness.kanoon.instances.worker is not None
    worker = harness.kanoon.instances.worker
    worker.claiming = False
    user = harness.user(platform, "زهرا")
    await user.send("/start")
    await harness.apis[platform].wait_delivered()
    lease_end = utcnow() + timedelta(minutes=5)
    async with harness.sessions() as session:
        await session.exec(update(InboxUpdate).values(  # type: ignore[call-overload]
            status="claimed", claimed_by="kquiet000", lease_until=lease_end, attempts=1))
        await session.commit()
    worker.claiming = True
    assert await worker.claim(10) == []  # still the other's
    worker.clock = lambda: lease_end + timedelta(seconds=1)
    worker.wake()
    await user.expect("خوش آمدید")
    await harness.settle()
    [row] = await _inbox(harness)
    assert row.status == "done" and row.claimed_by == worker.instance and row.attempts == 2


async def test_a_second_instance(harness: Harness) -> None:
    """On SQLite it refuses to start, saying why and what to do; on PostgreSQL it joins as a follower."""
    second = Kanoon(harness.settings())
    try:
        if POSTGRES_URL:
            await second.start()
            assert not second.instances.leading and harness.kanoon.instances.leading  # type: ignore[union-attr]
            return
        with pytest.raises(ConfigError) as refused:
            await second.start()
        message = str(refused.value)
        assert "already running" in message and "PostgreSQL" in message and "DATABASE_URL" in message
    finally:
        await second.stop()
    user = harness.user(Platform.BALE, "مریم")
    await user.send("/start")  # the first one is unharmed
    await user.expect("خوش آمدید")


# --- webhook mode, one instance ------------------------------------------------------------


@pytest.fixture
async def webhooked(database_url: str, apis: dict[Platform, FakeBotApi]) -> AsyncIterator[Harness]:
    """One instance in webhook mode; the fake API POSTs straight to it."""
    running = Harness(database_url, apis, http_host="127.0.0.1", http_port=0, webhook_url="http://127.0.0.1:1/")
    kanoon = Kanoon(running.settings())
    running.kanoon = kanoon
    kanoon.deps.clock = running.clock
    # The URL is known only once the server listens: set it before the leader calls setWebhook.
    original_start = kanoon.instances.leadership.start

    async def start_after_listening() -> None:
        assert kanoon.instances.web is not None
        kanoon.settings.webhook_url = f"http://127.0.0.1:{kanoon.instances.web.port}"
        await original_start()

    kanoon.instances.leadership.start = start_after_listening  # type: ignore[method-assign]
    await kanoon.start()
    yield running
    await running.settle()
    await running.stop()
    running.check_platform_rules()


async def test_webhooks_answer_and_check_their_secrets(webhooked: Harness, apis: dict[Platform, FakeBotApi]) -> None:
    kanoon = webhooked.kanoon
    assert kanoon is not None and kanoon.instances.web is not None
    base = f"http://127.0.0.1:{kanoon.instances.web.port}"
    settings = kanoon.settings
    for platform, api in apis.items():
        assert api.calls_to("setWebhook")[0]["url"] == f"{base}/{platform.value}/{path_secret(settings, platform)}"
        user = webhooked.user(platform, "مریم")
        await user.send("/start")
        await user.expect("خوش آمدید")
    someone = webhooked.user(Platform.TELEGRAM, "علی")
    someone.started = True
    sender = {"id": someone.user_id, "is_bot": False, "first_name": "x"}
    update = {"update_id": 77, "message": {"message_id": 1, "date": 0, "chat": {**sender, "type": "private"},
                                           "from": sender, "text": "/help"}}
    telegram = f"{base}/telegram/{path_secret(settings, Platform.TELEGRAM)}"
    good = {"X-Telegram-Bot-Api-Secret-Token": header_secret(settings, Platform.TELEGRAM)}
    async with aiohttp.ClientSession() as http:
        async def post(url: str, body: object, headers: dict[str, str] | None = None) -> int:
            async with http.post(url, data=json.dumps(body), headers=headers or {}) as response:
                return response.status

        assert await post(telegram, update) == 403  # no secret token
        assert await post(telegram, update, {"X-Telegram-Bot-Api-Secret-Token": "guess"}) == 403
        assert await post(f"{base}/telegram/{'0' * 32}", update, good) == 404  # a guessed path
        assert await post(f"{base}/bale/{path_secret(settings, Platform.TELEGRAM)}", update) == 404
        assert await post(telegram, {"no": "update"}, good) == 400
        assert await post(telegram, update, good) == 200
        assert await post(telegram, update, good) == 200  # sent again: stored once
        # JSON with an update_id that PTB cannot read: stored, given up at once, nothing else held up.
        assert await post(telegram, {"update_id": 78, "message": {"text": "no date, no chat"}}, good) == 200
        async with http.get(f"{base}/healthz") as response:
            health = await response.json()
            assert response.status == 200 and health["status"] == "ok" and health["leader"] is True
        await webhooked.settle()
        async with http.get(f"{base}/metrics") as response:
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            metrics = await response.text()
    assert 'kanoon_updates_received_total{platform="telegram"} 3' in metrics  # /start, 77 and 78
    assert 'kanoon_updates_redelivered_total{platform="telegram"} 1' in metrics
    assert 'kanoon_updates_processed_total{platform="bale"} 1' in metrics
    assert "kanoon_inbox_depth 0" in metrics and "kanoon_update_processing_seconds_bucket" in metrics
    assert f'kanoon_scheduler_leader{{instance="{kanoon.instances.instance}"}} 1' in metrics
    assert 'kanoon_sends_total{outcome="ok",platform="bale"}' in metrics
    async with webhooked.sessions() as session:
        rows = (await session.exec(select(InboxUpdate).where(InboxUpdate.update_id.in_((77, 78))))).all()  # type: ignore[attr-defined]
    assert sorted((row.update_id, row.status) for row in rows) == [(77, "done"), (78, "failed")]
    assert 'kanoon_updates_failed_total{platform="telegram"} 1' in metrics


async def test_healthz_says_unavailable_until_ready(webhooked: Harness) -> None:
    kanoon = webhooked.kanoon
    assert kanoon is not None and kanoon.instances.web is not None
    kanoon.instances.web.ready = False
    try:
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{kanoon.instances.web.port}/healthz") as response:
                assert response.status == 503 and (await response.json())["status"] == "unavailable"
    finally:
        kanoon.instances.web.ready = True
    await asyncio.sleep(0)


async def test_a_stop_lets_the_look_in_progress_finish(harness: Harness, monkeypatch: pytest.MonkeyPatch) -> None:
    """Cancelled in the middle of a statement, a look's UPDATE … RETURNING could stay unfinished
    on its connection and, on SQLite, hold the write lock: the stop's done marks and the next
    start's hand-back then each waited 10 s and failed (seen in the fund's supporter test)."""
    from bot.instances import inbox as inbox_module

    assert harness.kanoon is not None and harness.kanoon.instances.worker is not None
    worker = harness.kanoon.instances.worker
    entered, release, finished = asyncio.Event(), asyncio.Event(), []
    real_look = inbox_module.repo.look

    async def held_look(*args: object, **kwargs: object) -> object:
        entered.set()
        await release.wait()
        found = await real_look(*args, **kwargs)  # type: ignore[arg-type]
        finished.append(len(found.claimed))
        return found

    monkeypatch.setattr(inbox_module.repo, "look", held_look)
    worker.wake()
    await entered.wait()
    stopping = asyncio.create_task(harness.stop())
    while not worker._stopping:
        await asyncio.sleep(0)  # the stop has begun (no timing: one turn of the loop at a time)
    release.set()
    await stopping
    assert finished[:1] == [0]  # the look ran to its end instead of being cancelled half-way

    monkeypatch.setattr(inbox_module.repo, "look", real_look)
    await harness.start()  # its hand-back finds no lock held
    user = harness.user(Platform.TELEGRAM, "مریم")
    await user.send("/start")
    await user.expect("خوش آمدید")
