"""Typed settings read from the environment (and `.env`); `.env.example` documents each one."""

from __future__ import annotations

import re
from functools import cached_property
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from bot.platforms import Platform

# Both Telegram and Bale issue tokens of the form "<digits>:<secret>".
_TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]{8,}$")


class ConfigError(Exception):
    """Configuration that cannot run; the message names the variable and the fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    telegram_token: str | None = None
    bale_token: str | None = None
    telegram_api_url: str = "https://api.telegram.org/bot"
    bale_api_url: str = "https://tapi.bale.ai/bot"
    database_url: str = "sqlite+aiosqlite:///./data/kanoon.db"
    admin_ids: str = ""
    timezone: str = "Asia/Tehran"
    # Messages per second per platform, shared by everything the bot sends there.
    send_rate: float = Field(default=25.0, gt=0, le=1000)
    # A reminder that fell due while the bot was down is still sent within this window.
    reminder_grace_hours: float = Field(default=6.0, ge=0)
    log_level: str = "INFO"
    # At start, an unreachable Bot API (DNS, timeout, refused) is retried for this long.
    connect_retry_seconds: float = Field(default=120.0, ge=0)
    # --- several instances (bot/instances/, docs/instances.md, docs/deploy.md) -------------
    log_format: str = "text"  # text, or json: one JSON object per line
    # Public base URL for webhooks (https://…); empty: long polling, the default.
    webhook_url: str = ""
    # Mixed into the webhook paths and Telegram's secret token; empty: derived from each token.
    webhook_secret: str = ""
    # The HTTP server (webhooks, /healthz, /metrics): always on with WEBHOOK_URL (port 8080
    # unless set); with polling only when HTTP_PORT is set.
    http_host: str = "0.0.0.0"
    http_port: int | None = Field(default=None, ge=0, le=65535)  # 0: any free port (tests)
    # Updates one instance handles at once (different users; one user's are always in order).
    updates_in_flight: int = Field(default=64, ge=1, le=1000)
    # How often instances check the leadership; a dead leader is replaced within about this long.
    leader_check_seconds: float = Field(default=5.0, gt=0, le=30)
    # An update whose instance stopped answering is taken again after this many seconds.
    inbox_lease_seconds: float = Field(default=60.0, ge=1)
    # --- files (bot/exports/) ---------------------------------------------------------------
    # A members file with more rows than this is made by a separate process (bot/exports/):
    # written here it would slow everyone's updates. Smaller ones are quicker made in-process.
    export_in_process_max_rows: int = Field(default=2000, ge=0)
    # A file's process that runs longer is killed, and the person asked to try again later.
    export_timeout_seconds: float = Field(default=300.0, gt=0)

    @field_validator("telegram_token", "bale_token", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("telegram_token", "bale_token")
    @classmethod
    def _token_shape(cls, value: str | None) -> str | None:
        if value is not None and not _TOKEN_RE.match(value.strip()):
            raise ValueError("does not look like a bot token (expected 123456:ABC...)")
        return value.strip() if value else value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("admin_ids")
    @classmethod
    def _admins_parse(cls, value: str) -> str:
        parse_admin_ids(value)  # raises ValueError with a precise message
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("must be DEBUG, INFO, WARNING or ERROR")
        return value

    @field_validator("log_format")
    @classmethod
    def _log_format(cls, value: str) -> str:
        value = value.strip().lower()
        if value not in {"text", "json"}:
            raise ValueError("must be text or json")
        return value

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str) -> str:
        value = value.strip()
        if value and not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("must be the public base URL, e.g. https://bot.example.org/kanoon (or empty for polling)")
        return value

    @field_validator("http_port", mode="before")
    @classmethod
    def _blank_port(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value


    @cached_property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @cached_property
    def admins(self) -> frozenset[tuple[Platform, int]]:
        return parse_admin_ids(self.admin_ids)

    def token_for(self, platform: Platform) -> str | None:
        return self.telegram_token if platform is Platform.TELEGRAM else self.bale_token

    def api_url_for(self, platform: Platform) -> str:
        return self.telegram_api_url if platform is Platform.TELEGRAM else self.bale_api_url

    @property
    def platforms(self) -> list[Platform]:
        return [p for p in Platform if self.token_for(p)]


def parse_admin_ids(raw: str) -> frozenset[tuple[Platform, int]]:
    """`telegram:123,bale:456` → {(TELEGRAM, 123), (BALE, 456)}."""
    admins: set[tuple[Platform, int]] = set()
    for item in filter(None, (part.strip() for part in raw.split(","))):
        name, sep, number = item.partition(":")
        try:
            platform = Platform(name.strip().lower())
        except ValueError:
            raise ValueError(f"{item!r}: platform must be 'telegram' or 'bale'") from None
        if not sep or not number.strip().isdigit():
            raise ValueError(f"{item!r}: expected platform:user_id, e.g. telegram:123456")
        admins.add((platform, int(number)))
    return frozenset(admins)


# The async drivers this project ships with; the plain forms people copy from elsewhere are
# upgraded to them rather than refused.
_ASYNC_DRIVERS = {"sqlite": "sqlite+aiosqlite", "postgresql": "postgresql+asyncpg", "postgres": "postgresql+asyncpg"}


def normalise_database_url(value: str) -> str:
    try:
        url = make_url(value.strip())
    except ArgumentError:
        raise ValueError("is not a database URL (e.g. sqlite+aiosqlite:///./data/kanoon.db)") from None
    backend = url.get_backend_name()
    if backend not in _ASYNC_DRIVERS:
        raise ValueError("must be SQLite (sqlite+aiosqlite:///…) or PostgreSQL (postgresql+asyncpg://…)")
    if url.drivername != _ASYNC_DRIVERS[backend]:
        if url.drivername not in _ASYNC_DRIVERS:
            raise ValueError(f"driver {url.drivername!r} is not supported; use {_ASYNC_DRIVERS[backend]}")
        url = url.set(drivername=_ASYNC_DRIVERS[backend])
    return url.render_as_string(hide_password=False)


def load_settings(
    env_file: Path | str = ".env", *, need_token: bool = True, **overrides: Any,  # noqa: ANN401 (validated by pydantic)
) -> Settings:
    """Settings from the environment and `env_file`, or a ConfigError that says what to fix.

    `need_token=False` is for commands that never call a Bot API (migrate).
    """
    try:
        settings = Settings(_env_file=env_file, **overrides)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            field = ".".join(str(p) for p in error["loc"]).upper()
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"  {field or 'configuration'}: {message}")
        raise ConfigError(
            "Invalid configuration:\n" + "\n".join(problems)
            + f"\nFix it in the environment or in {env_file} (see .env.example)."
        ) from None
    if need_token and not settings.platforms:
        where = Path(env_file).resolve()
        found = "found, but it sets neither" if where.is_file() else "which does not exist"
        raise ConfigError(
            "No bot token: set TELEGRAM_TOKEN or BALE_TOKEN (at least one).\n"
            f"Looked in the environment and in {where} ({found}).\n"
            f"Copy .env.example to {where} and put a token in it; or try `python main.py playground`, "
            "which needs no token."
        )
    return settings
