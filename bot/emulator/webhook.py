"""setWebhook for the fake Bot API: once a URL is set, pending updates are POSTed to it.

As on Telegram: updates go in order, one at a time here (max_connections=1), and an update
leaves the queue only when the bot answered 2xx; any other answer (or none) means "again
later". While a webhook is set, getUpdates is refused with 409. Telegram sends the secret
token given to setWebhook in the X-Telegram-Bot-Api-Secret-Token header; Bale documents no
such field, so the Bale flavour ignores it and sends no header.
"""

from __future__ import annotations

import asyncio
import contextlib
from typing import TYPE_CHECKING, Any

import aiohttp

from .rules import ApiError, bad_request

if TYPE_CHECKING:
    from .server import FakeBotApi

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RETRY_PAUSE = 0.05  # Telegram waits longer; the tests need not


class WebhookPush:
    def __init__(self, api: FakeBotApi) -> None:
        self.api = api
        self.url: str | None = None
        self.secret: str | None = None
        self.answers: list[tuple[int, int | None]] = []  # (update_id, HTTP status or None) per POST
        self._task: asyncio.Task[None] | None = None

    @property
    def active(self) -> bool:
        return self.url is not None

    async def set(self, params: dict[str, Any]) -> bool:
        url = params.get("url") or ""
        if not url:
            await self.clear()
            return True
        if not str(url).startswith(("http://", "https://")):
            raise bad_request("bad webhook: an HTTPS URL must be provided for webhook")
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            self.api._allowed_updates = allowed or None
        if params.get("drop_pending_updates"):
            self.api.dropped_updates += self.api._updates
            self.api._updates = []
        self.url = str(url)
        self.secret = str(params["secret_token"]) if params.get("secret_token") and self.api.flavour == "telegram" else None
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._push())
        self.api._signal.notify()
        return True

    async def clear(self) -> None:
        self.url = None
        self.api._signal.notify()

    def refuse_get_updates(self) -> None:
        if self.active:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")

    async def stop(self) -> None:
        self.url = None
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _push(self) -> None:
        api = self.api
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            while self.url is not None:
                await api._signal.wait_until(lambda: bool(api._updates) or self.url is None or api._closing, 3600)
                if self.url is None or api._closing:
                    return
                api._drop_unwanted()
                if not api._updates:
                    continue
                update = api._updates[0]
                headers = {SECRET_HEADER: self.secret} if self.secret else {}
                status: int | None = None
                try:
                    async with http.post(self.url, json=update, headers=headers) as response:
                        status = response.status
                except (aiohttp.ClientError, asyncio.TimeoutError):
                    status = None
                self.answers.append((update["update_id"], status))
                if status is not None and 200 <= status < 300:
                    if api._updates and api._updates[0] is update:
                        api._updates.pop(0)
                    api._signal.notify()
                else:
                    await asyncio.sleep(RETRY_PAUSE)
