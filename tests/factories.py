"""Rows for tests that need a center or members without playing the whole registration."""

from __future__ import annotations

import itertools

from bot.db.engine import SessionFactory
from bot.db.models import Center, Membership, User
from bot.services import center_codes
from bot.persian.text import name_search_key, search_key, utcnow

_ids = itertools.count(700_000)


async def make_user(
    sessions: SessionFactory, platform: str = "telegram", platform_user_id: int | None = None,
    first_name: str = "کاربر", full_name: str | None = None, mobile: str | None = None,
) -> User:
    user = User(
        platform=platform, platform_user_id=platform_user_id or next(_ids), first_name=first_name,
        full_name=full_name, mobile=mobile,
    )
    async with sessions() as session:
        session.add(user)
        await session.commit()
    return user


async def make_active_center(
    sessions: SessionFactory, leader: User, assistant: User, name: str = "کانون صاحب‌الزمان",
    kind: str = "mosque", area: str | None = "بوشهر، روستای نظرآقا",
) -> Center:
    center = Center(
        code=center_codes.new_code(), name=name, name_key=search_key(name), search_key=name_search_key(name),
        kind=kind, area=area, area_key=search_key(area) if area else None, status="active", leader_id=leader.id,
        assistant_id=assistant.id, activated_at=utcnow(),
    )
    async with sessions() as session:
        session.add(center)
        await session.commit()
    return center


async def add_member(sessions: SessionFactory, center: Center, user: User, status: str = "active") -> Membership:
    membership = Membership(center_id=center.id, user_id=user.id, status=status, decided_at=utcnow())
    async with sessions() as session:
        session.add(membership)
        await session.commit()
    return membership
