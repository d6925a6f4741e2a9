"""The instance's HTTP server (aiohttp): webhooks, /healthz and /metrics.

- `POST /<platform>/<path secret>`: an update; stored in the inbox, then 200 at once. A
  wrong path is 404; on Telegram a missing or wrong secret-token header is 403; a body that
  is not an update is 400; a database that cannot take it is 503, so the platform sends it again.
- `GET /healthz`: 200 once the instance is ready (migrations applied, bots up) and the
  database answers now; else 503. For a proxy or an orchestrator to route around it.
- `GET /metrics`: Prometheus text.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from sqlalchemy import text

from bot.db.engine import SessionFactory
from bot.instances.inbox import Intake
from bot.instances.receive import header_secret, path_secret
from bot.platforms import Platform, webhook_secret_header
from bot.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024  # an update is a few kilobytes; anything near this is not one

MetricsText = Callable[[], Awaitable[str]]
Status = Callable[[], dict[str, object]]


class WebServer:
    def __init__(
        self, settings: Settings, platforms: list[Platform], intake: Intake, sessions: SessionFactory,
        metrics_text: MetricsText, status: Status, *, webhooks: bool,
    ) -> None:
        self.settings = settings
        self.intake = intake
        self.sessions = sessions
        self.metrics_text = metrics_text
        self.status = status
        self.ready = False
        self._paths = {path_secret(settings, p): p for p in platforms} if webhooks else {}
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def application(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/metrics", self._metrics)
        app.router.add_post("/{platform}/{secret}", self._webhook)
        return app

    async def start(self, host: str, port: int) -> None:
        self._runner = web.AppRunner(self.application(), access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        try:
            await site.start()
        except OSError as exc:
            await self._runner.cleanup()
            self._runner = None
            from bot.settings import ConfigError

            raise ConfigError(f"Cannot listen on {host}:{port} ({exc}); set HTTP_HOST/HTTP_PORT to a free address.") from None
        self.port = self._runner.addresses[0][1]
        log.info("HTTP server on %s:%s (%s)", host, self.port,
                 "webhooks, /healthz, /metrics" if self._paths else "/healthz, /metrics")

    async def stop(self) -> None:
        self.ready = False
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ routes

    async def _webhook(self, request: web.Request) -> web.Response:
        platform = self._paths.get(request.match_info["secret"])
        if platform is None or request.match_info["platform"] != platform.value:
            raise web.HTTPNotFound()
        if webhook_secret_header(platform):
            given = request.headers.get(SECRET_HEADER, "")
            if not hmac.compare_digest(given.encode(), header_secret(self.settings, platform).encode()):
                log.warning("webhook call for %s with a wrong secret token from %s", platform, request.remote)
                raise web.HTTPForbidden()
        if not self.ready:
            raise web.HTTPServiceUnavailable()  # the platform tries again shortly
        try:
            body = json.loads(await request.read())
        except ValueError:
            raise web.HTTPBadRequest() from None
        if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
            raise web.HTTPBadRequest()
        try:
            await self.intake.store(platform, [body])
        except Exception:
            log.exception("could not store an update from %s; the platform will send it again", platform)
            raise web.HTTPServiceUnavailable() from None
        return web.Response(status=200)

    async def _healthz(self, request: web.Request) -> web.Response:
        ok = self.ready
        if ok:
            try:
                async with asyncio.timeout(2.0):
                    async with self.sessions() as session:
                        await (await session.connection()).execute(text("SELECT 1"))
            except Exception:
                ok = False
        body = {"status": "ok" if ok else "unavailable", **self.status()}
        return web.json_response(body, status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        return web.Response(body=(await self.metrics_text()).encode(),
                            headers={"Content-Type": "text/plain; version=0.0.4; charset=utf-8"})
