from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.platforms import Platform
from tests.e2e.harness import USERNAMES, Harness
from bot.emulator import FakeBotApi


@pytest.fixture
async def apis() -> AsyncIterator[dict[Platform, FakeBotApi]]:
    servers = {p: FakeBotApi(flavour=p.value, bot_username=USERNAMES[p]) for p in Platform}
    for server in servers.values():
        await server.start()
    yield servers
    for server in servers.values():
        await server.stop()


@pytest.fixture
async def harness(database_url: str, apis: dict[Platform, FakeBotApi],
                  request: pytest.FixtureRequest) -> AsyncIterator[Harness]:
    """The bot, started; `@pytest.mark.settings(NAME=value, ...)` on a test or module changes its settings."""
    marker = request.node.get_closest_marker("settings")
    running = Harness(database_url, apis, **(marker.kwargs if marker else {}))
    await running.start()
    yield running
    await running.settle()
    await running.stop()
    running.check_platform_rules()


@pytest.fixture(params=[Platform.TELEGRAM, Platform.BALE], ids=["telegram", "bale"])
def platform(request: pytest.FixtureRequest) -> Platform:
    """The e2e tests run once as Telegram and once as Bale."""
    return request.param
