"""Alembic migrations, applied at start and by hand (`python main.py migrate`).

Alembic is about a third of the bot's import time and is needed only when the database is
behind the code: at start one query reads the database's revision (alembic_version), and when it
is the newest migration's (read from the files in migrations/versions, without Alembic) nothing
else happens. tests/unit/test_migrations.py checks that this head is Alembic's own.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.runtime.environment import NameFilterParentNames, NameFilterType

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
VERSIONS = MIGRATIONS / "versions"
# A migration file's own lines `revision = '0008'` and `down_revision = '0007'` (or None, or a
# tuple of revisions for a merge).
_REVISION_RE = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION_RE = re.compile(r"^down_revision\s*(?::[^=]*)?=(.*)$", re.MULTILINE)
_QUOTED_RE = re.compile(r"['\"]([^'\"]+)['\"]")
# Made by migrations, described by no model: SQLite's FTS5 index for center search (0003)
# and the shadow tables FTS5 keeps beside it. Autogenerate and the schema test leave them be.
UNMODELLED_TABLE_PREFIX = "center_search"


def described_by_models(name: str | None, type_: NameFilterType, parent_names: NameFilterParentNames) -> bool:
    """Alembic's include_name hook: compare everything except the unmodelled tables."""
    return not (type_ == "table" and name is not None and name.startswith(UNMODELLED_TABLE_PREFIX))


def alembic_config(url: str | None = None) -> Config:
    from alembic.config import Config

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


def head_revision(versions: Path = VERSIONS) -> str | None:
    """The newest revision, read from the migration files without importing Alembic: the one no
    other file names as its down_revision. None if that is not exactly one (Alembic decides)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in versions.glob("*.py"):
        source = path.read_text("utf-8")
        revision, down = _REVISION_RE.search(source), _DOWN_REVISION_RE.search(source)
        if revision is None or down is None:
            return None  # a file this reader does not understand: let Alembic read them all
        revisions.add(revision.group(1))
        parents.update(_QUOTED_RE.findall(down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


async def database_revision(engine: AsyncEngine) -> str | None:
    """The revision the database is at (alembic_version), or None: a new database, or several."""
    async with engine.connect() as connection:
        try:
            rows = (await connection.execute(text("SELECT version_num FROM alembic_version"))).scalars().all()
        except DBAPIError:  # no such table yet
            return None
    return rows[0] if len(rows) == 1 else None


async def upgrade(engine: AsyncEngine) -> None:
    """Bring the database to the code's newest revision; Alembic is imported only if it is behind."""
    head = head_revision()
    if head is not None and await database_revision(engine) == head:
        return

    def _run(connection: Connection) -> None:
        from alembic import command

        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "head")

    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            # Several instances may start at once (docs/deploy.md): one migrates, the others wait
            # for its commit and find the schema at head. Released with the transaction.
            await connection.execute(text("SELECT pg_advisory_xact_lock(1801543171, 0)"))
        await connection.run_sync(_run)
