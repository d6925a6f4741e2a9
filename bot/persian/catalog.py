"""The Persian message catalog (Project Fluent files under locales/fa/), looked up by key.

`t(key, **args)` returns HTML-ready text: user-supplied string values are escaped, numbers
are shown in Persian digits. `platforms.finish_markup` turns it into plain text for Bale.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path

from fluent.runtime import FluentBundle, FluentResource

from bot.platforms import escape
from bot.persian.digits import format_number

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locales" / "fa"


class Raw(str):
    """A value that is already safe HTML (e.g. another rendered message); not escaped again."""


class MissingMessage(KeyError):
    pass


@lru_cache(maxsize=1)
def bundle() -> FluentBundle:
    # Isolation marks (FSI/PDI) would show as boxes on some old phones; our texts are RTL anyway.
    fluent = FluentBundle(["fa"], use_isolating=False)
    for path in sorted(LOCALE_DIR.glob("*.ftl")):
        fluent.add_resource(FluentResource(path.read_text("utf-8")))
    return fluent


def _prepare(value: object) -> str:
    if isinstance(value, Raw):
        return str(value)
    if isinstance(value, bool):
        raise TypeError("pass booleans as catalog selectors (strings), not bool")
    if isinstance(value, int):
        return format_number(value)
    if value is None:
        return ""
    return escape(str(value))


def t(key: str, **args: object) -> Raw:
    fluent = bundle()
    if not fluent.has_message(key):
        raise MissingMessage(key)
    message = fluent.get_message(key)
    if message.value is None:  # a message made only of attributes: none in this catalog
        raise MissingMessage(key)
    text, errors = fluent.format_pattern(message.value, {k: _prepare(v) for k, v in args.items()})
    if errors:
        log.error("catalog message %s: %s", key, errors)
    return Raw(text)
