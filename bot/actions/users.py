"""People: who is writing (every update), and who has blocked the bot."""

from __future__ import annotations

from bot.db.models import User
from bot.deps import Deps
from bot.services import users
from bot.services.users import Profile


async def identify(deps: Deps, profile: Profile) -> User:
    """The sender's row, created on first contact and kept in step with their profile.

    Every update starts here, so the common case — a person the bot knows, whose profile is
    unchanged — costs one read and nothing else: no transaction, no commit (on PostgreSQL not
    even BEGIN). Only a new person or a changed profile opens a unit of work that writes.
    """
    async with deps.sessions() as session:
        await session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        user = await users.find(session, profile)
    if user is not None and users.in_step(user, profile):
        return user
    async with deps.unit() as session:
        return await users.touch(session, profile)


async def note_blocked(deps: Deps, platform: str, platform_user_id: int) -> None:
    """The person blocked the bot: remembered, so broadcasts skip them until they write again."""
    async with deps.unit() as session:
        await users.note_blocked(session, platform, platform_user_id, deps.clock())
