"""Benchmark: finding a center by name among N centers, new search beside the old LIKE (not a test).

    .venv/bin/python bench/search.py                        # 1,000 and 100,000 centers, SQLite
    .venv/bin/python bench/search.py --centers 1000         # a quick look
    .venv/bin/python bench/search.py --database-url postgresql+asyncpg://postgres:postgres@127.0.0.1:5432/kanoon_bench

On PostgreSQL give a throwaway database (a SQLite file too): it is migrated and its tables are
emptied before each size is seeded. Issue 14's target: p95 < 50 ms at 100,000 centers.

Centers get realistic names (kinds هم‌مسجدی، هم‌خانواده، هم‌محلی، هم‌طایفه، هم‌شهری، همکار over real
village, family, tribe and place names, e.g. «کانون همیاری صاحب‌الزمان روستای قورچای»), inserted
in bulk as the database's rules allow: each center has a leader of its own (one live center per
leader), codes only where a center has been active. Then, for --queries names drawn from them
(100), each kind of search is timed from opening the session to having the first page, as the
join flow does:

- exact: the whole name, typed with spaces for ZWNJ and sometimes Arabic ي/ك;
- partial: one part of it (the village, the title or the family name);
- typo: that part with one or two letters wrong, missing or extra;
- short: the part's first two letters;
- common: a fragment found in many names (COMMON), the costliest case for both.

The new search (bot/services/search.py) runs twice: a first pass on a fresh engine (the pool's
first connections, no statement or plan cached yet; the database's pages are warm from the
seeding), then the same searches again. Beside it, the old search in the same run, after a
warm-up: `name_key LIKE '%…%'` counted, then its first page (what bot/services/memberships.py did
before docs/search.md). "SQL/search" counts the statements sent per search (not counting the
pool's ping on PostgreSQL); "CPU" is this process's CPU time (all threads: with SQLite, the
database's work too; with PostgreSQL, only the client's), which other programs on the machine
disturb far less; "on page 1" counts the queries whose intended part shows up in a first-page
result. The load average is printed too: on a shared machine it moves every figure. Printed,
and appended to bench/RESULTS.md (unless --no-record).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import random
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import case, event, insert, text  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncEngine  # noqa: E402
from sqlmodel import SQLModel, func, select  # noqa: E402

from bench.common import percentile, record  # noqa: E402
from bot.db import migrate  # noqa: E402
from bot.db.engine import SessionFactory, create_engine, session_factory  # noqa: E402
from bot.db.models import Center, User, table_of  # noqa: E402
from bot.persian.text import name_search_key, search_key, utcnow  # noqa: E402
from bot.services import center_codes  # noqa: E402
from bot.services.search import find_centers  # noqa: E402

QUERIES = 100
WARM_UP = 20
PAGE = 5
BATCH = 2000
# Leaders' Telegram ids, and the codes' bodies (a check digit is added): clear of real ones.
LEADER_USER_IDS = 900_000_000
CODE_BODIES = 1_000_000

TITLES = (
    "صاحب‌الزمان", "امام رضا", "امام حسین", "امام علی", "حضرت ابوالفضل", "حضرت زینب", "فاطمة‌الزهرا",
    "ولی‌عصر", "الغدیر", "کوثر", "شهدای گمنام", "شهید چمران", "شهید باکری", "شهید همت", "حاج قاسم",
    "بقیة‌الله", "قائم آل محمد", "امام سجاد", "امام باقر", "امام صادق", "امام کاظم", "امام جواد",
    "امام هادی", "امام حسن مجتبی", "حضرت معصومه", "حضرت رقیه", "علی‌اکبر", "قمر بنی‌هاشم", "انصارالمهدی",
    "منتظران ظهور", "نور", "امید", "مهر", "همدلی", "نیکوکاران", "ایثار", "شهدای هوتک", "الزهرا",
    "امام خمینی", "سیدالشهدا", "ثارالله", "جوادالائمه", "موسی بن جعفر", "امام‌زاده هاشم", "حضرت مهدی",
)
VILLAGES = (
    "قورچای", "نظرآقا", "هوتک", "ارباب", "ابیانه", "ماسوله", "کندوان", "اورامان تخت", "پالنگان", "زیارت",
    "قلعه‌نو", "سرآقاسید", "میمند", "خرانق", "فهرج", "ده‌بالا", "کلاته", "قاسم‌آباد", "حسن‌آباد",
    "علی‌آباد", "محمدآباد", "احمدآباد", "حسین‌آباد", "عباس‌آباد", "رحیم‌آباد", "کریم‌آباد", "نصرآباد",
    "جعفرآباد", "خیرآباد", "شریف‌آباد", "دولت‌آباد", "امیرآباد", "ده‌نو", "دهک", "چشمه‌علی", "باغستان",
    "سرچشمه", "لاله‌زار", "کوهپایه", "تنگ‌سرخ", "دشتک", "ده‌شیخ", "کلات", "ورزنه", "اردهال", "نیاسر",
    "برزک", "قمصر", "جوشقان", "کامو", "طرقبه", "شاندیز", "کنگ", "زشک", "ابرده", "اخلمد", "فریزی",
    "بیدخت", "نوده", "کاخک", "روشناوند", "سیرچ", "راین", "ماهان", "جوپار", "گلباف", "باغین", "هوجدان",
    "چترود", "کشیت", "دهج", "لاله‌زار بردسیر", "مومن‌آباد", "بافق", "زرند", "ریحان", "کوهبنان",
    "میمه", "ونداده", "کچو", "ازان", "مزدک", "طالقان", "گته‌ده", "اورازان", "برغان", "افجه", "امامه",
    "کلوگان", "ولنک", "زاغمرز", "فیلبند", "لفور", "سوادکوه", "کندلوس", "یوش", "بلده", "پل‌سفید",
    "قلعه‌رودخان", "ماسال", "اسالم", "زیده", "سوها", "لیقوان", "اسکو", "کردکندی", "ارومیه‌چای",
    "دیزج", "باروق", "سقز", "پاوه", "نودشه", "هجیج", "بیساران", "ژیوار", "شمشیر", "تنگیسر",
    "بردخون", "خورموج", "دلوار", "کاکی", "آبپخش", "سعدآباد", "شبانکاره", "گناوه", "ریگ", "خارک",
    "چاه‌مبارک", "بستانو", "کنگان", "سیراف", "جم", "دیر", "بندر ریگ", "بنود", "عسلویه", "نخل‌تقی",
    "دهلران", "موسیان", "آبدانان", "ایوان", "سرابله", "چوار", "بدره", "سراوان", "ایرانشهر", "نیکشهر",
    "قصرقند", "دشتیاری", "سرباز", "راسک", "بمپور", "دلگان", "فنوج", "لاشار", "اسپکه", "محمدان",
)
FAMILIES = (
    "احمدی", "محمدی", "حسینی", "رضایی", "کریمی", "جمالی", "قادری", "موسوی", "هاشمی", "صادقی",
    "رحیمی", "نوری", "کاظمی", "جعفری", "عباسی", "قاسمی", "ابراهیمی", "زارعی", "سلطانی", "طاهری",
    "امینی", "اکبری", "یوسفی", "شریفی", "ملکی", "نجفی", "فرهادی", "بهرامی", "خسروی", "کیانی",
)
TRIBES = (
    "قشقایی", "بختیاری", "بویراحمدی", "ممسنی", "شاهسون", "ریگی", "نارویی", "کلهر", "سنجابی",
    "زنگنه", "لک", "افشار", "بهارلو", "اینانلو", "باصری", "کرد شادلو", "تیموری", "بارانی",
)
WORKPLACES = (
    "کارخانه قند", "معدن مس سرچشمه", "کشاورزان", "دامداران", "قالی‌بافان", "صیادان", "باغداران پسته",
    "زنبورداران", "رانندگان", "معلمان", "پرستاران", "کارگران ساختمانی",
)
COMMON = ("آباد", "امام", "شهید", "محله", "حسین", "خانواده", "زار", "همکاران", "مسجد", "علی")
PLACES = ("کرمان", "بوشهر", "یزد", "شیراز", "مشهد", "تبریز", "اصفهان", "زاهدان", "رشت", "سنندج", "تهران", "قم")

# (kind, pattern); {t} title, {v} village, {f} family, {r} tribe, {w} workplace, {p} place.
PATTERNS = (
    ("mosque", "کانون همیاری {t} روستای {v}"),
    ("mosque", "کانون مسجد {t} {v}"),
    ("family", "کانون خانواده {f} {v}"),
    ("family", "کانون همیاری خاندان {f}"),
    ("neighbourhood", "کانون همیاری محله {v} {p}"),
    ("tribe", "کانون همیاری طایفه {r} {v}"),
    ("hometown", "کانون هم‌شهری‌های {v} در {p}"),
    ("hometown", "کانون همیاری اجتماعی روستای {v}"),
    ("workplace", "کانون همکاران {w} {p}"),
)


def _name(draw: random.Random) -> tuple[str, str, str]:
    """(kind, name, the part a person would type)."""
    kind, pattern = draw.choice(PATTERNS)
    parts = {"t": draw.choice(TITLES), "v": draw.choice(VILLAGES), "f": draw.choice(FAMILIES),
             "r": draw.choice(TRIBES), "w": draw.choice(WORKPLACES), "p": draw.choice(PLACES)}
    name = pattern.format(**parts)
    typed = parts["v"] if "{v}" in pattern and draw.random() < 0.6 else next(
        parts[k] for k in "tfrwv" if "{" + k + "}" in pattern
    )
    return kind, name, typed


def _as_typed(name: str, draw: random.Random) -> str:
    """How people type a name: spaces for ZWNJ, sometimes an Arabic keyboard's ي/ك."""
    name = name.replace("\u200c", " ")
    return name.replace("ی", "ي").replace("ک", "ك") if draw.random() < 0.3 else name


def _typo(word: str, draw: random.Random) -> str:
    """One or two letters wrong, missing or extra, away from the word's first letter."""
    letters = list(word)
    for _ in range(1 if len(name_search_key(word)) <= 6 else draw.choice((1, 2))):
        where = draw.randrange(1, len(letters))
        action = draw.choice(("replace", "drop", "add"))
        if action == "replace":
            letters[where] = draw.choice("ابتدرزسشفقکلمنوهی")
        elif action == "drop" and len(letters) > 4:
            del letters[where]
        else:
            letters.insert(where, draw.choice("ایوه"))
    return "".join(letters)


async def seed(engine: AsyncEngine, n: int, draw: random.Random) -> list[tuple[str, str]]:
    """n centers, each led by a person of its own, in bulk; returns (name, typed part) of each.

    The data keeps the database's rules: a person leads at most one live center
    (uq_centers_live_leader), so every center gets its own leader; only centers that have been
    active (active, suspended) carry a code, a valid one (center_codes); the rest wait for
    their assistant or were cancelled. Core inserts in batches of BATCH, one transaction."""
    now = utcnow()
    made: list[tuple[str, str]] = []
    users, centers = table_of(User), table_of(Center)
    add_leaders = insert(users).returning(users.c.id, sort_by_parameter_order=True)
    async with engine.begin() as connection:
        for start in range(0, n, BATCH):
            numbers = range(start, min(n, start + BATCH))
            leaders = (await connection.execute(add_leaders, [
                {"platform": "telegram", "platform_user_id": LEADER_USER_IDS + i, "first_name": "راهبر", "created_at": now}
                for i in numbers
            ])).scalars().all()
            rows = []
            for i, leader_id in zip(numbers, leaders, strict=True):
                kind, name, typed = _name(draw)
                status = "active" if i % 50 else draw.choice(("awaiting_assistant", "suspended", "cancelled"))
                rows.append({
                    "code": center_codes.with_check_digit(CODE_BODIES + i) if status in ("active", "suspended") else None,
                    "name": name, "name_key": search_key(name), "search_key": name_search_key(name),
                    "kind": kind, "status": status, "leader_id": leader_id, "created_at": now,
                })
                made.append((name, typed))
            await connection.execute(insert(centers), rows)
    return made


# --- the old search, as it was, for the baseline -----------------------------------------------

_OLD_IGNORED = {search_key(w) for w in ("کانون", "همیاری", "اجتماعی")}
_LIVE = ("awaiting_assistant", "active", "suspended")


def _old_key(typed: str) -> str:
    kept = [w for w in typed.split() if search_key(w) not in _OLD_IGNORED]
    return search_key(" ".join(kept)) or search_key(typed)


async def old_search(sessions: SessionFactory, typed: str) -> list[Center]:
    key = _old_key(typed)
    pattern = "%" + key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    matches = Center.name_key.like(pattern, escape="\\")  # type: ignore[attr-defined]
    async with sessions() as session:
        total = (await session.exec(select(func.count()).select_from(Center).where(
            matches, Center.status.in_(_LIVE)))).one()  # type: ignore[attr-defined]
        if not total:
            return []
        query = (select(Center).where(matches, Center.status.in_(_LIVE))  # type: ignore[attr-defined]
                 .order_by(case((Center.status == "active", 0), else_=1), Center.name, Center.id).limit(PAGE))
        return list((await session.exec(query)).all())


async def new_search(sessions: SessionFactory, typed: str) -> list[Center]:
    async with sessions() as session:
        return (await find_centers(session, typed, limit=PAGE)).centers


# --- timing --------------------------------------------------------------------------------------

TARGET_P95_MS = 50.0  # issue 14
FIRST, AGAIN, OLD = "first pass", "again", "old LIKE"


@dataclass
class Timing:
    millis: list[float] = field(default_factory=list)
    cpu_millis: list[float] = field(default_factory=list)
    hits: int = 0
    statements: int = 0

    def p(self, q: float) -> float:
        return percentile(sorted(self.millis), q)

    def wall(self, against_target: bool = False) -> str:
        mark = (" ✓" if self.p(95) < TARGET_P95_MS else " ✗") if against_target else ""
        return f"{self.p(50):.1f} / {self.p(95):.1f}{mark}"

    def cpu(self) -> str:
        ordered = sorted(self.cpu_millis)
        return f"{percentile(ordered, 50):.1f} / {percentile(ordered, 95):.1f}"

    def per_search(self) -> str:
        return f"{self.statements / len(self.millis):.1f}"

    def found(self) -> str:
        return f"{self.hits}/{len(self.millis)}"


def queries(made: list[tuple[str, str]], draw: random.Random, per_kind: int = QUERIES) -> dict[str, list[tuple[str, str]]]:
    """(typed, the part a first-page result should contain) per kind of search."""
    picked = draw.sample(made, per_kind)
    return {
        "exact": [(_as_typed(name, draw), typed) for name, typed in picked],
        "partial": [(typed, typed) for _, typed in picked],
        "typo": [(_typo(typed, draw), typed) for _, typed in picked],
        "short": [(name_search_key(typed)[:2], name_search_key(typed)[:2]) for _, typed in picked],
        "common": [(fragment, fragment) for fragment in (COMMON * (per_kind // len(COMMON) + 1))[:per_kind]],
    }


async def time_all(sessions: SessionFactory, asked: dict[str, list[tuple[str, str]]]) -> dict[str, dict[str, Timing]]:
    """Per kind of search: the new search's first pass (a fresh engine: the pool's first
    connections, cold statement and plan caches), the same searches again, then the old LIKE
    after a warm-up of its own."""
    results: dict[str, dict[str, Timing]] = {}
    sent = [0]

    def _count(*_: object) -> None:
        sent[0] += 1

    engine: AsyncEngine = sessions.kw["bind"]
    event.listen(engine.sync_engine, "before_cursor_execute", _count)
    for way, search in ((FIRST, new_search), (AGAIN, new_search), (OLD, old_search)):
        if way == OLD:
            for typed, _ in asked["partial"][:WARM_UP]:
                await search(sessions, typed)
        for kind, pairs in asked.items():
            timing = results.setdefault(kind, {}).setdefault(way, Timing())
            for typed, part in pairs:
                sent[0] = 0
                began, began_cpu = time.perf_counter(), time.process_time()
                page = await search(sessions, typed)
                timing.millis.append((time.perf_counter() - began) * 1000)
                timing.cpu_millis.append((time.process_time() - began_cpu) * 1000)
                timing.statements += sent[0]
                timing.hits += any(name_search_key(part) in c.search_key or search_key(part) in c.name_key for c in page)
    event.remove(engine.sync_engine, "before_cursor_execute", _count)
    return results


async def empty(url: str) -> None:
    """Migrate a throwaway database and empty its tables (it may hold an earlier size's centers)."""
    engine = create_engine(url)
    await migrate.upgrade(engine)
    async with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            for table in reversed(SQLModel.metadata.sorted_tables):
                await connection.execute(table.delete())
        else:
            tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    await engine.dispose()


@dataclass
class Run:
    database: str
    centers: int
    seeded_s: float
    results: dict[str, dict[str, Timing]]
    load: str


async def run(url: str | None, n: int, seed_value: int, per_kind: int = QUERIES) -> Run:
    if url is not None:
        return await _measure(url, n, seed_value, per_kind)
    scratch = Path(tempfile.mkdtemp(prefix="kanoon-search-"))
    try:
        return await _measure(f"sqlite+aiosqlite:///{scratch / 'bench.db'}", n, seed_value, per_kind)
    finally:  # a failed run leaves no file behind either
        shutil.rmtree(scratch, ignore_errors=True)


async def _measure(url: str, n: int, seed_value: int, per_kind: int) -> Run:
    draw = random.Random(seed_value)
    await empty(url)
    engine = create_engine(url)
    began = time.perf_counter()
    made = await seed(engine, n, draw)
    seeded = time.perf_counter() - began
    if engine.dialect.name != "sqlite":  # as autovacuum would have done by then
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            await connection.exec_driver_sql("VACUUM ANALYZE centers")
    database = engine.dialect.name
    await engine.dispose()
    asked = queries(made, draw, per_kind)
    engine = create_engine(url)  # the first pass starts with no connection and no cached statement
    before = os.getloadavg()[0]
    results = await time_all(session_factory(engine), asked)
    load = f"{before:.1f} → {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    await engine.dispose()
    return Run(database, n, seeded, results, load)


def report(measured: Run) -> str:
    lines = [
        f"**{measured.database}, {measured.centers:,} centers** (seeded in bulk with the indexes and triggers "
        f"in place: {measured.seeded_s:.1f} s; load average before and after the timing: {measured.load})",
        "",
        f"| search | new, first pass: p50 / p95 ms | new, again: p50 / p95 ms (target p95 < {TARGET_P95_MS:.0f}) "
        "| new, again: CPU p50 / p95 ms | new: SQL/search | new: on page 1 "
        "| old LIKE: p50 / p95 ms | old LIKE: CPU p50 / p95 ms | old: on page 1 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for kind, ways in measured.results.items():
        first, again, old = ways[FIRST], ways[AGAIN], ways[OLD]
        lines.append(f"| {kind} | {first.wall(True)} | {again.wall(True)} | {again.cpu()} | {again.per_search()} "
                     f"| {again.found()} | {old.wall()} | {old.cpu()} | {old.found()} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--centers", type=int, nargs="+", default=[1000, 100_000])
    parser.add_argument("--database-url", default=None, help="a throwaway database (default: a new SQLite file)")
    parser.add_argument("--queries", type=int, default=QUERIES, help="searches of each kind")
    parser.add_argument("--seed", type=int, default=1405)
    parser.add_argument("--no-record", action="store_true", help="print only; do not append to bench/RESULTS.md")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    sections = []
    for n in args.centers:
        measured = asyncio.run(run(args.database_url, n, args.seed, args.queries))
        sections.append(report(measured))
        print(sections[-1] + "\n", flush=True)
    if not args.no_record:
        sizes = " ".join(str(n) for n in args.centers)
        record(f"`bench/search.py --centers {sizes}` on {measured.database}", "\n\n".join(sections))


if __name__ == "__main__":
    main()
