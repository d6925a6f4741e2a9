"""The playground's JSON API, end to end: the real bot, the emulators, a browser's requests."""

from __future__ import annotations

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
