"""Join notices (the request to the assistant, the decision to the applicant, the leader's
alert) survive passing errors and a crash: retried a few times at once, and the ones still
unsent are sent again at start (and by the periodic sweep) from the membership as it is then."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.sending import delivery
from bot.db.models import Delivery
from bot.platforms import Platform
from bot.services import memberships as svc
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import APPROVE, ask_by_link, center, deliveries, memberships_of, person

pytestmark = pytest.mark.e2e

WELCOME, REJECTED, REQUEST = "خوش آمدید", "نپذیرفت", "درخواست عضویت در"


@pytest.fixture(autouse=True)
def quick(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delivery, "BACKOFF", (0.01, 0.02))


def received(user, text: str) -> list:  # noqa: ANN001
    return [m for m in user.messages if text in m.text]


async def settled(harness: Harness) -> None:
    """Every update handled and every background send (the notices sent again at start) done."""
    await harness.settle()
    await harness.deps.background.join(timeout=10)


async def test_a_decision_notice_is_retried_after_passing_errors(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    api = harness.apis[platform]
    sends = lambda: len([p for p in api.calls_to("sendMessage") if p.get("chat_id") == member.fake.user_id])  # noqa: E731
    before = sends()
    api.fail_next("sendMessage", status=500, count=2, chat_id=member.fake.user_id)
    await staffed.assistant.fake.tap(request, APPROVE)
    decided = await staffed.assistant.fake.wait_edit(request)
    assert "تأیید شد" in decided.text and "نرسید" not in decided.text
    await harness.settle()
    assert len(received(member.fake, WELCOME)) == 1
    assert sends() - before == 3  # two 500s, then delivered
    [notice] = await deliveries(harness, "join_decision")
    assert (notice.status, notice.attempts) == ("sent", 3)


async def test_notices_that_met_only_passing_errors_go_out_after_a_restart(harness: Harness) -> None:
    staffed = await center(harness, Platform.TELEGRAM, assistant_platform=Platform.BALE)
    approved = await person(harness, Platform.TELEGRAM)
    request = await ask_by_link(harness, approved, staffed)
    telegram, bale = harness.apis[Platform.TELEGRAM], harness.apis[Platform.BALE]
    telegram.fail_next("sendMessage", status=502, count=delivery.ATTEMPTS, chat_id=approved.fake.user_id)
    await staffed.assistant.fake.tap(request, APPROVE)
    await staffed.assistant.fake.wait_edit(request)
    waiting = await person(harness, Platform.BALE, "رضا کریمی", "09123334444", first_name="رضا")
    bale.fail_next("sendMessage", status=500, count=delivery.ATTEMPTS, chat_id=staffed.assistant.fake.user_id)
    await waiting.fake.send(f"/start c-{staffed.center.code}")
    await waiting.fake.tap(await waiting.fake.expect(staffed.center.name), "📨 ارسال درخواست عضویت")
    await waiting.fake.expect("ثبت شد")
    await harness.settle()
    assert received(approved.fake, WELCOME) == [] and received(staffed.assistant.fake, "رضا کریمی") == []
    [waiting_request] = await memberships_of(harness, waiting)
    assert {d.status for d in await deliveries(harness, "join_decision")} == {"pending"}  # to try again
    assert {d.ref_id: d.status for d in await deliveries(harness, "join_request")}[waiting_request.id] == "pending"
    assert received(staffed.leader.fake, "نرسید") == []  # a passing error is not «the assistant blocked the bot»

    await harness.restart()
    await settled(harness)
    assert len(received(approved.fake, WELCOME)) == 1
    [late_request] = received(staffed.assistant.fake, "رضا کریمی")
    assert REQUEST in late_request.text and "✅ تأیید" in [text for text, _ in late_request.buttons]
    await staffed.assistant.fake.tap(late_request, APPROVE)  # its buttons work as on the first copy
    await harness.settle()
    assert len(received(waiting.fake, WELCOME)) == 1
    await harness.restart()  # nothing goes twice
    await settled(harness)
    assert len(received(approved.fake, WELCOME)) == 1 and len(received(waiting.fake, WELCOME)) == 1
    assert len(received(staffed.assistant.fake, "رضا کریمی")) == 1
    assert {d.status for d in await deliveries(harness, "join_decision")} == {"sent"}
    assert {d.status for d in await deliveries(harness, "join_request")} == {"sent"}


async def test_notices_a_crash_left_unsent_are_sent_at_start_from_the_state_then(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    rejected = await person(harness, platform)
    left = await person(harness, platform, "رضا کریمی", "09123334444", first_name="رضا")
    old = await person(harness, platform, "علی نوری", "09125556666", first_name="علی")
    for who in (rejected, left, old):
        await ask_by_link(harness, who, staffed)
    [no], [gone], [stale] = [await memberships_of(harness, who) for who in (rejected, left, old)]
    now = harness.clock()
    async with harness.sessions() as session:  # decided, then the process died before the notices went
        await svc.decide(session, no.id, staffed.assistant.id, False, now, reason="unknown")
        await svc.decide(session, gone.id, staffed.assistant.id, True, now)
        await svc.leave(session, gone.id, left.id, now)  # …and this one has left since: no welcome now
        await svc.decide(session, stale.id, staffed.assistant.id, True, now - timedelta(days=3))
        session.add_all([
            Delivery(purpose="join_decision", ref_id=no.id, user_id=rejected.id, status="sending", created_at=now),
            Delivery(purpose="join_decision", ref_id=gone.id, user_id=left.id, status="pending", created_at=now),
            Delivery(purpose="join_decision", ref_id=stale.id, user_id=old.id, status="pending",
                     created_at=now - timedelta(days=3)),  # too old to be news
        ])
        await session.commit()
    await harness.restart()
    await settled(harness)

    [notice] = received(rejected.fake, REJECTED)
    assert "این فرد را نمی‌شناسیم" in notice.text
    assert received(left.fake, WELCOME) == [] and received(old.fake, WELCOME) == []
    statuses = {d.ref_id: d.status for d in await deliveries(harness, "join_decision")}
    assert statuses == {no.id: "sent", gone.id: "skipped", stale.id: "failed"}


async def test_the_periodic_sweep_sends_what_passing_errors_left(harness: Harness, platform: Platform) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    harness.apis[platform].fail_next("sendMessage", status=500, count=delivery.ATTEMPTS, chat_id=member.fake.user_id)
    await staffed.assistant.fake.tap(request, APPROVE)
    await staffed.assistant.fake.wait_edit(request)
    await harness.settle()
    assert received(member.fake, WELCOME) == []
    harness.clock.advance(minutes=5)
    await delivery.resend_notices(harness.deps)
    assert len(received(member.fake, WELCOME)) == 1
    await delivery.resend_notices(harness.deps)
    assert len(received(member.fake, WELCOME)) == 1
    [row] = await deliveries(harness, "join_decision")
    assert (row.status, row.attempts) == ("sent", delivery.ATTEMPTS + 1)
