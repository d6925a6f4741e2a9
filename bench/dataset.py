"""The national dataset: N centers, their leaders, assistants, members and history, in bulk.

    .venv/bin/python bench/dataset.py --centers 100000                  # SQLite file under --data-dir
    .venv/bin/python bench/dataset.py --centers 100000 \\
        --database-url postgresql+asyncpg://postgres@127.0.0.1:55460/kanoon_national_100k

The schema is the bot's own (Alembic migrations to head); rows are then written with the
drivers' bulk paths (sqlite3 `executemany` in one transaction; asyncpg `COPY`), not the ORM.
With the defaults for 100,000 centers (`Spec.for_centers`), the same shape the issue measured:

- 100,000 centers named as people name them from real village, county, mosque, family, tribe
  and trade names (bench/names.py), each of the six kinds and «other»; valid random codes
  (Damm); 95% active, 3% awaiting their assistant, 1% suspended, 1% cancelled;
- 2,000,000 active members (a 5,000-member center, a 600-member one, sizes otherwise
  log-normal around 20), 30,000 pending requests (500 at one center), 70,000 ended memberships;
- 2.3 M users on Telegram and Bale; 0.5% of them left a conversation half-way (persistence rows);
- 5,000 campaigns (one on the big center), their calls (deliveries), answers and reminders,
  join notices: about 118,000 deliveries; reminders still to come are 60+ days ahead, so the
  bot started on the data later fires nothing.

The dataset is generated once: a manifest (JSON, beside the SQLite file or under --data-dir
for PostgreSQL) records the spec, the counts, the generation times and the ids the drivers
need (the big center's staff, codes to look up, returning members). `ensure()` reuses a
dataset whose manifest matches the spec.
"""

from __future__ import annotations

import argparse
import array
import asyncio
import json
import random
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The bot's code under test: this checkout, or another one named by KANOON_CODE (bench/national.py
# measures a baseline checkout beside this one); the benchmarks themselves always come from here.
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from sqlalchemy.engine import make_url  # noqa: E402

from bench import names  # noqa: E402
from bot.db import migrate  # noqa: E402
from bot.db.engine import create_engine  # noqa: E402
from bot.persian.text import search_key  # noqa: E402
from bot.services import center_codes  # noqa: E402

DEFAULT_DATA_DIR = Path("/tmp/kanoon-national")
# The schema a dataset is written against: the newest revision every measured checkout knows
# (the baseline's head). Each checkout migrates its copy from here to its own head.
BASE_REVISION = "0002"
BATCH = 20_000
# Bumped when the generator's output changes, so an old dataset is not reused by mistake.
VERSION = 2

# Telegram / Bale user ids of dataset users: far from the ids the drivers give their own users.
TELEGRAM_BASE, BALE_BASE = 100_000_000, 1_500_000_000


@dataclass(frozen=True)
class Spec:
    centers: int
    members: int  # active memberships
    pending: int  # pending requests, `pending_center_requests` of them at one center
    ended: int  # rejected, withdrawn, left, removed
    users: int  # everyone the bot knows
    campaigns: int
    big_center_members: int = 5_000
    second_center_members: int = 600  # like Shohada-ye Hootak
    pending_center_requests: int = 500
    abandoned_share: float = 0.005  # users with a conversation left half-way
    seed: int = 14
    version: int = VERSION

    @classmethod
    def for_centers(cls, centers: int) -> Spec:
        """The issue's proportions: 20 members a center, 1.15 users a member, a campaign per 20 centers."""
        members = 20 * centers
        return cls(
            centers=centers, members=members, pending=max(600, members * 3 // 200), ended=members * 35 // 1000,
            users=members * 115 // 100, campaigns=max(20, centers // 20),
        )

    @property
    def label(self) -> str:
        return f"{self.centers // 1000}k" if self.centers % 1000 == 0 else str(self.centers)


@dataclass
class Manifest:
    spec: dict
    database: str
    generated_at: str
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    big_center: dict = field(default_factory=dict)
    pending_center: dict = field(default_factory=dict)
    codes: list[int] = field(default_factory=list)  # active centers' codes, to look up
    members: list[list] = field(default_factory=list)  # [platform_user_id, first, last] on Telegram, active

    @property
    def now(self) -> datetime:
        return datetime.fromisoformat(self.generated_at)


# --- writers: one bulk path per database -------------------------------------------------------


# Times are generated as POSIX seconds (floats: cheap to draw and add) and converted by the writer.
MINUTE, HOUR, DAY = 60.0, 3600.0, 86400.0
# How SQLAlchemy stores a UTC datetime on SQLite (bot.db.models.UTCDateTime): naive text with
# microseconds, '2026-11-29 08:00:00.000000' (NULL stays NULL). Whole seconds are enough here.
_SQLITE_TIME = "strftime('%Y-%m-%d %H:%M:%S', ?, 'unixepoch') || '.000000'"


def _aware(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


class SqliteWriter:
    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA synchronous=OFF")
        self.connection.execute("PRAGMA cache_size=-400000")
        self.connection.execute("BEGIN")

    def columns(self, table: str) -> list[str]:
        return [row[1] for row in self.connection.execute(f"PRAGMA table_info({table})")]

    async def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        # Times are formatted by SQLite itself, as SQLAlchemy stores them (see _SQLITE_TIME).
        values = ", ".join(_SQLITE_TIME if c in _TIME_COLUMNS else "?" for c in columns)
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({values})"
        count = 0
        for batch in _batches(rows):
            self.connection.executemany(statement, batch)
            count += len(batch)
        return count

    async def finish(self) -> None:
        self.connection.execute("COMMIT")
        self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.connection.close()


def _with_times(row: tuple, times: list[int], convert: Callable[[float], object]) -> tuple:
    values = list(row)
    for i in times:
        if values[i] is not None:
            values[i] = convert(values[i])
    return tuple(values)


class PostgresWriter:
    def __init__(self, connection) -> None:  # noqa: ANN001  (an asyncpg connection)
        self.connection = connection
        self._columns: dict[str, list[str]] = {}

    @classmethod
    async def open(cls, url: str) -> PostgresWriter:
        import asyncpg

        parsed = make_url(url)
        connection = await asyncpg.connect(
            host=parsed.host, port=parsed.port, user=parsed.username, password=parsed.password, database=parsed.database,
        )
        writer = cls(connection)
        for table in TABLES:
            rows = await connection.fetch(
                "SELECT column_name FROM information_schema.columns WHERE table_name = $1 ORDER BY ordinal_position", table
            )
            writer._columns[table] = [r["column_name"] for r in rows]
        return writer

    def columns(self, table: str) -> list[str]:
        return self._columns[table]

    async def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> int:
        times = [i for i, c in enumerate(columns) if c in _TIME_COLUMNS]
        count = 0
        for batch in _batches(rows):
            if times:
                batch = [_with_times(row, times, _aware) for row in batch]
            await self.connection.copy_records_to_table(table, records=batch, columns=list(columns))
            count += len(batch)
        return count

    async def finish(self) -> None:
        # Explicit ids were written: move each sequence past them, as the bot's inserts need.
        for table in TABLES:
            if "id" in self._columns[table]:
                await self.connection.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), GREATEST((SELECT max(id) FROM {table}), 1))"
                )
        # A database in service has been analysed by autovacuum; so is this one.
        await self.connection.execute("VACUUM ANALYZE")
        await self.connection.close()


def _batches(rows: Iterable[tuple]) -> Iterator[list[tuple]]:
    batch: list[tuple] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


_TIME_COLUMNS = {
    "created_at", "activated_at", "blocked_at", "requested_at", "decided_at", "ended_at", "last_reminded_at",
    "leader_alerted_at", "starts_at", "cancelled_at", "answered_at", "due_at", "fired_at", "sent_at", "expires_at",
    "used_at", "at",
}
TABLES = (
    "users", "centers", "assistant_invitations", "memberships", "campaigns", "campaign_answers", "reminders",
    "deliveries", "conversation_states", "user_data",
)


# --- the people and the centers -----------------------------------------------------------------


class Layout:
    """Who is who, by user id: leaders 1..N, assistants N+1..2N, then members, applicants, others."""

    def __init__(self, spec: Spec, draw: random.Random) -> None:
        self.spec = spec
        n = spec.centers
        self.first_member = 2 * n + 1
        self.first_applicant = self.first_member + spec.members
        self.first_other = self.first_applicant + spec.pending
        self.users = max(spec.users, self.first_other - 1 + spec.ended // 2)
        # Center statuses: 1 and 2 are the big center and the pending one (both active).
        self.status = ["active"] * (n + 1)
        for c in range(3, n + 1):
            roll = draw.random()
            self.status[c] = ("awaiting_assistant" if roll < 0.03 else "suspended" if roll < 0.04
                              else "cancelled" if roll < 0.05 else "active")
        self.with_members = [c for c in range(1, n + 1) if self.status[c] in ("active", "suspended")]
        self.sizes = self._sizes(draw)
        # member i (0-based) belongs to center_of[i]: shuffled, as people join over time.
        order = array.array("i")
        for c in self.with_members:
            order.extend([c] * self.sizes[c])
        draw.shuffle(order)  # type: ignore[arg-type]
        self.center_of = order
        self.platform = bytearray(self.users + 1)  # 0 telegram, 1 bale
        for uid in range(1, self.users + 1):
            self.platform[uid] = draw.random() < 0.55
        for uid in (1, 2, n + 1, n + 2):  # the drivers' staff are on Telegram
            self.platform[uid] = 0

    def _sizes(self, draw: random.Random) -> list[int]:
        spec = self.spec
        sizes = [0] * (spec.centers + 1)
        fixed = {1: spec.big_center_members, 2: spec.second_center_members}
        rest = [c for c in self.with_members if c not in fixed]
        left = spec.members - sum(fixed.values())
        weights = [draw.lognormvariate(2.3, 1.0) for _ in rest]
        scale = (left - len(rest)) / sum(weights)  # everyone gets 1, the rest by weight
        shares = [w * scale for w in weights]
        floors = [int(s) for s in shares]
        short = left - len(rest) - sum(floors)
        by_remainder = sorted(range(len(rest)), key=lambda i: shares[i] - floors[i], reverse=True)
        for i in by_remainder[:short]:
            floors[i] += 1
        for c, extra in zip(rest, floors):
            sizes[c] = 1 + extra
        for c, size in fixed.items():
            sizes[c] = size
        return sizes

    def platform_of(self, uid: int) -> str:
        return "bale" if self.platform[uid] else "telegram"

    def platform_user_id(self, uid: int) -> int:
        return BALE_BASE + uid * 3 if self.platform[uid] else TELEGRAM_BASE + uid * 7


def _spread(draw: random.Random, start: float, end: float) -> float:
    return start + (end - start) * draw.random()


class Generator:
    def __init__(self, spec: Spec, now: datetime) -> None:
        self.spec = spec
        self.now = now.timestamp()
        self.draw = random.Random(spec.seed)
        self.layout = Layout(spec, self.draw)
        self.began = self.now - 730 * DAY
        self.codes: dict[int, int] = {}
        self.manifest_codes: list[int] = []
        self.members_of: dict[int, list[int]] = {}  # only for centers with campaigns
        self.pending_rows: list[tuple[int, int]] = []  # (membership id, center id)
        self.counts: dict[str, int] = {}
        # Returning members the drivers play: on Telegram, in ordinary centers; names kept as written.
        layout = self.layout
        candidates = [layout.first_member + i for i, c in enumerate(layout.center_of[:200_000])
                      if not layout.platform[layout.first_member + i] and c > 2]
        self.probes = set(random.Random(spec.seed + 1).sample(candidates, min(400, len(candidates))))
        self.probe_names: dict[int, tuple[str, str | None]] = {}

    # users ------------------------------------------------------------------------------------

    def user_time(self, uid: int) -> float:
        return self.began + (self.now - self.began) * (uid / (self.layout.users + 1))

    def users(self) -> Iterator[tuple]:
        draw, layout = self.draw, self.layout
        for uid in range(1, layout.users + 1):
            first, last = names.person(draw)
            declared = uid < layout.first_applicant  # leaders, assistants and members gave their details
            shown_last = last if draw.random() < 0.7 else None
            if uid in self.probes:
                self.probe_names[uid] = (first, shown_last)
            yield (
                uid, layout.platform_of(uid), layout.platform_user_id(uid), first, shown_last,
                None, f"{first} {last}" if declared else None, names.mobile(draw) if declared else None,
                self.now - draw.randrange(1, 300) * DAY if draw.random() < 0.01 else None,
                self.user_time(uid),
            )

    USER_COLUMNS = ("id", "platform", "platform_user_id", "first_name", "last_name", "username", "full_name", "mobile",
                    "blocked_at", "created_at")

    # centers ----------------------------------------------------------------------------------

    def centers(self, extra: Callable[[str], tuple]) -> Iterator[tuple]:
        draw, layout = self.draw, self.layout
        n = self.spec.centers
        with_code = [c for c in range(1, n + 1) if layout.status[c] in ("active", "suspended")]
        # The IDs centers have today: 6 random digits and the check digit (the scheme before 8 digits).
        bodies = draw.sample(range(100_000, 1_000_000), len(with_code))
        for c, body in zip(with_code, bodies):
            digits = str(body)
            self.codes[c] = center_codes.with_check_digit(digits)
        for c in range(1, n + 1):
            kind, name, label, area = names.center_name(draw)
            if c == 1:
                kind, name, label, area = "neighbourhood", "کانون همیاری شهدای هوتک", None, "هوتک، کرمان، کرمان"
            elif c == 2:
                kind, name, label, area = "neighbourhood", "کانون همیاری هم‌محلی‌های نظرآقا", None, "نظرآقا، دشتستان، بوشهر"
            status = layout.status[c]
            created = self.user_time(c)
            activated = created + draw.randrange(1, 72) * HOUR if c in self.codes else None
            yield (
                c, self.codes.get(c), name, search_key(name), kind, label, area, search_key(area) or None, None,
                status, c, None if status == "awaiting_assistant" else n + c, None, created, activated, None,
            ) + extra(name)

    CENTER_COLUMNS = ("id", "code", "name", "name_key", "kind", "kind_label", "area", "area_key", "description",
                      "status", "leader_id", "assistant_id", "facilitator_id", "created_at", "activated_at", "request_key")

    def invitations(self) -> Iterator[tuple]:
        n = self.spec.centers
        for c in range(1, n + 1):
            status = self.layout.status[c]
            created = self.user_time(c) + 5 * MINUTE
            if status == "awaiting_assistant":
                yield (c, f"inv{c:010d}bench", c, c, "open", created, self.now + 7 * DAY, None, None)
            elif status != "cancelled":
                yield (c, f"inv{c:010d}bench", c, c, "accepted", created, created + 7 * DAY, n + c, created + HOUR)

    INVITATION_COLUMNS = ("id", "token", "center_id", "created_by", "status", "created_at", "expires_at", "used_by", "used_at")

    # memberships ------------------------------------------------------------------------------

    def memberships(self, campaign_centers: set[int]) -> Iterator[tuple]:
        draw, layout, spec = self.draw, self.layout, self.spec
        n = spec.centers
        mid = 0
        sources = ("link", "link", "code", "search")
        # Ended ones first (history), then the active ones in the order people joined.
        ended_users = [draw.randrange(layout.first_member, layout.users + 1) for _ in range(spec.ended)]
        for uid in ended_users:
            mid += 1
            c = draw.choice(layout.with_members)
            asked = _spread(draw, self.began, self.now - 30 * DAY)
            status = draw.choice(("rejected", "withdrawn", "left", "left", "removed"))
            decided = asked + draw.randrange(1, 96) * HOUR
            yield (mid, c, uid, status, draw.choice(sources), asked, decided if status != "withdrawn" else None,
                   n + c if status in ("rejected", "removed") else None,
                   "other" if status == "rejected" else None, None,
                   decided + draw.randrange(1, 200) * DAY if status in ("left", "removed", "withdrawn") else None,
                   None, None)
        for i, c in enumerate(layout.center_of):
            mid += 1
            uid = layout.first_member + i
            asked = self.user_time(uid) + draw.random() * 600 * MINUTE
            decided = asked + (5 + draw.random() * 4000) * MINUTE
            if c in campaign_centers:
                self.members_of.setdefault(c, []).append(uid)
            yield (mid, c, uid, "active", names.pick(draw, sources), asked, decided, n + c, None, None, None, None, None)
        # Pending requests: 500 at center 2, the rest 1–5 to a center; some waiting for weeks.
        applicants = range(layout.first_applicant, layout.first_other)
        active = [c for c in layout.with_members if layout.status[c] == "active" and c > 2]
        for k, uid in enumerate(applicants):
            mid += 1
            c = 2 if k < spec.pending_center_requests else draw.choice(active)
            self.pending_rows.append((mid, c))
            age = draw.randrange(10, 60 * 24 * 21) * MINUTE
            asked = self.now - age
            # Reminded within the last day (none due in the next hour or so); the leader alerted after a week.
            reminded = self.now - draw.randrange(60, 60 * 22) * MINUTE if age > 48 * HOUR else None
            alerted = asked + 7 * DAY + HOUR if age > 7 * DAY + HOUR else None
            yield (mid, c, uid, "pending", draw.choice(sources), asked, None, None, None, None, None, reminded, alerted)
        self.counts["memberships"] = mid

    MEMBERSHIP_COLUMNS = ("id", "center_id", "user_id", "status", "source", "requested_at", "decided_at", "decided_by",
                          "reject_reason", "reject_note", "ended_at", "last_reminded_at", "leader_alerted_at")

    # campaigns ---------------------------------------------------------------------------------

    def campaign_centers(self) -> list[int]:
        layout = self.layout
        eligible = [c for c in layout.with_members if layout.status[c] == "active" and layout.sizes[c] >= 3 and c > 2]
        chosen = [1] + [self.draw.choice(eligible) for _ in range(self.spec.campaigns - 1)]
        return chosen

    def campaigns(self, chosen: list[int], sink: dict[str, list[tuple]]) -> Iterator[tuple]:
        """Campaign rows; their reminders, answers and deliveries go to `sink`."""
        draw = self.draw
        answers, reminders, deliveries = sink["campaign_answers"], sink["reminders"], sink["deliveries"]
        reminder_id = delivery_id = answer_id = 0
        for campaign_id, c in enumerate(chosen, start=1):
            future = draw.random() < 0.05
            created = self.now - draw.randrange(1, 5) * DAY if future else _spread(
                draw, self.user_time(c) + 2 * DAY, self.now - 3 * DAY)
            kind = "announcement" if draw.random() < 0.2 else "campaign"
            cancelled = kind == "campaign" and draw.random() < 0.05
            starts = self.now + (60 + draw.randrange(30)) * DAY if future else created + draw.randrange(1, 15) * DAY
            offsets = "" if kind == "announcement" else draw.choice(("", "", "", "", "", "120", "1440,120"))
            title, _, _, _ = names.center_name(draw)
            yield (
                campaign_id, c, c, kind, None if kind == "announcement" else "پویش " + title.removeprefix("کانون "),
                "لطفاً در این پویش شرکت کنید.", starts if kind == "campaign" else None,
                draw.choice(names.VILLAGES) if kind == "campaign" else None, offsets,
                "cancelled" if cancelled else "sent", 1000 + campaign_id, created,
                created + 3 * HOUR if cancelled else None, None,
            )
            recipients = self.members_of.get(c, [])
            reached: list[int] = []
            for uid in recipients:
                delivery_id += 1
                roll = draw.random()
                status = "sent" if roll < 0.97 else "unreachable" if roll < 0.99 else "failed"
                sent = created + delivery_id % 600
                deliveries.append((delivery_id, "campaign", campaign_id, uid, status, 1, None,
                                   5000 + delivery_id if status == "sent" else None, sent, sent if status == "sent" else None))
                if status == "sent":
                    reached.append(uid)
            declined = set()
            if kind == "campaign":
                for uid in reached:
                    if draw.random() < 0.45:
                        answer_id += 1
                        answer = "yes" if draw.random() < 0.65 else "no"
                        if answer == "no":
                            declined.add(uid)
                        answers.append((answer_id, campaign_id, uid, answer, draw.random() < 0.03,
                                        created + draw.randrange(1, 48) * HOUR))
            for offset in filter(None, offsets.split(",")):
                reminder_id += 1
                due = starts - int(offset) * MINUTE
                status = "cancelled" if cancelled else "pending" if future else "sent"
                reminders.append((reminder_id, campaign_id, int(offset), due, status, due if status == "sent" else None))
                if status == "sent":
                    for uid in reached:
                        if uid not in declined:
                            delivery_id += 1
                            deliveries.append((delivery_id, "reminder", reminder_id, uid, "sent", 1, None,
                                               5000 + delivery_id, due, due))
            if cancelled:
                for uid in reached:
                    delivery_id += 1
                    deliveries.append((delivery_id, "campaign_cancel", campaign_id, uid, "sent", 1, None,
                                       5000 + delivery_id, created + 3 * HOUR, created + 3 * HOUR))
        # Join notices: the pending center's requests reached its assistant.
        n = self.spec.centers
        for mid, c in self.pending_rows[:self.spec.pending_center_requests]:
            delivery_id += 1
            deliveries.append((delivery_id, "join_request", mid, n + c, "sent", 1, None, 5000 + delivery_id,
                               self.now - DAY, self.now - DAY))

    CAMPAIGN_COLUMNS = ("id", "center_id", "created_by", "kind", "title", "body", "starts_at", "place", "reminder_offsets",
                        "status", "report_message_id", "created_at", "cancelled_at", "request_key")
    ANSWER_COLUMNS = ("id", "campaign_id", "user_id", "answer", "muted", "answered_at")
    REMINDER_COLUMNS = ("id", "campaign_id", "offset_minutes", "due_at", "status", "fired_at")
    DELIVERY_COLUMNS = ("id", "purpose", "ref_id", "user_id", "status", "attempts", "last_error", "message_id",
                        "created_at", "sent_at")

    # conversations left half-way ---------------------------------------------------------------

    def abandoned(self) -> tuple[list[tuple], list[tuple]]:
        draw, layout = self.draw, self.layout
        count = int(layout.users * self.spec.abandoned_share)
        people = draw.sample(range(layout.first_applicant, layout.users + 1), min(count, layout.users - layout.first_applicant))
        states, data = [], []
        for uid in people:
            platform, pid = layout.platform_of(uid), layout.platform_user_id(uid)
            if draw.random() < 0.8:
                states.append((platform, "join", json.dumps([pid, pid]), json.dumps("browse")))
                data.append((platform, pid, json.dumps({"join": {}})))
            else:
                states.append((platform, "register", json.dumps([pid, pid]), json.dumps("rg_area")))
                data.append((platform, pid, json.dumps({"register": {"name": names.center_name(draw)[1],
                                                                      "kind": "neighbourhood"}}, ensure_ascii=False)))
        return states, data


# --- generating --------------------------------------------------------------------------------


async def generate(url: str, spec: Spec, log: Callable[[str], None] = lambda line: print(line, flush=True),
                   revision: str | None = BASE_REVISION) -> Manifest:
    """Migrate an empty database at `url` to `revision` (None: leave its schema as it is) and
    fill it; returns the manifest (not yet saved)."""
    now = datetime.now(timezone.utc).replace(microsecond=0)
    began = time.monotonic()
    if revision is not None:
        await migrate_to(url, revision)
    seconds: dict[str, float] = {"migrate": time.monotonic() - began}
    parsed = make_url(url)
    writer: SqliteWriter | PostgresWriter
    writer = SqliteWriter(Path(parsed.database)) if parsed.get_backend_name() == "sqlite" else await PostgresWriter.open(url)
    generator = Generator(spec, now)
    seconds["layout"] = time.monotonic() - began - seconds["migrate"]
    counts: dict[str, int] = {}

    async def put(table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
        started = time.monotonic()
        present = writer.columns(table)
        missing = [c for c in columns if c not in present]
        if missing:
            raise RuntimeError(f"{table} has no {missing}: the generator is older than the schema")
        counts[table] = await writer.write(table, columns, rows)
        seconds[table] = time.monotonic() - started
        log(f"  {table}: {counts[table]:,} rows in {seconds[table]:.1f} s")

    center_extra, center_columns = _optional_center_columns(writer.columns("centers"))
    chosen = generator.campaign_centers()
    await put("users", Generator.USER_COLUMNS, generator.users())
    await put("centers", Generator.CENTER_COLUMNS + center_columns, generator.centers(center_extra))
    await put("assistant_invitations", Generator.INVITATION_COLUMNS, generator.invitations())
    await put("memberships", Generator.MEMBERSHIP_COLUMNS, generator.memberships(set(chosen)))
    sink: dict[str, list[tuple]] = {"campaign_answers": [], "reminders": [], "deliveries": []}
    await put("campaigns", Generator.CAMPAIGN_COLUMNS, generator.campaigns(chosen, sink))
    await put("campaign_answers", Generator.ANSWER_COLUMNS, sink["campaign_answers"])
    await put("reminders", Generator.REMINDER_COLUMNS, sink["reminders"])
    await put("deliveries", Generator.DELIVERY_COLUMNS, sink["deliveries"])
    states, data = generator.abandoned()
    await put("conversation_states", ("platform", "name", "key", "state"), states)
    await put("user_data", ("platform", "user_id", "data"), data)
    started = time.monotonic()
    await writer.finish()
    seconds["finish"] = time.monotonic() - started
    seconds["total"] = time.monotonic() - began

    layout = generator.layout
    draw = random.Random(spec.seed + 2)
    active_codes = [generator.codes[c] for c in layout.with_members if layout.status[c] == "active"]
    return Manifest(
        spec=asdict(spec), database=_describe(url), generated_at=now.isoformat(), seconds=seconds, counts=counts,
        big_center={"id": 1, "code": generator.codes[1], "members": layout.sizes[1],
                    "leader": layout.platform_user_id(1), "assistant": layout.platform_user_id(spec.centers + 1)},
        pending_center={"id": 2, "code": generator.codes[2], "pending": spec.pending_center_requests,
                        "assistant": layout.platform_user_id(spec.centers + 2)},
        codes=draw.sample(active_codes, min(400, len(active_codes))),
        members=[[layout.platform_user_id(uid), *generator.probe_names[uid]] for uid in sorted(generator.probes)],
    )


def _optional_center_columns(present: list[str]) -> tuple[Callable[[str], tuple], tuple[str, ...]]:
    """Columns other work added to centers (the name search's folded key), filled if present."""
    if "search_key" in present:
        from bot.persian import text

        fold = getattr(text, "name_search_key", search_key)
        return (lambda name: (fold(name),)), ("search_key",)
    return (lambda name: ()), ()


async def migrate_to(url: str, revision: str) -> None:
    """Upgrade or downgrade the database at `url` to `revision` (this checkout's migrations)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    def _run(connection) -> None:  # noqa: ANN001
        config = migrate.alembic_config()
        config.attributes["connection"] = connection
        current = MigrationContext.configure(connection).get_current_revision()
        script = ScriptDirectory.from_config(config)
        ahead = current is not None and current != revision and revision in {
            r.revision for r in script.iterate_revisions(current, "base")}
        (command.downgrade if ahead else command.upgrade)(config, revision)

    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.run_sync(_run)
    await engine.dispose()


async def copy(master: str, target: str) -> None:
    """A copy of the dataset at `master` as `target` (a file copy; PostgreSQL's TEMPLATE)."""
    source, parsed = make_url(master), make_url(target)
    if parsed.get_backend_name() == "sqlite":
        import shutil

        await _reset(target)
        await asyncio.to_thread(shutil.copyfile, source.database, parsed.database)
        return
    import asyncpg

    admin = await asyncpg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                                  password=parsed.password, database="postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{parsed.database}" TEMPLATE "{source.database}"')
    finally:
        await admin.close()


async def drop(url: str) -> None:
    """Remove a copy made by `copy`."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        for leftover in (Path(parsed.database), Path(f"{parsed.database}-wal"), Path(f"{parsed.database}-shm")):
            leftover.unlink(missing_ok=True)
        return
    import asyncpg

    admin = await asyncpg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                                  password=parsed.password, database="postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
    finally:
        await admin.close()


def _describe(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


# --- reuse -----------------------------------------------------------------------------------------


def sqlite_path(spec: Spec, data_dir: Path) -> Path:
    return data_dir / f"national-{spec.label}.db"


def manifest_path(url: str, data_dir: Path) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Path(parsed.database).with_suffix(".json")
    return data_dir / f"pg-{parsed.port}-{parsed.database}.json"


def load_manifest(url: str, spec: Spec, data_dir: Path) -> Manifest | None:
    path = manifest_path(url, data_dir)
    if not path.exists():
        return None
    manifest = Manifest(**json.loads(path.read_text(encoding="utf-8")))
    return manifest if manifest.spec == asdict(spec) else None


async def _reset(url: str) -> None:
    """An empty database at `url`: the SQLite file removed, or the PostgreSQL database re-created."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
            leftover.unlink(missing_ok=True)
        return
    import asyncpg

    admin = await asyncpg.connect(host=parsed.host, port=parsed.port, user=parsed.username,
                                  password=parsed.password, database="postgres")
    try:
        await admin.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')
        await admin.execute(f'CREATE DATABASE "{parsed.database}"')
    finally:
        await admin.close()


async def ensure(url: str, spec: Spec, data_dir: Path = DEFAULT_DATA_DIR, log: Callable[[str], None] = lambda line: print(line, flush=True),
                 fresh: bool = False) -> Manifest:
    """The dataset at `url` for `spec`: reused if its manifest matches, else generated (the
    database at `url` is emptied first — give a throwaway one)."""
    if not fresh and (manifest := load_manifest(url, spec, data_dir)) is not None:
        return manifest
    log(f"generating {spec.centers:,} centers, {spec.members:,} members into {_describe(url)}")
    await _reset(url)
    manifest = await generate(url, spec, log)
    path = manifest_path(url, data_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(manifest), ensure_ascii=False, indent=1), encoding="utf-8")
    log(f"  done in {manifest.seconds['total']:.0f} s")
    return manifest


def sqlite_url(spec: Spec, data_dir: Path = DEFAULT_DATA_DIR) -> str:
    return f"sqlite+aiosqlite:///{sqlite_path(spec, data_dir)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centers", type=int, default=100_000)
    parser.add_argument("--database-url", help="a throwaway database (default: a SQLite file under --data-dir)")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--fresh", action="store_true", help="generate even if a matching dataset exists")
    args = parser.parse_args()
    spec = Spec.for_centers(args.centers)
    url = args.database_url or sqlite_url(spec, args.data_dir)
    manifest = asyncio.run(ensure(url, spec, args.data_dir, fresh=args.fresh))
    print(json.dumps({"counts": manifest.counts, "seconds": {k: round(v, 1) for k, v in manifest.seconds.items()}}, indent=1))


if __name__ == "__main__":
    main()
