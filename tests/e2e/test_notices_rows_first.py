"""Rows first for notices (issue 9): the Delivery row of a notice commits with the change it
tells of, so a process that dies between the commit and the send leaves it pending, and the
next start sends it (RESENDERS in bot/runner.py) — exactly once.

The fault is injected where a kill -9 would hit: the action has committed and its call to
`notify` (which claims the row and sends) never happens. Then the bot restarts.
"""

from __future__ import annotations

import pytest

from bot.actions import joining, registration
from bot.platforms import Platform
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import APPROVE, ask_by_link, center, deliveries, person
from tests.e2e.registration_steps import ACCEPT, register

pytestmark = pytest.mark.e2e

WELCOME = "خوش آمدید"


class Died(Exception):
    """The process is gone: nothing after this point of the action runs."""


def die_before_notices(monkeypatch: pytest.MonkeyPatch, module: object) -> list[str]:
    """Every notify of the action module raises, as a kill right after its commit would stop it."""
    stopped: list[str] = []

    async def notify(*args: object, purpose: str | None = None, **kwargs: object) -> None:
        stopped.append(str(purpose))
        raise Died(purpose)

    monkeypatch.setattr(module, "notify", notify)
    return stopped


async def restarted(harness: Harness) -> None:
    await harness.restart()
    await harness.settle()
    await harness.deps.background.join(timeout=10)  # the notices sent again at start


async def test_a_decision_notice_survives_a_crash_between_commit_and_send(
    harness: Harness, platform: Platform, monkeypatch: pytest.MonkeyPatch,
) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    request = await ask_by_link(harness, member, staffed)
    stopped = die_before_notices(monkeypatch, joining)
    await staffed.assistant.fake.tap(request, APPROVE)
    await harness.settle()
    assert stopped == ["join_decision"]
    assert [m for m in member.fake.messages if WELCOME in m.text] == []
    [row] = await deliveries(harness, "join_decision")
    assert row.status == "pending"  # committed with the decision
    monkeypatch.undo()

    await restarted(harness)
    assert len([m for m in member.fake.messages if WELCOME in m.text]) == 1
    await restarted(harness)  # and never again
    assert len([m for m in member.fake.messages if WELCOME in m.text]) == 1
    assert [d.status for d in await deliveries(harness, "join_decision")] == ["sent"]


async def test_a_join_request_reaches_the_assistant_after_a_crash_before_the_send(
    harness: Harness, platform: Platform, monkeypatch: pytest.MonkeyPatch,
) -> None:
    staffed = await center(harness, platform)
    member = await person(harness, platform)
    stopped = die_before_notices(monkeypatch, joining)
    await member.fake.send(f"/start c-{staffed.center.code}")
    await member.fake.tap(await member.fake.expect(staffed.center.name), "📨 ارسال درخواست عضویت")
    await harness.settle()
    assert stopped == ["join_request"]
    monkeypatch.undo()

    await restarted(harness)
    await restarted(harness)
    requests = [m for m in staffed.assistant.fake.messages if "درخواست عضویت" in m.text]
    assert len(requests) == 1 and APPROVE in [text for text, _ in requests[0].buttons]
    assert [d.status for d in await deliveries(harness, "join_request")] == ["sent"]


async def test_an_acceptance_is_told_to_the_leader_after_a_crash_before_the_sends(
    harness: Harness, platform: Platform, monkeypatch: pytest.MonkeyPatch,
) -> None:
    leader, assistant = harness.user(platform), harness.user(platform, first_name="زهرا", last_name=None)
    token = await register(leader)
    stopped = die_before_notices(monkeypatch, registration)
    await assistant.send(f"/start a-{token}")
    await assistant.tap(await assistant.expect("دعوت به همیاری کانون"), ACCEPT)
    await assistant.expect("نام و نام خانوادگی خود را")
    await assistant.send("زهرا احمدی")
    await assistant.expect("شماره موبایل")
    await assistant.send("۰۹۱۷۱۲۳۴۵۶۷")
    await harness.settle()
    assert stopped == ["inv-accepted"]  # the first of its two notices: neither went
    monkeypatch.undo()

    await restarted(harness)
    await restarted(harness)
    assert len([m for m in leader.messages if "کانون شما فعال شد" in m.text]) == 1
    assert len([m for m in leader.messages if "شما را به عضویت در" in m.text]) == 1
    for purpose in ("inv-accepted", "member-links"):
        assert [d.status for d in await deliveries(harness, purpose)] == ["sent"]
