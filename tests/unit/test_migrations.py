"""The Alembic migrations produce exactly the schema the models describe, and upgrade old data."""

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from bot.db.engine import create_engine
from bot.db.migrate import alembic_config, described_by_models


async def test_models_and_migrations_agree(database_url: str) -> None:
    engine = create_engine(database_url)

    def _diff(connection):  # noqa: ANN001, ANN202
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_name": described_by_models})
        return compare_metadata(context, SQLModel.metadata)

    async with engine.connect() as connection:
        differences = await connection.run_sync(_diff)
    await engine.dispose()
    assert differences == [], "models changed without a migration (alembic revision --autogenerate)"


async def test_center_search_migration_fills_the_key_and_the_index_for_existing_centers(tmp_path: Path) -> None:
    """0001 → head (0002, then 0003) on a database that already has centers (SQLite: its own file, whatever the suite runs on)."""
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")

    def _to(revision: str, down: bool = False) -> Callable[[Connection], None]:
        def _run(connection: Connection) -> None:
            config = alembic_config()
            config.attributes["connection"] = connection
            (command.downgrade if down else command.upgrade)(config, revision)
        return _run

    async with engine.begin() as connection:
        await connection.run_sync(_to("0001"))
        await connection.execute(text(
            "INSERT INTO users (id, platform, platform_user_id, first_name, created_at) "
            "VALUES (1, 'telegram', 1, 'x', '2026-11-29 08:00:00')"
        ))
        await connection.execute(text(
            "INSERT INTO centers (id, name, name_key, kind, status, leader_id, created_at) VALUES "
            "(1, :name, 'x', 'mosque', 'active', 1, '2026-11-29 08:00:00'), "
            "(2, :other, 'y', 'family', 'active', 1, '2026-11-29 08:00:00')"
        ), {"name": "كانون همياري صاحب‌الزمان روستای قورچای", "other": "کانون نور"})
    async with engine.begin() as connection:
        await connection.run_sync(_to("head"))
    async with engine.connect() as connection:
        keys = (await connection.execute(text("SELECT search_key FROM centers ORDER BY id"))).scalars().all()
        found = (await connection.execute(
            text("SELECT rowid FROM center_search WHERE center_search MATCH :q"), {"q": '"قورچای"'},
        )).scalars().all()
    assert keys == ["صاحبالزمانقورچای", "نور"] and found == [1]
    async with engine.begin() as connection:  # and back, and up again
        await connection.run_sync(_to("0001", down=True))
        await connection.run_sync(_to("head"))
    await engine.dispose()
