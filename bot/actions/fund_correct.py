"""Correcting a ledger entry (issue 16): a confirmer picks a recent entry, types what it should
have been and why; the difference is a new entry pointing at it (the ledger stays append-only).
One step, by a confirmer who is not the person whose money it was; the other confirmers and that
person are told at once, with the reason (docs/fund.md «Corrections»)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.enums import FundPurpose
from bot.db.models import FundEntry, User, id_of
from bot.db.repo import fund as repo
from bot.db.repo import users as users_repo
from bot.deps import Deps
from bot.sending.delivery import notify
from bot.services import fund as svc
from bot.services import fund_ledger
from bot.services.fund import FundPlace, FundProblem
from bot.views import fund_correct as views


@dataclass(frozen=True)
class EntryLine:
    entry: FundEntry
    current: int  # what it counts for now, in positive toman
    person: User | None


@dataclass(frozen=True)
class EntriesPage:
    lines: list[EntryLine]
    page: int
    more: bool


async def _confirmer_place(session: AsyncSession, me: User) -> FundPlace:
    _, place = await svc.place_of(session, id_of(me))
    if place is None or not place.can_confirm:
        raise FundProblem("not-confirmer")
    return place


async def _line(session: AsyncSession, entry: FundEntry, current: int | None = None) -> EntryLine:
    if current is None:
        current = abs(entry.amount + await repo.corrections_total(session, entry.fund_id, id_of(entry)))
    return EntryLine(entry, current, await users_repo.by_id(session, entry.person_id))


async def entries_page(deps: Deps, me: User, page: int) -> EntriesPage:
    size = fund_ledger.CORRECTIONS_PAGE
    async with deps.unit() as session:
        place = await _confirmer_place(session, me)
        found = await repo.recent_entries(session, id_of(place.fund), page * size, size + 1)
        return EntriesPage([await _line(session, e) for e in found[:size]], page, len(found) > size)


async def entry(deps: Deps, me: User, entry_id: int) -> EntryLine:
    async with deps.unit() as session:
        found, current = await fund_ledger.entry_to_correct(session, entry_id, id_of(me))
        return await _line(session, found, current)


async def correct(deps: Deps, me: User, entry_id: int, corrected: int, reason: str) -> tuple[FundEntry, EntryLine]:
    async with deps.unit() as session:
        correction = await fund_ledger.correct_to(session, entry_id, corrected, id_of(me), reason, deps.clock())
        corrected_entry = await session.get(FundEntry, entry_id)
        assert corrected_entry is not None
        line = await _line(session, corrected_entry)
        fund = await repo.by_id(session, correction.fund_id)
        assert fund is not None
        ids = [i for i in [*svc.confirmer_ids(fund, await repo.center_of(session, fund)), correction.person_id]
               if i != id_of(me)]
        told = await users_repo.by_ids(session, list(dict.fromkeys(ids)))
    text = views.corrected_notice(line, correction, me)
    for person in told.values():
        await notify(deps, person, text, purpose=FundPurpose.CORRECTED, ref_id=id_of(correction))
    return correction, line
