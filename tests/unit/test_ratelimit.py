"""The paced rate limiter, on a fake clock: nothing here waits for real."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from telegram.error import Forbidden, NetworkError, RetryAfter

from bot.sending.ratelimit import BULK_SEND, PacedRateLimiter, SendArgs, is_paced, retry_after_seconds


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class Api:
    """Stands in for the HTTP call; logs (endpoint, chat, fake time) and raises what it is told."""

    def __init__(self, time: FakeTime) -> None:
        self.time = time
        self.log: list[tuple[str, int | None, float]] = []
        self.errors: dict[int, list[Exception]] = {}
        self.gates: dict[int, asyncio.Event] = {}

    async def __call__(self, endpoint: str, data: dict, **_: object) -> dict:
        chat = data.get("chat_id")
        self.log.append((endpoint, chat, self.time.now))
        if chat in self.gates:
            await self.gates[chat].wait()
        if self.errors.get(chat):
            raise self.errors[chat].pop(0)
        return {"ok": True}

    def times(self, chat: int) -> list[float]:
        return [at for _, c, at in self.log if c == chat]


@pytest.fixture
def time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def api(time: FakeTime) -> Api:
    return Api(time)


def limiter_for(time: FakeTime, rate: float = 10, **kwargs: object) -> PacedRateLimiter:
    return PacedRateLimiter(rate, clock=time.clock, sleep=time.sleep, **kwargs)  # type: ignore[arg-type]


def send(limiter: PacedRateLimiter, api: Api, chat: int, args: SendArgs | None = None, endpoint: str = "sendMessage"):  # noqa: ANN201
    data = {"chat_id": chat, "text": "سلام"}
    return limiter.process_request(api, (endpoint, data), {}, endpoint, data, args)


async def test_messages_leave_evenly_spaced_at_the_rate_without_bursts(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=10, headroom=0.0)
    await asyncio.gather(*(send(limiter, api, chat) for chat in range(5)))
    starts = [at for _, _, at in api.log]
    assert [round(b - a, 6) for a, b in zip(starts, starts[1:])] == [0.1] * 4
    await limiter.shutdown()


async def test_headroom_keeps_a_little_under_the_rate(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=30, headroom=0.05)  # 30 sends take 30 × 35 ms
    await asyncio.gather(*(send(limiter, api, chat) for chat in range(31)))
    starts = [at for _, _, at in api.log]
    assert starts[30] - starts[0] == pytest.approx(1.05)
    assert all(b - a == pytest.approx(1.05 / 30) for a, b in zip(starts, starts[1:]))
    await limiter.shutdown()


async def test_an_idle_limiter_sends_at_once_and_banks_no_burst(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=10, headroom=0.0)
    await send(limiter, api, 1)
    time.now += 60  # a quiet minute
    await asyncio.gather(send(limiter, api, 2), send(limiter, api, 3))
    assert api.times(2) == [1060.0] and api.times(3) == [pytest.approx(1060.1)]
    await limiter.shutdown()


async def test_interactive_replies_go_before_waiting_broadcast_sends(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=10)
    bulk = [asyncio.create_task(send(limiter, api, chat, BULK_SEND)) for chat in range(100, 106)]
    reply = asyncio.create_task(send(limiter, api, 7))
    await asyncio.gather(*bulk, reply)
    order = [chat for _, chat, _ in api.log]
    assert order == [7, 100, 101, 102, 103, 104, 105]  # the reply first, the broadcast in its order
    await limiter.shutdown()


async def test_a_reply_arriving_mid_broadcast_waits_one_slot_at_most(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=10, headroom=0.0)
    bulk = [asyncio.create_task(send(limiter, api, chat, BULK_SEND)) for chat in range(100, 150)]
    while len(api.log) < 10:  # let the broadcast get going
        await asyncio.sleep(0)
    asked_at = time.now
    await send(limiter, api, 7)
    assert api.times(7)[0] - asked_at <= 0.1 + 1e-9
    assert len(api.log) < 20  # most of the broadcast is still waiting
    await asyncio.gather(*bulk)
    await limiter.shutdown()


class ManualTime:
    """A clock only the test moves: a sleeper wakes when `advance_to` reaches its deadline,
    never because someone else slept (FakeTime jumps, which would end any pause at once)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self._sleepers: list[tuple[float, asyncio.Future[None]]] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        if seconds <= 0:
            await asyncio.sleep(0)
            return
        wake: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + seconds, wake))
        await wake

    @staticmethod
    async def settle() -> None:
        for _ in range(20):  # let every task that can run, run (no real time passes)
            await asyncio.sleep(0)

    async def advance_to(self, moment: float) -> None:
        """Move the clock forward, waking each sleeper at its own deadline, in order."""
        await self.settle()
        while True:
            due = [at for at, wake in self._sleepers if at <= moment and not wake.done()]
            if not due:
                break
            self.now = max(self.now, min(due))
            for at, wake in self._sleepers:
                if at <= self.now and not wake.done():
                    wake.set_result(None)
            self._sleepers = [(at, wake) for at, wake in self._sleepers if not wake.done()]
            await self.settle()
        self.now = max(self.now, moment)
        await self.settle()


@pytest.fixture
def manual() -> ManualTime:
    return ManualTime()


def manual_limiter(time: ManualTime, **kwargs: object) -> PacedRateLimiter:
    return PacedRateLimiter(100, headroom=0.0, clock=time.clock, sleep=time.sleep, **kwargs)  # type: ignore[arg-type]


def sent_between(api: Api, start: float, end: float) -> list[tuple[str, int | None, float]]:
    return [entry for entry in api.log if start < entry[2] < end]


async def test_a_request_finishing_during_a_429_pause_does_not_end_it(manual: ManualTime) -> None:
    api = Api(manual)  # type: ignore[arg-type]
    limiter = manual_limiter(manual)
    api.gates[1] = asyncio.Event()  # request 1 is in flight (slow) when 2 gets its 429
    api.errors[2] = [RetryAfter(3)]
    first = asyncio.create_task(send(limiter, api, 1))
    second = asyncio.create_task(send(limiter, api, 2))
    third = asyncio.create_task(send(limiter, api, 3))
    await manual.advance_to(1000.01)  # 1 went at 1000.00, 2 at the next slot
    assert limiter.retry_afters == 1 and api.times(2) == [1000.01]
    refused_at = api.times(2)[0]

    await manual.advance_to(refused_at + 1)
    api.gates[1].set()  # the request in flight completes one second into the pause
    await manual.settle()
    assert first.done()
    await manual.advance_to(refused_at + 1.5)
    late = asyncio.create_task(send(limiter, api, 4))  # asked for during the pause
    unpaced = asyncio.create_task(send(limiter, api, 5, endpoint="answerCallbackQuery"))
    await manual.advance_to(refused_at + 2.99)
    assert sent_between(api, refused_at, refused_at + 3) == []  # nothing at all before +3 s
    assert not (second.done() or third.done() or late.done() or unpaced.done())

    await manual.advance_to(refused_at + 3.1)
    await asyncio.gather(second, third, late, unpaced)
    assert api.times(2)[1] == pytest.approx(refused_at + 3)  # the refused one goes first, keeping its place
    assert api.times(5) == [pytest.approx(refused_at + 3)]  # unpaced, but it waited out the pause too
    assert api.times(3)[0] == pytest.approx(refused_at + 3.01) and api.times(4)[0] == pytest.approx(refused_at + 3.02)
    await limiter.shutdown()


async def test_a_pause_outlives_the_refused_request_and_a_request_finishing_meanwhile(manual: ManualTime) -> None:
    """The refused request gives up (no retries left), so nobody waits in line; a request that
    finishes during the pause must not open the way for the next one either."""
    api = Api(manual)  # type: ignore[arg-type]
    limiter = manual_limiter(manual, max_retries=0)
    api.gates[1] = asyncio.Event()
    api.errors[2] = [RetryAfter(3)]
    first = asyncio.create_task(send(limiter, api, 1))
    second = asyncio.create_task(send(limiter, api, 2))
    await manual.advance_to(1000.01)
    with pytest.raises(RetryAfter):
        await second
    refused_at = api.times(2)[0]
    await manual.advance_to(refused_at + 1)
    api.gates[1].set()
    await manual.settle()
    assert first.done()
    late = asyncio.create_task(send(limiter, api, 3))
    await manual.advance_to(refused_at + 2.99)
    assert api.times(3) == [] and not late.done()
    await manual.advance_to(refused_at + 3.1)
    await late
    assert api.times(3) == [pytest.approx(refused_at + 3)]
    await limiter.shutdown()


async def test_429_retries_are_bounded_and_other_errors_are_not_retried(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=100, max_retries=2)
    api.errors[1] = [RetryAfter(1)] * 5
    with pytest.raises(RetryAfter):
        await send(limiter, api, 1)
    assert len(api.times(1)) == 3  # one try and two retries
    api.errors[2] = [RetryAfter(1)] * 20
    with pytest.raises(RetryAfter):
        await send(limiter, api, 2, BULK_SEND)  # a broadcast send is more patient
    assert len(api.times(2)) == BULK_SEND.max_retries + 1
    api.errors[3] = [Forbidden("Forbidden: bot was blocked by the user")]
    with pytest.raises(Forbidden):
        await send(limiter, api, 3)
    assert len(api.times(3)) == 1
    await limiter.shutdown()


async def test_other_methods_are_not_paced_but_respect_a_pause(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=1)
    await asyncio.gather(*(send(limiter, api, chat, endpoint="answerCallbackQuery") for chat in range(5)))
    assert {at for _, _, at in api.log} == {1000.0}
    limiter.pause(2.5)
    await send(limiter, api, 9, endpoint="answerCallbackQuery")
    assert api.times(9) == [1002.5]
    assert is_paced("sendMessage") and is_paced("editMessageText") and is_paced("sendDocument")
    assert not is_paced("answerCallbackQuery") and not is_paced("getMe") and not is_paced("sendChatAction")
    await limiter.shutdown()


async def test_shutdown_fails_waiting_requests_instead_of_hanging(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=1)
    limiter.pause(100)
    waiting = asyncio.create_task(send(limiter, api, 1))
    while limiter.waiting == 0:
        await asyncio.sleep(0)
    await limiter.shutdown()
    with pytest.raises(NetworkError):
        await waiting
    with pytest.raises(NetworkError):
        await send(limiter, api, 2)
    assert api.log == []


def test_retry_after_is_read_in_seconds_whatever_its_type() -> None:
    assert retry_after_seconds(RetryAfter(7)) == 7.0
    assert retry_after_seconds(RetryAfter(timedelta(seconds=2.5))) == 2.5


def test_a_rate_must_be_positive() -> None:
    with pytest.raises(ValueError):
        PacedRateLimiter(0)


class SharedSlots:
    """Stands in for the cluster's slot row (bot/instances/pace.py): another instance reserves
    one slot before each of our reservations, so ours start one interval later than locally."""

    def __init__(self, time: FakeTime) -> None:
        self.time = time
        self.next_at = time.now
        self.pauses: list[float] = []
        self.taken: list[int] = []  # how many slots each of our reservations asked for

    async def take(self, interval: float, count: int = 1) -> float:
        slot = max(self.next_at, self.time.now) + interval  # the other instance's slot first
        self.next_at = slot + count * interval
        self.taken.append(count)
        return slot - self.time.now

    def pause(self, seconds: float) -> None:
        self.pauses.append(seconds)


async def test_with_shared_slots_each_release_waits_for_the_clusters_slot(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time, rate=10, headroom=0.0)  # 0.1 s a slot: one reservation is at most 2
    limiter.shared = shared = SharedSlots(time)
    await asyncio.gather(*(send(limiter, api, chat) for chat in range(4)))
    starts = [at for _, _, at in api.log]
    # Two slots per reservation (0.2 s of sending), the other instance's slot before each.
    assert shared.taken == [2, 2]
    assert [round(b - a, 6) for a, b in zip(starts, starts[1:])] == [0.1, 0.2, 0.1]
    api.errors[9] = [RetryAfter(3)]
    await send(limiter, api, 9)
    assert shared.pauses == [3.0]  # a 429 here holds back the other instances too
    assert limiter.outcomes == {"ok": 5, "retry_after": 1}
    await limiter.shutdown()


async def test_a_burst_waiting_reserves_its_cluster_slots_in_few_statements(time: FakeTime, api: Api) -> None:
    """PostgreSQL pays a statement per reservation: 20 replies waiting at 30/s take 6 slots (0.2 s)
    per statement, never more than are waiting, and no slot is used after its time."""
    limiter = limiter_for(time, rate=30, headroom=0.0)
    limiter.shared = shared = SharedSlots(time)
    await asyncio.gather(*(send(limiter, api, chat) for chat in range(20)))
    assert shared.taken == [6, 6, 6, 2] and len(api.log) == 20
    shared.taken.clear()
    await send(limiter, api, 99)  # alone, later: a fresh slot of its own
    assert shared.taken == [1]
    await limiter.shutdown()


async def test_outcomes_are_counted_for_paced_requests(time: FakeTime, api: Api) -> None:
    limiter = limiter_for(time)
    api.errors[1] = [Forbidden("bot was blocked by the user")]
    with pytest.raises(Forbidden):
        await send(limiter, api, 1)
    await send(limiter, api, 2)
    await send(limiter, api, 3, endpoint="answerCallbackQuery")  # not a message: not counted
    assert limiter.outcomes == {"forbidden": 1, "ok": 1}
    await limiter.shutdown()


async def test_a_burst_of_replies_mid_broadcast_takes_every_slot_until_the_last_reply_is_out(
    time: FakeTime, api: Api,
) -> None:
    """200 people writing at once during a broadcast (bench/broadcast.py --arrivals 200 --burst):
    the replies leave back to back, one slot apart, before any more of the broadcast; so the
    last one waits 200 slots (6.9 s at 30/s) however the pace is shared, and the broadcast picks
    up again right after."""
    limiter = limiter_for(time, rate=30)
    bulk = [asyncio.create_task(send(limiter, api, chat, BULK_SEND)) for chat in range(10_000, 10_060)]
    while len(api.log) < 10:  # the broadcast is under way
        await asyncio.sleep(0)
    asked_at = time.now
    replies = [asyncio.create_task(send(limiter, api, chat)) for chat in range(1, 201)]
    await asyncio.gather(*replies)
    order = [chat for _, chat, _ in api.log]
    first_reply = order.index(1)
    assert order[first_reply:first_reply + 200] == list(range(1, 201))  # no broadcast send in between
    assert first_reply <= 11  # at most the one broadcast send already released went first
    waits = [api.times(chat)[0] - asked_at for chat in range(1, 201)]
    assert waits[-1] == pytest.approx(200 * limiter.interval, abs=limiter.interval)
    await asyncio.gather(*bulk)
    assert [chat for _, chat, _ in api.log][first_reply + 200] >= 10_000  # then the broadcast goes on
    await limiter.shutdown()
