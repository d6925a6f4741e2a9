"""Shared fixtures: a migrated database per test, on SQLite (default) or PostgreSQL.

Set TEST_DATABASE_URL=postgresql+asyncpg://… to run the whole suite against PostgreSQL
(.ci/run does, after the SQLite run).
"""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from bot.db import migrate
from bot.db.engine import SessionFactory, create_engine, session_factory

BASE_POSTGRES_URL = os.environ.get("TEST_DATABASE_URL")
# Under pytest-xdist each worker (gw0, gw1, …) gets a database of its own on the same server.
WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def _worker_database(base_url: str) -> str:
    """`kanoon_test` → `kanoon_test_gw0` for worker gw0, created if missing."""
    url = make_url(base_url)
    name = f"{url.database}_{WORKER}"

    async def _create() -> None:
        engine = create_engine(base_url)
        async with engine.connect() as connection:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            exists = await connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
            if not exists:
                await connection.execute(text(f'CREATE DATABASE "{name}"'))
        await engine.dispose()

    asyncio.run(_create())
    return url.set(database=name).render_as_string(hide_password=False)


POSTGRES_URL = _worker_database(BASE_POSTGRES_URL) if BASE_POSTGRES_URL and WORKER else BASE_POSTGRES_URL


@pytest.fixture(scope="session")
def _template_db(tmp_path_factory: pytest.TempPathFactory) -> str | Path:
    """Migrate once per run; each test then starts from a copy (SQLite) or truncation (PG)."""

    async def _migrate(url: str) -> None:
        engine = create_engine(url)
        await migrate.upgrade(engine)
        await engine.dispose()

    if POSTGRES_URL:
        asyncio.run(_migrate(POSTGRES_URL))
        return POSTGRES_URL
    path = tmp_path_factory.mktemp("template") / "kanoon.db"
    asyncio.run(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture
async def database_url(_template_db: str | Path, tmp_path: Path) -> str:
    if POSTGRES_URL:
        engine = create_engine(POSTGRES_URL)
        tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
        async with engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        await engine.dispose()
        return POSTGRES_URL
    path = tmp_path / "kanoon.db"
    shutil.copy(_template_db, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[SessionFactory]:
    engine = create_engine(database_url)
    yield session_factory(engine)
    await engine.dispose()
