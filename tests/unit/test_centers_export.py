"""The admins' every-center export, now read as plain rows a batch at a time and written as they
come (issue 14), is the file it was when every center came with its people as ORM objects: the
CSV byte for byte, the workbook (read back) with the CSV's cells."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col

from bot.actions import association
from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import AuditEvent, Center, FacilitationOrg, Facilitator, Membership, User
from bot.db.repo import select_many
from bot.db.repo.association import LIVE, member_counts
from bot.deps import Deps
from bot.persian.text import format_jalali_date_numeric, persian_digits
from bot.ptb.ui import label
from bot.services import association as svc
from bot.services.members_export import to_csv
from bot.settings import Settings
from bot.views.association import export_header
from bot.views.centers import kind_text, person_name
from tests.workbooks import read_back

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


async def file_as_it_was(sessions: SessionFactory, settings: Settings) -> bytes:
    """The export as bot/db/repo/association.export_rows and views.export_table made it before
    (every center with its leader, assistant, facilitator and org as objects): the oracle."""
    leader, assistant = aliased(User), aliased(User)
    counts = member_counts()  # the counting is not what changed
    query = (
        select_many(Center, leader, assistant, Facilitator, FacilitationOrg, counts.c.members, counts.c.pending)
        .join(leader, col(leader.id) == Center.leader_id)
        .outerjoin(assistant, col(assistant.id) == Center.assistant_id)
        .outerjoin(Facilitator, col(Facilitator.user_id) == Center.facilitator_id)
        .outerjoin(FacilitationOrg, col(FacilitationOrg.id) == Facilitator.org_id)
        .outerjoin(counts, counts.c.center_id == Center.id)
        .where(col(Center.status).in_(LIVE))
        .order_by(col(Center.code).is_(None), col(Center.code), col(Center.name))
    )
    async with sessions() as session:
        found = (await session.exec(query)).all()
    data = [
        [center.code or "", center.name, kind_text(center.kind, center.kind_label), center.area or "",
         label(f"adm-status-{center.status}"), person_name(lead), persian_digits(lead.mobile or ""),
         person_name(assist) if assist else "", persian_digits(assist.mobile or "") if assist else "",
         facilitator.name if facilitator else "", org.name if org else "", int(members or 0), int(pending or 0),
         format_jalali_date_numeric(center.created_at, settings.tz)]
        for center, lead, assist, facilitator, org, members, pending in found
    ]
    return to_csv(export_header(), data)


async def _centers(sessions: SessionFactory) -> User:
    """Every shape a row can take: with and without an assistant, a facilitator with and without
    an organisation, a kind of their own, suspended, awaiting its assistant (no code), cancelled
    (not exported), formula-like text, members and pending requests; two days across Tehran's midnight."""
    async with unit_of_work(sessions) as session:
        people = [User(platform="telegram" if i % 2 else "bale", platform_user_id=20_000 + i, first_name=f"نفر{i}",
                       last_name="احمدی" if i % 3 else None, full_name="=HYPERLINK(\"x\")" if i == 4 else None,
                       mobile=f"0912000{i:04d}" if i % 4 else None) for i in range(14)]
        session.add_all(people)
        await session.flush()
        org = FacilitationOrg(name="سازمان الف", name_key="سازمانالف")
        session.add(org)
        await session.flush()
        session.add_all([Facilitator(user_id=people[10].id, name="رهیار یک", org_id=org.id),
                         Facilitator(user_id=people[11].id, name="رهیار دو")])
        shapes = [  # (code, name, kind, kind_label, area, status, assistant, facilitator, created_at)
            (1000003, "کانون صاحب‌الزمان", "mosque", None, "بوشهر، نظرآقا", "active", 1, 10,
             datetime(2026, 11, 20, 20, 45, tzinfo=timezone.utc)),  # 20:45 UTC is the next day in Tehran
            (1000001, "=cmd کانون", "other", "هم‌کلاسی", "-2+3", "suspended", 3, 11, datetime(2026, 11, 20, 20, 15, tzinfo=timezone.utc)),
            (1000002, "کانون بی‌همیار", "family", None, None, "active", None, None, NOW - timedelta(days=5)),
            (None, "کانون در انتظار", "workplace", None, "کرمان", "awaiting_assistant", None, None, NOW),
            (1000004, "کانون لغوشده", "family", None, None, "cancelled", 5, None, NOW),
        ]
        centers = []
        for index, (code, name, kind, kind_label, area, status, assistant, facilitator, created) in enumerate(shapes):
            center = Center(code=code, name=name, name_key=name, kind=kind, kind_label=kind_label, area=area,
                            status=status, leader_id=people[index * 2].id,
                            assistant_id=people[assistant].id if assistant is not None else None,
                            facilitator_id=people[facilitator].id if facilitator is not None else None,
                            created_at=created)
            session.add(center)
            centers.append(center)
        await session.flush()
        for user, status in ((12, "active"), (13, "pending"), (9, "active"), (7, "left")):
            session.add(Membership(center_id=centers[0].id, user_id=people[user].id, status=status, decided_at=NOW))
        return people[8]


def _deps(sessions: SessionFactory) -> Deps:
    settings = Settings(_env_file=None, telegram_token="111111:export-test-token", database_url="sqlite+aiosqlite://")
    return Deps(settings=settings, sessions=sessions, clock=lambda: NOW)


async def test_the_file_is_what_it_was_and_the_workbook_has_its_cells(sessions: SessionFactory,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    admin = await _centers(sessions)
    deps = _deps(sessions)
    monkeypatch.setattr(svc, "EXPORT_BATCH", 2)  # 4 centers: read and written in two batches

    as_csv = await association.export(deps, admin, "csv")
    as_xlsx = await association.export(deps, admin, "xlsx")

    assert as_csv.count == as_xlsx.count == 4
    assert as_csv.content == await file_as_it_was(sessions, deps.settings)
    assert as_csv.filename == "centers-20261201.csv" and as_xlsx.filename == "centers-20261201.xlsx"
    table = list(csv.reader(io.StringIO(as_csv.content.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in table[1:]] == ["1000001", "1000002", "1000003", ""]
    assert [["" if value is None else str(value) for value in row] for row in read_back(as_xlsx.content)] == table
    async with sessions() as session:
        audits = (await session.exec(sa_select(AuditEvent.details).where(
            col(AuditEvent.action) == "centers.exported"))).all()
    assert len(audits) == 2 and all('"centers": 4' in details for (details,) in audits)
