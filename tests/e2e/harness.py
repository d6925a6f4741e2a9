"""Runs the real Kanoon (both Applications) against two local fake Bot API servers."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from bot.platforms import Platform
from bot.runner import Kanoon
from bot.settings import Settings
from bot.emulator import FakeBotApi, FakeUser
from bot.emulator.server import BotMessage

TOKENS = {Platform.TELEGRAM: "111111:telegram-test-token", Platform.BALE: "222222:bale-test-token"}
USERNAMES = {Platform.TELEGRAM: "kanoon_tg_bot", Platform.BALE: "kanoon_bale_bot"}
# Markup a Bale user would see literally, since Bale gets plain text: a closed pair of tags,
# as the catalog writes them. (A user's own «<b>&» is text, and must show as typed.)
_RAW_TAG_RE = re.compile(r"<(b|i|u|s|a|code|pre|strong|em|tg-spoiler|blockquote)\b[^>]*>.*?</\1>", re.S)


class Clock:
    """A controllable UTC clock: tests move time instead of waiting for it."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


BUTTON_LIMIT = 32


def _labels(message: BotMessage) -> list[str]:
    inline_labels = [text for text, _ in message.buttons]
    return inline_labels + (message.keyboard_buttons or [])


class Harness:
    def __init__(self, database_url: str, apis: dict[Platform, FakeBotApi], **settings: object) -> None:
        self.database_url = database_url
        self.apis = apis
        self.clock = Clock()
        self.extra_settings = settings
        self.kanoon: Kanoon | None = None
        self._next_user_id = {Platform.TELEGRAM: 5_000_001, Platform.BALE: 1_800_000_001}

    def settings(self) -> Settings:
        return Settings(
            _env_file=None,
            telegram_token=TOKENS[Platform.TELEGRAM], bale_token=TOKENS[Platform.BALE],
            telegram_api_url=self.apis[Platform.TELEGRAM].base_url,
            bale_api_url=self.apis[Platform.BALE].base_url,
            database_url=self.database_url,
            **self.extra_settings,
        )

    @property
    def deps(self):  # noqa: ANN201
        assert self.kanoon is not None
        return self.kanoon.deps

    @property
    def sessions(self):  # noqa: ANN201
        return self.deps.sessions

    async def start(self) -> None:
        self.kanoon = Kanoon(self.settings())
        self.kanoon.deps.clock = self.clock
        await self.kanoon.start()
        await self.kanoon.caught_up()  # the start-up jobs too, so tests see what they did

    async def stop(self) -> None:
        if self.kanoon is not None:
            await self.kanoon.stop()
            self.kanoon = None

    async def restart(self) -> None:
        """Stop the bot and start a new one on the same database, as an operator would."""
        await self.stop()
        await self.start()

    async def settle(self) -> None:
        """Wait until every update sent so far has been taken and fully handled by the bot."""
        for api in self.apis.values():
            await api.wait_delivered()
        assert self.kanoon is not None
        await self.kanoon.instances.settled()  # every update in the inbox handled

    def user(self, platform: Platform | str, first_name: str = "علی", last_name: str | None = "رضایی",
             user_id: int | None = None) -> FakeUser:
        platform = Platform(platform)
        if user_id is None:
            user_id = self._next_user_id[platform]
            self._next_user_id[platform] += 1
        return self.apis[platform].user(user_id=user_id, first_name=first_name, last_name=last_name)

    def check_platform_rules(self) -> None:
        """What must hold after any test: Bale never gets markup, every button tap was answered."""
        for message in self.apis[Platform.BALE].all_messages():
            assert message.parse_mode is None, f"Bale got parse_mode {message.parse_mode}: {message.text!r}"
            assert not _RAW_TAG_RE.search(message.text or ""), f"Bale would show raw tags: {message.text!r}"
        for platform, api in self.apis.items():
            # Villager-first (issue 10): every button any test saw fits in 32 characters.
            too_long = {label for message in api.all_messages() for label in _labels(message) if len(label) > BUTTON_LIMIT}
            assert not too_long, f"{platform}: buttons over {BUTTON_LIMIT} characters: {sorted(too_long)}"
            unanswered = api.unanswered_callbacks()
            assert not unanswered, f"{platform}: callback queries never answered: {unanswered}"
