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

from sqlalchemy import delete, update
from sqlalchemy.sql.dml import Update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.ext import BasePersistence, PersistenceInput

from bot.db.engine import SessionFactory
from bot.db.models import ConversationState, UserData
from bot.platforms import Platform

# PTB's key of one conversation: (chat id, user id) here (per_chat and per_user).
ConversationKey = tuple[int | str, ...]


def dump_key(key: ConversationKey) -> str:
    """The key as stored: its JSON list. Ids (plain ints) are written directly, as json.dumps would:
    several keys are written per update, and json.dumps was half the CPU of reading their states."""
    if all(type(part) is int for part in key):
        return "[" + ", ".join(map(str, key)) + "]"
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
        # What the database holds, as stored (JSON), so that an update that changed nothing
        # writes nothing: PTB asks to store every user and conversation an update touched.
        # A name in _loaded (or the user data, once loaded) means its rows are all known here:
        # a key missing from the cache has no row.
        self._states: dict[tuple[str, str], str] = {}
        self._loaded: set[str] = set()
        self._user_data: dict[int, str] = {}
        self._user_data_loaded = False

    # --- conversations -----------------------------------------------------------------

    async def get_conversations(self, name: str) -> dict[ConversationKey, object]:
        if self.per_update:
            return {}
        async with self.sessions() as session:
            rows = await session.exec(  # plain columns: thousands of rows at start, no objects needed
                select(ConversationState.key, ConversationState.state).where(
                    ConversationState.platform == self.platform, ConversationState.name == name
                )
            )
            found = {}
            for key, state in rows:
                self._states[(name, key)] = state
                found[tuple(json.loads(key))] = load_state(state)
        self._loaded.add(name)
        return found

    async def update_conversation(self, name: str, key: ConversationKey, new_state: object | None) -> None:
        if self.per_update:
            return
        key_json = dump_key(key)
        state = None if new_state is None else dump_state(new_state)
        known = name in self._loaded or (name, key_json) in self._states
        stored = self._states.get((name, key_json))
        if known and state == stored:
            return
        where = (
            col(ConversationState.platform) == self.platform,
            col(ConversationState.name) == name,
            col(ConversationState.key) == key_json,
        )
        async with self.sessions() as session:
            if state is None:
                await session.exec(delete(ConversationState).where(*where))
            elif not await _updated(session, update(ConversationState).where(*where).values(state=state)):
                session.add(ConversationState(platform=self.platform, name=name, key=key_json, state=state))
            await session.commit()
        if state is None:
            self._states.pop((name, key_json), None)
        else:
            self._states[(name, key_json)] = state

    # --- user data ---------------------------------------------------------------------

    async def get_user_data(self) -> dict[int, dict[Any, Any]]:
        if self.per_update:
            return {}
        async with self.sessions() as session:
            rows = await session.exec(select(UserData.user_id, UserData.data).where(UserData.platform == self.platform))
            found = {}
            for user_id, data in rows:
                self._user_data[user_id] = data
                found[user_id] = load_user_data(data)
        self._user_data_loaded = True
        return found

    async def update_user_data(self, user_id: int, data: dict[Any, Any]) -> None:
        if self.per_update:
            return
        stored = self._user_data.get(user_id)
        value = dump_user_data(data) if data else None
        if (self._user_data_loaded or user_id in self._user_data) and value == stored:
            return
        where = (col(UserData.platform) == self.platform, col(UserData.user_id) == user_id)
        async with self.sessions() as session:
            if value is None:
                await session.exec(delete(UserData).where(*where))
            elif not await _updated(session, update(UserData).where(*where).values(data=value)):
                session.add(UserData(platform=self.platform, user_id=user_id, data=value))
            await session.commit()
        if value is None:
            self._user_data.pop(user_id, None)
        else:
            self._user_data[user_id] = value

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


async def _updated(session: AsyncSession, statement: Update) -> bool:
    """Run an UPDATE; True if it changed a row (else the caller inserts one)."""
    result = await session.exec(statement)
    return result.rowcount > 0
