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


# --- start-up without Alembic when the database is at head (issue 14, «Startup < 3 s») ------------


def test_the_head_read_from_the_files_is_alembics_own() -> None:
    from alembic.script import ScriptDirectory

    from bot.db.migrate import head_revision

    assert head_revision() == ScriptDirectory.from_config(alembic_config()).get_current_head()


def test_the_head_reader_follows_merges_and_gives_up_on_two_heads(tmp_path: Path) -> None:
    from bot.db.migrate import head_revision

    def write(name: str, revision: str, down: str) -> None:
        (tmp_path / f"{name}.py").write_text(f'"""{name}"""\nrevision = "{revision}"\ndown_revision = {down}\n')

    write("0001_a", "0001", "None")
    write("0002_b", "0002", "'0001'")
    write("0003_c", "0003", "'0001'")
    assert head_revision(tmp_path) is None  # two heads: Alembic would refuse too
    write("0004_merge", "0004", "('0002', '0003')")
    assert head_revision(tmp_path) == "0004"


async def test_a_database_at_head_starts_without_touching_alembic(database_url: str, monkeypatch) -> None:  # noqa: ANN001
    from bot.db import migrate

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("alembic ran for a database already at head")

    monkeypatch.setattr(command, "upgrade", refuse)
    engine = create_engine(database_url)
    await migrate.upgrade(engine)  # the fixture's database is at head
    assert await migrate.database_revision(engine) == migrate.head_revision()
    await engine.dispose()


async def test_a_new_database_and_one_behind_are_upgraded(tmp_path: Path) -> None:
    from bot.db import migrate

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'behind.db'}")
    assert await migrate.database_revision(engine) is None  # no alembic_version table yet

    def _to_0007(connection: Connection) -> None:
        config = alembic_config()
        config.attributes["connection"] = connection
        command.upgrade(config, "0007")

    async with engine.begin() as connection:
        await connection.run_sync(_to_0007)
    assert await migrate.database_revision(engine) == "0007"
    await migrate.upgrade(engine)
    assert await migrate.database_revision(engine) == migrate.head_revision() != "0007"
    await engine.dispose()


def test_starting_the_bot_imports_no_alembic_and_no_file_or_picture_library() -> None:
    """`python main.py` imports what it needs to run: Alembic only when the database is behind,
    openpyxl, Pillow and the shaping libraries (docs/scale.md «Start-up») for the first file or chart."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    lazy = ("alembic", "openpyxl", "PIL", "arabic_reshaper", "bidi")
    found = subprocess.run([sys.executable, "-c", f"import sys, main; print(*[m for m in {lazy!r} if m in sys.modules])"],
                           cwd=root, capture_output=True, text=True, check=True)
    assert found.stdout.strip() == ""
