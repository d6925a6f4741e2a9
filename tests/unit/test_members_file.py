"""The members file, now written a batch at a time from plain rows, is byte for byte the file
the bot made before (every member an ORM object, formatted one by one)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from bot.actions import joining
from bot.db.engine import SessionFactory
from bot.db.models import Center, Membership, User
from bot.db.repo import memberships as repo
from bot.deps import Deps
from bot.persian.text import format_jalali_date_numeric, persian_digits
from bot.ptb.ui import label
from bot.services.members_export import to_csv
from bot.settings import Settings
from bot.views.centers import person_name
from tests.factories import make_active_center, make_user

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


async def test_the_file_is_what_it_was(database_url: str, sessions: SessionFactory) -> None:
    leader = await make_user(sessions, full_name="راهبر", mobile="09120000001")
    assistant = await make_user(sessions, full_name="همیار", mobile="09120000002")
    center = await make_active_center(sessions, leader, assistant)
    await _members(sessions, center)
    settings = Settings(_env_file=None, telegram_token="111111:file-test-token", database_url=database_url)
    deps = Deps(settings=settings, sessions=sessions, clock=lambda: NOW)

    file = await joining.members_file(deps, assistant)

    async with sessions() as session:
        rows = await repo.active_with_users(session, center.id)
    assert len(rows) == 7 and file.file.rows == 7
    assert file.content() == file_as_it_was(rows, settings.tz)
    assert file.filename == f"members-{center.code}.csv"
    assert "۷ نفر" in str(file.caption(NOW))


async def test_a_file_in_small_batches_is_the_same_file(database_url: str, sessions: SessionFactory) -> None:
    leader = await make_user(sessions, full_name="راهبر", mobile="09120000001")
    assistant = await make_user(sessions, full_name="همیار", mobile="09120000002")
    center = await make_active_center(sessions, leader, assistant)
    await _members(sessions, center)
    from bot.services import memberships as svc
    from bot.views.joining import MembersFile

    files = []
    for batch in (1, 2, 1000):
        file = MembersFile(center, TEHRAN)
        async with sessions() as session:
            async for rows in svc.member_rows(session, center.id, batch):
                assert len(rows) <= batch
                file.add(rows)
        files.append(file.content())
    assert files[0] == files[1] == files[2]
