"""Alembic migrations, applied at start and by hand (`python main.py migrate`)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
# Made by migrations, described by no model: SQLite's FTS5 index for center search (0003)
# and the shadow tables FTS5 keeps beside it. Autogenerate and the schema test leave them be.
UNMODELLED_TABLE_PREFIX = "center_search"


def described_by_models(name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames) -> bool:
    """Alembic's include_name hook: compare everything except the unmodelled tables."""
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_TABLE_PREFIX))


def alembic_config(url: str | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if url:
        config.set_main_option("sqlalchemy.url", url)
    return config


async def upgrade_or_explain(engine: AsyncEngine) -> None:
    """upgrade(), with a database that cannot be reached or written turned into a ConfigError."""
    from bot.settings import ConfigError

    try:
        await upgrade(engine)
    except (OSError, DBAPIError) as exc:
        where = engine.url.render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise ConfigError(
            f"Cannot open the database at DATABASE_URL={where} ({reason}); check that it is running "
            "and reachable, and that the bot may write there."
        ) from None


async def upgrade(engine: AsyncEngine) -> None:
    def _run(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several instances may start at once (docs/deploy.md): one migrates, the others wait
            # for its commit and find the schema at head. Released with the transaction.
            await connection.execute(text("SELECT pg_advisory_xact_lock(1801543171, 0)"))
        await connection.run_sync(_run)
