"""The Persian message catalog (Project Fluent files under locales/fa/), looked up by key.

`t(key, **args)` returns HTML-ready text: user-supplied string values are escaped, numbers
are shown in Persian digits. `platforms.finish_markup` turns it into plain text for Bale.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import pickle
import sys
from functools import lru_cache
from pathlib import Path

import fluent.syntax
from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser, ast as fluent_ast

from bot.platforms import escape
from bot.persian.digits import format_number

log = logging.getLogger(__name__)

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locales" / "fa"
# The parsed catalog, kept between starts: parsing the .ftl files is a good part of a start
# (docs/scale.md «Start-up»). Made again whenever any .ftl file, the parser or Python changes;
# never committed (.gitignore). A missing, stale, corrupt or unwritable cache only costs a parse.
CACHE_FILE = LOCALE_DIR.parent / ".cache" / f"catalog-{LOCALE_DIR.name}.pickle"


class Raw(str):
    """A value that is already safe HTML (e.g. another rendered message); not escaped again."""


class MissingMessage(KeyError):
    pass


@lru_cache(maxsize=1)
def bundle() -> FluentBundle:
    # Isolation marks (FSI/PDI) would show as boxes on some old phones; our texts are RTL anyway.
    fluent = FluentBundle(["fa"], use_isolating=False)
    for resource in resources(LOCALE_DIR, CACHE_FILE):
        fluent.add_resource(resource)
    return fluent


def resources(locale_dir: Path, cache_file: Path) -> list[fluent_ast.Resource]:
    """The parsed .ftl files of `locale_dir` in name order: from `cache_file` when it was made
    from exactly these files, otherwise parsed and the cache written anew."""
    sources = [path.read_bytes() for path in sorted(locale_dir.glob("*.ftl"))]
    key = _cache_key(sources)
    cached = _read_cache(cache_file, key)
    if cached is not None:
        return cached
    parser = FluentParser(with_spans=False)  # source positions: the runtime never reads them
    parsed = [parser.parse(source.decode("utf-8")) for source in sources]
    _write_cache(cache_file, key, parsed)
    return parsed


def _cache_key(sources: list[bytes]) -> str:
    parser = Path(fluent.syntax.__file__).with_name("parser.py").stat()  # the parser as installed
    digest = hashlib.sha256(f"{parser.st_size} {parser.st_mtime_ns} {sys.version} no spans".encode())
    for source in sources:
        digest.update(len(source).to_bytes(8, "big"))
        digest.update(source)
    return digest.hexdigest()


def _read_cache(cache_file: Path, key: str) -> list[fluent_ast.Resource] | None:
    try:
        stored_key, parsed = pickle.loads(cache_file.read_bytes())
    except FileNotFoundError:
        return None
    except Exception as exc:  # corrupt or from another version: parse again, write a new one
        log.info("catalog cache %s unreadable (%s); parsing the .ftl files", cache_file, exc)
        return None
    if stored_key != key or not isinstance(parsed, list) or not all(
            isinstance(r, fluent_ast.Resource) for r in parsed):
        return None
    return parsed


def _write_cache(cache_file: Path, key: str, parsed: list[fluent_ast.Resource]) -> None:
    # Written aside and renamed, so another process starting at the same time never reads half a file.
    partial = cache_file.with_name(f"{cache_file.name}.{os.getpid()}.tmp")
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(pickle.dumps((key, parsed), protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, cache_file)
    except OSError as exc:  # a read-only install: every start parses (deploy/Dockerfile makes it at build)
        log.debug("catalog cache %s not written (%s)", cache_file, exc)
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


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
