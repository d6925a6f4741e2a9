"""A Bot API that cannot be reached at start is retried with growing waits, then given up on."""

from __future__ import annotations

import pytest
from telegram.ext import Application

from bot.emulator import FakeBotApi
from bot.platforms import Platform
from bot.runner import Kanoon, NetworkUnavailable
from tests.e2e.harness import Harness

pytestmark = pytest.mark.e2e


class FakeTime:
    """sleep() and monotonic() for the runner: sleeping moves time on at once."""

    def __init__(self) -> None:
        self.now = 0.0
        self.waits: list[float] = []

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)
        self.now += seconds

    def monotonic(self) -> float:
        return self.now


async def test_network_failures_are_retried_with_backoff(database_url: str, apis: dict[Platform, FakeBotApi]) -> None:
    apis[Platform.BALE].fail_next("getMe", 502, count=3)
    time = FakeTime()
    kanoon = Kanoon(Harness(database_url, apis).settings(), sleep=time.sleep, monotonic=time.monotonic)
    try:
        await kanoon.start()
        assert set(kanoon.applications) == set(Platform)
    finally:
        await kanoon.stop()
    assert time.waits == [1, 2, 4]
    assert len(apis[Platform.BALE].calls_to("getMe")) == 4


async def test_gives_up_after_connect_retry_seconds(database_url: str, apis: dict[Platform, FakeBotApi]) -> None:
    apis[Platform.TELEGRAM].fail_next("getMe", 502, count=1000)
    time = FakeTime()
    settings = Harness(database_url, apis, connect_retry_seconds=10).settings()
    kanoon = Kanoon(settings, sleep=time.sleep, monotonic=time.monotonic)
    try:
        with pytest.raises(NetworkUnavailable, match="after 5 attempt"):
            await kanoon.start()
    finally:
        await kanoon.stop()
    assert time.waits == [1, 2, 4, 3]  # the last wait is what is left of the 10 seconds


async def test_both_platforms_are_reached_at_once(
        database_url: str, apis: dict[Platform, FakeBotApi], monkeypatch: pytest.MonkeyPatch) -> None:
    """A start waits for the slower platform's getMe, not for the sum of both."""
    steps: list[str] = []
    real = Application.initialize

    async def initialize(self: Application) -> None:
        steps.append("began")
        await real(self)
        steps.append("done")

    monkeypatch.setattr(Application, "initialize", initialize)
    kanoon = Kanoon(Harness(database_url, apis).settings())
    try:
        await kanoon.start()
    finally:
        await kanoon.stop()
    assert steps == ["began", "began", "done", "done"]
