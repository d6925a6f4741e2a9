"""Hostile button data through the real bot (issue 9): random and mutated callback data, tapped
by every kind of person, over real HTTP from the fake Bot API into the running application
(inbox, middleware, conversations, handlers).

A modified client can send any bytes as callback data. Whatever arrives:
- no handler raises (the error handler is never reached: no «error» log, no apology);
- data no codec reads gets the stale-button answer (an admin's prefix, from someone who is not
  an admin, gets «this is for the association's staff»);
- well-formed data naming rows that do not exist is answered too, and changes nothing;
- no row of the domain changes, and no conversation starts for data no codec reads. Data a
  codec reads (forged ids; a mutation that happens to make another real button) may open that
  button's conversation — «open this center» naming no center answers «not found, send its
  code or name» and waits for it — which the test cancels, and then nothing remains.

Derandomized, with a bounded number of examples, so a CI run is repeatable and short (Telegram
only: Bale reaches the same handlers; its only differences are in rendering).
"""

from __future__ import annotations

import logging
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from bot import callbacks
from bot.callbacks import ID, MAX_ID, Choice, Codec, Number
from bot.persian.catalog import t
from bot.platforms import Platform
from tests.e2e.association_helpers import ADMIN_ONLY, admin, appoint, harness  # noqa: F401 (the fixture with admins)
from tests.e2e.harness import Harness
from tests.e2e.join_helpers import center, person
from tests.factories import add_member

pytestmark = pytest.mark.e2e

CODECS = callbacks.all_codecs()
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "250"))
ROLES = ("stranger", "member", "pending", "assistant", "leader", "facilitator", "admin")
# Rows of the domain: none may change. (The inbox, the send pace and the users' rows are the
# bot's own book-keeping of each update.)
WATCHED = ("centers", "memberships", "assistant_invitations", "campaigns", "campaign_answers", "reminders",
           "deliveries", "audit_events", "facilitators", "facilitator_invitations", "questions",
           "facilitator_messages", "leader_announcements", "facilitation_orgs", "conversation_states")


def _value(part: Any, huge: int) -> object:  # noqa: ANN401
    if part is ID:
        return huge
    if isinstance(part, Choice):
        return sorted(part.options)[0]
    if isinstance(part, Number):
        return part.high
    if isinstance(getattr(part, "values", None), dict):  # a closed set sent as one letter
        return next(iter(part.values.values()))
    return "AbC-123_xyz"  # a token


def _real(codec: Codec, huge: int = MAX_ID) -> str:
    return codec.build(*[_value(p, huge) for p in codec.parts if not isinstance(p, str)])


REAL = [_real(codec) for codec in CODECS]
PREFIXES = sorted({codec.prefix.value for codec in CODECS})
NOT_ASCII_DIGITS = "²³¹٠١٢٣۴۵۶۷۸۹०१২৩߀๑"


def _fits(data: str) -> str:
    """At most 64 bytes, as the platforms carry (cut on a character boundary)."""
    return data.encode()[:64].decode(errors="ignore")


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A real button's data, broken in one way: most often one of its values (an id, a number, a
    choice, a token), else its prefix, its fixed words or its number of parts."""
    codec = draw(st.sampled_from(CODECS))
    parts = _real(codec).split(":")  # [prefix, part, part…]: no part holds a colon
    typed = [i + 1 for i, part in enumerate(codec.parts) if not isinstance(part, str)]
    index = draw(st.sampled_from(typed)) if typed and draw(st.booleans()) else draw(st.integers(0, len(parts) - 1))
    how = draw(st.sampled_from(("digits", "huge", "huge", "zero", "drop", "add", "prefix", "junk", "case", "space")))
    if how == "digits":
        parts[index] = draw(st.text(NOT_ASCII_DIGITS, min_size=1, max_size=6))
    elif how == "huge":
        parts[index] = str(draw(st.one_of(st.integers(MAX_ID + 1, 10**40), st.integers(-(10**20), -1))))
    elif how == "zero":
        parts[index] = draw(st.sampled_from(("0", "00", "007", "0x1f", "1e3", "+1", "1_000", "")))
    elif how == "drop" and len(parts) > 1:
        del parts[index]
    elif how == "add":
        parts.insert(index + 1, draw(st.sampled_from(("1", "x", "", "99999999999999999999", "a:b"))))
    elif how == "prefix":
        parts[0] = draw(st.one_of(st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=7),
                                  st.sampled_from([p.upper() for p in PREFIXES])))
    elif how == "junk":
        parts[index] += draw(st.text(min_size=1, max_size=8))
    elif how == "case":
        parts[index] = parts[index].upper()
    else:
        parts[index] = draw(st.sampled_from((" ", "\n", "\t", "\x00", "\u200c"))) + parts[index]
    return _fits(":".join(parts))


def _no_codec_reads(data: str) -> bool:
    return not any(codec.matches(data) for codec in CODECS)


# Any bytes (as a server would pass invalid UTF-8 on: replaced), any text, and broken real data.
HOSTILE = st.one_of(
    st.binary(max_size=64).map(lambda raw: _fits(raw.decode("utf-8", errors="replace"))),
    st.text(max_size=64).map(_fits),
    st.sampled_from(PREFIXES).flatmap(lambda p: st.text(max_size=40).map(lambda rest: _fits(f"{p}:{rest}"))),
    mutated(), mutated(), mutated(),
)
# Well formed, naming rows that do not exist (forged ids): answered, nothing changes.
FORGED_IDS = st.builds(
    _real, st.sampled_from([c for c in CODECS if ID in c.parts]), st.integers(10**9, MAX_ID),
)


async def _snapshot(harness: Harness) -> dict[str, list[tuple]]:
    found = {}
    async with harness.sessions() as session:
        for table in WATCHED:
            rows = (await session.exec(text(f"SELECT * FROM {table} ORDER BY 1"))).all()  # type: ignore[call-overload]
            found[table] = [tuple(row) for row in rows]
    return found


async def _people(harness: Harness) -> dict[str, Any]:
    platform = Platform.TELEGRAM
    staffed = await center(harness, platform)
    member = await person(harness, platform, "مریم احمدی", "09121234567", first_name="مریم")
    pending = await person(harness, platform, "رضا کریمی", "09123334444", first_name="رضا")
    facilitator = await person(harness, platform, "رهیار رضایی", "09125556666", first_name="رهیار")
    stranger = await person(harness, platform, "غریبه", "09130000000", first_name="غریبه")
    await add_member(harness.sessions, staffed.center, member.row)
    await add_member(harness.sessions, staffed.center, pending.row, status="pending")
    await appoint(harness, facilitator, staffed.center)
    fakes = {"stranger": stranger.fake, "member": member.fake, "pending": pending.fake,
             "assistant": staffed.assistant.fake, "leader": staffed.leader.fake,
             "facilitator": facilitator.fake, "admin": admin(harness, platform)}
    messages = {}
    for role, fake in fakes.items():  # a message of the bot's in each chat, to tap on
        await fake.send("/start")
        messages[role] = await fake.next_message()
    await harness.settle()
    return {"fakes": fakes, "messages": messages}


@pytest.fixture
async def people(harness: Harness) -> dict[str, Any]:  # noqa: F811
    return await _people(harness)


def _failures(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much,
                                 HealthCheck.too_slow])
@given(role=st.sampled_from(ROLES), data=st.one_of(HOSTILE, HOSTILE, HOSTILE, FORGED_IDS))
async def test_hostile_button_data_from_anyone_is_answered_and_changes_nothing(
    harness: Harness, people: dict[str, Any], caplog: pytest.LogCaptureFixture,  # noqa: F811
    role: str, data: str,
) -> None:
    caplog.set_level(logging.ERROR)
    caplog.clear()  # each example answers for its own tap
    before = await _snapshot(harness)
    fake = people["fakes"][role]
    seen = len(fake.messages)
    query = await fake.forge_tap(people["messages"][role], data)
    answer = await fake.callback_answer(query)  # raises if the tap is never answered
    await harness.settle()
    assert _failures(caplog) == [], (role, data)
    if _no_codec_reads(data):
        expected = {str(t("button-stale"))}
        if data.startswith("ad:") and role != "admin":
            expected.add(ADMIN_ONLY)
        assert answer in expected, (role, data, answer)
    apology = str(t("error-apology"))
    assert not any(apology in m.text for m in fake.messages[seen:]), (role, data)
    after = await _snapshot(harness)
    changed = {k for k, v in after.items() if v != before[k]}
    if changed == {"conversation_states"} and not _no_codec_reads(data):
        # A real button's data (forged ids, or a mutation that made another real button) may open
        # its conversation: «open this center» naming no center answers «not found, send its code
        # or name» and waits for it. Cancelled, as the person would, so nothing remains.
        await fake.send("/cancel")
        await harness.settle()
        changed = {k for k, v in (await _snapshot(harness)).items() if v != before[k]}
    assert changed == set(), (role, data)
