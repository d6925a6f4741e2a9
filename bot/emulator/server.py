"""A fake Bot API server on 127.0.0.1 that a real python-telegram-bot Application talks to.

It answers the methods the bot uses with real Bot API JSON, keeps the state a
chat would have (messages, edits, deletions, callback queries, pending updates)
and enforces the rules in :mod:`bot.emulator.rules`.  Tests play users through
:class:`~bot.emulator.users.FakeUser`, obtained from :meth:`FakeBotApi.user`.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import math
import re
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from aiohttp import web

from . import rules
from .rules import ApiError, bad_request
from .users import FakeUser
from .webhook import WebhookPush

Flavour = Literal["telegram", "bale"]
JSON = dict[str, Any]

# Bale's Bot API (tapi.bale.ai, docs.bale.ai) mirrors Telegram's but does not have
# these.  Balethon, a client written against Bale's documentation, has no call for
# any of them.  No source shows Bale's exact answer to a method it lacks (one
# third-party bot says Bale answers 501 "Not Implemented" to setMyName), so the
# fake answers as Telegram does for an unknown method; see BALE_REFUSAL.
BALE_UNSUPPORTED_METHODS = frozenset({"setMyCommands", "deleteMyCommands", "getMyCommands", "setChatMenuButton"})
BALE_REFUSAL = (404, "Not Found: method not found")

# Update types getUpdates leaves out unless allowed_updates names them.
_NOT_DELIVERED_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    {
        "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
        "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
    }
)
_TOKEN_RE = re.compile(r"(\d+):[A-Za-z0-9_-]+")

# Form and multipart bodies carry every value as a string (PTB sends all of its
# calls this way); these say how to read back the non-string ones.
_JSON_PARAMS = frozenset(
    {
        "reply_markup", "entities", "caption_entities", "allowed_updates", "commands", "scope",
        "menu_button", "link_preview_options", "reply_parameters",
    }
)
_INT_PARAMS = frozenset(
    {"chat_id", "message_id", "offset", "limit", "timeout", "cache_time", "user_id", "reply_to_message_id"}
)
_BOOL_PARAMS = frozenset(
    {"show_alert", "drop_pending_updates", "disable_notification", "protect_content", "disable_web_page_preview"}
)


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str | None
    content: bytes
    mime_type: str | None

    def __repr__(self) -> str:
        return f"Upload({self.filename!r}, {len(self.content)} bytes, {self.mime_type!r})"


@dataclass
class SentDocument:
    file_id: str
    filename: str | None
    content: bytes | None  # None when the bot sent a file_id or URL instead of a file
    mime_type: str | None


@dataclass
class BotMessage:
    """A message the bot sent, in its current state (edits applied)."""

    message_id: int
    chat_id: int
    text: str  # the text or caption as the user sees it: HTML tags and escapes removed
    date: int
    source: str = ""  # the text exactly as the bot sent it
    parse_mode: str | None = None
    entities: list[JSON] = field(default_factory=list)
    reply_markup: JSON | None = None  # as sent: inline keyboard, reply keyboard, removal...
    document: SentDocument | None = None
    photo: SentDocument | None = None
    edits: list[str] = field(default_factory=list)  # the text before each edit, oldest first
    deleted: bool = False
    edit_date: int | None = None

    @property
    def caption(self) -> str:
        return self.text

    @property
    def inline_keyboard(self) -> list[list[JSON]]:
        return (self.reply_markup or {}).get("inline_keyboard") or []

    @property
    def buttons(self) -> list[tuple[str, str | None]]:
        """Inline buttons, row by row, as (text, callback_data or url)."""
        return [
            (button["text"], button.get("callback_data") or button.get("url"))
            for row in self.inline_keyboard
            for button in row
        ]

    @property
    def keyboard_buttons(self) -> list[str]:
        """The texts of a reply keyboard's buttons, row by row."""
        rows = (self.reply_markup or {}).get("keyboard") or []
        return [button if isinstance(button, str) else button["text"] for row in rows for button in row]

    def has_button(self, text: str) -> bool:
        return any(t == text for t, _ in self.buttons) or text in self.keyboard_buttons

    def describe(self) -> str:
        parts = [f"#{self.message_id}"]
        if self.deleted:
            parts.append("(deleted)")
        if self.document is not None:
            parts.append(f"[document {self.document.filename!r}]")
        parts.append(repr(self.text))
        if self.buttons:
            parts.append("buttons: " + ", ".join(f"{t!r}→{v!r}" for t, v in self.buttons))
        if self.keyboard_buttons:
            parts.append("keyboard: " + ", ".join(map(repr, self.keyboard_buttons)))
        if self.edits:
            parts.append(f"({len(self.edits)} edit(s); before: {self.edits!r})")
        return " ".join(parts)


@dataclass
class _Injected:
    method: str
    error: ApiError
    remaining: int
    chat_id: int | None


class _Signal:
    """Wakes every waiter whenever the server's state changes; waiting never polls."""

    def __init__(self) -> None:
        self._event = asyncio.Event()
        self.version = 0  # counts changes, for watchers such as the playground's page
        self.listeners: list[Callable[[], None]] = []

    def notify(self) -> None:
        self.version += 1
        self._event.set()
        self._event = asyncio.Event()
        for listener in self.listeners:
            listener()

    async def wait_until(self, predicate: Callable[[], bool], timeout: float) -> bool:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0:
                return False
            event = self._event
            try:
                await asyncio.wait_for(event.wait(), remaining)
            except TimeoutError:
                pass
        return True


def _coerce(name: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if name in _JSON_PARAMS:
        try:
            return json.loads(value)
        except ValueError:
            raise bad_request(f"can't parse {name} JSON object") from None
    if name in _INT_PARAMS and re.fullmatch(r"-?\d+", value):
        return int(value)
    if name in _BOOL_PARAMS:
        return value.lower() in ("true", "1")
    return value


class FakeBotApi:
    """The fake server and everything a chat with the bot holds."""

    def __init__(
        self,
        flavour: Flavour = "telegram",
        bot_username: str = "kanoon_bot",
        rate_limit_per_second: int | None = None,
        *,
        bot_first_name: str = "Kanoon",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if flavour not in ("telegram", "bale"):
            raise ValueError(f"unknown flavour {flavour!r}")
        self.flavour: Flavour = flavour
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.rate_limit_per_second = rate_limit_per_second
        self.clock = clock  # read by the rate limit only

        self.calls: list[tuple[str, JSON]] = []  # every call, failed ones too
        self.errors: list[tuple[str, JSON, ApiError]] = []  # the calls that failed
        self.callback_answers: dict[str, JSON] = {}
        self.chat_actions: list[tuple[int, str]] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}  # (scope JSON, language) -> commands
        self.menu_buttons: dict[int | None, JSON] = {}
        self.dropped_updates: list[JSON] = []  # left out by allowed_updates or drop_pending_updates

        self._users: dict[int, FakeUser] = {}
        self._blocked: set[int] = set()
        self._messages: dict[int, list[BotMessage]] = {}
        self._user_messages: dict[int, list[JSON]] = {}  # what each user sent, in order
        self._user_message_ids: dict[int, set[int]] = {}  # of those, the ones not deleted
        self._chat_errors: dict[int, list[tuple[int, str, ApiError]]] = {}  # (after message id, method, error)
        self._last_message_id: dict[int, int] = {}
        self._updates: list[JSON] = []  # pushed and not yet confirmed by an offset
        self._fetched: set[int] = set()  # ids of pending updates some getUpdates returned
        self._update_ids = itertools.count(10_000)
        self._callback_queries: dict[str, JSON] = {}
        self._query_ids = itertools.count(4_000_000_000_000_000_001)
        self._file_ids = itertools.count(1)
        self._known_files: set[str] = set()  # file_ids this bot may send again: users' and its own uploads
        self._allowed_updates: list[str] | None = None
        self._poll_generation = 0
        self._injected: list[_Injected] = []
        self._send_times: deque[float] = deque()
        self._bot_id = 0
        self._signal = _Signal()
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._port = 0
        self._methods: dict[str, Callable[[JSON], Awaitable[Any]]] = {
            "getMe": self._get_me,
            "getUpdates": self._get_updates,
            "deleteWebhook": self._delete_webhook,
            "setWebhook": self._set_webhook,
            "getWebhookInfo": self._get_webhook_info,
            "sendMessage": self._send_message,
            "editMessageText": self._edit_message_text,
            "editMessageReplyMarkup": self._edit_message_reply_markup,
            "deleteMessage": self._delete_message,
            "answerCallbackQuery": self._answer_callback_query,
            "sendDocument": self._send_document,
            "sendPhoto": self._send_photo,
            "sendChatAction": self._send_chat_action,
            "getChat": self._get_chat,
            "setMyCommands": self._set_my_commands,
            "deleteMyCommands": self._delete_my_commands,
            "getMyCommands": self._get_my_commands,
            "setChatMenuButton": self._set_chat_menu_button,
            "close": self._true,
            "logOut": self._true,
        }
        self.webhook = WebhookPush(self)  # setWebhook: updates are POSTed (webhook.py)
        # "All methods in the Bot API are case-insensitive."
        self._method_names = {name.lower(): name for name in self._methods}

    # ---------------------------------------------------------------- lifecycle

    async def start(self) -> None:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("*", "/file/bot{token}/{path:.*}", self._file_not_found)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self._port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        self._closing = True  # lets pending long polls answer at once
        self._signal.notify()
        await self.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeBotApi:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For ``Bot(token, base_url=...)``: PTB appends the token."""
        return f"http://127.0.0.1:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self._port}/file/bot"

    # ---------------------------------------------------------------- test-side API

    def user(
        self,
        user_id: int,
        first_name: str,
        last_name: str | None = None,
        username: str | None = None,
        *,
        phone: str | None = None,
        language_code: str | None = "fa",
        started: bool = False,
    ) -> FakeUser:
        """Registers a user (or returns the one already registered under that id).

        Until the user has sent the bot something (or ``started=True``), the bot
        cannot message them, as on Telegram.
        """
        if user_id not in self._users:
            self._users[user_id] = FakeUser(
                self, user_id, first_name, last_name, username,
                phone=phone, language_code=language_code, started=started,
            )
            self._messages[user_id] = []
            self._user_messages[user_id] = []
            self._user_message_ids[user_id] = set()
        return self._users[user_id]

    def block(self, user_id: int) -> None:
        self._blocked.add(user_id)

    def unblock(self, user_id: int) -> None:
        self._blocked.discard(user_id)

    def fail_next(
        self,
        method: str,
        status: int = 500,
        description: str | None = None,
        retry_after: float | None = None,
        count: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Makes the next ``count`` calls of ``method`` (to ``chat_id``, if given) fail.

        Injected failures come before every other check and are used up in order.
        """
        if description is None:
            description = {
                400: "Bad Request",
                403: "Forbidden: bot was blocked by the user",
                429: f"Too Many Requests: retry after {retry_after or 1}",
                500: "Internal Server Error",
                502: "Bad Gateway",
            }.get(status, "Error")
        if status == 429 and retry_after is None:
            retry_after = 1
        name = self._method_names.get(method.lower(), method)
        self._injected.append(_Injected(name, ApiError(status, description, retry_after), count, chat_id))

    def messages(self, chat_id: int) -> list[BotMessage]:
        """Every message the bot sent to that chat, in order, deleted ones included."""
        return list(self._messages.get(chat_id, []))

    def user_messages(self, chat_id: int) -> list[JSON]:
        """Every message the user sent in that chat (Bot API Message JSON), in order."""
        return list(self._user_messages.get(chat_id, []))

    def user_message_deleted(self, chat_id: int, message_id: int) -> bool:
        return message_id not in self._user_message_ids.get(chat_id, set())

    def chat_errors(self, chat_id: int) -> list[tuple[int, str, ApiError]]:
        """Refused calls aimed at that chat: (id of the chat's last message then, method, error)."""
        return list(self._chat_errors.get(chat_id, []))

    def callback_queries(self, user_id: int) -> list[tuple[str, str, JSON | None]]:
        """(query id, data, the bot's answer or None) of that user's button presses, in order."""
        return [
            (query_id, str(query.get("data")), self.callback_answers.get(query_id))
            for query_id, query in self._callback_queries.items() if query["from"]["id"] == user_id
        ]

    def sent_file(self, file_id: str) -> SentDocument | None:
        """A document or photo the bot uploaded, by the file_id the API gave it."""
        for message in self.all_messages():
            for sent in (message.document, message.photo):
                if sent is not None and sent.file_id == file_id:
                    return sent
        return None

    @property
    def version(self) -> int:
        """Grows at every change of state (a call, a message, an update)."""
        return self._signal.version

    def add_listener(self, listener: Callable[[], None]) -> None:
        """Calls ``listener()`` (synchronously, on the event loop) at every change of state."""
        self._signal.listeners.append(listener)

    def calls_to(self, method: str) -> list[JSON]:
        return [params for name, params in self.calls if name == method]

    async def wait_for_call(self, method: str, count: int = 1, timeout: float = 5.0) -> JSON:
        """Waits until ``method`` has been called ``count`` times; returns that call's params."""
        if not await self._signal.wait_until(lambda: len(self.calls_to(method)) >= count, timeout):
            made = [name for name, _ in self.calls]
            raise AssertionError(f"{method} was not called {count} time(s) within {timeout}s; calls: {made}")
        return self.calls_to(method)[count - 1]

    def all_messages(self) -> list[BotMessage]:
        """Every message the bot sent, in every chat."""
        return [message for messages in self._messages.values() for message in messages]

    def unanswered_callbacks(self) -> list[str]:
        """Ids of the callback queries the bot never answered (the user's client would spin)."""
        return [qid for qid in self._callback_queries if qid not in self.callback_answers]

    def assert_callbacks_answered(self) -> None:
        missing = self.unanswered_callbacks()
        if missing:
            details = [f"{qid} (data={self._callback_queries[qid].get('data')!r})" for qid in missing]
            raise AssertionError("callback queries never answered: " + ", ".join(details))

    @property
    def pending_updates_count(self) -> int:
        return len(self._updates)

    async def wait_delivered(self, timeout: float = 5.0) -> None:
        """Waits until the bot has confirmed (by a later getUpdates offset) every pushed update."""
        if not await self._signal.wait_until(lambda: not self._updates, timeout):
            pending = [
                f"{u['update_id']} ({self._update_type(u)}{', fetched' if u['update_id'] in self._fetched else ''})"
                for u in self._updates
            ]
            raise AssertionError(
                f"the bot did not take {len(pending)} update(s) within {timeout}s: {', '.join(pending)}; "
                f"is it polling? getUpdates calls so far: {len(self.calls_to('getUpdates'))}"
            )

    def describe_chat(self, chat_id: int) -> str:
        """A readable account of the chat, for failure messages."""
        lines = [f"chat {chat_id} received {len(self._messages.get(chat_id, []))} message(s) from the bot:"]
        lines += [f"  {m.describe()}" for m in self._messages.get(chat_id, [])] or ["  (none)"]
        failed = [(m, e) for m, p, e in self.errors if p.get("chat_id") == chat_id]
        if failed:
            lines.append("failed calls for this chat:")
            lines += [f"  {m}: {e.code} {e.description}" for m, e in failed[-10:]]
        return "\n".join(lines)

    # ---------------------------------------------------------------- used by FakeUser

    def _next_message_id(self, chat_id: int) -> int:
        """Users' and the bot's messages share one counter per chat, as on Telegram."""
        self._last_message_id[chat_id] = self._last_message_id.get(chat_id, 0) + 1
        return self._last_message_id[chat_id]

    def _record_user_message(self, chat_id: int, message: JSON) -> None:
        self._user_messages[chat_id].append(message)
        self._user_message_ids[chat_id].add(message["message_id"])
        for kind in ("photo", "document", "sticker", "voice", "video", "audio"):
            files = message.get(kind)
            for file in files if isinstance(files, list) else [files] if isinstance(files, dict) else []:
                self._known_files.add(str(file.get("file_id")))

    def _sent_by_reference(self, reference: str) -> SentDocument:
        """A file sent as a file_id or URL. "file_id is unique for each individual bot": one this
        bot never received or uploaded (another bot's, another platform's) is refused, as by the API."""
        if not reference.startswith(("http://", "https://")) and reference not in self._known_files:
            raise bad_request("wrong file identifier/HTTP URL specified")
        return SentDocument(reference, None, None, None)

    def _record_error(self, method: str, params: JSON, error: ApiError) -> None:
        self.errors.append((method, params, error))
        chat_id = params.get("chat_id")
        if isinstance(chat_id, int) and chat_id in self._users:
            self._chat_errors.setdefault(chat_id, []).append((self._last_message_id.get(chat_id, 0), method, error))

    def _push_update(self, kind: str, payload: JSON) -> JSON:
        update = {"update_id": next(self._update_ids), kind: payload}
        self._updates.append(update)
        self._signal.notify()
        return update

    def _push_callback_query(self, user: FakeUser, message: BotMessage, data: str) -> str:
        query_id = str(next(self._query_ids))
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": self._message_json(message),
            "chat_instance": str(abs(hash((user.id, self._bot_id)))),
            "data": data,
        }
        self._callback_queries[query_id] = query
        self._push_update("callback_query", query)
        return query_id

    def _bot_user(self) -> JSON:
        return {
            "id": self._bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    # ---------------------------------------------------------------- HTTP

    async def _file_not_found(self, request: web.Request) -> web.Response:
        return web.json_response({"ok": False, "error_code": 404, "description": "Not Found"}, status=404)

    async def _read_params(self, request: web.Request) -> JSON:
        params: JSON = dict(request.query)
        if request.body_exists:
            if request.content_type == "application/json":
                try:
                    body = await request.json()
                except ValueError:
                    raise bad_request("can't parse JSON object") from None
                if not isinstance(body, dict):
                    raise bad_request("JSON object expected")
                params.update(body)
            else:  # application/x-www-form-urlencoded or multipart/form-data
                for name, value in (await request.post()).items():
                    if isinstance(value, web.FileField):
                        params[name] = Upload(value.filename, value.file.read(), value.content_type)
                    else:
                        params[name] = value
        return {name: _coerce(name, value) for name, value in params.items()}

    async def _handle(self, request: web.Request) -> web.Response:
        token, method = request.match_info["token"], request.match_info["method"]
        method = self._method_names.get(method.lower(), method)
        try:
            params = await self._read_params(request)
        except ApiError as error:
            self.calls.append((method, {}))
            self.errors.append((method, {}, error))
            return web.json_response(error.to_json(), status=error.code)
        self.calls.append((method, params))
        self._signal.notify()  # wakes wait_for_call, even while this call is a pending long poll
        try:
            match = _TOKEN_RE.fullmatch(token)
            if match is None:  # what api.telegram.org answers to a malformed token
                raise ApiError(404, "Not Found")
            self._bot_id = int(match.group(1))  # a bot's id is its token's first part
            result = await self._dispatch(method, params)
        except ApiError as error:
            self._record_error(method, params, error)
            self._signal.notify()
            return web.json_response(error.to_json(), status=error.code)
        self._signal.notify()
        return web.json_response({"ok": True, "result": result})

    async def _dispatch(self, method: str, params: JSON) -> Any:
        for injected in self._injected:
            if injected.method == method and injected.chat_id in (None, params.get("chat_id")):
                injected.remaining -= 1
                if injected.remaining <= 0:
                    self._injected.remove(injected)
                raise injected.error
        if self.flavour == "bale" and method in BALE_UNSUPPORTED_METHODS:
            raise ApiError(*BALE_REFUSAL)
        handler = self._methods.get(method)
        if handler is None:
            raise ApiError(404, "Not Found: method not found")
        return await handler(params)

    # ---------------------------------------------------------------- helpers

    def _chat(self, params: JSON, *, sending: bool = True) -> FakeUser:
        """The private chat ``chat_id`` names; refuses blocked users (and, for sends, unstarted ones)."""
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        user = self._users.get(chat_id) if isinstance(chat_id, int) else None
        if user is None:
            raise bad_request("chat not found")
        if sending and user.id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if sending and not user.started:
            raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
        return user

    def _take_send_slot(self) -> None:
        """The rate limit's sliding one-second window, for sendMessage, sendDocument and the edits.

        Called just before a send is committed, so refused calls do not use it up.
        """
        if self.rate_limit_per_second is None:
            return
        now = self.clock()
        while self._send_times and now - self._send_times[0] >= 1.0:
            self._send_times.popleft()
        if len(self._send_times) >= self.rate_limit_per_second:
            retry_after = max(1, math.ceil(self._send_times[0] + 1.0 - now))
            raise ApiError(429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after)
        self._send_times.append(now)

    def _parse(self, text: Any, parse_mode: str | None, entities: Any, *, caption: bool) -> tuple[str, list[JSON]]:
        # Bale has no parse_mode: it shows the text as sent (its clients render a
        # Markdown subset), so HTML tags stay visible there.
        parse = self.flavour == "telegram"
        if caption:
            plain, parsed = rules.check_caption(text, parse_mode, parse=parse)
        else:
            plain, parsed = rules.check_message_text(text, parse_mode, parse=parse)
        if not parse_mode and isinstance(entities, list):
            parsed = entities
        return plain, parsed

    def _find_message(self, params: JSON, missing: str) -> BotMessage:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        user = self._chat(params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int):
            raise bad_request("message identifier is not specified")
        if message_id in self._user_message_ids[user.id]:
            raise bad_request("message can't be edited")
        for message in self._messages[user.id]:
            if message.message_id == message_id and not message.deleted:
                return message
        raise bad_request(missing)

    def _message_json(self, message: BotMessage) -> JSON:
        user = self._users[message.chat_id]
        result: JSON = {
            "message_id": message.message_id,
            "from": self._bot_user(),
            "chat": user.chat_json(),
            "date": message.date,
        }
        media = message.document is not None or message.photo is not None
        text_key, entities_key = ("caption", "caption_entities") if media else ("text", "entities")
        if message.document is not None:
            result["document"] = {
                "file_id": message.document.file_id,
                "file_unique_id": f"u{message.document.file_id}",
                "file_name": message.document.filename,
                "mime_type": message.document.mime_type,
                "file_size": len(message.document.content or b""),
            }
        if message.photo is not None:
            result["photo"] = [{
                "file_id": message.photo.file_id, "file_unique_id": f"u{message.photo.file_id}",
                "width": 1280, "height": 960, "file_size": len(message.photo.content or b""),
            }]
        if message.text:
            result[text_key] = message.text
        if message.entities:
            result[entities_key] = message.entities
        if message.edit_date is not None:
            result["edit_date"] = message.edit_date
        if message.inline_keyboard:
            result["reply_markup"] = {"inline_keyboard": message.inline_keyboard}
        return result

    def _store(self, message: BotMessage) -> JSON:
        self._messages[message.chat_id].append(message)
        return self._message_json(message)

    @staticmethod
    def _update_type(update: JSON) -> str:
        return next(key for key in update if key != "update_id")

    # ---------------------------------------------------------------- methods

    async def _true(self, params: JSON) -> bool:
        return True

    async def _get_me(self, params: JSON) -> JSON:
        return self._bot_user() | {
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _get_updates(self, params: JSON) -> list[JSON]:
        self.webhook.refuse_get_updates()
        offset = params.get("offset")
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):  # remembered for later calls, as on Telegram
            self._allowed_updates = allowed or None
        if isinstance(offset, int) and offset != 0:
            if offset > 0:
                confirmed = [u for u in self._updates if u["update_id"] < offset]
            else:  # a negative offset keeps only the last -offset updates
                confirmed = self._updates[:offset]
            for update in confirmed:
                self._updates.remove(update)
        self._drop_unwanted()

        # A newer getUpdates ends this one with 409, as two polling bots do on Telegram.
        self._poll_generation += 1
        generation = self._poll_generation
        await self._signal.wait_until(
            lambda: bool(self._updates) or self._closing or self._poll_generation != generation,
            timeout,
        )
        if self._poll_generation != generation:
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
            )
        self._drop_unwanted()
        batch = self._updates[:limit]
        self._fetched.update(update["update_id"] for update in batch)
        return batch

    def _drop_unwanted(self) -> None:
        for update in list(self._updates):
            kind = self._update_type(update)
            allowed = kind in self._allowed_updates if self._allowed_updates else kind not in _NOT_DELIVERED_BY_DEFAULT
            if not allowed:
                self._updates.remove(update)
                self.dropped_updates.append(update)

    async def _set_webhook(self, params: JSON) -> bool:
        return await self.webhook.set(params)

    async def _delete_webhook(self, params: JSON) -> bool:
        await self.webhook.clear()
        if params.get("drop_pending_updates"):
            self.dropped_updates += self._updates
            self._updates = []
        return True

    async def _get_webhook_info(self, params: JSON) -> JSON:
        return {"url": self.webhook.url or "", "has_custom_certificate": False, "pending_update_count": len(self._updates)}

    async def _send_message(self, params: JSON) -> JSON:
        user = self._chat(params)
        rules.check_reply_markup(params.get("reply_markup"))
        text, entities = self._parse(
            params.get("text"), params.get("parse_mode"), params.get("entities"), caption=False
        )
        self._take_send_slot()
        return self._store(
            BotMessage(
                message_id=self._next_message_id(user.id),
                chat_id=user.id,
                text=text,
                date=int(time.time()),
                source=params["text"],
                parse_mode=params.get("parse_mode"),
                entities=entities,
                reply_markup=params.get("reply_markup"),
            )
        )

    async def _send_document(self, params: JSON) -> JSON:
        user = self._chat(params)
        document = params.get("document")
        if document is None or document == "":
            raise bad_request("there is no document in the request")
        rules.check_reply_markup(params.get("reply_markup"))
        caption, entities = self._parse(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        if isinstance(document, Upload):
            sent = SentDocument(f"BQAD{next(self._file_ids)}", document.filename, document.content, document.mime_type)
            self._known_files.add(sent.file_id)
        else:  # a file_id or a URL
            sent = self._sent_by_reference(str(document))
        self._take_send_slot()
        return self._store(
            BotMessage(
                message_id=self._next_message_id(user.id),
                chat_id=user.id,
                text=caption,
                date=int(time.time()),
                source=str(params.get("caption") or ""),
                parse_mode=params.get("parse_mode"),
                entities=entities,
                reply_markup=params.get("reply_markup"),
                document=sent,
            )
        )

    async def _send_photo(self, params: JSON) -> JSON:
        user = self._chat(params)
        photo = params.get("photo")
        if photo is None or photo == "":
            raise bad_request("there is no photo in the request")
        if isinstance(photo, Upload) and not rules.looks_like_image(photo.content):
            raise bad_request("IMAGE_PROCESS_FAILED")
        rules.check_reply_markup(params.get("reply_markup"))
        caption, entities = self._parse(
            params.get("caption"), params.get("parse_mode"), params.get("caption_entities"), caption=True
        )
        if isinstance(photo, Upload):
            sent = SentDocument(f"AgAD{next(self._file_ids)}", photo.filename, photo.content, photo.mime_type)
            self._known_files.add(sent.file_id)
        else:  # a file_id or a URL
            sent = self._sent_by_reference(str(photo))
        self._take_send_slot()
        return self._store(
            BotMessage(
                message_id=self._next_message_id(user.id),
                chat_id=user.id,
                text=caption,
                date=int(time.time()),
                source=str(params.get("caption") or ""),
                parse_mode=params.get("parse_mode"),
                entities=entities,
                reply_markup=params.get("reply_markup"),
                photo=sent,
            )
        )

    def _apply_edit(
        self, message: BotMessage, text: str, entities: list[JSON], markup: JSON | None, **changes: Any
    ) -> JSON:
        # An edit without reply_markup removes the inline keyboard, as on Telegram.
        current_markup = {"inline_keyboard": message.inline_keyboard} if message.inline_keyboard else None
        new_markup = markup if markup and markup.get("inline_keyboard") else None
        if (text, entities, new_markup) == (message.text, message.entities, current_markup):
            raise bad_request(
                "message is not modified: specified new message content and reply markup are exactly "
                "the same as a current content and reply markup of the message"
            )
        self._take_send_slot()
        message.edits.append(message.text)
        message.text, message.entities = text, entities
        if message.inline_keyboard or new_markup:
            message.reply_markup = new_markup
        message.edit_date = int(time.time())
        for name, value in changes.items():
            setattr(message, name, value)
        return self._message_json(message)

    async def _edit_message_text(self, params: JSON) -> JSON:
        message = self._find_message(params, "message to edit not found")
        if message.document is not None or message.photo is not None:
            raise bad_request("there is no text in the message to edit")
        markup = params.get("reply_markup")
        rules.check_reply_markup(markup, inline_only=True)
        text, entities = self._parse(
            params.get("text"), params.get("parse_mode"), params.get("entities"), caption=False
        )
        return self._apply_edit(
            message, text, entities, markup, source=params["text"], parse_mode=params.get("parse_mode")
        )

    async def _edit_message_reply_markup(self, params: JSON) -> JSON:
        message = self._find_message(params, "message to edit not found")
        markup = params.get("reply_markup")
        rules.check_reply_markup(markup, inline_only=True)
        return self._apply_edit(message, message.text, message.entities, markup)

    async def _delete_message(self, params: JSON) -> bool:
        user = self._chat(params, sending=False)
        message_id = params.get("message_id")
        if message_id in self._user_message_ids[user.id]:
            self._user_message_ids[user.id].discard(message_id)  # bots may delete incoming private messages
            return True
        for message in self._messages[user.id]:
            if message.message_id == message_id and not message.deleted:
                message.deleted = True
                return True
        raise bad_request("message to delete not found")

    async def _answer_callback_query(self, params: JSON) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self._callback_queries or query_id in self.callback_answers:
            raise bad_request("query is too old and response timeout expired or query ID is invalid")
        rules.check_callback_answer_text(params.get("text"))
        self.callback_answers[query_id] = {
            "text": params.get("text"),
            "show_alert": bool(params.get("show_alert")),
            "url": params.get("url"),
            "cache_time": params.get("cache_time"),
        }
        return True

    async def _send_chat_action(self, params: JSON) -> bool:
        user = self._chat(params)
        action = params.get("action")
        if action not in _CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self.chat_actions.append((user.id, action))
        return True

    async def _get_chat(self, params: JSON) -> JSON:
        # getChat answers a ChatFullInfo, which has a few more required fields than Chat.
        gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription", "gifts_from_channels")
        return self._chat(params, sending=False).chat_json() | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict.fromkeys(gifts, True),
        }

    @staticmethod
    def _commands_key(params: JSON) -> tuple[str, str]:
        scope = params.get("scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def _set_my_commands(self, params: JSON) -> bool:
        commands = rules.check_bot_commands(params.get("commands"))
        self.commands[self._commands_key(params)] = list(commands)
        return True

    async def _get_my_commands(self, params: JSON) -> list[JSON]:
        return self.commands.get(self._commands_key(params), [])

    async def _delete_my_commands(self, params: JSON) -> bool:
        self.commands.pop(self._commands_key(params), None)
        return True

    async def _set_chat_menu_button(self, params: JSON) -> bool:
        chat_id = params.get("chat_id")
        if chat_id is not None:
            self._chat(params, sending=False)
        self.menu_buttons[chat_id] = params.get("menu_button") or {"type": "default"}
        return True
