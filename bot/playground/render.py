"""A chat as the page shows it: the bot's and the person's messages in order, as JSON with safe HTML.

Telegram messages are drawn from their entities (bold, italic, links…), as its apps do; Bale's
arrive as plain text. Both get their bare links made clickable, as both apps do.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from bot.emulator import FakeBotApi
from bot.emulator.server import BotMessage, SentDocument
from bot.persian.catalog import t
from bot.persian.text import persian_digits, to_tehran
from bot.platforms import Platform, plain

JSON = dict[str, Any]

# A link ends before spaces, quotes and trailing punctuation (the Persian comma and semicolon too).
_ARABIC_COMMA_SEMICOLON = chr(0x060C) + chr(0x061B)
_URL_RE = re.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,:!?)\]" + _ARABIC_COMMA_SEMICOLON + "]")
_TAGS = {
    "bold": "b", "italic": "i", "underline": "u", "strikethrough": "s", "code": "code", "pre": "pre",
    "spoiler": "span class=\"spoiler\"", "blockquote": "blockquote",
}


def _linkify(text: str) -> str:
    out, last = [], 0
    for match in _URL_RE.finditer(text):
        out.append(html.escape(text[last:match.start()], quote=False))
        url = match.group(0)
        out.append(f'<a href="{html.escape(url)}">{html.escape(url, quote=False)}</a>')
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)


def text_html(text: str, entities: list[JSON] | None = None) -> str:
    """Plain text and Bot API entities (UTF-16 offsets) as HTML; everything else escaped."""
    if not entities:
        return _linkify(text)
    # Python index of each UTF-16 offset.
    index, units = {0: 0}, 0
    for i, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        index[units] = i + 1
    opens: dict[int, list[str]] = {}
    closes: dict[int, list[str]] = {}
    for entity in sorted(entities, key=lambda e: (e["offset"], -e["length"])):
        start, end = index.get(entity["offset"]), index.get(entity["offset"] + entity["length"])
        if start is None or end is None:
            continue
        kind = entity.get("type")
        if kind == "text_link":
            tag, name = f'a href="{html.escape(str(entity.get("url", "")))}"', "a"
        elif kind in _TAGS:
            tag, name = _TAGS[kind], _TAGS[kind].split()[0]
        else:
            continue
        opens.setdefault(start, []).append(f"<{tag}>")
        closes.setdefault(end, []).insert(0, f"</{name}>")
    out, segment_start = [], 0
    for position in sorted({0, len(text), *opens, *closes}):
        segment = text[segment_start:position]
        out.append(_linkify(segment))
        segment_start = position
        out += closes.get(position, []) + opens.get(position, [])
    return "".join(out)


def _clock(seconds: int) -> str:
    moment = to_tehran(datetime.fromtimestamp(seconds, timezone.utc))
    return persian_digits(moment.strftime("%H:%M"))


def _file(platform: Platform, sent: SentDocument) -> JSON:
    url = f"/api/files/{platform.value}/{sent.file_id}"
    return {"name": sent.filename or sent.file_id, "url": url, "download": url + "?download=1",
            "size": len(sent.content or b""), "mime": sent.mime_type}


def _buttons(message: BotMessage) -> list[list[JSON]]:
    return [
        [{"text": b["text"], "data": b.get("callback_data"), "url": b.get("url")} for b in row]
        for row in message.inline_keyboard
    ]


def bot_message(platform: Platform, message: BotMessage) -> JSON:
    view: JSON = {
        "kind": "bot", "id": message.message_id, "time": _clock(message.date),
        "html": text_html(message.text, message.entities), "buttons": [] if message.deleted else _buttons(message),
        "edited": bool(message.edits), "deleted": message.deleted,
    }
    if message.document is not None:
        view["document"] = _file(platform, message.document)
    if message.photo is not None:
        view["photo"] = _file(platform, message.photo)
    return view


def user_message(message: JSON, deleted: bool) -> JSON:
    if "text" in message:
        body = html.escape(message["text"], quote=False)
    elif "contact" in message:
        contact = message["contact"]
        body = html.escape(plain(t("pg-contact", name=contact.get("first_name"), phone="\x00"))).replace(
            "\x00", f'<bdi dir="ltr">{html.escape(str(contact.get("phone_number")))}</bdi>')
    elif "photo" in message:
        body = html.escape(plain(t("pg-photo")))
    else:
        body = html.escape(next((k for k in message if k not in {"message_id", "from", "chat", "date"}), ""))
    return {"kind": "user", "id": message["message_id"], "time": _clock(message["date"]), "html": body,
            "deleted": deleted, "buttons": []}


def reply_keyboard(messages: list[BotMessage]) -> list[list[JSON]]:
    """The reply keyboard shown now: the last one sent and not removed (as FakeUser reads it)."""
    for message in reversed(messages):
        markup = message.reply_markup or {}
        if "keyboard" in markup:
            return [
                [{"text": b if isinstance(b, str) else b["text"],
                  "contact": isinstance(b, dict) and bool(b.get("request_contact"))} for b in row]
                for row in markup["keyboard"]
            ]
        if markup.get("remove_keyboard"):
            return []
    return []


def last_message_id(api: FakeBotApi, user_id: int) -> int:
    ids = [m.message_id for m in api.messages(user_id)] + [m["message_id"] for m in api.user_messages(user_id)]
    return max(ids, default=0)


def forwarded(message: BotMessage, sender: str, after: int) -> JSON:
    """A bot's message one person forwarded to another (between people, so the bot never sees it).

    Link buttons travel with it, as on the messengers; buttons that talk to the bot do not.
    """
    links = [[{"text": b["text"], "data": None, "url": b["url"]} for b in row if b.get("url")]
             for row in message.inline_keyboard]
    return {"kind": "forward", "id": after, "from": sender, "html": text_html(message.text, message.entities),
            "buttons": [row for row in links if row], "time": _clock(message.date), "deleted": False,
            "edited": False}


def _insert_after(items: list[JSON], after: int, item: JSON) -> None:
    position = next((i for i, existing in enumerate(items) if existing["id"] > after), len(items))
    items.insert(position, item)


def chat(api: FakeBotApi, platform: Platform, user_id: int, forwards: Sequence[JSON] = ()) -> JSON:
    """Everything one phone shows."""
    bots = api.messages(user_id)
    items = [bot_message(platform, m) for m in bots]
    items += [user_message(m, api.user_message_deleted(user_id, m["message_id"])) for m in api.user_messages(user_id)]
    items.sort(key=lambda item: item["id"])
    for after, method, error in api.chat_errors(user_id):
        _insert_after(items, after, {"kind": "error", "id": after, "buttons": [],
                                     "html": html.escape(plain(t("pg-api-error", method=method, error=error.description)))})
    for item in forwards:
        _insert_after(items, item["id"], item)
    toasts = [
        {"id": query_id, "text": answer.get("text"), "alert": answer.get("show_alert")}
        for query_id, _, answer in api.callback_queries(user_id) if answer and answer.get("text")
    ]
    return {"messages": items, "keyboard": reply_keyboard(bots), "toasts": toasts}
