"""The members file, now written a batch at a time from plain rows, is byte for byte the file
the bot made before (every member an ORM object, formatted one by one): made in the bot's
process (a small center) and by the export worker's process (bot/exports/, a big one)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.actions import joining
from bot.db.engine import SessionFactory
from bot.db.models import Center, Membership, User
from bot.db.repo import memberships as repo
from bot.deps import Deps
from bot.exports import apart
from bot.exports.members_sheet import MembersSheet
from bot.persian.text import format_jalali_date_numeric, persian_digits
from bot.ptb.ui import label
from bot.services.members_export import _cell, to_csv
from bot.settings import Settings
from bot.views.centers import person_name
from bot.views.joining import members_sheet_labels
from tests.factories import make_active_center, make_user
from tests.workbooks import read_back

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


def file_as_it_was(rows: Sequence[tuple[Membership, User]], tz: ZoneInfo) -> bytes:
    """The file as bot/views/joining.py made it before the rows were streamed (the oracle)."""
    header = [label("ml-csv-name"), label("ml-csv-mobile"), label("ml-csv-platform"), label("ml-csv-joined")]
    data = [
        [person_name(user), persian_digits(user.mobile or ""), label(f"ml-platform-{user.platform}"),
         format_jalali_date_numeric(membership.decided_at or membership.requested_at, tz)]
        for membership, user in rows
    ]
    return to_csv(header, data)


async def _members(sessions: SessionFactory, center: Center) -> None:
    people = [  # (platform, first_name, last_name, full_name, mobile, decided_at)
        ("telegram", "مریم", "احمدی", "مریم احمدی", "09121234567", NOW - timedelta(days=40)),
        ("bale", "علی", None, None, "09351234567", NOW - timedelta(days=40, hours=1)),
        ("bale", "حسن", "رضایی", None, None, NOW - timedelta(days=3)),
        ("telegram", "=SUM(A1)", None, None, "+989121234567", NOW - timedelta(days=2)),
        ("telegram", "زهرا", "کریمی", "زهرا «بانو»، کریمی", "09131234567", None),  # joined before decisions were kept
        # 20:45 UTC is the next day in Tehran: the day is the member's local one.
        ("bale", "رضا", "نوری", "رضا نوری", "09171234567", datetime(2026, 11, 20, 20, 45, tzinfo=timezone.utc)),
        ("bale", "سارا", "نوری", "سارا نوری", "09171234568", datetime(2026, 11, 20, 20, 15, tzinfo=timezone.utc)),
    ]
    async with sessions() as session:
        for platform, first, last, full, mobile, decided in people:
            user = User(platform=platform, platform_user_id=hash((first, last)) % 10**9, first_name=first,
                        last_name=last, full_name=full, mobile=mobile)
            session.add(user)
            await session.flush()
            session.add(Membership(center_id=center.id, user_id=user.id, status="active", source="code",
                                   requested_at=NOW - timedelta(days=50), decided_at=decided))
        left = User(platform="telegram", platform_user_id=777, first_name="رفته")
        session.add(left)
        await session.flush()
        session.add(Membership(center_id=center.id, user_id=left.id, status="left", source="code",
                               requested_at=NOW - timedelta(days=50)))
        await session.commit()


def _deps(database_url: str, sessions: SessionFactory, in_process_max_rows: int) -> Deps:
    settings = Settings(_env_file=None, telegram_token="111111:file-test-token", database_url=database_url,
                        export_in_process_max_rows=in_process_max_rows)
    return Deps(settings=settings, sessions=sessions, clock=lambda: NOW)


@pytest.mark.parametrize("in_process_max_rows", [2000, 6], ids=["in-process", "worker-process"])
async def test_the_file_is_what_it_was(database_url: str, sessions: SessionFactory, in_process_max_rows: int,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """7 members: under the limit the bot makes the file, over it the worker process does."""
    leader = await make_user(sessions, full_name="راهبر", mobile="09120000001")
    assistant = await make_user(sessions, full_name="همیار", mobile="09120000002")
    center = await make_active_center(sessions, leader, assistant)
    await _members(sessions, center)
    deps = _deps(database_url, sessions, in_process_max_rows)
    workers = _count_workers(monkeypatch)

    file = await joining.members_file(deps, assistant)

    assert workers == ([] if in_process_max_rows >= 7 else [1])
    async with sessions() as session:
        rows = await repo.active_with_users(session, center.id)
    assert len(rows) == 7 and file.rows == 7
    assert file.content() == file_as_it_was(rows, deps.settings.tz)
    assert file.filename == f"members-{center.code}.csv"
    assert "۷ نفر" in str(file.caption(NOW))


def _count_workers(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    started: list[int] = []
    run_worker = apart.run_worker

    async def counted(job: dict[str, object], timeout: float, worker: str = apart.WORKER) -> tuple[int, bytes]:
        started.append(1)
        return await run_worker(job, timeout, worker)

    monkeypatch.setattr(apart, "run_worker", counted)
    return started


async def test_the_workbook_from_the_worker_is_the_workbook_made_here(database_url: str,
                                                                      sessions: SessionFactory) -> None:
    """Byte for byte (the streaming writer puts no date in the file), and it opens in openpyxl:
    right to left, a bold frozen header, both mobiles text cells with their leading zero."""
    leader = await make_user(sessions, full_name="راهبر", mobile="09120000001")
    assistant = await make_user(sessions, full_name="همیار", mobile="09120000002")
    center = await make_active_center(sessions, leader, assistant)
    await _members(sessions, center)

    here = await joining.members_file(_deps(database_url, sessions, 2000), assistant, workbook=True)
    apart_file = await joining.members_file(_deps(database_url, sessions, 0), assistant, workbook=True)

    assert apart_file.rows == here.rows == 7 and apart_file.filename == f"members-{center.code}.xlsx"
    assert apart_file.content() == here.content()
    async with sessions() as session:
        rows = await repo.active_with_users(session, center.id)
    csv_rows = list(csv.reader(io.StringIO(file_as_it_was(rows, TEHRAN).decode("utf-8-sig"), newline="")))
    # The CSV's columns, and the mobile again in Latin digits (formula-guarded too) after the Persian one.
    expected = [(name, persian, _cell(latin), platform, joined) for (name, persian, platform, joined), latin
                in zip(csv_rows[1:], [user.mobile for _, user in rows], strict=True)]
    found = read_back(here.content(), text_columns=(1, 2))
    assert found[0] == tuple(members_sheet_labels(workbook=True).header)
    assert found[1:] == [tuple(value or None for value in row) for row in expected]
    assert ("مریم احمدی", "۰۹۱۲۱۲۳۴۵۶۷", "09121234567") in [row[:3] for row in expected]


async def test_a_worker_that_fails_is_reported_and_leaves_nothing(database_url: str, sessions: SessionFactory,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash (here: a database the worker cannot open) or a timeout: MembersFileFailed, which
    the handler turns into «try again» in Persian; a later tap starts afresh."""
    leader = await make_user(sessions, full_name="راهبر", mobile="09120000001")
    assistant = await make_user(sessions, full_name="همیار", mobile="09120000002")
    center = await make_active_center(sessions, leader, assistant)
    await _members(sessions, center)
    deps = _deps(database_url, sessions, 0)
    told: list[str] = []

    async def failed() -> None:
        told.append("failed")

    async def send(file: object) -> None:
        told.append("sent")

    monkeypatch.setattr(apart, "database_for_worker",
                        lambda url: {"driver": "sqlite", "path": "/nonexistent/kanoon-export.db"})
    assert joining.send_members_file(deps, assistant, send, failed)
    await deps.background.join(timeout=60)
    assert told == ["failed"]
    monkeypatch.undo()

    assert joining.send_members_file(deps, assistant, send, failed)  # the next tap works
    await deps.background.join(timeout=60)
    assert told == ["failed", "sent"]


async def test_a_worker_past_its_time_is_killed() -> None:
    """A worker that never finishes (tests/unit/stuck_worker.py waits for ever) is killed at its
    time and reported; run_worker returns only once the process is gone."""
    with pytest.raises(apart.ExportFailed, match="more than"):
        await apart.run_worker({}, timeout=1, worker="tests.unit.stuck_worker")


@pytest.mark.parametrize("workbook", [False, True], ids=["csv", "xlsx"])
async def test_a_file_in_small_batches_is_the_same_file(database_url: str, sessions: SessionFactory,
                                                        workbook: bool) -> None:
    leader = await make_user(sessions, full_name="راهبر", mobile="09120000001")
    assistant = await make_user(sessions, full_name="همیار", mobile="09120000002")
    center = await make_active_center(sessions, leader, assistant)
    await _members(sessions, center)
    from bot.services import memberships as svc

    files = []
    for batch in (1, 2, 1000):
        file = MembersSheet(members_sheet_labels(workbook), TEHRAN, workbook)
        async with sessions() as session:
            async for rows in svc.member_rows(session, center.id, batch):
                assert len(rows) <= batch
                file.add(rows)
        files.append(file.content())
    assert files[0] == files[1] == files[2]
