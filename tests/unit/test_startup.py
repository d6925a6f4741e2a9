"""What a start costs (docs/scale.md «Start-up»): work done once per process, not once per client."""

from __future__ import annotations

import httpx
import pytest
from telegram.request import HTTPXRequest

from bot import app
from bot.db.engine import create_engine, session_factory
from bot.deps import Deps
from bot.platforms import Platform
from bot.settings import Settings


def test_every_bot_api_client_shares_one_tls_context(monkeypatch: pytest.MonkeyPatch) -> None:
    made = []
    real = httpx.create_ssl_context

    def counted() -> object:
        made.append(1)
        return real()

    monkeypatch.setattr(httpx, "create_ssl_context", counted)
    app._tls.cache_clear()
    settings = Settings(_env_file=None, telegram_token="111111:tls-test-token", bale_token="222222:tls-test-token")
    deps = Deps(settings=settings, sessions=session_factory(create_engine("sqlite+aiosqlite://")))
    try:
        built = [app.build_application(platform, deps) for platform in (Platform.TELEGRAM, Platform.BALE)]
    finally:
        app._tls.cache_clear()
    assert len(made) == 1  # the CA certificates read once, not once per client (four here)
    for application in built:
        updates, requests = application.bot._request
        assert isinstance(updates, HTTPXRequest) and isinstance(requests, HTTPXRequest)
        # Slow village links: the timeouts the builder used to set.
        assert (requests.read_timeout, updates.read_timeout) == (20, 35)
        assert requests._client.timeout == httpx.Timeout(connect=10, read=20, write=20, pool=10)
        assert requests._client_kwargs["limits"].max_connections == 64
        assert updates._client_kwargs["limits"].max_connections == 1
