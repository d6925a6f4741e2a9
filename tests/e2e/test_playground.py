"""The playground's JSON API, end to end: the real bot, the emulators, a browser's requests."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.playground.server import Playground, running

pytestmark = pytest.mark.e2e


class Client:
    """What the page does, through the same HTTP API."""

    def __init__(self, ground: Playground, http: aiohttp.ClientSession) -> None:
        self.ground, self.http = ground, http

    async def call(self, method: str, path: str, body: dict[str, Any] | None = None, status: int = 200) -> Any:
        async with self.http.request(method, self.ground.url + path, json=body) as response:
            data = await response.json() if response.content_type == "application/json" else await response.text()
            assert response.status == status, (response.status, data)
            return data

    async def chat(self, key: str) -> dict[str, Any]:
        return await self.call("GET", f"/api/people/{key}/messages")

    async def texts(self, key: str) -> list[str]:
        return [m["html"] for m in (await self.chat(key))["messages"]]


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[Client]:
    async with running(tmp_path / "data") as ground, aiohttp.ClientSession() as http:
        yield Client(ground, http)


async def test_the_scenario_plays_the_life_of_a_center(client: Client) -> None:
    run = await client.call("POST", "/api/scenarios/center-life/start")
    assert run["done"] == 0 and len(run["steps"]) == 7
    while not run["finished"]:
        run = await client.call("POST", "/api/scenario/step")
        assert run["problem"] is None
    transcript = {key: "\n".join(await client.texts(key)) for key in ("leader", "assistant", "member1", "member2", "member3")}
    assert "✅ ثبت شد" in transcript["leader"]
    assert "✅ شما همیار «" in transcript["assistant"]
    assert "دلیل: از اعضای این جمع نیست" in transcript["member3"]
    assert "آیا در این پویش شرکت می‌کنید؟" not in transcript["member3"]  # rejected: no campaign
    for member in ("member1", "member2"):
        assert "پاک‌سازی چشمه‌ی روستا" in transcript[member]
    assert "⏰ یادآوری پویش" in transcript["member1"]


async def test_a_person_sends_and_reads_the_answer(client: Client) -> None:
    chat = await client.call("POST", "/api/people/member1/send", {"text": "/start"})
    kinds = [m["kind"] for m in chat["messages"]]
    assert kinds[0] == "user" and "bot" in kinds
    assert "خوش آمدید" in chat["messages"][-1]["html"]
    assert ["ثبت کانون", "عضویت در کانون"] in [[b["text"] for b in row] for row in chat["keyboard"]]
    await client.call("POST", "/api/people/member1/send", {"text": "  "}, status=400)
    await client.call("POST", "/api/people/nobody/send", {"text": "/start"}, status=404)


async def test_pressing_an_inline_button(client: Client) -> None:
    chat = await client.call("POST", "/api/people/member2/send", {"text": "عضویت در کانون"})
    ask = next(m for m in reversed(chat["messages"]) if m["buttons"])
    cancel = next(b for row in ask["buttons"] for b in row if b["text"] == "❌ انصراف")
    after = await client.call("POST", "/api/people/member2/press", {"message_id": ask["id"], "data": cancel["data"]})
    assert len(after["messages"]) > len(chat["messages"]) or any(m["edited"] for m in after["messages"])
    assert client.ground.apis[client.ground.person("member2").platform].unanswered_callbacks() == []
    await client.call("POST", "/api/people/member2/press", {"message_id": 999, "data": "x"}, status=404)


async def test_sharing_a_contact_shows_the_persons_own_number(client: Client) -> None:
    chat = await client.call("POST", "/api/people/member3/contact")
    person = client.ground.person("member3")
    shared = chat["messages"][0]
    assert shared["kind"] == "user" and person.phone in shared["html"] and "فاطمه" in shared["html"]


async def test_a_deep_link_opens_in_the_phone_that_taps_it(client: Client) -> None:
    # A Telegram link tapped on a Bale phone still opens that phone's chat, as /start <payload>.
    chat = await client.call("POST", "/api/people/leader/open", {"url": "https://t.me/kanoon_tg_bot?start=c-1234567"})
    assert chat["messages"][0]["html"] == "/start c-1234567"
    assert "این لینک کانون درست نیست" in chat["messages"][-1]["html"]
    await client.call("POST", "/api/people/leader/open", {"url": "https://example.com/?start=x"}, status=400)


async def test_the_clock_moves_forward_only(client: Client) -> None:
    before = await client.call("GET", "/api/state")
    state = await client.call("POST", "/api/clock", {"hours": 24})
    assert state["clock"]["offset_hours"] == 24 and state["clock"]["text"] != before["clock"]["text"]
    for hours in (-1, 0, 24 * 40, "1"):
        await client.call("POST", "/api/clock", {"hours": hours}, status=400)


async def test_people_are_added_and_renamed(client: Client) -> None:
    added = await client.call("POST", "/api/people", {"name": "  نرگس   صالحی ", "platform": "bale", "role": "member"}, status=201)
    assert added["name"] == "نرگس صالحی" and added["platform"] == "bale"
    chat = await client.call("POST", f"/api/people/{added['key']}/send", {"text": "/start"})
    assert "سلام نرگس" in chat["messages"][-1]["html"]
    renamed = await client.call("PATCH", f"/api/people/{added['key']}", {"name": "نرگس کاظمی"})
    assert renamed["name"] == "نرگس کاظمی" and client.ground.fake(added["key"]).last_name == "کاظمی"
    await client.call("POST", "/api/people", {"name": "x", "platform": "viber"}, status=400)
    await client.call("PATCH", f"/api/people/{added['key']}", {"name": " "}, status=400)
    # A new admin is an admin at once: the bot restarts with them in ADMIN_IDS, on the same database.
    admin = await client.call("POST", "/api/people", {"name": "مینا امینی", "platform": "telegram", "role": "admin"}, status=201)
    assert client.ground.kanoon is not None
    assert (client.ground.person(admin["key"]).platform, admin["user_id"]) in client.ground.kanoon.settings.admins
    people = (await client.call("GET", "/api/state"))["people"]
    assert [p["key"] for p in people][:7] == ["leader", "assistant", "member1", "member2", "member3", "facilitator", "admin"]


async def test_reset_starts_over(client: Client) -> None:
    await client.call("POST", "/api/people/member1/send", {"text": "/start"})
    await client.call("POST", "/api/clock", {"hours": 1})
    state = await client.call("POST", "/api/reset")
    assert state["clock"]["offset_hours"] == 0
    assert (await client.chat("member1"))["messages"] == []
    assert client.ground.database_path.exists()  # a new, migrated database
    assert "خوش آمدید" in (await client.call("POST", "/api/people/member1/send", {"text": "/start"}))["messages"][-1]["html"]


PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


async def test_documents_and_photos_the_bot_sends(client: Client) -> None:
    await client.call("POST", "/api/people/admin/send", {"text": "/start"})
    person = client.ground.person("admin")
    bot = client.ground.kanoon.deps.messengers[person.platform].bot  # type: ignore[union-attr]
    await bot.send_document(person.user_id, document="نام,موبایل\n".encode(), filename="members.csv")
    await bot.send_photo(person.user_id, photo=PNG, caption="chart")
    with pytest.raises(Exception, match="(?i)image_process_failed"):
        await bot.send_photo(person.user_id, photo=b"not a picture")
    chat = await client.chat("admin")
    document = next(m["document"] for m in chat["messages"] if "document" in m)
    photo = next(m["photo"] for m in chat["messages"] if "photo" in m)
    assert document["name"] == "members.csv"
    async with client.http.get(client.ground.url + document["download"]) as response:
        assert response.status == 200 and "attachment" in response.headers["Content-Disposition"]
        assert (await response.read()).decode() == "نام,موبایل\n"
    async with client.http.get(client.ground.url + photo["url"]) as response:
        assert response.status == 200 and await response.read() == PNG
    # What the API refused shows in the phone, as the trainer should see it.
    assert any(m["kind"] == "error" and "IMAGE_PROCESS_FAILED" in m["html"] for m in chat["messages"])
    async with client.http.get(client.ground.url + "/api/files/telegram/nothing") as response:
        assert response.status == 404


async def test_forwarding_a_message_to_another_person(client: Client) -> None:
    chat = await client.call("POST", "/api/people/leader/send", {"text": "/start"})
    welcome = chat["messages"][-1]
    forwarded = await client.call("POST", "/api/people/leader/forward", {"message_id": welcome["id"], "to": "member2"})
    item = forwarded["messages"][-1]
    assert item["kind"] == "forward" and item["from"] == client.ground.person("leader").name
    assert item["html"] == welcome["html"]
    await client.call("POST", "/api/people/leader/forward", {"message_id": welcome["id"], "to": "nobody"}, status=404)


async def test_the_page_and_its_live_events(client: Client) -> None:
    page = await client.call("GET", "/")
    assert '<html lang="fa" dir="rtl">' in page and "زمین تمرین ربات کانون" in page and "{{" not in page
    async with client.http.get(client.ground.url + "/api/events") as events:
        first = await asyncio.wait_for(events.content.readline(), 10)
        assert first == b"event: changed\n"
        await events.content.readline()  # data: <version>
        await events.content.readline()
        await client.call("POST", "/api/people/member1/send", {"text": "/start"})
        assert await asyncio.wait_for(events.content.readline(), 10) == b"event: changed\n"


async def test_a_scenario_step_that_cannot_be_played_says_why(tmp_path: Path) -> None:
    scripts = tmp_path / "scripts"
    scripts.mkdir()
    (scripts / "broken.json").write_text(json.dumps({"title": "pg-scn-life", "steps": [
        {"caption": "pg-scn-life-register", "actions": [{"who": "leader", "tap": "no such button"}]},
    ]}), "utf-8")
    async with running(tmp_path / "data", scripts_dir=scripts) as ground, aiohttp.ClientSession() as http:
        client = Client(ground, http)
        await client.call("POST", "/api/scenarios/broken/start")
        answer = await client.call("POST", "/api/scenario/step", status=409)
        assert "no such button" in answer["error"] and answer["scenario"]["done"] == 0
        await client.call("POST", "/api/scenarios/missing/start", status=404)
