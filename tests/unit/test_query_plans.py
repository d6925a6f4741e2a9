"""Periodic sweeps and start-up work read what is due, not every row ever written.

The real jobs run on a database holding much history (settled deliveries, fired reminders,
decided memberships, many centers) and a little due work; every statement they send is
captured and explained (EXPLAIN QUERY PLAN on SQLite, EXPLAIN on PostgreSQL), after the
statistics the bot keeps (bot/db/maintenance.py; PostgreSQL's ANALYZE). None may read a whole
table of centers, memberships, deliveries or reminders: each goes through an index, and a
scan is allowed only of a partial index, which holds only the due rows (migration 0006).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, insert, text

from bot.db import maintenance
from bot.db.engine import SessionFactory
from bot.db.models import Campaign, Center, Delivery, Membership, Reminder, User
from bot.deps import Deps
from bot.jobs import join_reminders, reminders
from bot.ptb.persistence import DatabasePersistence
from bot.platforms import Platform
from bot.sending import broadcast, delivery
from bot.settings import Settings

NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)
WATCHED = ("centers", "memberships", "deliveries", "reminders")
PARTIAL = ("ix_deliveries_open", "ix_reminders_pending_due", "ix_memberships_pending")
CENTERS, MEMBERS, SETTLED = 5_000, 12_000, 12_000


async def _seed(sessions: SessionFactory) -> None:
    """History in bulk, and a little of everything that can be due."""
    long_ago = NOW - timedelta(days=200)
    async with sessions() as session:
        await session.exec(insert(User), params=[  # type: ignore[call-overload]
            {"id": i, "platform": "telegram", "platform_user_id": 10_000 + i, "first_name": "عضو", "created_at": long_ago}
            for i in range(1, 2 * CENTERS + MEMBERS + 50)
        ])
        await session.exec(insert(Center), params=[  # type: ignore[call-overload]
            {"id": c, "code": 1_000_000 + c, "name": f"کانون {c}", "name_key": f"کانون{c}", "kind": "mosque",
             "status": "active" if c % 20 else "cancelled", "leader_id": c, "assistant_id": CENTERS + c,
             "created_at": long_ago} for c in range(1, CENTERS + 1)
        ])
        first_member = 2 * CENTERS + 1
        await session.exec(insert(Membership), params=[  # type: ignore[call-overload]
            {"center_id": 1 + i % CENTERS, "user_id": first_member + i, "status": "active" if i % 10 else "left",
             "source": "code", "requested_at": long_ago, "decided_at": long_ago} for i in range(MEMBERS)
        ] + [
            {"center_id": 1 + i, "user_id": first_member + MEMBERS + i, "status": "pending", "source": "code",
             "requested_at": NOW - timedelta(days=i % 9)} for i in range(40)
        ])
        await session.exec(insert(Campaign), params=[  # type: ignore[call-overload]
            {"id": k, "center_id": 1 + k, "created_by": 2 + k, "kind": "campaign", "body": "…", "status": "sent",
             "starts_at": long_ago, "created_at": long_ago} for k in range(1, 101)
        ])
        await session.exec(insert(Reminder), params=[  # type: ignore[call-overload]
            {"campaign_id": 1 + k % 100, "offset_minutes": 120 + k, "due_at": long_ago, "status": "sent"}
            for k in range(3_000)
        ] + [{"campaign_id": 1, "offset_minutes": k, "due_at": NOW + timedelta(days=30), "status": "pending"}
             for k in range(3)])
        await session.exec(insert(Delivery), params=[  # type: ignore[call-overload]
            {"purpose": "campaign", "ref_id": 1 + k // 120, "user_id": first_member + k % MEMBERS, "status": "sent",
             "attempts": 1, "created_at": long_ago} for k in range(SETTLED)
        ] + [{"purpose": "join_request", "ref_id": k, "user_id": 1 + k, "status": "sent", "attempts": 1,
              "created_at": long_ago} for k in range(1, 3_000)])
        await session.commit()


def _deps(database_url: str, sessions: SessionFactory) -> Deps:
    settings = Settings(_env_file=None, telegram_token="111111:plans-test-token", database_url=database_url)
    deps = Deps(settings=settings, sessions=sessions, clock=lambda: NOW)
    deps.resenders = {"join_request": _never_called, "join_decision": _never_called}
    return deps


async def _never_called(*args: object) -> None:
    raise AssertionError("nothing is due to be sent again")


async def _captured(sessions: SessionFactory, work: Callable[[], Awaitable[object]]) -> list[tuple[str, object]]:
    engine = sessions.kw["bind"].sync_engine
    seen: list[tuple[str, object]] = []

    def capture(conn, cursor, statement, parameters, context, executemany) -> None:  # noqa: ANN001
        if not statement.lstrip().upper().startswith(("PRAGMA", "ANALYZE", "EXPLAIN")):
            seen.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", capture)
    try:
        await work()
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    return seen


async def _plan(sessions: SessionFactory, statement: str, parameters: object) -> str:
    async with sessions() as session:
        connection = await session.connection()
        if connection.dialect.name == "sqlite":
            rows = (await connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)).all()
            return "\n".join(row[3] for row in rows)
        rows = (await connection.exec_driver_sql("EXPLAIN " + statement, parameters)).all()
        await session.rollback()
        return "\n".join(row[0] for row in rows)


# Columns with a few values each: an index search on these alone still reads a share of all
# history (e.g. every campaign delivery ever), so it counts as a full read.
COARSE = {"status", "purpose", "kind", "platform", "source", "due_at", "requested_at", "created_at"}


def _full_scans(plan: str, watched: set[str] = set(WATCHED)) -> list[str]:  # noqa: B006
    """The lines of a plan that read a whole watched table, or all of its rows of one status or
    purpose: a scan (except of a partial index, which holds only the due rows), or an index
    search whose conditions are only on coarse columns."""
    bad = []
    lines = plan.splitlines()
    for i, line in enumerate(lines):
        scan = re.search(r"\bSCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?", line)
        if scan and scan.group(1) in watched and scan.group(2) not in PARTIAL:
            bad.append(line.strip())
        search = re.search(r"\bSEARCH (\w+) USING (?:COVERING )?INDEX (\w+) \((.*)\)", line)
        if search and search.group(1) in watched and search.group(2) not in PARTIAL and _coarse(search.group(3)):
            bad.append(line.strip())
        if re.search(r"Seq Scan on (\w+)", line) and re.search(r"Seq Scan on (\w+)", line).group(1) in watched:  # type: ignore[union-attr]
            bad.append(line.strip())
        index = re.search(r"Index (?:Only )?Scan using (\w+) on (\w+)", line)
        if index and index.group(2) in watched and index.group(1) not in PARTIAL:
            condition = next((c for c in lines[i + 1:i + 4] if "Index Cond:" in c), "")
            if _coarse(condition):
                bad.append(line.strip())
    return bad


def _coarse(conditions: str) -> bool:
    columns = set(re.findall(r"(\w+)\)*(?:::\w+)?\s*(?:=|<|>|<=|>=|IS)", conditions))
    return "rowid" not in columns and columns <= COARSE  # a rowid is one row (SQLite's lookup by key)


def _watched_names(statement: str) -> set[str]:
    """The watched tables and the aliases the statement gives them (SQLite's plan shows aliases)."""
    names = set(WATCHED)
    for table, alias in re.findall(rf"\b({'|'.join(WATCHED)})\s+(?:AS\s+)?(\w+)", statement):
        if alias.upper() not in ("WHERE", "JOIN", "ON", "SET", "GROUP", "ORDER", "LIMIT", "LEFT", "INNER", "VALUES"):
            names.add(alias)
    return names


@pytest.fixture
async def history(database_url: str, sessions: SessionFactory) -> Deps:
    await _seed(sessions)
    if not await maintenance.refresh_statistics(sessions):
        async with sessions() as session:
            await session.exec(text("ANALYZE"))  # type: ignore[call-overload]
            await session.commit()
    return _deps(database_url, sessions)


async def _check(deps: Deps, name: str, work: Callable[[], Awaitable[object]]) -> int:
    statements = await _captured(deps.sessions, work)
    assert statements, f"{name} sent no statement"
    for statement, parameters in statements:
        if not any(re.search(rf"\b{table}\b", statement) for table in WATCHED):
            continue
        plan = await _plan(deps.sessions, statement, parameters)
        assert not _full_scans(plan, _watched_names(statement)), f"{name} reads a whole table:\n{statement}\n{plan}"
    return len(statements)


async def test_start_up_work_reads_only_what_is_due(history: Deps) -> None:
    deps = history

    async def start_up() -> None:
        await delivery.release_abandoned(deps)
        for platform in Platform:
            persistence = DatabasePersistence(deps.sessions, platform)
            await persistence.get_user_data()
            await persistence.get_conversations("join")
        await broadcast.resume(deps)
        await delivery.resend_notices(deps)
        await reminders.fire_due(deps)

    await _check(deps, "start-up", start_up)
    await deps.background.stop()


async def test_periodic_sweeps_read_only_what_is_due(history: Deps) -> None:
    deps = history
    await _check(deps, "broadcast resume sweep", lambda: broadcast.sweep(deps))
    await _check(deps, "notice resend sweep", lambda: delivery.resend_notices(deps))
    await _check(deps, "reminder sweep", lambda: reminders.check_due(deps))
    await _check(deps, "hourly check of waiting requests", lambda: join_reminders.check_waiting_requests(deps))
    await deps.background.stop()


def test_a_full_scan_is_recognised() -> None:
    """The check itself: what a plan that reads a whole table looks like, on each database."""
    assert _full_scans("SCAN deliveries")
    assert _full_scans("SCAN m USING INDEX ix_memberships_center_joined", _watched_names("FROM memberships AS m"))
    assert _full_scans("SCAN memberships USING INDEX ix_memberships_center_joined")
    assert _full_scans("SCAN memberships USING INDEX ix_memberships_pending") == []
    assert _full_scans("SEARCH deliveries USING INDEX sqlite_autoindex_deliveries_1 (purpose=?)")
    assert _full_scans("SEARCH deliveries USING INDEX sqlite_autoindex_deliveries_1 (purpose=? AND ref_id=?)") == []
    assert _full_scans("SEARCH reminders USING INDEX ix_reminders_pending_due (due_at<?)") == []
    assert _full_scans("SEARCH memberships USING INDEX ix_memberships_center_joined (center_id=? AND status=?)") == []
    assert _full_scans("SEARCH users USING INTEGER PRIMARY KEY (rowid=?)") == []
    assert _full_scans("SEARCH centers USING COVERING INDEX ix_centers_status (status=? AND rowid=?)") == []
    assert _full_scans("  ->  Seq Scan on reminders  (cost=0.00..1.05 rows=1 width=8)")
    assert _full_scans("  ->  Index Scan using ix_reminders_pending_due on reminders") == []
    assert _full_scans("Index Scan using deliveries_purpose_ref_id_user_id_key on deliveries\n"
                       "  Index Cond: ((purpose)::text = ANY ('{campaign,reminder}'::text[]))")
    assert _full_scans("Index Scan using deliveries_purpose_ref_id_user_id_key on deliveries\n"
                       "  Index Cond: (((purpose)::text = 'campaign'::text) AND (ref_id = 5))") == []
