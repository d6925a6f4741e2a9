"""FakeUser: plays one user in a private chat with the bot.

Sending pushes an update that the bot's getUpdates receives; waiting for the
bot's answers is event-driven (woken by the server on every change) and fails
with an AssertionError showing everything the chat received.

Reading model: the user has "seen" a message once next_message/expect/wait_edit
returned it (or a later one, for expect).  A message is *news* when it is unseen,
or when it has been edited since the user saw it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

from .rules import bot_command_entity

if TYPE_CHECKING:
    from .server import BotMessage, FakeBotApi

JSON = dict[str, Any]
DEFAULT_TIMEOUT = 5.0


class FakeUser:
    def __init__(
        self,
        api: FakeBotApi,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        *,
        phone: str | None = None,
        language_code: str | None = "fa",
        started: bool = False,
    ) -> None:
        self.api = api
        self.id = user_id
        self.first_name = first_name
        self.last_name = last_name
        self.username = username
        self.phone = phone or f"+98912{user_id % 10**7:07d}"
        self.language_code = language_code
        self.started = started  # the bot may message a user only after they have written to it
        self._seen: dict[int, int] = {}  # message_id -> number of edits it had when seen

    def __repr__(self) -> str:
        return f"FakeUser({self.id}, {self.first_name!r})"

    @property
    def user_id(self) -> int:
        return self.id

    @property
    def chat_id(self) -> int:
        return self.id  # private chats have the user's id

    def to_json(self) -> JSON:
        """The Bot API User object."""
        user: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            user["last_name"] = self.last_name
        if self.username:
            user["username"] = self.username
        if self.language_code:
            user["language_code"] = self.language_code
        return user

    def chat_json(self) -> JSON:
        """The Bot API Chat object of the private chat with this user."""
        chat: JSON = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.last_name:
            chat["last_name"] = self.last_name
        if self.username:
            chat["username"] = self.username
        return chat

    # ---------------------------------------------------------------- sending

    def _send_message(self, **content: Any) -> JSON:
        self.started = True
        message: JSON = {
            "message_id": self.api._next_message_id(self.id),
            "from": self.to_json(),
            "chat": self.chat_json(),
            "date": int(time.time()),
            **content,
        }
        self.api._record_user_message(self.id, message)
        self.api._push_update("message", message)
        return message

    async def send(self, text: str) -> JSON:
        """Sends a text message; "/start c_ABC" arrives as the command /start with args."""
        content: JSON = {"text": text}
        entity = bot_command_entity(text)
        if entity is not None:
            content["entities"] = [entity]
        return self._send_message(**content)

    async def send_contact(
        self,
        phone: str | None = None,
        contact_user_id: int | None | Literal["self"] = "self",
        first_name: str | None = None,
    ) -> JSON:
        """Shares a contact: by default the user's own; pass another id (or None) for someone else's."""
        contact: JSON = {
            "phone_number": phone or self.phone,
            "first_name": first_name or self.first_name,
        }
        user_id = self.id if contact_user_id == "self" else contact_user_id
        if user_id is not None:
            contact["user_id"] = user_id
        return self._send_message(contact=contact)

    async def send_photo(self, caption: str | None = None) -> JSON:
        sizes = [(90, 67), (320, 240), (1280, 960)]
        photo = [
            {"file_id": f"AgAC{self.id}_{w}", "file_unique_id": f"AQAD{w}", "width": w, "height": h}
            for w, h in sizes
        ]
        return self._send_message(photo=photo, **({"caption": caption} if caption else {}))

    async def send_sticker(self, emoji: str = "😀") -> JSON:
        sticker = {
            "file_id": f"CAAC{self.id}", "file_unique_id": "AgAD1", "type": "regular", "width": 512,
            "height": 512, "is_animated": False, "is_video": False, "emoji": emoji,
        }
        return self._send_message(sticker=sticker)

    async def send_location(self, latitude: float = 35.6892, longitude: float = 51.3890) -> JSON:
        return self._send_message(location={"latitude": latitude, "longitude": longitude})

    async def tap(self, message: BotMessage, text: str | None = None, *, data: str | None = None) -> str:
        """Presses the inline button with that text (or callback_data); returns the callback query id."""
        if (text is None) == (data is None):
            raise ValueError("name the button by its text or by data=, not both")
        if message.chat_id != self.id:
            raise AssertionError(f"{self!r} cannot tap a button of a message in chat {message.chat_id}")
        if message.deleted:
            raise AssertionError(f"message #{message.message_id} was deleted; its buttons are gone")
        for row in message.inline_keyboard:
            for button in row:
                if (button["text"] == text) if text is not None else (button.get("callback_data") == data):
                    if not button.get("callback_data"):
                        raise AssertionError(f"button {button['text']!r} has no callback_data: {button}")
                    self.started = True
                    return self.api._push_callback_query(self, message, button["callback_data"])
        wanted = repr(text) if text is not None else f"data={data!r}"
        raise AssertionError(f"message #{message.message_id} has no button {wanted}; it has {message.buttons}")

    async def forge_tap(self, message: BotMessage, data: str) -> str:
        """Sends a callback query with any data on any of the bot's messages (also others' messages):
        an old button from a previous version, or a tap a client should never produce."""
        self.started = True
        return self.api._push_callback_query(self, message, data)

    def _reply_keyboard(self) -> list[JSON]:
        """The buttons of the reply keyboard now shown in the chat (the last one sent and not removed)."""
        for message in reversed(self.messages):
            markup = message.reply_markup or {}
            if "keyboard" in markup:
                return [b if isinstance(b, dict) else {"text": b} for row in markup["keyboard"] for b in row]
            if markup.get("remove_keyboard"):
                return []
        return []

    async def tap_keyboard(self, text: str) -> JSON:
        """Presses a reply-keyboard button: sends its text, or the user's contact for request_contact."""
        keyboard = self._reply_keyboard()
        for button in keyboard:
            if button["text"] == text:
                if button.get("request_contact"):
                    return await self.send_contact()
                return await self.send(text)
        raise AssertionError(
            f"no reply-keyboard button {text!r} is shown; the keyboard has {[b['text'] for b in keyboard]}"
        )

    # ---------------------------------------------------------------- reading

    @property
    def messages(self) -> list[BotMessage]:
        """Every message the bot sent to this chat (current state, deleted ones included)."""
        return self.api.messages(self.id)

    @property
    def last_message(self) -> BotMessage | None:
        messages = self.messages
        return messages[-1] if messages else None

    def _see(self, message: BotMessage) -> BotMessage:
        self._seen[message.message_id] = len(message.edits)
        return message

    def _is_news(self, message: BotMessage) -> bool:
        seen = self._seen.get(message.message_id)
        return seen is None or len(message.edits) > seen

    async def _wait(self, find: Callable[[], BotMessage | None], timeout: float, failure: str) -> BotMessage:
        found: list[BotMessage] = []

        def check() -> bool:
            message = find()
            if message is not None:
                found.append(message)
            return message is not None

        if not await self.api._signal.wait_until(check, timeout):
            who = f"{self.first_name} ({self.id})"
            raise AssertionError(f"{who} {failure} within {timeout}s.\n{self.api.describe_chat(self.id)}")
        return found[-1]

    async def next_message(self, timeout: float = DEFAULT_TIMEOUT) -> BotMessage:
        """The next message from the bot this user has not seen yet."""
        message = await self._wait(
            lambda: next((m for m in self.messages if m.message_id not in self._seen), None),
            timeout,
            "got no new message from the bot",
        )
        return self._see(message)

    async def expect(self, contains: str, timeout: float = DEFAULT_TIMEOUT) -> BotMessage:
        """Waits for a new or newly edited message whose text contains ``contains``.

        Like scrolling down to it, this also marks the unseen messages before it as seen.
        """
        message = await self._wait(
            lambda: next((m for m in self.messages if self._is_news(m) and contains in m.text), None),
            timeout,
            f"got no new or edited message containing {contains!r}",
        )
        for earlier in self.messages:
            if earlier.message_id < message.message_id and earlier.message_id not in self._seen:
                self._see(earlier)
        return self._see(message)

    async def wait_edit(self, message: BotMessage, timeout: float = DEFAULT_TIMEOUT) -> BotMessage:
        """Waits until ``message`` has been edited since this user last saw it."""
        seen = self._seen.get(message.message_id, 0)
        edited = await self._wait(
            lambda: message if len(message.edits) > seen else None,
            timeout,
            f"saw no edit of message #{message.message_id}",
        )
        return self._see(edited)

    async def callback_answer(self, query_id: str, timeout: float = DEFAULT_TIMEOUT) -> str | None:
        """Waits for the bot's answerCallbackQuery to that query; returns its text (None if it had none)."""
        answers = self.api.callback_answers
        if not await self.api._signal.wait_until(lambda: query_id in answers, timeout):
            raise AssertionError(
                f"the bot did not answer callback query {query_id} within {timeout}s.\n"
                + self.api.describe_chat(self.id)
            )
        text: str | None = answers[query_id]["text"]
        return text
