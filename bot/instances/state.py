"""A user's conversation states and user_data, fresh from the database for each of their updates.

python-telegram-bot's ConversationHandler reads its states from persistence once, at
`initialize()`, and from then on trusts its own memory (PTB issues #4452, #5123, #5225). With
several instances that memory goes stale: the instance that took a user's last update moved
them on, this one still thinks they are a step behind. So, around each update (and only for
its user), the worker:

1. `read` (right after the claim, one statement for every user claimed together) fetches the
   user's rows, and `install`, just before the update, puts them into the handlers' memory
   (replacing whatever was there), remembering what it read;
2. lets PTB handle the update as usual;
3. `changes`: takes what changed out of memory, forgetting the user again (memory holds only
   users being handled right now); the worker writes it in the transaction that marks the
   inbox row done, or, when nothing changed (most steps), just marks the row done.

PTB's own persistence writes are switched off for this (bot/ptb/persistence.py, per_update).
docs/instances.md explains the choice.
"""

from __future__ import annotations

import json
from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.ext import ConversationHandler
# "a public class of this module" (its docstring): Application.update_persistence reads it too.
from telegram.ext._handlers.conversationhandler import PendingState

from bot.db.repo import user_state as repo
from bot.db.repo.inbox import private_key
from bot.ptb.context import Conversation, KanoonApp
from bot.ptb.persistence import ConversationKey, dump_key, dump_state, dump_user_data, load_state, load_user_data


@dataclass
class Loaded:
    """What `load` read for one update: the keys it touched and the JSON it found."""

    platform: str
    keys: dict[str, tuple[Any, ...]] = field(default_factory=dict)  # conversation name → key
    states: dict[str, str | None] = field(default_factory=dict)  # conversation name → state JSON
    user_id: int | None = None
    user_data: str | None = None


def _memory(handler: Conversation) -> MutableMapping[ConversationKey, object]:
    # After initialize() with persistence this is PTB's TrackingDict; writing through `.data`
    # does not mark the key for PTB's write-behind, which is not used here.
    conversations = handler._conversations  # noqa: SLF001 — PTB offers no public access
    return getattr(conversations, "data", conversations)


@dataclass
class Changes:
    """The rows one update changed: conversation states (None: ended) and user_data (None: empty)."""

    platform: str
    states: list[tuple[str, str, str | None]] = field(default_factory=list)  # (name, key JSON, state JSON)
    user_data: tuple[int, str | None] | None = None

    def __bool__(self) -> bool:
        return bool(self.states) or self.user_data is not None

    async def write(self, session: AsyncSession) -> None:
        """No commit: the caller's transaction also marks the inbox row done."""
        await write(session, [self])


async def write(session: AsyncSession, changes: Sequence[Changes]) -> None:
    """Several updates' changes in at most four statements (states kept and ended, user_data
    kept and emptied), whatever their number; no commit."""
    await repo.save_states(session, [(c.platform, name, key, state) for c in changes for name, key, state in c.states])
    await repo.save_user_data(session, [(c.platform, *c.user_data) for c in changes if c.user_data is not None])


class UserStates:
    """Loads and saves, per update, the state of the persistent conversations of one Application."""

    def __init__(self, application: KanoonApp, platform: str) -> None:
        self.application = application
        self.platform = platform
        self.conversations: dict[str, Conversation] = {
            handler.name: handler
            for handlers in application.handlers.values()
            for handler in handlers
            if isinstance(handler, ConversationHandler) and handler.persistent and handler.name
        }

    def _keys(self, update: Update) -> dict[str, tuple[Any, ...]]:
        if update.effective_chat is None or update.effective_user is None:
            return {}
        return {name: handler._get_key(update) for name, handler in self.conversations.items()}  # noqa: SLF001

    def wanted(self, update: Update) -> Loaded:
        """Which rows this update needs (its keys and user); `read` fills in what they hold."""
        user = update.effective_user
        return Loaded(self.platform, keys=self._keys(update), user_id=user.id if user is not None else None)

    async def load(self, session: AsyncSession, update: Update) -> Loaded:
        """Read the user's rows (one statement) and put them into the handlers' memory."""
        loaded = self.wanted(update)
        await read(session, [(self, loaded)])
        self.install(loaded)
        return loaded

    def install(self, loaded: Loaded) -> None:
        """Put what was read into the handlers' memory, replacing whatever was there."""
        for name, key in loaded.keys.items():
            raw = loaded.states.get(name)
            memory = _memory(self.conversations[name])
            if raw is None:
                memory.pop(key, None)
            else:
                memory[key] = load_state(raw)
        if loaded.user_id is not None:
            user_data = self.application._user_data  # noqa: SLF001 — the dict behind context.user_data
            user_data[loaded.user_id] = load_user_data(loaded.user_data) if loaded.user_data else {}

    def changes(self, loaded: Loaded) -> Changes:
        """What the update changed, taken out of the handlers' memory (the user is forgotten)."""
        changes = Changes(self.platform)
        for name, key in loaded.keys.items():
            memory = _memory(self.conversations[name])
            state = memory.pop(key, None)
            if isinstance(state, PendingState):  # a block=False step still running
                state = state.resolve() if state.done() else state.old_state
            now = None if state is None or state == ConversationHandler.END else dump_state(state)
            if now != loaded.states.get(name):
                changes.states.append((name, dump_key(key), now))
        if loaded.user_id is not None:
            data = self.application._user_data.pop(loaded.user_id, None)  # noqa: SLF001
            # PTB queued the user for its own write-behind; nothing is left for it to write.
            self.application._user_ids_to_be_updated_in_persistence.discard(loaded.user_id)  # noqa: SLF001
            now = dump_user_data(data) if data else None
            if now != loaded.user_data:
                changes.user_data = (loaded.user_id, now)
        return changes

    async def save(self, session: AsyncSession, loaded: Loaded) -> None:
        """Write what the update changed (no commit), then forget the user."""
        await self.changes(loaded).write(session)

    def forget(self, loaded: Loaded) -> None:
        """Drop the user from memory without writing (the update's work was not committed)."""
        for name, key in loaded.keys.items():
            _memory(self.conversations[name]).pop(key, None)
        if loaded.user_id is not None:
            self.application._user_data.pop(loaded.user_id, None)  # noqa: SLF001
            self.application._user_ids_to_be_updated_in_persistence.discard(loaded.user_id)  # noqa: SLF001


async def read(session: AsyncSession, wanted: Sequence[tuple[UserStates, Loaded]]) -> None:
    """Fill in the rows of several updates' users in one statement (the inbox reads those of
    every row it claimed at once: a claimed row's user has nothing else in hand anywhere, so
    what is read right after the claim is what their update starts from)."""
    names: set[str] = set()
    keys: set[tuple[str, str]] = set()
    users: set[tuple[str, int]] = set()
    for states, loaded in wanted:
        names.update(states.conversations)
        keys.update((loaded.platform, dump_key(key)) for key in loaded.keys.values())
        if loaded.user_id is not None:
            users.add((loaded.platform, loaded.user_id))
    found_states, found_data = await repo.states_of_users(session, names, keys, users)
    for _, loaded in wanted:
        for name, key in loaded.keys.items():
            loaded.states[name] = found_states.get((loaded.platform, name, dump_key(key)))
        if loaded.user_id is not None:
            loaded.user_data = found_data.get((loaded.platform, loaded.user_id))


def from_look(loaded: Loaded, user_key: int | None, states: dict[str, str], user_data: str | None) -> bool:
    """Fill in `loaded` from what the inbox's look read with the claim (bot/db/repo/inbox.py
    `look`: the rows under the conversation key of the user's private chat, [user, user], and the
    user_data of the row's order key) if those are the rows this update needs; False (nothing
    filled in) if not — a group chat, say: then `read` them."""
    if user_key is None or loaded.user_id not in (None, user_key):
        return False
    private = private_key(user_key)
    if any(dump_key(key) != private for key in loaded.keys.values()):
        return False
    for name in loaded.keys:
        loaded.states[name] = states.get(name)
    if loaded.user_id is not None:
        loaded.user_data = user_data
    return True


def user_key(payload: dict[str, Any]) -> int | None:
    """The id whose updates must stay in order: the sender, else the chat (from raw JSON)."""
    for kind, body in payload.items():
        if kind == "update_id" or not isinstance(body, dict):
            continue
        sender = body.get("from")
        if isinstance(sender, dict) and isinstance(sender.get("id"), int):
            return int(sender["id"])
        chat = body.get("chat")
        if isinstance(chat, dict) and isinstance(chat.get("id"), int):
            return int(chat["id"])
    return None


def as_json(payload: dict[str, Any]) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
