"""Conversation state and user_data kept in the bot's own database.

A restart (or a crash after the flush that follows every update, see app.py) resumes every
conversation at the step it was in, with what the user had typed so far.

With `per_update=True` (what the bot runs with since the inbox, bot/instances/) PTB's own
load-at-start and write-behind are off: the inbox worker reads a user's rows before each of
their updates and writes them back with the update's inbox row (bot/instances/state.py),
because another instance may have moved the user on meanwhile. The row format is the same
either way (the helpers below).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import delete
from sqlmodel import col, select
from telegram.ext import BasePersistence, PersistenceInput

from bot.db.engine import SessionFactory
from bot.db.models import ConversationState, UserData
from bot.platforms import Platform

# PTB's key of one conversation: (chat id, user id) here (per_chat and per_user).
ConversationKey = tuple[int | str, ...]


def dump_key(key: ConversationKey) -> str:
    return json.dumps(list(key))


def dump_state(state: object) -> str:
    return json.dumps(state)


def load_state(raw: str) -> object:
    return json.loads(raw)


def dump_user_data(data: dict[Any, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


def load_user_data(raw: str) -> dict[Any, Any]:
    data: dict[Any, Any] = json.loads(raw)  # always written by dump_user_data
    return data


class DatabasePersistence(BasePersistence[dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    def __init__(self, sessions: SessionFactory, platform: Platform, *, per_update: bool = False) -> None:
        # Only per-user data and conversations matter here; bot_data holds live objects.
        super().__init__(
            store_data=PersistenceInput(bot_data=False, chat_data=False, user_data=True, callback_data=False),
            update_interval=60,
        )
        self.sessions = sessions
        self.platform = platform
        # Hook for the inbox (bot/instances/state.py): states are read and written per update there.
        self.per_update = per_update

    # --- conversations -----------------------------------------------------------------

    async def get_conversations(self, name: str) -> dict[ConversationKey, object]:
        if self.per_update:
            return {}
        async with self.sessions() as session:
            rows = await session.exec(
                select(ConversationState).where(
                    col(ConversationState.platform) == self.platform, col(ConversationState.name) == name
                )
            )
            return {tuple(json.loads(r.key)): load_state(r.state) for r in rows}

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        if self.per_update:
            return
        key_json = dump_key(key)
        async with self.sessions() as session:
            if new_state is None:
                await session.exec(
                    delete(ConversationState).where(
                        col(ConversationState.platform) == self.platform,
                        col(ConversationState.name) == name,
                        col(ConversationState.key) == key_json,
                    )
                )
            else:
                row = await session.get(ConversationState, (self.platform.value, name, key_json))
                if row is None:
                    row = ConversationState(platform=self.platform, name=name, key=key_json, state="")
                row.state = dump_state(new_state)
                session.add(row)
            await session.commit()

    # --- user data ---------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        if self.per_update:
            return {}
        async with self.sessions() as session:
            rows = await session.exec(select(UserData).where(UserData.platform == self.platform))
            return {r.user_id: load_user_data(r.data) for r in rows}

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        if self.per_update:
            return
        async with self.sessions() as session:
            row = await session.get(UserData, (self.platform.value, user_id))
            if not data:
                if row is not None:
                    await session.delete(row)
            else:
                if row is None:
                    row = UserData(platform=self.platform, user_id=user_id, data="")
                row.data = dump_user_data(data)
                session.add(row)
            await session.commit()

    async def drop_user_data(self, user_id: int) -> None:
        await self.update_user_data(user_id, {})

    async def refresh_user_data(self, user_id: int, user_data: dict[Any, Any]) -> None:
        pass

    # --- not stored ----------------------------------------------------------------------

    async def get_chat_data(self) -> dict[int, Any]:
        return {}

    async def update_chat_data(self, chat_id: int, data: dict[Any, Any]) -> None:
        pass

    async def drop_chat_data(self, chat_id: int) -> None:
        pass

    async def refresh_chat_data(self, chat_id: int, chat_data: dict[Any, Any]) -> None:
        pass

    async def get_bot_data(self) -> dict[Any, Any]:
        return {}

    async def update_bot_data(self, data: dict[Any, Any]) -> None:
        pass

    async def refresh_bot_data(self, bot_data: dict[Any, Any]) -> None:
        pass

    async def get_callback_data(self) -> None:
        return None

    async def update_callback_data(self, data: object) -> None:
        pass

    async def flush(self) -> None:
        pass
