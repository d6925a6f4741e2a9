"""The association's figures: the weekly series query (the chart and the text read it), Jalali
weeks, the chart's picture, the organisation filter, needs-help order, codes typed by hand,
the XLSX file."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from PIL import Image
from sqlmodel import select

from bot.db.engine import unit_of_work
from bot.db.models import Campaign, CampaignAnswer, Center, Delivery, FacilitationOrg, Facilitator, Membership, User
from bot.db.repo import association as repo
from bot.persian.text import jalali
from bot.services import association as svc
from bot.services import facilitation
from bot.services.centers_export import to_xlsx
from bot.views import association as views
from bot.views import chart
from tests.workbooks import read_back

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=timezone.utc)  # چهارشنبه ۱۱ آذر ۱۴۰۵


def test_weeks_are_persian_weeks_from_saturday_midnight_in_tehran() -> None:
    starts = svc.week_starts(NOW, TEHRAN)
    assert len(starts) == 12 and starts == sorted(starts)
    for start in starts:
        local = start.astimezone(TEHRAN)
        assert (local.weekday(), local.hour, local.minute) == (5, 0, 0)  # Saturday 00:00
    assert starts[-1] <= NOW < starts[-1] + timedelta(days=7)
    assert jalali(starts[-1], TEHRAN).strftime("%Y/%m/%d") == "1405/09/07"  # شنبه ۷ آذر
    # Friday 23:59 Tehran is still the old week; Saturday 00:00 starts the new one.
    friday_night = datetime(2026, 12, 4, 20, 29, tzinfo=timezone.utc)
    saturday = datetime(2026, 12, 4, 20, 30, tzinfo=timezone.utc)
    assert svc.week_start(friday_night, TEHRAN) == starts[-1]
    assert svc.week_start(saturday, TEHRAN) == starts[-1] + timedelta(days=7)
    assert svc.month_start(NOW, TEHRAN).astimezone(TEHRAN).day == 22  # ۱ آذر = 22 November


async def _people(session, n: int, platform: str = "telegram") -> list[User]:  # noqa: ANN001
    users = [User(platform=platform, platform_user_id=10_000 + i + (0 if platform == "telegram" else 50_000),
                  first_name="x") for i in range(n)]
    session.add_all(users)
    await session.flush()
    return users


def _center(leader: User, code: int, activated: datetime | None, status: str = "active", **more: object) -> Center:
    return Center(code=code, name=f"c{code}", name_key=f"c{code}", kind="family", status=status,
                  leader_id=leader.id, activated_at=activated, created_at=activated or NOW, **more)


async def test_the_weekly_series_counts_centers_and_members_at_each_moment(sessions) -> None:  # noqa: ANN001
    weeks = svc.week_starts(NOW, TEHRAN)
    async with unit_of_work(sessions) as session:
        people = await _people(session, 12)
        bale = await _people(session, 2, "bale")
        a = _center(people[0], 1000001, weeks[0] + timedelta(days=1))
        b = _center(people[1], 1000002, weeks[5] + timedelta(days=2), status="suspended")
        c = _center(people[2], 1000003, weeks[9] + timedelta(hours=3))
        cancelled = _center(people[3], 1000004, weeks[2], status="cancelled")
        awaiting = _center(people[4], None, None, status="awaiting_assistant")  # type: ignore[arg-type]
        session.add_all([a, b, c, cancelled, awaiting])
        await session.flush()
        joined = weeks[3] + timedelta(days=1)
        session.add_all([
            Membership(center_id=a.id, user_id=people[5].id, status="active", decided_at=joined),
            Membership(center_id=a.id, user_id=people[6].id, status="left", decided_at=joined,
                       ended_at=weeks[7] + timedelta(days=1)),
            Membership(center_id=b.id, user_id=people[7].id, status="active", decided_at=weeks[8] + timedelta(hours=1)),
            Membership(center_id=c.id, user_id=bale[0].id, status="active", decided_at=weeks[11] + timedelta(hours=1)),
            Membership(center_id=c.id, user_id=people[8].id, status="pending", requested_at=weeks[10]),
            Membership(center_id=c.id, user_id=people[9].id, status="rejected", decided_at=weeks[10]),
        ])
    moments = [min(start + timedelta(days=7), NOW) for start in weeks]
    async with unit_of_work(sessions) as session:
        points = await repo.series(session, moments, None)
    assert [p.centers for p in points] == [1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3]
    assert [p.members for p in points] == [0, 0, 0, 2, 2, 2, 2, 1, 2, 2, 2, 3]
    async with unit_of_work(sessions) as session:
        figures = await svc.figures(session, NOW, TEHRAN)
    # The text's totals are the series' last point: the chart and the text cannot disagree.
    assert figures.series == points and (figures.centers, figures.members) == (3, 3)
    assert figures.by_status == {"active": 2, "suspended": 1, "awaiting_assistant": 1}
    assert figures.by_platform == {"telegram": 2, "bale": 1} and sum(figures.by_platform.values()) == figures.members
    assert figures.waiting == 1 and figures.oldest_waiting == weeks[10]
    assert figures.without_assistant == 4  # live centers; the factories above set no assistant
    text = views.figures_text(figures, NOW, TEHRAN)
    assert "کانون‌ها: <b>۳</b>" in text and "اعضا: <b>۳</b>" in text


async def test_the_chart_draws_the_figures_series(sessions, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
    async with unit_of_work(sessions) as session:
        [leader] = await _people(session, 1)
        session.add(_center(leader, 1000001, NOW - timedelta(days=20)))
    async with unit_of_work(sessions) as session:
        figures = await svc.figures(session, NOW, TEHRAN)
    png = views.chart_png(figures, TEHRAN)
    picture = Image.open(io.BytesIO(png))
    assert picture.format == "PNG" and picture.size == (chart.WIDTH, chart.HEIGHT) == (1000, 640)
    drawn = {}

    def capture(title, subtitle, panels, weeks):  # noqa: ANN001, ANN202
        drawn.update(panels=panels, weeks=weeks)
        return b""

    monkeypatch.setattr(chart, "bar_chart", capture)
    views.chart_png(figures, TEHRAN)
    assert [list(p.values) for p in drawn["panels"]] == [[p.centers for p in figures.series],
                                                         [p.members for p in figures.series]]
    assert drawn["panels"][0].values[-1] == figures.centers == 1
    assert drawn["weeks"][-1] == "۷ آذر" and len(drawn["weeks"]) == 12


def test_persian_is_shaped_for_the_picture() -> None:
    shaped = chart.shaped("کانون ۱۲")
    assert shaped.startswith("۱۲") and "\ufedb" not in shaped and any("\ufb50" <= ch <= "\ufeff" for ch in shaped)


async def test_figures_for_one_organisation(sessions) -> None:  # noqa: ANN001
    async with unit_of_work(sessions) as session:
        people = await _people(session, 6)
        org = FacilitationOrg(name="سازمان الف", name_key="سازمانالف")
        session.add(org)
        await session.flush()
        session.add(Facilitator(user_id=people[5].id, name="ر", org_id=org.id))
        ours = _center(people[0], 1000001, NOW - timedelta(days=3), facilitator_id=people[5].id)
        theirs = _center(people[1], 1000002, NOW - timedelta(days=3))
        session.add_all([ours, theirs])
        await session.flush()
        session.add(Membership(center_id=ours.id, user_id=people[2].id, status="active", decided_at=NOW - timedelta(days=1)))
        session.add(Membership(center_id=theirs.id, user_id=people[3].id, status="active", decided_at=NOW - timedelta(days=1)))
    async with unit_of_work(sessions) as session:
        everyone = await svc.figures(session, NOW, TEHRAN)
        only = await svc.figures(session, NOW, TEHRAN, org_id=org.id)
        assert await repo.leaders_and_assistants(session, org_id=org.id) == {people[0].id}
    assert (everyone.centers, everyone.members) == (2, 2)
    assert (only.centers, only.members, only.org.name) == (1, 1, "سازمان الف")
    with pytest.raises(svc.AdminRefusal):
        async with unit_of_work(sessions) as session:
            await svc.figures(session, NOW, TEHRAN, org_id=999)


async def test_centers_needing_help_come_first(sessions) -> None:  # noqa: ANN001
    async with unit_of_work(sessions) as session:
        people = await _people(session, 20)
        fine = _center(people[0], 1000001, NOW - timedelta(days=90), assistant_id=people[10].id)
        waiting = _center(people[1], 1000002, NOW - timedelta(days=90), assistant_id=people[11].id)
        lonely = _center(people[2], 1000003, NOW - timedelta(days=90))
        falling = _center(people[3], 1000004, NOW - timedelta(days=90), assistant_id=people[12].id)
        session.add_all([fine, waiting, lonely, falling])
        await session.flush()
        for center in (fine, waiting, lonely, falling):
            session.add(Campaign(center_id=center.id, created_by=center.leader_id, body="x", kind="campaign",
                                 created_at=NOW - timedelta(days=5)))
        session.add(Membership(center_id=waiting.id, user_id=people[13].id, status="pending",
                               requested_at=NOW - timedelta(hours=49)))
        session.add(Membership(center_id=fine.id, user_id=people[14].id, status="pending",
                               requested_at=NOW - timedelta(hours=47)))
        # The falling center: 8 of 10 answered two months ago, 2 of 10 this month.
        before = Campaign(center_id=falling.id, created_by=falling.leader_id, body="x", kind="campaign",
                          created_at=NOW - timedelta(days=50))
        session.add(before)
        await session.flush()
        recent_id = (await session.exec(select(Campaign.id).where(
            Campaign.center_id == falling.id, Campaign.created_at > NOW - timedelta(days=10)))).one()
        for i in range(10):
            for campaign_id, answered in ((before.id, i < 8), (recent_id, i < 2)):
                session.add(Delivery(purpose="campaign", ref_id=campaign_id, user_id=people[i].id, status="sent"))
                if answered:
                    session.add(CampaignAnswer(campaign_id=campaign_id, user_id=people[i].id, answer="yes"))
    async with unit_of_work(sessions) as session:
        found = await facilitation.health(session, [fine, waiting, lonely, falling], NOW)
    order = [(h.center.code, [str(n) for n in h.needs]) for h in found]
    assert order == [
        (1000002, ["waiting"]), (1000003, ["no_assistant"]), (1000004, ["falling"]), (1000001, []),
    ]


def test_center_codes_typed_by_hand() -> None:
    codes, bad = facilitation.parse_codes("۱۲۳۴۵۶۷، 7654321\n٣٣٣٣٣٣٣ ; 1234567 کانون")
    assert codes == [1234567, 7654321, 3333333] and bad == ["کانون"]


def test_the_xlsx_is_right_to_left_and_guards_formulas() -> None:
    content = to_xlsx(["کد", "نام"], [[1234567, "=SUM(A1)"], [7654321, "کانون"]])
    assert read_back(content) == [("کد", "نام"), (1234567, "'=SUM(A1)"), (7654321, "کانون")]
