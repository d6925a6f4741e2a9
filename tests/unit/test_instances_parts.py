"""Small parts of bot/instances: the metrics text, JSON logs, the new settings, webhook secrets."""

from __future__ import annotations

import json
import logging

import pytest

from bot.instances.metrics import new_metrics
from bot.instances.receive import header_secret, path_secret, webhook_url
from bot.logs import JsonFormatter, current_actor
from bot.platforms import Platform
from bot.settings import ConfigError, load_settings

TOKEN = "111111:telegram-test-token"


def test_metrics_are_prometheus_text() -> None:
    metrics = new_metrics()
    metrics.count("kanoon_updates_processed_total", platform="bale")
    metrics.count("kanoon_updates_processed_total", 2, platform="telegram")
    for seconds in (0.003, 0.03, 0.3, 99.0):
        metrics.observe("kanoon_update_processing_seconds", seconds, platform="bale")
    text = metrics.render({"kanoon_inbox_depth": {(): 4.0}, "kanoon_scheduler_leader": {(("instance", 'k"1'),): 1.0}})
    lines = text.splitlines()
    assert "# TYPE kanoon_updates_processed_total counter" in lines
    assert 'kanoon_updates_processed_total{platform="telegram"} 2' in lines
    assert "# TYPE kanoon_update_processing_seconds histogram" in lines
    assert 'kanoon_update_processing_seconds_bucket{platform="bale",le="0.005"} 1' in lines
    assert 'kanoon_update_processing_seconds_bucket{platform="bale",le="0.5"} 3' in lines  # cumulative
    assert 'kanoon_update_processing_seconds_bucket{platform="bale",le="+Inf"} 4' in lines
    assert 'kanoon_update_processing_seconds_count{platform="bale"} 4' in lines
    assert "kanoon_inbox_depth 4" in lines
    assert 'kanoon_scheduler_leader{instance="k\\"1"} 1' in lines
    assert text.endswith("\n")


def test_json_logs_are_one_object_per_line_with_the_actor() -> None:
    token = current_actor.set("bale:42")
    try:
        record = logging.getLogger("kanoon.test").makeRecord("kanoon.test", logging.INFO, __file__, 1, "سلام %s", ("x",), None)
    finally:
        current_actor.reset(token)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["message"] == "سلام x" and entry["actor"] == "bale:42" and entry["level"] == "INFO"
    assert entry["time"].endswith("+00:00")


def test_instance_settings_are_checked() -> None:
    settings = load_settings(None, telegram_token=TOKEN, log_format="JSON", webhook_url=" https://bot.example.org/k/ ")
    assert settings.log_format == "json" and settings.webhook_url == "https://bot.example.org/k/"
    assert settings.http_port is None and settings.updates_in_flight == 64
    for bad in ({"log_format": "xml"}, {"webhook_url": "bot.example.org"}, {"http_port": 70000},
                {"leader_check_seconds": 60}):
        with pytest.raises(ConfigError) as raised:
            load_settings(None, telegram_token=TOKEN, **bad)
        assert next(iter(bad)).upper() in str(raised.value)


def test_webhook_secrets_are_stable_per_bot_and_unguessable_without_the_token() -> None:
    settings = load_settings(None, telegram_token=TOKEN, bale_token="222222:bale-test-token",
                             webhook_url="https://bot.example.org/k/")
    again = load_settings(None, telegram_token=TOKEN, bale_token="222222:bale-test-token",
                          webhook_url="https://bot.example.org/k")
    assert webhook_url(settings, Platform.TELEGRAM) == webhook_url(again, Platform.TELEGRAM)  # every instance agrees
    assert webhook_url(settings, Platform.BALE).startswith("https://bot.example.org/k/bale/")
    assert path_secret(settings, Platform.TELEGRAM) != path_secret(settings, Platform.BALE)
    assert len(path_secret(settings, Platform.BALE)) == 32 and len(header_secret(settings, Platform.TELEGRAM)) == 48
    chosen = settings.model_copy(update={"webhook_secret": "our own"})
    assert path_secret(chosen, Platform.TELEGRAM) != path_secret(settings, Platform.TELEGRAM)
