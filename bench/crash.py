"""The crash campaign (issue 9): kill -9 of the real bot at random moments, restart, replay.

    .venv/bin/python bench/crash.py                 # 100 kills, 300 members (the measured run)
    .venv/bin/python bench/crash.py --kills 6       # a short look

The real `main.py` runs as a subprocess (polling mode, SQLite) against the fake Bot API of
bot/emulator, started by tests/e2e/cluster.Node, the kill -9 machinery of the instances tests.
Each cycle plays one flow as its people would, up to its finishing input, sends that input,
waits a random time in [0, window) — the window covers everything the input sets off (the
reply, the notices, the 300 sends of a campaign) — and kills the process with SIGKILL. Then:

- `PRAGMA integrity_check` on the database file, while nothing holds it;
- a new process starts (migrations, resends and batches resumed at start; updates the fake API
  handed out but never saw confirmed are handed out again, as a platform does);
- the client does what a person who saw nothing happen would: the same input again (the same
  button's data, or the same text) — a double tap, whether or not the first one worked;
- the bench waits for what the person expects to see (the invitation link, the activation
  notice, the request at the assistant, the welcome, the call at all 300 members).

Flows (in turn): registration (kill after «✅ تأیید»), the assistant's acceptance (kill after
the mobile, the last answer), a join request (after «📨 ارسال درخواست عضویت»), the assistant's
decision (after «✅ تأیید»), a 300-member campaign (after «📤 ارسال»), an announcement to the
same 300 (after «📤 ارسال»).

At the end (the bot stopped cleanly): rows lost (a flow whose rows are missing or not
finished: a center, a membership, a campaign, a delivery not `sent`), duplicate rows (two
centers, memberships, campaigns or deliveries for one intent), messages lost and duplicated
(calls, announcements, notices: per person, per intent), and the integrity check. Appends a
section to bench/RESULTS.md with --write.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform as py_platform
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import jdatetime
from pathlib import Path

from sqlalchemy import func, insert, text
from sqlmodel import select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.db import migrate  # noqa: E402
from bot.db.engine import create_engine, session_factory  # noqa: E402
from bot.db.models import Campaign, Center, Delivery, InboxUpdate, Membership, User  # noqa: E402
from bot.emulator import FakeBotApi, FakeUser  # noqa: E402
from bot.emulator.server import BotMessage  # noqa: E402
from bot.persian.digits import persian_digits  # noqa: E402
from bot.persian.text import utcnow  # noqa: E402
from tests.e2e.cluster import Node  # noqa: E402
from tests.factories import make_active_center, make_user  # noqa: E402

TEHRAN = ZoneInfo("Asia/Tehran")
TOKEN = "111111:crash-bench-token"
USERNAME = "kanoon_crash_bot"
FIRST_MEMBER = 70_000_000
WAIT = 90.0  # for what a person expects to see, after a restart (a loaded machine is slow)
FLOWS = ("register", "accept", "request", "decide", "campaign", "announce")
# How long after the finishing input the kill may come: what the input sets off takes about this.
WINDOWS = {"register": 0.8, "accept": 0.8, "request": 0.6, "decide": 0.6, "campaign": 5.0, "announce": 5.0}

CONFIRM, ACCEPT, SEND_REQUEST, APPROVE = "✅ تأیید", "✅ قبول", "📨 ارسال درخواست عضویت", "✅ تأیید"
INVITE, ACTIVATED, WELCOME = "از شما دعوت کرده است", "کانون شما فعال شد", "خوش آمدید"


def words(n: int) -> str:
    return persian_digits(n)


@dataclass
class Tally:
    kills: list[tuple[str, float]] = field(default_factory=list)  # (flow, seconds after the input)
    integrity: list[str] = field(default_factory=list)  # PRAGMA integrity_check after each kill
    stuck: list[str] = field(default_factory=list)  # a flow whose expected outcome never showed
    restart_seconds: list[float] = field(default_factory=list)
    # What each cycle made, for the final accounting.
    leaders: list[tuple[FakeUser, int]] = field(default_factory=list)  # (fake, cycle) registered
    accepted: list[tuple[FakeUser, FakeUser]] = field(default_factory=list)  # (leader, assistant)
    requests: list[FakeUser] = field(default_factory=list)
    decided: list[FakeUser] = field(default_factory=list)
    calls: list[str] = field(default_factory=list)  # campaign titles
    announcements: list[str] = field(default_factory=list)


class Bench:
    def __init__(self, args: argparse.Namespace, workdir: Path) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.path = workdir / "kanoon.db"
        self.url = f"sqlite+aiosqlite:///{self.path}"
        self.workdir = workdir
        self.api = FakeBotApi(flavour="telegram", bot_username=USERNAME)
        self.node: Node | None = None
        self.tally = Tally()
        self._next_id = 90_000_000

    # --- the world --------------------------------------------------------------------------

    async def setup(self) -> None:
        await self.api.start()
        self.engine = create_engine(self.url)
        await migrate.upgrade(self.engine)
        self.sessions = session_factory(self.engine)
        self.big_leader = self.person("راهبر")
        self.big_assistant = self.person("همیار")
        leader = await make_user(self.sessions, "telegram", self.big_leader.user_id, "راهبر", "حسن جمالی", "09171111111")
        assistant = await make_user(self.sessions, "telegram", self.big_assistant.user_id, "همیار", "زهرا قادری",
                                    "09172222222")
        self.big = await make_active_center(self.sessions, leader, assistant, name="کانون بزرگ روستا")
        self.members = [self.api.user(FIRST_MEMBER + n, f"عضو{n}", started=True) for n in range(self.args.members)]
        now = utcnow()
        async with self.sessions() as session:
            await session.exec(insert(User), params=[  # type: ignore[call-overload]
                {"platform": "telegram", "platform_user_id": m.user_id, "first_name": m.first_name, "created_at": now}
                for m in self.members])
            ids = (await session.exec(select(User.id).where(User.platform_user_id >= FIRST_MEMBER,
                                                            User.platform_user_id < FIRST_MEMBER + 10**6))).all()
            await session.exec(insert(Membership), params=[  # type: ignore[call-overload]
                {"center_id": self.big.id, "user_id": uid, "status": "active", "source": "code", "requested_at": now,
                 "decided_at": now} for uid in ids])
            await session.commit()
        self.small_leader = self.person("راهبر دوم")
        self.small_assistant = self.person("همیار دوم")
        small_leader = await make_user(self.sessions, "telegram", self.small_leader.user_id, "راهبر دوم",
                                       "علی نوری", "09173333333")
        small_assistant = await make_user(self.sessions, "telegram", self.small_assistant.user_id, "همیار دوم",
                                          "مریم کریمی", "09174444444")
        self.small = await make_active_center(self.sessions, small_leader, small_assistant, name="کانون خانواده نوری",
                                              kind="family")
        await self.start()

    def person(self, first_name: str) -> FakeUser:
        self._next_id += 1
        return self.api.user(self._next_id, first_name, started=True)

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith(("_TOKEN", "_API_URL")) and k != "DATABASE_URL"}
        env.update(TELEGRAM_TOKEN=TOKEN, TELEGRAM_API_URL=self.api.base_url, DATABASE_URL=self.url,
                   HTTP_HOST="127.0.0.1", HTTP_PORT="0", SEND_RATE=str(self.args.send_rate), LOG_LEVEL="INFO")
        return env

    async def start(self) -> None:
        began = time.monotonic()
        self.node = Node(self.env(), self.workdir)
        await self.node.start(timeout=120)
        self.tally.restart_seconds.append(time.monotonic() - began)

    async def kill_and_restart(self, flow: str, after: float) -> None:
        assert self.node is not None
        await self.node.kill()
        self.tally.kills.append((flow, after))
        self.tally.integrity.append(integrity(self.path))
        await self.start()

    async def stop(self) -> None:
        if self.node is not None:
            await self.node.stop()
        await self.engine.dispose()
        await self.api.stop()

    # --- one cycle: the flow up to its finishing input, the input, a kill, the replay -------

    async def cycle(self, n: int, flow: str) -> None:
        try:
            prepared = await getattr(self, f"prepare_{flow}")(n)
        except AssertionError as exc:  # the steps before the kill did not go as scripted: said, not hidden
            self.tally.stuck.append(f"cycle {n} ({flow}) before the kill: {str(exc).splitlines()[0]}")
            if self.args.verbose and self.node is not None:
                print(f"the bot's log, cycle {n}:\n{self.node.log()}", file=sys.stderr, flush=True)
            return
        finish, replay, outcome = prepared
        await finish()
        after = self.rng.uniform(0, WINDOWS[flow])
        await asyncio.sleep(after)  # a random moment in what the input set off
        await self.kill_and_restart(flow, after)
        await replay()
        try:
            await outcome()
        except AssertionError as exc:
            self.tally.stuck.append(f"cycle {n} ({flow}): {str(exc).splitlines()[0]}")

    async def prepare_register(self, n: int):  # noqa: ANN201
        leader = self.person(f"راهبر{n}")
        review = await fill_registration(leader, f"کانون همیاری شماره {words(n)}")
        self.tally.leaders.append((leader, n))
        data = button_data(review, CONFIRM)

        async def outcome() -> None:
            await leader.expect(INVITE, timeout=WAIT)

        return (lambda: leader.tap(review, CONFIRM)), (lambda: leader.forge_tap(review, data)), outcome

    async def prepare_accept(self, n: int):  # noqa: ANN201
        leader, assistant = self.person(f"راهبر{n}"), self.person(f"همیار{n}")
        review = await fill_registration(leader, f"کانون همیاری شماره {words(n)}")
        await leader.tap(review, CONFIRM)
        token = invite_token(await leader.expect(INVITE, timeout=WAIT))
        self.tally.leaders.append((leader, n))
        self.tally.accepted.append((leader, assistant))
        await assistant.send(f"/start a-{token}")
        await assistant.tap(await assistant.expect("دعوت به همیاری کانون", timeout=WAIT), ACCEPT)
        await assistant.expect("نام و نام خانوادگی خود را", timeout=WAIT)
        await assistant.send("زهرا احمدی")
        await assistant.expect("شماره موبایل", timeout=WAIT)
        mobile = "۰۹۱۷۱۲۳۴۵۶۷"

        async def outcome() -> None:
            await leader.expect(ACTIVATED, timeout=WAIT)

        return (lambda: assistant.send(mobile)), (lambda: assistant.send(mobile)), outcome

    async def applicant(self, n: int) -> tuple[FakeUser, BotMessage]:
        fake = self.person(f"متقاضی{n}")
        await make_user(self.sessions, "telegram", fake.user_id, fake.first_name, f"متقاضی {words(n)} نوری",
                        f"0912{n:07d}")
        await fake.send(f"/start c-{self.small.code}")
        return fake, await fake.expect(self.small.name, timeout=WAIT)

    async def prepare_request(self, n: int):  # noqa: ANN201
        fake, card = await self.applicant(n)
        self.tally.requests.append(fake)
        data = button_data(card, SEND_REQUEST)

        async def outcome() -> None:
            await self.small_assistant.expect(f"متقاضی {words(n)} نوری", timeout=WAIT)

        return (lambda: fake.tap(card, SEND_REQUEST)), (lambda: fake.forge_tap(card, data)), outcome

    async def prepare_decide(self, n: int):  # noqa: ANN201
        fake, card = await self.applicant(n)
        await fake.tap(card, SEND_REQUEST)
        await fake.expect("ثبت شد", timeout=WAIT)
        request = await self.small_assistant.expect(f"متقاضی {words(n)} نوری", timeout=WAIT)
        self.tally.decided.append(fake)
        data = button_data(request, APPROVE)
        assistant = self.small_assistant

        async def outcome() -> None:
            await fake.expect(WELCOME, timeout=WAIT)

        return (lambda: assistant.tap(request, APPROVE)), (lambda: assistant.forge_tap(request, data)), outcome

    async def prepare_campaign(self, n: int):  # noqa: ANN201
        leader = self.big_leader
        title = f"پویش {words(n)} روستا"  # a word after the number: «پویش ۵» is in «پویش ۵۳»
        await step(leader, leader.send("/cancel"), "")  # whatever a kill left half-done
        kind = await step(leader, leader.send("/campaign"), "📅 گردهمایی", button=True)  # the kind comes first
        await step(leader, leader.tap(kind, "📅 گردهمایی"), "عنوان پویش")
        await step(leader, leader.send(title), "توضیح پویش")
        await step(leader, leader.send("برای پاک‌سازی چشمه‌ی روستا بیایید."), "زمان پویش را بنویسید")
        when = jdatetime.datetime.fromgregorian(datetime=datetime.now(TEHRAN) + timedelta(days=30))
        await step(leader, leader.send(f"{when.year}/{when.month}/{when.day} 18:30"), "مکان پویش")
        toggles = await step(leader, leader.send("مسجد جامع روستا"), "ادامه ◀️", button=True)
        control = await step(leader, leader.tap(toggles, "ادامه ◀️"), "پیام بالا همان است")
        self.tally.calls.append(title)
        return self.send_to_all(leader, control, "📤 ارسال", title)

    async def prepare_announce(self, n: int):  # noqa: ANN201
        leader = self.big_leader
        body = f"اعلان {words(n)} کانون: جلسه پنجشنبه بعد از نماز مغرب در مسجد است."
        await step(leader, leader.send("/cancel"), "")
        await step(leader, leader.send("/announce"), "متن اعلان را بنویسید")
        control = await step(leader, leader.send(body), "آیا ارسال شود؟")
        marker = body.split(":")[0]
        self.tally.announcements.append(marker)
        return self.send_to_all(leader, control, "📤 ارسال", marker)

    def send_to_all(self, leader: FakeUser, control: BotMessage, button: str, marker: str):  # noqa: ANN201
        data = button_data(control, button)
        recipients = [*self.members, self.big_assistant]

        async def outcome() -> None:
            if not await self.api._signal.wait_until(
                lambda: all(any(marker in m.text for m in r.messages) for r in recipients), WAIT * 2,
            ):
                missing = sum(1 for r in recipients if not any(marker in m.text for m in r.messages))
                raise AssertionError(f"{missing} of {len(recipients)} never got «{marker}»")

        return (lambda: leader.tap(control, button)), (lambda: leader.forge_tap(control, data)), outcome

    # --- the accounting ------------------------------------------------------------------------

    async def account(self) -> dict[str, object]:
        lost: Counter[str] = Counter()
        duplicate_rows: Counter[str] = Counter()
        lost_messages: Counter[str] = Counter()
        duplicate_messages: Counter[str] = Counter()
        async with self.sessions() as session:
            user_ids = {u.platform_user_id: u.id for u in (await session.exec(select(User))).all()}
            for leader, _ in self.tally.leaders:
                n = len((await session.exec(select(Center).where(Center.leader_id == user_ids.get(leader.user_id)))).all())
                lost["center"] += n == 0
                duplicate_rows["center"] += max(0, n - 1)
            for leader, assistant in self.tally.accepted:
                center = (await session.exec(select(Center).where(Center.leader_id == user_ids.get(leader.user_id)))).first()
                lost["acceptance"] += center is None or center.status != "active" or \
                    center.assistant_id != user_ids.get(assistant.user_id)
                got = sum(ACTIVATED in m.text for m in leader.messages)
                lost_messages["activation notice"] += got == 0
                duplicate_messages["activation notice"] += max(0, got - 1)
            for fakes, status, purpose in ((self.tally.requests, "pending", "request"),
                                           (self.tally.decided, "active", "decision")):
                for fake in fakes:
                    rows = (await session.exec(select(Membership).where(
                        Membership.user_id == user_ids.get(fake.user_id)))).all()
                    lost[f"membership ({purpose})"] += not any(r.status == status for r in rows)
                    duplicate_rows["membership"] += max(0, len(rows) - 1)
            for fake in self.tally.requests + self.tally.decided:
                name = (await session.exec(select(User.full_name).where(User.platform_user_id == fake.user_id))).one()
                got = sum(bool(name) and name in m.text and "درخواست عضویت" in m.text
                          for m in self.small_assistant.messages)
                lost_messages["request notice"] += got == 0
                duplicate_messages["request notice"] += max(0, got - 1)
            for fake in self.tally.decided:
                got = sum(WELCOME in m.text for m in fake.messages)
                lost_messages["decision notice"] += got == 0
                duplicate_messages["decision notice"] += max(0, got - 1)
            recipients = [*self.members, self.big_assistant]
            for kind, markers, field_ in (("campaign", self.tally.calls, Campaign.title),
                                          ("announcement", self.tally.announcements, Campaign.body)):
                for marker in markers:
                    rows = (await session.exec(select(Campaign).where(field_.contains(marker)))).all()  # type: ignore[union-attr]
                    lost[kind] += len(rows) == 0
                    duplicate_rows[kind] += max(0, len(rows) - 1)
                    for row in rows[:1]:
                        statuses = Counter((await session.exec(select(Delivery.status).where(
                            Delivery.purpose == "campaign", Delivery.ref_id == row.id))).all())
                        lost[f"{kind} delivery"] += len(recipients) - statuses["sent"]
                    for person in recipients:
                        got = sum(marker in m.text for m in person.messages)
                        lost_messages[kind] += got == 0
                        duplicate_messages[kind] += max(0, got - 1)
            duplicate_rows["delivery"] = (await session.exec(text(
                "SELECT count(*) - count(DISTINCT purpose || ':' || ref_id || ':' || user_id) FROM deliveries"))).one()[0]
            open_updates = (await session.exec(select(func.count()).select_from(InboxUpdate).where(
                InboxUpdate.status.in_(("pending", "claimed"))))).one()  # type: ignore[attr-defined]
            if open_updates and self.args.verbose:
                for row in (await session.exec(select(InboxUpdate).where(
                        InboxUpdate.status.in_(("pending", "claimed"))))).all():  # type: ignore[attr-defined]
                    print(f"open inbox row: {row.status} attempts {row.attempts} {row.error} {row.payload[:200]}",
                          file=sys.stderr, flush=True)
            unsent = (await session.exec(select(func.count()).select_from(Delivery).where(
                Delivery.status.in_(("pending", "sending"))))).one()  # type: ignore[attr-defined]
        return {"lost": lost, "duplicate_rows": duplicate_rows, "lost_messages": lost_messages,
                "duplicate_messages": duplicate_messages, "open_updates": open_updates, "unsent": unsent}


# --- the people's side ----------------------------------------------------------------------------


async def fill_registration(leader: FakeUser, name: str) -> BotMessage:
    await leader.send("/register")
    await leader.expect("نام کانون را بنویسید", timeout=WAIT)
    await leader.send(name)
    await leader.tap(await leader.expect("در چه چیزی با هم مشترک‌اند", timeout=WAIT), "هم‌مسجدی")
    await leader.expect("کدام استان، شهر یا روستا", timeout=WAIT)
    await leader.send("بوشهر، روستای نظرآقا")
    await leader.expect("توضیح کوتاه", timeout=WAIT)
    await leader.tap_keyboard("رد شدن")
    await leader.expect("نام و نام خانوادگی خود را", timeout=WAIT)
    await leader.send("حسن جمالی")
    await leader.expect("شماره موبایل", timeout=WAIT)
    await leader.send("۰۹۱۷۱۱۱۱۱۱۱")
    return await leader.expect("بررسی مشخصات کانون", timeout=WAIT)


async def step(fake: FakeUser, action: Awaitable[object], contains: str, button: bool = False) -> BotMessage:
    """Do `action` and wait for a new message (not an edit of an older one) with that text (or,
    with button=True, with that button)."""
    mark = last_id(fake)
    await action
    return await expect_new(fake, mark, contains, button)


def last_id(fake: FakeUser) -> int:
    return max((m.message_id for m in fake.messages), default=0)


async def expect_new(fake: FakeUser, after: int, contains: str, button: bool = False) -> BotMessage:
    """A message sent after message #after (not an edit of an older one) with that text."""
    def find() -> BotMessage | None:
        return next((m for m in fake.messages if m.message_id > after and (
            any(label == contains for label, _ in m.buttons) if button else contains in m.text)), None)

    if not await fake.api._signal.wait_until(lambda: find() is not None, WAIT):
        since = [m.text[:80] for m in fake.messages if m.message_id > after][-3:]
        raise AssertionError(f"{fake.first_name} got no new message containing {contains!r}; got instead: {since}")
    found = find()
    assert found is not None
    return found


def button_data(message: BotMessage, label: str) -> str:
    for text_, data in message.buttons:
        if text_ == label:
            return data
    raise AssertionError(f"no button {label!r} in {message.buttons}: {message.text!r}")


def invite_token(message: BotMessage) -> str:
    import re

    found = set(re.findall(r"start=a-([A-Za-z0-9_-]+)", message.text))
    assert len(found) == 1, message.text
    return found.pop()


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        result = connection.execute("PRAGMA integrity_check").fetchall()
        keys = connection.execute("PRAGMA foreign_key_check").fetchall()
    verdict = ",".join(row[0] for row in result)
    return verdict if not keys else f"{verdict}; foreign keys: {len(keys)} broken"


# --- the run ---------------------------------------------------------------------------------------


async def run(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="kanoon-crash-") as tmp:
        bench = Bench(args, Path(tmp))
        began = time.monotonic()
        await bench.setup()
        try:
            for n in range(1, args.kills + 1):
                flow = FLOWS[(n - 1) % len(FLOWS)]
                await bench.cycle(n, flow)
                if args.verbose:
                    print(f"cycle {n}: {flow}, killed {bench.tally.kills[-1][1]:.3f} s after the input", flush=True)
            # Everything a restart resumes (batches, notices) finishes; then a clean stop.
            await asyncio.sleep(0)
            await bench.api._signal.wait_until(lambda: bench.api.pending_updates_count == 0, WAIT)
            # Stopped first: a handled update's done mark goes with the worker's next look, or with
            # the clean stop; counted while running, the last one showed as "left in the inbox".
            assert bench.node is not None
            await bench.node.stop()
            result = await bench.account()
            result["final_integrity"] = integrity(bench.path)
        finally:
            await bench.stop()
        result.update(
            kills=len(bench.tally.kills), by_flow=Counter(flow for flow, _ in bench.tally.kills),
            integrity=Counter(bench.tally.integrity), stuck=bench.tally.stuck, seconds=time.monotonic() - began,
            restart_p50=sorted(bench.tally.restart_seconds)[len(bench.tally.restart_seconds) // 2],
            members=args.members,
        )
        return result


def report(args: argparse.Namespace, result: dict[str, object]) -> str:
    def total(key: str) -> int:
        return sum(result[key].values())  # type: ignore[attr-defined]

    def detail(key: str) -> str:
        items = {k: v for k, v in result[key].items() if v}  # type: ignore[attr-defined]
        return ", ".join(f"{k}: {v}" for k, v in sorted(items.items())) or "none"

    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    command = f".venv/bin/python bench/crash.py --kills {args.kills} --members {args.members} --seed {args.seed}"
    lines = [
        f"## {when} — `bench/crash.py` (kill -9 campaign)",
        "",
        f"Machine: nproc {os.cpu_count()}, {py_platform.processor() or py_platform.machine()}, "
        f"Python {py_platform.python_version()}, SQLite. Command: `{command}`",
        "",
        f"- kills: {result['kills']} ({', '.join(f'{k} {v}' for k, v in sorted(result['by_flow'].items()))}); "  # type: ignore[attr-defined]
        f"{result['members']} members in the campaign's center; whole run {result['seconds']:.0f} s; "
        f"a restart takes {result['restart_p50']:.1f} s (median)",
        f"- lost rows: {total('lost')} ({detail('lost')})",
        f"- duplicate rows: {total('duplicate_rows')} ({detail('duplicate_rows')})",
        f"- messages lost: {total('lost_messages')} ({detail('lost_messages')})",
        f"- duplicate messages: {total('duplicate_messages')} ({detail('duplicate_messages')})",
        f"- `PRAGMA integrity_check` after each kill: {dict(result['integrity'])}; at the end: {result['final_integrity']}",  # type: ignore[call-overload]
        f"- updates left in the inbox: {result['open_updates']}; deliveries left unsent: {result['unsent']}",
        f"- flows whose outcome never showed: {len(result['stuck']) or 'none'}",  # type: ignore[arg-type]
    ]
    lines += [f"  - {line}" for line in result["stuck"]]  # type: ignore[attr-defined]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=100)
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--seed", type=int, default=9)
    parser.add_argument("--send-rate", type=int, default=100, help="the bot's SEND_RATE (messages/s)")
    parser.add_argument("--write", action="store_true", help="append the result to bench/RESULTS.md")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    # A killed process drops its connections mid-request: the fake API's server says so; not news here.
    logging.getLogger("aiohttp").setLevel(logging.CRITICAL)
    result = asyncio.run(run(args))
    section = report(args, result)
    print(section)
    if args.write:
        with (ROOT / "bench" / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write("\n" + section)


if __name__ == "__main__":
    main()
