"""Benchmark: one campaign to N members through the local fake Bot API (not a test).

    .venv/bin/python bench/broadcast.py                 # 10,000 members: about 6 minutes
    .venv/bin/python bench/broadcast.py --members 1000  # a quick look

The fake API (bot/emulator) answers 429 beyond `--limit` messages per second (a sliding
one-second window, as Telegram does) and the bot's own rate (SEND_RATE) is set to the same
number; 2% of the members have blocked the bot. The leader plays the real /campaign
conversation and taps «ارسال»; meanwhile another user sends /start every PROBE_EVERY seconds
and we time the answer. Printed, and appended to bench/RESULTS.md:

- sustained rate after the first 10 seconds: deliveries settled per second (sent or found
  unreachable), messages accepted by the API per second (everything the bot sent there);
- lost (a reachable member without the call), duplicates (a member with two), unreachable
  counted (rows marked unreachable == members who blocked the bot), 429s received;
- p50/p95/max latency of the other user's /start during the broadcast;
- with --arrivals N: N people who have never written to the bot send /start during the
  broadcast, spread over --arrival-window seconds after the warm-up (--burst: all at once);
  p50/p95/max of their waits. All at once, N answers need at least N / rate seconds of the
  API's limit however they are ordered (the floor is printed beside the figures); they start
  --arrive-after seconds into the broadcast. Printed with them: the broadcast's rate before they
  come, while they are being answered (until the last one's answer), and after.

    .venv/bin/python bench/broadcast.py --arrivals 200 --code baseline=/tmp/kanoon-baseline --code new=.

runs each checkout in a process of its own and prints them side by side.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import math
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import jdatetime

ROOT = Path(__file__).resolve().parent.parent
# The bot's code under test: this checkout, or another one named by KANOON_CODE.
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from sqlalchemy import insert  # noqa: E402
from sqlmodel import func, select  # noqa: E402

from bot.sending import broadcast  # noqa: E402
from bot.db import migrate  # noqa: E402
from bot.db.engine import create_engine, session_factory  # noqa: E402
from bot.db.models import Center, Delivery, Membership, User  # noqa: E402
from bot.runner import Kanoon  # noqa: E402
from bot.services import center_codes  # noqa: E402
from bot.settings import Settings  # noqa: E402
from bot.persian.text import persian_digits, search_key, utcnow  # noqa: E402
from bench.common import SHARED_NOTE, FakeBotApi, load_average, machine, percentile, record  # noqa: E402

TOKEN = "111111:bench-telegram-token"
LEADER_ID, ASSISTANT_ID, PROBE_ID = 9_000_001, 9_000_002, 9_000_003
FIRST_MEMBER_ID = 10_000_000
FIRST_ARRIVAL_ID = 8_000_000
CALL = "آیا در این پویش شرکت می‌کنید؟"
PROBE_EVERY = 2.0
WARM_UP = 10.0


async def seed(url: str, members: int, blocked_every: int) -> tuple[list[int], set[int]]:
    engine = create_engine(url)
    await migrate.upgrade(engine)
    sessions = session_factory(engine)
    now = utcnow()
    member_ids = list(range(FIRST_MEMBER_ID, FIRST_MEMBER_ID + members))
    async with sessions() as session:
        people = [
            {"platform": "telegram", "platform_user_id": uid, "first_name": name, "created_at": now}
            for uid, name in ((LEADER_ID, "راهبر"), (ASSISTANT_ID, "همیار"))
        ] + [{"platform": "telegram", "platform_user_id": uid, "first_name": "عضو", "created_at": now} for uid in member_ids]
        await session.exec(insert(User), params=people)  # type: ignore[call-overload]
        rows = {u.platform_user_id: u.id for u in (await session.exec(select(User))).all()}
        center = Center(
            code=center_codes.new_code(), name="کانون شهدای هوتک", name_key=search_key("کانون شهدای هوتک"),
            kind="neighbourhood", status="active", leader_id=rows[LEADER_ID], assistant_id=rows[ASSISTANT_ID],
            activated_at=now,
        )
        session.add(center)
        await session.commit()
        await session.exec(insert(Membership), params=[  # type: ignore[call-overload]
            {"center_id": center.id, "user_id": rows[uid], "status": "active", "source": "code",
             "requested_at": now, "decided_at": now} for uid in member_ids
        ])
        await session.commit()
    await engine.dispose()
    blocked = {uid for i, uid in enumerate(member_ids) if i % blocked_every == blocked_every - 1}
    return member_ids, blocked


def rate_in(times: list[float], start: float, end: float) -> float:
    """Events per second between `start` and `end` (NaN for an empty window)."""
    if end - start <= 0:
        return float("nan")
    return sum(1 for t in times if start <= t < end) / (end - start)


async def run(members: int, limit: int, blocked_every: int, arrivals: int = 0, arrival_window: float = 200.0,
              burst: bool = False, arrive_after: float = WARM_UP) -> dict[str, object]:
    api = FakeBotApi("telegram", bot_username="kanoon_bench_bot", rate_limit_per_second=limit)
    await api.start()
    workdir = Path(tempfile.mkdtemp(prefix="kanoon-bench-"))
    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    member_ids, blocked = await seed(url, members, blocked_every)
    for uid in member_ids:
        api.user(uid, "عضو", started=True)
        if uid in blocked:
            api.block(uid)
    api.user(ASSISTANT_ID, "همیار", started=True)
    leader = api.user(LEADER_ID, "راهبر", started=True)
    probe = api.user(PROBE_ID, "مهمان", started=True)
    newcomers = [api.user(FIRST_ARRIVAL_ID + i, f"تازه‌وارد{i}", started=True) for i in range(arrivals)]
    arrived: dict[int, float] = {}  # chat → when they wrote
    arrivals_began: list[float] = []  # when the first newcomer wrote
    cpu_marks: dict[str, float] = {}  # this process's CPU seconds when they began and when the last was answered
    answered: dict[int, float] = {}  # chat → when the bot's first answer reached the API

    # Count what the API accepted, and when, from the fake's side.
    accepted: list[float] = []
    settled: list[float] = []
    original = api._methods["sendMessage"]
    audience = set(member_ids) | {ASSISTANT_ID}

    async def counting_send(params: dict) -> dict:
        try:
            result = await original(params)
        except Exception as error:
            if params.get("chat_id") in audience and getattr(error, "code", None) == 403:
                settled.append(time.monotonic())
            raise
        accepted.append(time.monotonic())
        chat = params.get("chat_id")
        if chat in audience:
            settled.append(time.monotonic())
        elif chat in arrived and chat not in answered:
            answered[chat] = time.monotonic()
            if len(answered) == len(newcomers):
                cpu_marks["answered"] = time.process_time()
        return result

    async def counting_edit(params: dict, original_edit=api._methods["editMessageText"]) -> dict:
        result = await original_edit(params)
        accepted.append(time.monotonic())
        return result

    api._methods["sendMessage"] = counting_send
    api._methods["editMessageText"] = counting_edit

    settings = Settings(
        _env_file=None, telegram_token=TOKEN, bale_token=None, telegram_api_url=api.base_url,
        database_url=url, send_rate=float(limit), log_level="WARNING",
    )
    kanoon = Kanoon(settings)
    await kanoon.start()
    await kanoon.caught_up()  # the start-up jobs, before anything is measured
    try:
        when = jdatetime.datetime.fromgregorian(datetime=(utcnow() + timedelta(days=10)).astimezone(settings.tz))
        await leader.send("/campaign")
        await leader.tap(await leader.expect("نوع پویش"), "📅 گردهمایی")  # the kind comes first: a gathering
        await leader.expect("عنوان پویش")
        await leader.send("کمک به سیل‌زدگان")
        await leader.expect("توضیح پویش")
        await leader.send("بیل و چکمه بیاورید.")
        await leader.expect("زمان پویش را بنویسید")
        await leader.send(persian_digits(f"{when.year}/{when.month}/{when.day} 18:30"))
        await leader.expect("مکان پویش")
        await leader.tap_keyboard("بدون مکان")
        toggles = await leader.expect("یادآوری")
        await leader.tap(toggles, "ادامه ◀️")
        control = await leader.expect("پیام بالا همان است")
        started = time.monotonic()
        await leader.tap(control, "📤 ارسال")
        await leader.expect("ارسال پویش آغاز شد", timeout=30)
        await leader.expect("📊 گزارش پویش", timeout=30)

        latencies: list[float] = []
        done = asyncio.Event()

        async def probing() -> None:
            while not done.is_set():
                asked = time.monotonic()
                await probe.send("/start")
                await probe.expect("خوش آمدید", timeout=60)
                latencies.append(time.monotonic() - asked)
                try:
                    await asyncio.wait_for(done.wait(), PROBE_EVERY)
                except TimeoutError:
                    pass

        async def arriving() -> None:
            await asyncio.sleep(arrive_after)
            draw = random.Random(14)
            offsets = [0.0] * len(newcomers) if burst else sorted(draw.uniform(0, arrival_window) for _ in newcomers)
            began = time.monotonic()
            arrivals_began.append(began)
            cpu_marks["began"] = time.process_time()
            for newcomer, offset in zip(newcomers, offsets):
                if (wait := began + offset - time.monotonic()) > 0:
                    await asyncio.sleep(wait)
                arrived[newcomer.user_id] = time.monotonic()
                await newcomer.send("/start")

        prober = asyncio.create_task(probing())
        arriver = asyncio.create_task(arriving())
        while True:  # until every row is settled (the sending task may still be starting)
            await kanoon.deps.background.join(broadcast.key("campaign", 1))
            async with kanoon.deps.sessions() as session:
                left = (await session.exec(select(func.count()).select_from(Delivery).where(Delivery.status == "pending"))).one()
            if not left:
                break
            await asyncio.sleep(0.2)
        finished = time.monotonic()
        done.set()
        await prober
        await arriver
        while len(answered) < len(arrived):  # the last newcomers' answers, if the broadcast ended first
            await asyncio.sleep(0.1)

        async with kanoon.deps.sessions() as session:
            statuses = dict((await session.exec(
                select(Delivery.status, func.count()).where(Delivery.purpose == "campaign").group_by(Delivery.status)
            )).all())
        limiter = kanoon.applications[next(iter(kanoon.applications))].bot.rate_limiter
    finally:
        await kanoon.stop()
        await api.stop()

    calls = {uid: sum(CALL in m.text for m in api.messages(uid)) for uid in [*member_ids, ASSISTANT_ID]}
    reachable = [uid for uid in calls if uid not in blocked]
    lost = sum(1 for uid in reachable if calls[uid] == 0)
    duplicates = sum(1 for n in calls.values() if n > 1)
    first = min(settled)
    window = [t for t in settled if t >= first + WARM_UP]
    accepted_window = [t for t in accepted if t >= first + WARM_UP]
    span = max(settled) - (first + WARM_UP)
    latencies.sort()
    waits = sorted(answered[chat] - arrived[chat] for chat in arrived)
    # The broadcast's pace before the newcomers, while they are answered, and after.
    phases = {}
    if arrivals_began and answered:
        began, ended, last = arrivals_began[0], max(answered.values()), max(settled)
        for phase, (start, end) in {"before": (first, began), "during": (began, ended), "after": (ended, last)}.items():
            phases[phase] = {"seconds": end - start, "settled_per_s": rate_in(settled, start, end),
                             "accepted_per_s": rate_in(accepted, start, end)}
        if "answered" in cpu_marks:  # the bot, the fake API and the newcomers all run in this process
            phases["during"]["cpu_seconds"] = cpu_marks["answered"] - cpu_marks["began"]
    return {
        "phases": phases, "arrive_after": arrive_after,
        "arrivals": arrivals, "burst": burst, "arrival_window": arrival_window,
        "arrivals_p50": statistics.median(waits) if waits else float("nan"),
        "arrivals_p95": percentile(waits, 95), "arrivals_max": waits[-1] if waits else float("nan"),
        "members": members, "limit": limit, "blocked": len(blocked),
        "duration": finished - started,
        "settled_per_s": len(window) / span if span > 0 else float("nan"),
        "accepted_per_s": len(accepted_window) / span if span > 0 else float("nan"),
        "lost": lost, "duplicates": duplicates,
        "unreachable_rows": statuses.get("unreachable", 0), "sent_rows": statuses.get("sent", 0),
        "failed_rows": statuses.get("failed", 0), "pending_rows": statuses.get("pending", 0),
        "http_429": sum(1 for _, _, e in api.errors if e.code == 429),
        "limiter_retry_afters": limiter.retry_afters,
        "probes": len(latencies),
        "p50": statistics.median(latencies) if latencies else float("nan"),
        "p95": percentile(latencies, 95),
        "max": latencies[-1] if latencies else float("nan"),
    }


def report(r: dict[str, object]) -> str:
    ok = lambda good: "✓" if good else "✗"  # noqa: E731
    lines = [
        f"- members: {r['members']:,} (+ the assistant); blocked the bot: {r['blocked']:,}; "
        f"fake API limit and SEND_RATE: {r['limit']}/s",
        f"- whole broadcast: {r['duration']:.1f} s",
        f"- sustained after the first {WARM_UP:.0f} s: {r['settled_per_s']:.1f} deliveries settled/s "
        f"{ok(r['settled_per_s'] >= 27)} (target ≥ 27); {r['accepted_per_s']:.1f} messages accepted by the API/s "
        "(calls, the leader's report edits, the other users' replies)",
        f"- lost: {r['lost']} {ok(r['lost'] == 0)}; duplicates: {r['duplicates']} {ok(r['duplicates'] == 0)}",
        f"- unreachable rows: {r['unreachable_rows']:,} for {r['blocked']:,} blocked "
        f"{ok(r['unreachable_rows'] == r['blocked'])}; sent rows: {r['sent_rows']:,}; failed: {r['failed_rows']}; "
        f"pending: {r['pending_rows']}",
        f"- 429 answers from the API: {r['http_429']} (limiter pauses: {r['limiter_retry_afters']})",
        f"- another user's /start during the broadcast ({r['probes']} probes): p50 {r['p50'] * 1000:.0f} ms, "
        f"p95 {r['p95'] * 1000:.0f} ms {ok(r['p95'] < 1)} (target < 1 s), max {r['max'] * 1000:.0f} ms",
    ]
    if r.get("arrivals"):
        how = "all at once" if r["burst"] else f"spread over {r['arrival_window']:.0f} s"
        floor = f"; the API's limit alone makes the last wait ≥ {r['arrivals'] / r['limit']:.1f} s" if r["burst"] else ""
        lines.append(
            f"- {r['arrivals']} newcomers' first /start during the broadcast, {how}: p50 {r['arrivals_p50'] * 1000:.0f} ms, "
            f"p95 {r['arrivals_p95'] * 1000:.0f} ms {ok(r['arrivals_p95'] < 1)} (target < 1 s), "
            f"max {r['arrivals_max'] * 1000:.0f} ms{floor}")
        for phase, label in (("before", "before they come"), ("during", "until the last one is answered"),
                             ("after", "after")):
            if (figures := r.get("phases", {}).get(phase)):
                cpu = (f"; this process used {figures['cpu_seconds']:.1f} CPU s meanwhile "
                       f"({figures['cpu_seconds'] / figures['seconds']:.2f} of a core)" if "cpu_seconds" in figures else "")
                lines.append(
                    f"  - the broadcast {label} ({figures['seconds']:.1f} s): {figures['settled_per_s']:.1f} "
                    f"deliveries settled/s, {figures['accepted_per_s']:.1f} messages accepted by the API/s{cpu}")
    return "\n".join(lines)


def side_by_side(results: dict[str, dict[str, object]]) -> str:
    """One report per checkout, under its name."""
    return "\n\n".join(f"{name}:\n\n{report(r)}" for name, r in results.items())


async def run_variants(args: argparse.Namespace) -> dict[str, dict[str, object]]:
    found = {}
    for name, _, path in (v.partition("=") for v in args.code):
        code = Path(path).resolve()
        out = Path(tempfile.mkdtemp(prefix="kanoon-bench-")) / "result.json"
        process = await asyncio.create_subprocess_exec(
            sys.executable, str(Path(__file__).resolve()), "--json", str(out), "--members", str(args.members),
            "--limit", str(args.limit), "--blocked-every", str(args.blocked_every), "--arrivals", str(args.arrivals),
            "--arrival-window", str(args.arrival_window), "--arrive-after", str(args.arrive_after),
            *(["--burst"] if args.burst else []),
            cwd=str(code), env=dict(os.environ, KANOON_CODE=str(code)),
        )
        if await process.wait():
            raise RuntimeError(f"the run of {name} failed")
        found[name] = json.loads(out.read_text())
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--limit", type=int, default=30, help="the fake API's limit and the bot's SEND_RATE")
    parser.add_argument("--blocked-every", type=int, default=50, help="every Nth member has blocked the bot (50: 2%%)")
    parser.add_argument("--arrivals", type=int, default=0, help="newcomers writing /start during the broadcast")
    parser.add_argument("--arrival-window", type=float, default=200.0, help="seconds over which they arrive")
    parser.add_argument("--burst", action="store_true", help="the newcomers all write at the same moment")
    parser.add_argument("--arrive-after", type=float, default=WARM_UP,
                        help="seconds into the broadcast when the first newcomer writes")
    parser.add_argument("--code", action="append", metavar="NAME=PATH", help="checkouts to run side by side")
    parser.add_argument("--json", help=argparse.SUPPRESS)
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to bench/RESULTS.md")
    parser.add_argument("--note", default="")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.code:
        text = side_by_side(asyncio.run(run_variants(args)))
    else:
        result = asyncio.run(run(args.members, args.limit, args.blocked_every, args.arrivals, args.arrival_window,
                                 args.burst, args.arrive_after))
        if args.json:
            Path(args.json).write_text(json.dumps(result))
            return
        text = report(result)
    text += "\n\n" + SHARED_NOTE.format(load=load_average())
    if args.note:
        text = args.note + "\n\n" + text
    print(text)
    if not args.no_record:
        flags = f" --arrivals {args.arrivals}" + (" --burst" if args.burst else "") if args.arrivals else ""
        record(f"`bench/broadcast.py --members {args.members}{flags}`", text)


if __name__ == "__main__":
    main()
