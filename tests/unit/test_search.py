"""Finding a center by name (bot/services/search.py) on the migrated database, SQLite or PostgreSQL."""

from __future__ import annotations

import random

import pytest
from sqlalchemy import event, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.db.engine import SessionFactory
from bot.db.models import Center, User
from bot.services import centers as centers_svc
from bot.services import search
from bot.services.search import best_part_distance, find_centers
from bot.db.engine import unit_of_work
from tests.factories import make_active_center, make_user

TARGET = "کانون همیاری صاحب‌الزمان روستای قورچای"
# Names that share words, letters or trigrams with TARGET without being it.
DISTRACTORS = (
    "کانون همیاری الزهرا روستای قورتان", "کانون همیاری امام زمان", "کانون همیاری صاحب‌جمعان",
    "کانون همیاری الغدیر روستای چای‌کنار", "کانون همیاری ولی‌عصر روستای قوچان", "کانون شهدای هوتک",
    "کانون همیاری نور", "کانون همیاری اجتماعی روستای نظرآقا", "کانون همیاری زمانی",
)


@pytest.fixture
async def people(sessions: SessionFactory) -> tuple[User, User]:
    return await make_user(sessions, full_name="راهبر"), await make_user(sessions, full_name="همیار")


async def _add(sessions: SessionFactory, people: tuple[User, User], *names: str, area: str | None = None) -> list[Center]:
    # A person leads and assists one live center at most, so each center has its own pair.
    found = []
    for name in names:
        leader, assistant = await make_user(sessions, full_name="راهبر"), await make_user(sessions, full_name="همیار")
        found.append(await make_active_center(sessions, leader, assistant, name=name, area=area))
    return found


async def _find(sessions: SessionFactory, typed: str, **kw: object) -> search.SearchPage:
    async with sessions() as session:
        return await find_centers(session, typed, **kw)  # type: ignore[arg-type]


async def _names(sessions: SessionFactory, typed: str, limit: int = 20) -> list[str]:
    return [c.name for c in (await _find(sessions, typed, limit=limit)).centers]


async def _set_status(sessions: SessionFactory, center: Center, status: str) -> None:
    async with sessions() as session:
        await session.exec(update(Center).where(Center.id == center.id).values(status=status))  # type: ignore[call-overload]
        await session.commit()


# --- the edit distance ------------------------------------------------------------------------


def _textbook_distance(pattern: str, text: str) -> int:
    """The dynamic-programming table, row by row, a match free to start anywhere in text."""
    previous = list(range(len(pattern) + 1))
    best = previous[-1]
    for letter in text:
        row = [0]
        for i in range(1, len(pattern) + 1):
            row.append(min(previous[i] + 1, row[i - 1] + 1, previous[i - 1] + (pattern[i - 1] != letter)))
        previous = row
        best = min(best, row[-1])
    return best


def test_best_part_distance_agrees_with_the_textbook_table() -> None:
    draw = random.Random(1405)
    for _ in range(3000):
        pattern = "".join(draw.choice("ابپت") for _ in range(draw.randint(0, 9)))
        text = "".join(draw.choice("ابپت") for _ in range(draw.randint(0, 16)))
        assert best_part_distance(pattern, text) == _textbook_distance(pattern, text), (pattern, text)
    assert best_part_distance("صاحبالزمن", "صاحبالزمانقورچای") == 1
    assert best_part_distance("صاحبزمان", "صاحبالزمانقورچای") == 2
    assert best_part_distance("قورچای", "صاحبالزمانقورچای") == 0


def test_typos_allowed_grow_with_the_key() -> None:
    assert [search.typos_allowed("ا" * n) for n in (2, 3, 4, 6, 7, 12)] == [0, 0, 1, 1, 2, 2]


def test_pieces_cover_the_key_so_one_survives_the_typos() -> None:
    assert search.pieces("صاحبالزمانقورچای", 2) == ["صاحبال", "زمانق", "ورچای"]
    assert search.pieces("قورچای", 1) == ["قور", "چای"]
    assert search.pieces("قورچا", 1) == ["قور", "ورچ", "رچا"]  # too short for two: its trigrams


# --- ranking --------------------------------------------------------------------------------


async def test_exact_then_prefix_then_partial_then_near(sessions: SessionFactory, people: tuple[User, User]) -> None:
    await _add(sessions, people, "کانون مسجد صاحب‌الزمان", "کانون صاحب الزمن", "کانون صاحب‌الزمان روستای قورچای",
               "کانون صاحب‌الزمان", "کانون الغدیر")
    page = await _find(sessions, "صاحب الزمان", limit=10)
    assert [c.name for c in page.centers] == [
        "کانون صاحب‌الزمان",  # equal
        "کانون صاحب‌الزمان روستای قورچای",  # starts with it
        "کانون مسجد صاحب‌الزمان",  # contains it
        "کانون صاحب الزمن",  # one letter away
    ]
    assert not page.has_more and not page.only_near and page.best_guess is None


@pytest.mark.parametrize("typed", ["صاحب الزمن", "کانون قورچائی", "صاحب زمان", "صاحب‌الزمان", "قورچای"])
async def test_the_target_is_found_however_it_is_typed(
    sessions: SessionFactory, people: tuple[User, User], typed: str,
) -> None:
    await _add(sessions, people, *DISTRACTORS, TARGET)
    page = await _find(sessions, typed)
    assert page.centers and page.centers[0].name == TARGET, [c.name for c in page.centers]
    near = typed in ("صاحب الزمن", "کانون قورچائی", "صاحب زمان")  # no name contains these
    assert page.only_near is near
    assert (page.best_guess is not None and page.best_guess.name == TARGET) is near


@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("کانون امام رضا", "إمام رضا"),
        ("کانون امام رضا", "اِمامِ رضا"),
        ("کانون آل‌یاسین", "ال یاسین"),
        ("کانون فاطمة الزهرا", "فاطمه الزهرا"),
        ("کانون کوثر یزد", "كوثر يزد"),
        ("كانون كوثر يزد", "کوثر یزد"),
        ("کانون ولیعصر", "ولی‌عصر"),
        ("کانون شهدای ۱۲ فروردین", "شهدای 12 فروردین"),
    ],
)
async def test_persian_and_arabic_letters_meet(
    sessions: SessionFactory, people: tuple[User, User], stored: str, typed: str,
) -> None:
    await _add(sessions, people, stored, "کانون نور")
    page = await _find(sessions, typed)
    assert [c.name for c in page.centers] == [stored] and not page.only_near


async def test_the_generic_words_are_dropped_not_matched(sessions: SessionFactory, people: tuple[User, User]) -> None:
    await _add(sessions, people, "کانون همیاری اجتماعی صاحب‌الزمان", "صاحب‌الزمان", "کانون همیاری نور",
               "کانون همیاری اجتماعی روستای نظرآقا", "روستای صاحب‌الزمان")
    plain = await _names(sessions, "صاحب‌الزمان")
    assert sorted(plain) == sorted(["کانون همیاری اجتماعی صاحب‌الزمان", "صاحب‌الزمان", "روستای صاحب‌الزمان"])
    for typed in ("کانون همیاری صاحب الزمان", "کانون همیاری اجتماعی صاحب‌الزمان", "روستای صاحب الزمان", "كانون صاحب الزمان"):
        assert await _names(sessions, typed) == plain, typed
    # A name made only of generic words is still found by them.
    assert await _names(sessions, "کانون همیاری") == []
    await _add(sessions, people, "کانون همیاری")
    assert await _names(sessions, "کانون همیاری") == ["کانون همیاری"]


async def test_two_letters_find_names_starting_with_them_one_finds_nothing(
    sessions: SessionFactory, people: tuple[User, User],
) -> None:
    await _add(sessions, people, "کانون نور", "کانون نورآباد", "کانون منور", "کانون انوار")
    assert await _names(sessions, "نو") == ["کانون نور", "کانون نورآباد"]
    assert await _names(sessions, "كانون نو") == ["کانون نور", "کانون نورآباد"]
    assert await _names(sessions, "نور") == ["کانون نور", "کانون نورآباد", "کانون منور"]
    assert await _names(sessions, "ن") == [] and await _names(sessions, "کانون ن") == []


async def test_query_syntax_and_wildcards_are_plain_letters(sessions: SessionFactory, people: tuple[User, User]) -> None:
    await _add(sessions, people, "کانون نور", "کانون 100% نور")
    for typed in ("%", "%%%", "_", '"', 'نور" OR "', "نور*", "NOT نور", "(نور)", "نور AND"):
        await _find(sessions, typed)  # no error, whatever the index's query language makes of it
    assert await _names(sessions, "100%") == ["کانون 100% نور"]
    assert await _names(sessions, "%%%") == []


async def test_a_name_equal_to_the_key_comes_first_however_many_contain_it(
    sessions: SessionFactory, people: tuple[User, User], monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.db.repo import centers as repo

    monkeypatch.setattr(repo, "CONTAINING_CAP", 3)
    await _add(sessions, people, *[f"کانون نورآباد {n}" for n in range(6)], "کانون همیاری نور")
    names = await _names(sessions, "نور")
    assert names[0] == "کانون همیاری نور" and len(names) == 4  # the equal one, then three (the cap)


# --- pages ----------------------------------------------------------------------------------


async def test_pages_go_on_by_cursor_without_a_count(sessions: SessionFactory, people: tuple[User, User]) -> None:
    await _add(sessions, people, *[f"کانون نور {n}" for n in range(7)])
    first = await _find(sessions, "نور", limit=5)
    assert len(first.centers) == 5 and first.has_more and first.next
    second = await _find(sessions, "نور", after=first.next, limit=5)
    assert len(second.centers) == 2 and not second.has_more and second.next is None
    assert [c.name for c in first.centers + second.centers] == [f"کانون نور {n}" for n in range(7)]
    assert (await _find(sessions, "نور", after="garbage", limit=5)).centers == first.centers


async def test_near_names_fill_the_page_after_the_containing_ones(sessions: SessionFactory, people: tuple[User, User]) -> None:
    await _add(sessions, people, "کانون قورچای", "کانون قورچایی بالا", "کانون قرچای", "کانون قورچای‌نو", "کانون قوچای")
    page = await _find(sessions, "قورچای", limit=3)
    assert [c.name for c in page.centers] == ["کانون قورچای", "کانون قورچای‌نو", "کانون قورچایی بالا"]
    assert page.has_more and not page.only_near
    rest = await _find(sessions, "قورچای", after=page.next, limit=3)
    assert sorted(c.name for c in rest.centers) == ["کانون قرچای", "کانون قوچای"]
    assert rest.only_near and rest.best_guess is None and not rest.has_more


async def test_only_live_centers_active_first(sessions: SessionFactory, people: tuple[User, User]) -> None:
    waiting, cancelled, active, suspended = await _add(
        sessions, people, "کانون صاحب‌الزمان", "کانون صاحب‌الزمان", "کانون صاحب‌الزمان", "کانون صاحب الزمن",
    )
    await _set_status(sessions, waiting, "awaiting_assistant")
    await _set_status(sessions, cancelled, "cancelled")
    await _set_status(sessions, suspended, "suspended")
    assert [c.id for c in (await _find(sessions, "صاحب الزمان")).centers] == [active.id, waiting.id, suspended.id]
    await _set_status(sessions, active, "cancelled")
    assert [c.id for c in (await _find(sessions, "صاحب الزمن")).centers] == [suspended.id, waiting.id]


async def test_the_index_follows_renames_and_deletes(sessions: SessionFactory, people: tuple[User, User]) -> None:
    [center] = await _add(sessions, people, "کانون قورچای")
    async with unit_of_work(sessions) as session:
        await centers_svc.update_details(session, center.id, center.leader_id, "name", "کانون نظرآقا", center.created_at)
    assert await _names(sessions, "قورچای") == []
    assert await _names(sessions, "نظراقا") == ["کانون نظرآقا"]
    async with sessions() as session:
        await session.delete(await session.get(Center, center.id))
        await session.commit()
    assert await _names(sessions, "نظراقا") == []


# --- the query plans ------------------------------------------------------------------------


async def _plans(sessions: SessionFactory, typed: str) -> list[str]:
    """EXPLAIN of every SELECT a search runs, with the parameters it ran with."""
    engine: AsyncEngine = sessions.kw["bind"]
    statements: list[tuple[str, object]] = []

    def _record(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", _record)
    try:
        await _find(sessions, typed, limit=5)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", _record)
    plans = []
    async with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if not sqlite:  # a small table is cheaper to read whole; ask whether the index *can* serve
            await connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in statements:
            rows = await connection.exec_driver_sql(("EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN ") + statement, parameters)
            plans.append("\n".join(str(row[-1] if sqlite else row[0]) for row in rows))
    return plans


@pytest.mark.parametrize("typed", ["صاحب الزمان", "صاحب الزمن", "نو"])
async def test_the_search_uses_the_name_index_not_a_scan(
    sessions: SessionFactory, people: tuple[User, User], typed: str,
) -> None:
    await _add(sessions, people, *DISTRACTORS, TARGET)
    plans = await _plans(sessions, typed)
    assert plans, "the search ran no query"
    for plan in plans:  # each finds names through the name index, or loads the shown ones by id
        if "SEARCH" in plan or "SCAN" in plan:  # SQLite
            assert "SCAN centers" not in plan, plan
            assert any(way in plan for way in ("center_search VIRTUAL TABLE", "ix_centers_search_key",
                                               "USING INTEGER PRIMARY KEY")), plan
        else:  # PostgreSQL
            assert "Seq Scan on centers" not in plan, plan
            assert "ix_centers_search_key" in plan or "centers_pkey" in plan, plan
    assert any("center_search" in plan or "ix_centers_search_key" in plan for plan in plans)
