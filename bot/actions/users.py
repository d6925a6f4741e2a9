"""People: who is writing (every update), and who has blocked the bot."""

from __future__ import annotations

from bot.db.models import User
from bot.deps import Deps
from bot.services import users
from bot.services.users import Profile


async def identify(deps: Deps, profile: Profile) -> User:
    """The sender's row, created on first contact and kept in step with their profile
    (one unit of work; nothing is written when nothing changed)."""
    async with deps.unit() as session:
        return await users.touch(session, profile)


async def note_blocked(deps: Deps, platform: str, platform_user_id: int) -> None:
    """The person blocked the bot: remembered, so broadcasts skip them until they write again."""
    async with deps.unit() as session:
        await users.note_blocked(session, platform, platform_user_id, deps.clock())
