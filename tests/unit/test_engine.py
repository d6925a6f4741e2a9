from pathlib import Path

from sqlalchemy import text

from bot.db.engine import create_engine


async def test_sqlite_runs_in_wal_with_busy_timeout_and_foreign_keys(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/sub/dir/k.db")  # folders are created
    async with engine.connect() as connection:
        values = [
            (await connection.execute(text(f"PRAGMA {name}"))).scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys")
        ]
    await engine.dispose()
    assert values == ["wal", 10000, 1]
