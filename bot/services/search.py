"""Finding a center by name, however it was typed (docs/search.md).

Names and what people type are compared as text.name_search_key(): letters folded (ي/ی، ك/ک،
آ/ا، ة/ه, diacritics), spaces, ZWNJ and the generic words («کانون», «همیاری», …) left out.
Results come closest first, a page at a time:

1. names whose key equals the typed key, then starts with it, then contains it — one indexed
   query per page (FTS5 trigram on SQLite, pg_trgm on PostgreSQL);
2. then "near" names, within one or two typos of some part of the name: the index proposes up
   to NEAR_CANDIDATES names holding a piece of the key (see pieces()), re-ranked here by edit
   distance; only the ones shown are loaded. A key shorter than NEAR_MIN_KEY has no near
   names (one typo in three letters matches nearly anything).

No page counts the whole result: it asks for one row more than it shows. A page's `next`
cursor tells the following page where to go on (`c<n>`: n containing names shown so far;
`n<n>`: all of them shown, and n near ones). The near lookup runs only on the page where the
containing names run out, and on the pages after it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.models import Center
from bot.db.repo import centers as repo
from bot.persian.text import name_search_key

MIN_KEY = 2
NEAR_MIN_KEY = 4
# Bounded, so a near search costs the same with a thousand centers or a million.
NEAR_CANDIDATES = 200
_CONTAINING, _NEAR = "c", "n"


@dataclass(frozen=True)
class SearchPage:
    centers: list[Center]
    has_more: bool
    next: str | None  # the cursor of the following page, when there is one
    only_near: bool = False  # nothing on this page contains what was typed; all are near misses
    best_guess: Center | None = None  # first page, no name contains the key: the closest near one


def query_key(typed: str) -> str:
    return name_search_key(typed)


def typos_allowed(key: str) -> int:
    """Edits a near name may be away from the key: none below 4 letters, 1 up to 6, then 2."""
    if len(key) < NEAR_MIN_KEY:
        return 0
    return 1 if len(key) <= 6 else 2


def best_part_distance(pattern: str, text: str) -> int:
    """The fewest edits (insert, delete, replace a letter) that turn `pattern` into some part
    of `text`: 0 when text contains it.

    Myers' bit-parallel algorithm (J. ACM 46(3), 1999) in the search form given by Hyyrö:
    one pass over `text`, a few integer operations per letter.
    """
    m = len(pattern)
    if m == 0:
        return 0
    masks: dict[str, int] = {}
    for i, letter in enumerate(pattern):
        masks[letter] = masks.get(letter, 0) | 1 << i
    full, top = (1 << m) - 1, 1 << (m - 1)
    plus, minus, score, best = full, 0, m, m
    for letter in text:
        eq = masks.get(letter, 0)
        xv = eq | minus
        xh = (((eq & plus) + plus) ^ plus) | eq
        up = minus | (~(xh | plus) & full)
        down = plus & xh
        if up & top:
            score += 1
        elif down & top:
            score -= 1
        up = (up << 1) & full  # no carry in: a match may start anywhere in `text`
        down = (down << 1) & full
        plus = down | (~(xv | up) & full)
        minus = up & xv
        best = min(best, score)
    return best


def trigrams(key: str) -> list[str]:
    return list(dict.fromkeys(key[i:i + 3] for i in range(len(key) - 2)))


def pieces(key: str, typos: int) -> list[str]:
    """What a name within `typos` edits of the key must hold at least one of.

    Cut into typos + 1 pieces, one piece survives any `typos` edits untouched (each edit falls
    in one piece): exact, and each piece is a selective lookup. Pieces must be three letters
    for the trigram indexes; a key too short for that falls back on its trigrams, of which
    one or two typos leave some standing in all but the unluckiest cases.
    """
    count = typos + 1
    if len(key) < 3 * count:
        return trigrams(key)
    size, longer = divmod(len(key), count)
    cuts, start = [], 0
    for i in range(count):
        end = start + size + (1 if i < longer else 0)
        cuts.append(key[start:end])
        start = end
    return list(dict.fromkeys(cuts))


async def near_names(session: AsyncSession, key: str, skip: int, take: int) -> tuple[list[Center], bool]:
    """`take` live centers after the first `skip` that are within typos_allowed(key) edits of a
    part of their name (but do not contain the key), closest first; and whether more follow."""
    allowed = typos_allowed(key)
    if not allowed:
        return [], False
    # Each edit breaks at most three of the key's trigrams: a name keeping fewer than this many
    # is too far without measuring (the q-gram lemma), and most candidates stop here.
    each_trigram = [key[i:i + 3] for i in range(len(key) - 2)]
    at_least = len(each_trigram) - 3 * allowed
    scored = []
    looked_for = pieces(key, allowed)
    for row in await repo.named_near(session, key, looked_for, NEAR_CANDIDATES // len(looked_for)):
        shared = sum(trigram in row.search_key for trigram in each_trigram)
        if shared < at_least:
            continue
        distance = best_part_distance(key, row.search_key)
        if 0 < distance <= allowed:
            # At equal distance, more of the key's trigrams in place: «صاحب زمان» is nearer
            # «صاحب‌الزمان» (two letters missing) than «صاحب‌جمعان» (two letters changed).
            scored.append(((distance, -shared, row.status != "active", abs(len(row.search_key) - len(key)),
                            row.name, row.id), row.id))
    scored.sort()
    shown = [center_id for _, center_id in scored[skip:skip + take]]
    return await repo.by_ids(session, shown), len(scored) > skip + take


def _read_cursor(after: str | None) -> tuple[str, int]:
    if after and after[0] in (_CONTAINING, _NEAR) and after[1:].isdigit():
        return after[0], int(after[1:])
    return _CONTAINING, 0


async def find_centers(session: AsyncSession, typed: str, *, after: str | None = None, limit: int = 5) -> SearchPage:
    """A page of live centers matching what was typed, closest first (see the module's doc)."""
    key = query_key(typed)
    if len(key) < MIN_KEY:
        return SearchPage([], False, None)
    phase, shown = _read_cursor(after)
    found: list[Center] = []
    if phase == _CONTAINING:
        found = await repo.named_containing(session, key, shown, limit + 1)
        if len(found) > limit:
            return SearchPage(found[:limit], True, f"{_CONTAINING}{shown + limit}")
        shown = 0  # the containing names end on this page; near ones fill what is left
    taken, more = await near_names(session, key, shown, limit - len(found))
    only_near = not found and bool(taken)
    best_guess = taken[0] if only_near and after is None else None
    return SearchPage(found + taken, more, f"{_NEAR}{shown + len(taken)}" if more else None, only_near, best_guess)
