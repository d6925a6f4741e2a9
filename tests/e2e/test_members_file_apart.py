"""A big center's members file is made by a separate process (bot/exports/, issue 14): the same
file as the bot's own, and a «try again» in Persian when that process fails. Here every file is
«big» (EXPORT_IN_PROCESS_MAX_ROWS=0), on both platforms and both databases."""

from __future__ import annotations

import pytest

from bot.exports import apart
from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import Staffed, center, person
from tests.factories import add_member
from tests.workbooks import read_back

pytestmark = [pytest.mark.e2e, pytest.mark.settings(export_in_process_max_rows=0)]


async def _staffed_with_members(harness: Harness, platform: Platform) -> Staffed:
    staffed = await center(harness, platform)
    for n in range(1, 4):
        who = await person(harness, Platform.BALE if n % 2 == 0 else platform, f"عضو شماره {n}",
                           f"091200000{n:02d}", first_name=f"عضو{n}")
        await add_member(harness.sessions, staffed.center, who.row)
    return staffed


async def _file(staffed: Staffed, button: str) -> tuple[str, bytes, str]:
    await staffed.leader.fake.send("/members")
    listing = await staffed.leader.fake.next_message()
    await staffed.leader.fake.tap(listing, button)
    sent = await staffed.leader.fake.expect("فهرست اعضای")
    assert sent.document is not None
    return sent.document.filename, sent.document.content, sent.caption


async def test_the_file_from_the_worker_is_the_file_the_bot_makes(harness: Harness, platform: Platform,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    staffed = await _staffed_with_members(harness, platform)
    workers: list[dict[str, object]] = []
    run_worker = apart.run_worker

    async def counted(job: dict[str, object], timeout: float, worker: str = apart.WORKER) -> tuple[int, bytes]:
        workers.append(job)
        return await run_worker(job, timeout, worker)

    monkeypatch.setattr(apart, "run_worker", counted)

    filename, from_worker, caption = await _file(staffed, "📄 دریافت فایل اعضا")
    assert len(workers) == 1 and "۳ نفر" in caption
    harness.deps.settings.export_in_process_max_rows = 2000
    again, made_here, _ = await _file(staffed, "📄 دریافت فایل اعضا")
    assert len(workers) == 1
    assert filename == again == f"members-{staffed.center.code}.csv"
    assert from_worker == made_here and from_worker.decode("utf-8-sig").count("\r\n") == 4


async def test_a_failed_worker_gets_a_persian_answer_and_the_next_tap_works(
    harness: Harness, platform: Platform, monkeypatch: pytest.MonkeyPatch,
) -> None:
    staffed = await _staffed_with_members(harness, platform)
    monkeypatch.setattr(apart, "database_for_worker",
                        lambda url: {"driver": "sqlite", "path": "/nonexistent/kanoon-export.db"})
    await staffed.leader.fake.send("/members")
    listing = await staffed.leader.fake.next_message()
    await staffed.leader.fake.tap(listing, "📊 فایل اکسل اعضا")
    await staffed.leader.fake.expect("فایل اعضا این بار آماده نشد")
    monkeypatch.undo()

    filename, from_worker, caption = await _file(staffed, "📊 فایل اکسل اعضا")
    assert filename.endswith(".xlsx") and "۳ نفر" in caption
    # The worker's workbook opens: right to left, a bold frozen header, both mobiles text cells.
    rows = read_back(from_worker, text_columns=(1, 2))
    assert len(rows) == 4 and ("عضو شماره 1", "۰۹۱۲۰۰۰۰۰۰۱", "09120000001") in [row[:3] for row in rows]
    harness.deps.settings.export_in_process_max_rows = 2000
    _, made_here, _ = await _file(staffed, "📊 فایل اکسل اعضا")
    assert made_here == from_worker
