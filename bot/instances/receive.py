"""How updates reach the inbox: long polling (the default) or webhooks (WEBHOOK_URL set).

Polling: the leader alone calls getUpdates (the platforms allow one poller per bot); a batch
is confirmed to the platform (by the next call's offset) only after it is in the inbox.

Webhooks: every instance's HTTP server (bot/instances/web.py) takes updates at
`WEBHOOK_URL/<platform>/<path secret>`; the leader calls setWebhook once it leads. Telegram
also sends the secret token in a header, which is checked; Bale has no such header, so for
Bale the unguessable path is the secret. Both secrets derive from WEBHOOK_SECRET (or, if that
is empty, from the bot's token), so every instance computes the same ones.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from typing import Any

from telegram import Bot
from telegram.error import Conflict, InvalidToken, RetryAfter, TelegramError, TimedOut

from bot.instances.inbox import ALLOWED_UPDATES, Intake
from bot.platforms import Platform, webhook_secret_header
from bot.settings import Settings

log = logging.getLogger(__name__)

# Long-poll timeout (seconds), a slow link's time to bring the answer past it, and the pauses
# after errors, growing to the last.
POLL_TIMEOUT = 30
READ_MARGIN = 35
BACKOFF = (1.0, 2.0, 5.0, 10.0, 30.0)


def _derive(settings: Settings, platform: Platform, purpose: str) -> str:
    key = (settings.webhook_secret or settings.token_for(platform) or "").encode()
    return hmac.new(key, f"kanoon-{purpose}-{platform.value}".encode(), hashlib.sha256).hexdigest()


def path_secret(settings: Settings, platform: Platform) -> str:
    return _derive(settings, platform, "webhook-path")[:32]


def header_secret(settings: Settings, platform: Platform) -> str:
    """Telegram's X-Telegram-Bot-Api-Secret-Token (1-256 of A-Z a-z 0-9 _ -)."""
    return _derive(settings, platform, "webhook-token")[:48]


def webhook_path(settings: Settings, platform: Platform) -> str:
    return f"/{platform.value}/{path_secret(settings, platform)}"


def webhook_url(settings: Settings, platform: Platform) -> str:
    return settings.webhook_url.rstrip("/") + webhook_path(settings, platform)


async def set_webhook(settings: Settings, platform: Platform, bot: Bot) -> None:
    """Point the platform at our webhook (the leader does this once it leads)."""
    secret = header_secret(settings, platform) if webhook_secret_header(platform) else None
    for attempt, pause in enumerate((*BACKOFF, None), start=1):
        try:
            await bot.set_webhook(webhook_url(settings, platform), secret_token=secret,
                                  allowed_updates=ALLOWED_UPDATES, drop_pending_updates=False)
            log.info("webhook set for %s", platform)
            return
        except (InvalidToken, Conflict):
            raise
        except TelegramError as exc:
            if pause is None:
                log.error("setWebhook on %s failed %d times (%s); updates wait at the platform", platform, attempt, exc)
                return
            log.warning("setWebhook on %s failed (%s); again in %.0fs", platform, exc, pause)
            await asyncio.sleep(pause)


class Poller:
    """getUpdates for one platform into the inbox, until cancelled."""

    def __init__(self, platform: Platform, bot: Bot, intake: Intake) -> None:
        self.platform = platform
        self.bot = bot
        self.intake = intake
        self.offset: int | None = None

    async def run(self) -> None:
        failures = 0
        dropped_webhook = False
        while True:
            try:
                if not dropped_webhook:  # a webhook left from webhook mode would refuse getUpdates
                    await self.bot.delete_webhook(drop_pending_updates=False)
                    dropped_webhook = True
                updates = await self._get_updates()
                if updates:
                    # Stored first; the next call's offset then confirms them to the platform.
                    await self.intake.store(self.platform, updates)
                    self.offset = int(updates[-1]["update_id"]) + 1
                failures = 0
            except asyncio.CancelledError:
                raise
            except TimedOut:
                continue  # a long poll that outlived its read timeout: just ask again
            except RetryAfter as exc:
                await asyncio.sleep(float(getattr(exc, "_retry_after", 1) or 1))
            except Exception as exc:  # network, 409 (another poller during a failover), the database
                pause = BACKOFF[min(failures, len(BACKOFF) - 1)]
                failures += 1
                level = logging.WARNING if failures in (1, 3, 10) or failures % 50 == 0 else logging.DEBUG
                log.log(level, "polling %s failed (%s: %s); again in %.0fs", self.platform,
                        type(exc).__name__, exc, pause)
                await asyncio.sleep(pause)

    async def _get_updates(self) -> list[dict[str, Any]]:
        """getUpdates as the API's JSON objects: they go to the inbox as they came, and the
        worker parses each when it handles it. (Bot.get_updates would build PTB's Update objects,
        only for them to be turned back into JSON here: about a tenth of a /start's CPU.) The
        call is the one get_updates makes itself, errors and the API's rules included."""
        data = {"timeout": POLL_TIMEOUT, "offset": self.offset, "allowed_updates": ALLOWED_UPDATES}
        result = await self.bot._post("getUpdates", data, read_timeout=POLL_TIMEOUT + READ_MARGIN)  # noqa: SLF001
        return list(result or [])
