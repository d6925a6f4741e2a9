"""People: who is writing (every update), and who has blocked the bot."""

from __future__ import annotations

from collections.abc import Sequence
from contextvars import ContextVar
from typing import NamedTuple

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.db.engine import autocommit
from bot.db.models import User, id_of
from bot.deps import Deps
from bot.services import facilitation, users
from bot.services.users import Profile


class Identified(NamedTuple):
    user: User
    facilitates: bool  # a live center's facilitator: the main menu shows «🧭 رهیاری»


# The sender as the inbox read them ahead, with the rest of a claimed batch (one read for all:
# bot/instances/inbox.py); set around the update's handling, in its own task.
READ_AHEAD: ContextVar[Identified | None] = ContextVar("identified_ahead", default=None)


async def read_ahead(session: AsyncSession, platform: str, platform_user_ids: Sequence[int]) -> dict[int, Identified]:
    """identify's read for a batch of senders of one platform (one statement): by platform user id."""
    found = await users.find_many_facilitating(session, platform, platform_user_ids)
    return {key: Identified(*value) for key, value in found.items()}


async def identify(deps: Deps, profile: Profile) -> Identified:
    """The sender's row, created on first contact and kept in step with their profile, and
    whether they facilitate a center (the menu every update may show depends on it).

    Every update starts here, so the common case — a person the bot knows, whose profile is
    unchanged — costs one read and nothing else: no transaction, no commit (on PostgreSQL not
    even BEGIN), and not even that read when the inbox read them ahead (READ_AHEAD). Only a new
    person or a changed profile opens a unit of work that writes.
    """
    ahead = READ_AHEAD.get()
    if (ahead is not None and ahead.user.platform == profile.platform
            and ahead.user.platform_user_id == profile.platform_user_id and users.in_step(ahead.user, profile)):
        return ahead
    async with autocommit(deps.sessions) as session:
        found = await users.find_facilitating(session, profile)
    if found is not None and users.in_step(found[0], profile):
        return Identified(*found)
    async with deps.unit() as session:
        user = await users.touch(session, profile)
        return Identified(user, await facilitation.is_facilitator(session, id_of(user)))


async def note_blocked(deps: Deps, platform: str, platform_user_id: int) -> None:
    """The person blocked the bot: remembered, so broadcasts skip them until they write again."""
    async with deps.unit() as session:
        await users.note_blocked(session, platform, platform_user_id, deps.clock())
