from pathlib import Path

from sqlalchemy import text

from bot.db.engine import SPARE_CONNECTIONS, create_engine


async def test_sqlite_runs_in_wal_with_busy_timeout_foreign_keys_and_a_small_cache(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/sub/dir/k.db")  # folders are created
    async with engine.connect() as connection:
        values = [
            (await connection.execute(text(f"PRAGMA {name}"))).scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys", "cache_size")
        ]
    await engine.dispose()
    assert values == ["wal", 10000, 1, -256]  # cache_size in KB when negative: one per update in flight


async def test_sqlite_keeps_a_connection_per_update_in_flight(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/k.db", in_flight=30)
    connections = [await engine.connect() for _ in range(30 + SPARE_CONNECTIONS)]
    for connection in connections:
        await connection.close()
    # All given back are kept (none closed): the next peak opens no new aiosqlite thread.
    assert engine.pool.checkedin() == 30 + SPARE_CONNECTIONS
    await engine.dispose()


async def test_a_savepoint_after_reads_stays_inside_the_unit_of_work(tmp_path: Path) -> None:
    """What a savepoint wrote is rolled back with its unit, and kept when the unit commits."""
    import pytest
    from sqlalchemy.exc import IntegrityError
    from sqlmodel import select

    from bot.db import migrate
    from bot.db.engine import session_factory, unit_of_work
    from bot.db.models import User

    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path}/k.db")
    await migrate.upgrade(engine)
    sessions = session_factory(engine)
    with pytest.raises(RuntimeError):
        async with unit_of_work(sessions) as session:
            (await session.exec(select(User))).all()  # reads first: no write has begun a transaction
            async with session.begin_nested():
                session.add(User(platform="telegram", platform_user_id=1))
            raise RuntimeError("the intent fails later")
    async with unit_of_work(sessions) as session:
        (await session.exec(select(User))).all()
        session.add(User(platform="telegram", platform_user_id=2))
        await session.flush()
        with pytest.raises(IntegrityError):
            async with session.begin_nested():
                session.add(User(platform="telegram", platform_user_id=2))  # a duplicate: refused alone
        session.add(User(platform="telegram", platform_user_id=3))
    async with sessions() as session:
        kept = sorted(u.platform_user_id for u in (await session.exec(select(User))).all())
    await engine.dispose()
    assert kept == [2, 3]


async def test_postgresql_pings_only_connections_idle_for_a_while(database_url: str, monkeypatch) -> None:  # noqa: ANN001
    """pool_pre_ping costs three trips through the asyncpg adapter: a connection given back
    moments ago is handed out unpinged; one idle longer is pinged, and replaced if the server
    closed it (here: terminated while it sat in the pool)."""
    if not database_url.startswith("postgresql"):
        return  # SQLite pools no network connections
    import asyncpg
    from sqlalchemy.dialects.postgresql.asyncpg import AsyncAdapt_asyncpg_connection
    from sqlalchemy.engine import make_url

    import bot.db.engine as engine_module

    pings: list[object] = []
    real_ping = AsyncAdapt_asyncpg_connection.ping
    monkeypatch.setattr(AsyncAdapt_asyncpg_connection, "ping", lambda self: (pings.append(self), real_ping(self))[1])
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:  # a new connection: nothing to ping
            pid = (await connection.execute(text("SELECT pg_backend_pid()"))).scalar()
        for _ in range(3):
            async with engine.connect() as connection:
                assert (await connection.execute(text("SELECT pg_backend_pid()"))).scalar() == pid
        assert pings == []  # given back moments ago, every time
        monkeypatch.setattr(engine_module, "PING_AFTER_IDLE_SECONDS", 0.0)  # now "idle for a while"
        url = make_url(database_url)
        killer = await asyncpg.connect(host=url.host, port=url.port, user=url.username, password=url.password,
                                       database=url.database)
        try:  # the server closes the pooled connection's session while it sits in the pool
            await killer.execute("SELECT pg_terminate_backend($1)", pid)
        finally:
            await killer.close()
        async with engine.connect() as connection:  # pinged, found dead, replaced: no error
            assert (await connection.execute(text("SELECT pg_backend_pid()"))).scalar() != pid
        assert pings
    finally:
        await engine.dispose()
