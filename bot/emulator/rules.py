"""The Bot API's rules on what a bot may send, as pure functions.

Every check raises :class:`ApiError` with the status code and description the real
API answers with, so the server only has to turn the exception into JSON.

The HTML parser follows the one in TDLib (``td/telegram/MessageEntity.cpp``,
``parse_html``), which is what the Bot API server runs: same tags, same error
wording, byte offsets counted in UTF-8.  It is *stricter* than TDLib in one
documented way: a bare ``&`` that starts no entity and a bare ``>`` are refused,
as core.telegram.org/bots/api#html-style says they "must be replaced" (TDLib lets
them through).  A bot that forgets to escape user input is caught either way.
"""

from __future__ import annotations

import re
from typing import Any

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_CALLBACK_DATA_BYTES = 64
MAX_CALLBACK_ANSWER_LENGTH = 200
MAX_BOT_COMMANDS = 100

# core.telegram.org/bots/api#html-style: "Only the tags mentioned above are currently supported."
HTML_TAGS = frozenset(
    {
        "a", "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span",
        "tg-spoiler", "tg-emoji", "tg-time", "code", "pre", "blockquote",
    }
)
_HTML_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "span": "spoiler", "tg-spoiler": "spoiler", "tg-emoji": "custom_emoji", "tg-time": "date_time",
    "code": "code", "pre": "pre", "blockquote": "blockquote", "a": "text_link",
}
# The only named entities the API knows; all numeric ones are accepted.
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}


class ApiError(Exception):
    """A Bot API error answer: ``{"ok": false, "error_code": ..., "description": ...}``."""

    def __init__(self, code: int, description: str, retry_after: float | None = None) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: {detail}")


def utf16_len(text: str) -> int:
    """Entity offsets and lengths are counted in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decodes the HTML entity at ``text[pos] == '&'``; returns (character, end) or None."""
    end = pos + 1
    if text[end : end + 1] == "#":
        end += 1
        hexadecimal = text[end : end + 1] == "x"
        end += hexadecimal
        digits = "0123456789abcdefABCDEF" if hexadecimal else "0123456789"
        start = end
        while end < len(text) and text[end] in digits:
            end += 1
        if end == start or end - pos >= 10:
            return None
        code = int(text[start:end], 16 if hexadecimal else 10)
        if code == 0 or code >= 0x10FFFF:
            return None
        char = chr(code)
    else:
        while end < len(text) and text[end].isascii() and text[end].isalpha():
            end += 1
        char = _NAMED_ENTITIES.get(text[pos + 1 : end], "")
        if not char:
            return None
    # TDLib, like browsers, also takes an entity without its closing ';'.
    return char, end + 1 if text[end : end + 1] == ";" else end


def parse_html(html: str, *, strict: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Parses Bot API HTML into (plain text, entities), or raises "can't parse entities".

    ``strict`` also refuses a bare ``&`` or ``>`` (see the module docstring).
    """

    def fail(detail: str) -> ApiError:
        return bad_request(f"can't parse entities: {detail}")

    out: list[str] = []
    out_len = 0  # UTF-16 length of the text produced so far
    entities: list[dict[str, Any]] = []
    stack: list[tuple[str, dict[str, str], int]] = []  # (tag, attributes, entity offset)
    i, n = 0, len(html)
    while i < n:
        c = html[i]
        if c == "&":
            decoded = _decode_entity(html, i)
            if decoded is not None:
                out.append(decoded[0])
                out_len += utf16_len(decoded[0])
                i = decoded[1]
                continue
            if strict:
                raise fail(f'unescaped "&" at byte offset {_byte_offset(html, i)}; use &amp;')
        if c == ">" and strict:
            raise fail(f'unescaped ">" at byte offset {_byte_offset(html, i)}; use &gt;')
        if c != "<":
            out.append(c)
            out_len += utf16_len(c)
            i += 1
            continue

        begin = i
        offset = _byte_offset(html, begin)
        i += 1
        if html[i : i + 1] != "/":  # a start tag
            while i < n and not html[i].isspace() and html[i] != ">":
                i += 1
            if i >= n:
                raise fail(f"Unclosed start tag at byte offset {offset}")
            tag = html[begin + 1 : i].lower()
            if tag not in HTML_TAGS:
                raise fail(f'Unsupported start tag "{tag}" at byte offset {offset}')
            attributes: dict[str, str] = {}
            while True:
                while i < n and html[i].isspace():
                    i += 1
                if i >= n:
                    raise fail(f"Unclosed start tag at byte offset {offset}")
                if html[i] == ">":
                    i += 1
                    break
                name_start = i
                while i < n and not html[i].isspace() and html[i] not in "=>":
                    i += 1
                name = html[name_start:i]
                if not name:
                    raise fail(f'Empty attribute name in the tag "{tag}" at byte offset {offset}')
                while i < n and html[i].isspace():
                    i += 1
                if html[i : i + 1] != "=":
                    if tag == "blockquote" and name == "expandable":
                        attributes[name] = ""
                        continue
                    raise fail(
                        "Expected equal sign in declaration of an attribute of the tag "
                        f'"{tag}" at byte offset {offset}'
                    )
                i += 1
                while i < n and html[i].isspace():
                    i += 1
                if i >= n:
                    raise fail(f'Unclosed start tag "{tag}" at byte offset {offset}')
                if html[i] in "'\"":
                    quote = html[i]
                    i += 1
                    value: list[str] = []
                    while i < n and html[i] != quote:
                        decoded = _decode_entity(html, i) if html[i] == "&" else None
                        if decoded is not None:
                            value.append(decoded[0])
                            i = decoded[1]
                        else:
                            value.append(html[i])
                            i += 1
                    if i >= n:
                        raise fail(f"Unclosed start tag at byte offset {offset}")
                    i += 1
                    attributes[name] = "".join(value)
                else:  # an unquoted name token
                    token_start = i
                    while i < n and (html[i].isalnum() or html[i] in ".-"):
                        i += 1
                    if i >= n or (not html[i].isspace() and html[i] != ">"):
                        raise fail(
                            f"Unexpected end of name token at byte offset {_byte_offset(html, token_start)}"
                        )
                    attributes[name] = html[token_start:i].lower()
            if tag == "span" and attributes.get("class") != "tg-spoiler":
                raise fail(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
            stack.append((tag, attributes, out_len))
            continue

        # an end tag
        if not stack:
            raise fail(f"Unexpected end tag at byte offset {offset}")
        i += 1
        name_start = i
        while i < n and not html[i].isspace() and html[i] != ">":
            i += 1
        end_tag = html[name_start:i].lower()
        while i < n and html[i].isspace():
            i += 1
        if i >= n or html[i] != ">":
            raise fail(f"Unclosed end tag at byte offset {offset}")
        i += 1
        tag, attributes, start = stack.pop()
        if end_tag and end_tag != tag:
            raise fail(
                f'Unmatched end tag at byte offset {offset}, expected "</{tag}>", found "</{end_tag}>"'
            )
        if out_len > start:
            entity: dict[str, Any] = {"type": _HTML_ENTITY_TYPES[tag], "offset": start, "length": out_len - start}
            if tag == "a":
                entity["url"] = attributes.get("href", "")
            elif tag == "blockquote" and "expandable" in attributes:
                entity["type"] = "expandable_blockquote"
            elif tag == "code" and attributes.get("class", "").startswith("language-"):
                entity["language"] = attributes["class"][len("language-") :]
            elif tag == "tg-emoji":
                entity["custom_emoji_id"] = attributes.get("emoji-id", "")
            elif tag == "pre" and entities and entities[-1]["type"] == "code" and (
                entities[-1]["offset"], entities[-1]["length"]) == (start, entity["length"]
            ):
                # <pre><code class="language-x">: one pre entity carrying the language
                code = entities.pop()
                if "language" in code:
                    entity["language"] = code["language"]
            entities.append(entity)
    if stack:
        raise fail(f"Can't find end tag corresponding to start tag {stack[-1][0]}")
    for entity in entities:
        if entity["type"] == "code":
            entity.pop("language", None)  # only pre entities have a language
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


# MarkdownV2: core.telegram.org/bots/api#markdownv2-style.  A reduced check: every
# reserved character outside code must be escaped or be part of balanced markup.
_MDV2_RESERVED = set("_*[]()~`>#+-=|{}.!")
_MDV2_PAIRED = {"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler"}


def check_markdown_v2(text: str) -> str:
    """Returns the text with the markup removed (roughly), or raises can't parse entities."""

    def fail(detail: str) -> ApiError:
        return bad_request(f"can't parse entities: {detail}")

    open_marks: list[tuple[str, int]] = []
    plain: list[str] = []
    i, n = 0, len(text)
    link_depth = 0
    while i < n:
        c = text[i]
        if c == "\\":
            if i + 1 < n:
                plain.append(text[i + 1])
            i += 2
            continue
        if c == "`":
            fence = "```" if text.startswith("```", i) else "`"
            close = text.find(fence, i + len(fence))
            if close < 0:
                kind = "Pre" if fence == "```" else "Code"
                raise fail(f"Can't find end of {kind} entity at byte offset {_byte_offset(text, i)}")
            plain.append(text[i + len(fence) : close])
            i = close + len(fence)
            continue
        mark = text[i : i + 2] if text[i : i + 2] in ("__", "||") else c
        if mark in _MDV2_PAIRED:
            if open_marks and open_marks[-1][0] == mark:
                open_marks.pop()
            else:
                open_marks.append((mark, i))
            i += len(mark)
            continue
        if c == "[":
            link_depth += 1
        elif c == "]" and link_depth:
            link_depth -= 1
            if text[i + 1 : i + 2] == "(":
                close = text.find(")", i + 2)
                if close < 0:
                    raise fail(f"Can't find end of a URL at byte offset {_byte_offset(text, i + 1)}")
                i = close + 1
                continue
        elif c == ">" and (i == 0 or text[i - 1] == "\n"):
            pass  # a block quotation
        elif c in _MDV2_RESERVED:
            raise fail(f"Character '{c}' is reserved and must be escaped with the preceding '\\'")
        else:
            plain.append(c)
        i += 1
    if open_marks:
        mark, at = open_marks[-1]
        raise fail(f"Can't find end of {_MDV2_PAIRED[mark]} entity at byte offset {_byte_offset(text, at)}")
    if link_depth:
        raise fail("Can't find end of a URL text")
    return "".join(plain)


def check_markdown(text: str) -> str:
    """Legacy Markdown: *bold*, _italic_, `code`, [text](url) must all be closed."""
    plain: list[str] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            plain.append(text[i + 1])
            i += 2
            continue
        if c in "_*`[":
            closer = "]" if c == "[" else ("```" if text.startswith("```", i) else c)
            start = i + len(closer if closer == "```" else c)
            close = text.find(closer, start)
            if close < 0:
                at = _byte_offset(text, i)
                raise bad_request(f"can't parse entities: Can't find end of the entity starting at byte offset {at}")
            plain.append(text[start:close])
            i = close + len(closer)
            if c == "[" and text[i : i + 1] == "(":
                end = text.find(")", i)
                i = end + 1 if end >= 0 else n
            continue
        plain.append(c)
        i += 1
    return "".join(plain)


def parse_text(text: str, parse_mode: str | None) -> tuple[str, list[dict[str, Any]]]:
    """Applies ``parse_mode`` (case-insensitive, as in the API) and returns (text, entities)."""
    mode = (parse_mode or "").lower()
    if mode == "html":
        return parse_html(text)
    if mode == "markdownv2":
        return check_markdown_v2(text), []
    if mode == "markdown":
        return check_markdown(text), []
    if mode:
        raise bad_request("unsupported parse_mode")
    return text, []


def check_message_text(text: Any, parse_mode: str | None, *, parse: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Message text: 1-4096 characters after entity parsing."""
    if not isinstance(text, str) or not text.strip():
        raise bad_request("message text is empty")
    plain, entities = parse_text(text, parse_mode) if parse else (text, [])
    if not plain.strip():
        raise bad_request("message text is empty")
    # TDLib counts characters (code points), not UTF-16 units, against the limit.
    if len(plain) > MAX_TEXT_LENGTH:
        raise bad_request("message is too long")
    return plain, entities


def check_caption(caption: Any, parse_mode: str | None, *, parse: bool = True) -> tuple[str, list[dict[str, Any]]]:
    """Media caption: 0-1024 characters after entity parsing."""
    if caption is None or caption == "":
        return "", []
    plain, entities = parse_text(str(caption), parse_mode) if parse else (str(caption), [])
    if len(plain) > MAX_CAPTION_LENGTH:
        raise bad_request("message caption is too long")
    return plain, entities


_URL_SCHEMES = ("http://", "https://", "tg://")
# Exactly one of these makes an inline button do something.
_INLINE_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query",
    "switch_inline_query_current_chat", "switch_inline_query_chosen_chat", "copy_text",
    "callback_game", "pay",
)


def _button_error(detail: str) -> ApiError:
    return bad_request(f"can't parse inline keyboard button: {detail}")


def check_inline_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise _button_error("InlineKeyboardButton must be an Object")
    if "text" not in button:
        raise _button_error('Can\'t find field "text"')
    if not isinstance(button["text"], str):
        raise _button_error('Field "text" must be of type String')
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")
    # Telegram treats an empty callback_data as absent.
    actions = [key for key in _INLINE_ACTIONS if button.get(key) not in (None, "")]
    if not actions:
        raise _button_error("Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        # Stricter than Telegram, which silently uses the first field: such a button
        # is always a bug in the bot.
        raise _button_error(f"exactly one of the fields {', '.join(actions)} must be used")
    if "callback_data" in actions:
        data = button["callback_data"]
        if not isinstance(data, str) or len(data.encode("utf-8")) > MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    if "url" in actions:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(_URL_SCHEMES):
            raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")


def check_keyboard_button(button: Any) -> None:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request("can't parse keyboard button: Field \"text\" must be of type String")
    if not button["text"].strip():
        raise bad_request("BUTTON_TEXT_INVALID")


def _rows(markup: dict[str, Any], key: str) -> list[list[Any]]:
    rows = markup[key]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        kind = "InlineKeyboardMarkup" if key == "inline_keyboard" else "ReplyKeyboardMarkup"
        raise bad_request(f'Field "{key}" of the {kind} must be an Array of Arrays')
    return rows


def check_reply_markup(markup: Any, *, inline_only: bool = False) -> None:
    """Validates reply_markup: an inline keyboard, a reply keyboard, its removal or force_reply."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        for row in _rows(markup, "inline_keyboard"):
            for button in row:
                check_inline_button(button)
        return
    if inline_only:
        # editMessageText / editMessageReplyMarkup only take an InlineKeyboardMarkup.
        raise bad_request("inline keyboard expected")
    if "keyboard" in markup:
        for row in _rows(markup, "keyboard"):
            for button in row:
                check_keyboard_button(button)
        return
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return
    raise bad_request("can't parse reply keyboard markup JSON object")


def check_callback_answer_text(text: Any) -> None:
    # The Bot API passes MTProto's error through for a notification over 200 characters.
    if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
        raise bad_request("MESSAGE_TOO_LONG")


_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


def check_bot_commands(commands: Any) -> list[dict[str, Any]]:  # noqa: ANN401 (any JSON arrives)
    """setMyCommands: at most 100 commands of 1-32 of [a-z0-9_], descriptions of 1-256 characters;
    the commands, once checked."""
    if not isinstance(commands, list):
        raise bad_request("can't parse commands JSON object")
    if len(commands) > MAX_BOT_COMMANDS:
        raise bad_request("too many commands specified")
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand")
        if not _COMMAND_RE.fullmatch(str(command.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(command.get("description", ""))
        if not 1 <= len(description.strip()) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
    return commands


def bot_command_entity(text: str) -> dict[str, Any] | None:
    """The bot_command entity Telegram puts on a message starting with /command[@bot]."""
    match = re.match(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![A-Za-z0-9_/<>])", text)
    if match is None:
        return None
    return {"type": "bot_command", "offset": 0, "length": len(match.group(0))}


# The formats sendPhoto takes; anything else the API cannot process as a picture.
_IMAGE_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a")


def looks_like_image(content: bytes) -> bool:
    return content.startswith(_IMAGE_SIGNATURES) or (content[:4] == b"RIFF" and content[8:12] == b"WEBP")
