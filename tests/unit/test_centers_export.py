"""The admins' every-center export, now read as plain rows a batch at a time and written as they
come (issue 14), is the file it was when every center came with its people as ORM objects: the
CSV byte for byte, the workbook (read back) with the CSV's cells. Made by the export worker's
process (bot/exports/centers_worker.py) it is byte for byte the file made in the bot's process."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import case, func, select as sa_select, text
from sqlalchemy.orm import aliased
from sqlalchemy.sql import Subquery
from sqlmodel import col

from bot.actions import association
from bot.db.centers_file_query import centers_file_sql, centers_file_values
from bot.db.engine import SessionFactory, unit_of_work
from bot.db.models import AuditEvent, Center, FacilitationOrg, Facilitator, Membership, User
from bot.db.repo import select_many
from bot.db.repo.association import EXPORT_COUNTED, LIVE
from bot.deps import Deps
from bot.exports import apart
from bot.persian.text import format_jalali_date_numeric, persian_digits
from bot.ptb.ui import label
from bot.services import association as svc
from bot.services.members_export import to_csv
from bot.settings import Settings
from bot.views.association import export_header
from bot.views.centers import kind_text, person_name
from tests.workbooks import read_back

NOW = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def member_counts() -> Subquery:
    """Each center's active members and pending requests (center_id, members, pending), counted
    as the export counted them before."""
    return (
        sa_select(
            col(Membership.center_id).label("center_id"),
            func.sum(case((col(Membership.status) == "active", 1), else_=0)).label("members"),
            func.sum(case((col(Membership.status) == "pending", 1), else_=0)).label("pending"),
        )
        .where(col(Membership.status).in_(("active", "pending")))
        .group_by(col(Membership.center_id))
        .subquery()
    )


async def file_as_it_was(sessions: SessionFactory, settings: Settings) -> bytes:
    """The export as bot/db/repo/association.export_rows and views.export_table made it before
    (every center with its leader, assistant, facilitator and org as objects): the oracle."""
    leader, assistant = aliased(User), aliased(User)
    counts = member_counts()
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


def _deps(sessions: SessionFactory, database_url: str = "sqlite+aiosqlite://") -> Deps:
    """With SQLite in memory (the default) the file is made in this process; with the test's
    database, by the export worker's process (which reads that database itself)."""
    settings = Settings(_env_file=None, telegram_token="111111:export-test-token", database_url=database_url)
    return Deps(settings=settings, sessions=sessions, clock=lambda: NOW)


async def _audits(sessions: SessionFactory) -> list[str]:
    async with sessions() as session:
        return [details for (details,) in (await session.exec(sa_select(AuditEvent.details).where(
            col(AuditEvent.action) == "centers.exported"))).all()]


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
    audits = await _audits(sessions)
    assert len(audits) == 2 and all('"centers": 4' in details for details in audits)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
async def test_the_worker_makes_the_file_made_here(database_url: str, sessions: SessionFactory, kind: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """SQLite in a file and PostgreSQL (the test's database): the worker's bytes are the bot's,
    and the audit record (who took it, how many centers) is written in the bot's process."""
    admin = await _centers(sessions)
    monkeypatch.setattr(svc, "EXPORT_BATCH", 3)  # two batches on both sides
    workers: list[str] = []
    run_worker = apart.run_worker

    async def counted(job: dict[str, object], timeout: float, worker: str = apart.WORKER) -> tuple[int, bytes]:
        workers.append(worker)
        return await run_worker(job, timeout, worker)

    monkeypatch.setattr(apart, "run_worker", counted)

    here = await association.export(_deps(sessions), admin, kind)
    apart_file = await association.export(_deps(sessions, database_url), admin, kind)

    assert workers == [apart.CENTERS_WORKER]
    assert apart_file == here and here.count == 4
    if kind == "csv":
        assert apart_file.content == await file_as_it_was(sessions, Settings(_env_file=None,
                                                                             telegram_token="111111:export-test-token"))
    audits = await _audits(sessions)
    assert len(audits) == 2 and all(f'"format": "{kind}"' in details and '"centers": 4' in details
                                    for details in audits)


async def test_a_worker_that_fails_is_reported_and_records_nothing(database_url: str, sessions: SessionFactory,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash (here: a database the worker cannot open): CentersFileFailed, and send_export
    calls `failed` (the handler's «try again» in Persian); no audit record (nobody got the
    mobiles); the next tap works."""
    admin = await _centers(sessions)
    deps = _deps(sessions, database_url)
    told: list[str] = []

    async def failed() -> None:
        told.append("failed")

    async def send(made: association.Export) -> None:
        told.append(f"sent {made.count}")

    monkeypatch.setattr(apart, "database_for_worker",
                        lambda url: {"driver": "sqlite", "path": "/nonexistent/kanoon-export.db"})
    with pytest.raises(association.CentersFileFailed, match="exited with"):
        await association.export(deps, admin, "xlsx")
    assert association.send_export(deps, admin, "csv", send, failed)
    await deps.background.join(timeout=60)
    assert told == ["failed"] and await _audits(sessions) == []
    monkeypatch.undo()

    assert association.send_export(deps, admin, "xlsx", send, failed)
    assert not association.send_export(deps, admin, "xlsx", send, failed)  # one file at a time per admin
    await deps.background.join(timeout=60)
    assert told == ["failed", "sent 4"] and len(await _audits(sessions)) == 1


async def test_centers_of_the_same_name_without_a_code_come_by_id(database_url: str, sessions: SessionFactory) -> None:
    """The order has no ties, so the file is the same whatever plan the database picks (PostgreSQL's
    differs with its settings): codeless centers of one name come in the order they were made,
    whichever status each is in."""
    admin = await _centers(sessions)
    async with unit_of_work(sessions) as session:
        leaders = [User(platform="bale", platform_user_id=30_000 + i, first_name=f"راهبر{i}") for i in range(3)]
        session.add_all(leaders)
        await session.flush()
        for leader, status in zip(leaders, ("suspended", "awaiting_assistant", "active")):
            session.add(Center(code=None, name="کانون هم‌نام", name_key="کانونهمنام", kind="family", status=status,
                               leader_id=leader.id, created_at=NOW))
            await session.flush()  # made one after another: ids in this order

    for deps in (_deps(sessions), _deps(sessions, database_url)):  # the bot's process, the export worker
        made = await association.export(deps, admin, "csv")
        table = list(csv.reader(io.StringIO(made.content.decode("utf-8-sig"), newline="")))
        assert [row[5] for row in table[1:] if row[1] == "کانون هم‌نام"] == ["راهبر0", "راهبر1", "راهبر2"]


async def test_the_grouped_counts_are_the_counts_per_center(sessions: SessionFactory) -> None:
    """The export worker on PostgreSQL counts every membership in one grouped pass; the rows (a
    center with members, pending requests and one who left; centers with none) are those of the
    subquery per center, on both databases."""
    await _centers(sessions)
    values = centers_file_values(LIVE, *EXPORT_COUNTED)
    parameters = {f"value{i}": value for i, value in enumerate(values)}
    found = []
    async with sessions() as session:
        connection = await session.connection()
        for grouped in (False, True):
            query = text(centers_file_sql(lambda i: f":value{i}", len(LIVE), grouped))
            found.append([tuple(row) for row in (await connection.execute(query, parameters)).all()])
    assert found[0] == found[1]
    assert [(row[0], row[-2], row[-1]) for row in found[1]] == [
        (1000001, 0, 0), (1000002, 0, 0), (1000003, 2, 1), (None, 0, 0)]
