"""The parsed catalog kept between starts (bot/persian/catalog.py): used only when made from
exactly the .ftl files there now; stale, corrupt or unwritable caches cost a parse, nothing else."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast as fl

from bot.persian import catalog
from bot.persian.catalog import CACHE_FILE, LOCALE_DIR, resources

ROOT = Path(__file__).resolve().parents[2]


def _ids(parsed: list[fl.Resource]) -> list[str]:
    return [entry.id.name for resource in parsed for entry in resource.body if isinstance(entry, fl.Message)]


@pytest.fixture
def locale(tmp_path: Path) -> Path:
    folder = tmp_path / "fa"
    folder.mkdir()
    (folder / "a.ftl").write_text("hello = سلام { $name }\n", "utf-8")
    (folder / "b.ftl").write_text("bye = خداحافظ\n", "utf-8")
    return folder


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many .ftl files were parsed (rather than read from the cache)."""
    count: list[int] = []
    real = FluentParser.parse

    def counting(self: FluentParser, source: str) -> fl.Resource:
        count.append(1)
        return real(self, source)

    monkeypatch.setattr(FluentParser, "parse", counting)
    return count


def test_the_second_read_comes_from_the_cache(locale: Path, tmp_path: Path, parses: list[int]) -> None:
    cache = tmp_path / "cache" / "catalog.pickle"  # its folder does not exist yet
    first = resources(locale, cache)
    assert len(parses) == 2 and cache.exists()
    second = resources(locale, cache)
    assert len(parses) == 2
    assert _ids(second) == _ids(first) == ["hello", "bye"]


def test_a_changed_file_is_parsed_again_and_the_cache_rewritten(
        locale: Path, tmp_path: Path, parses: list[int]) -> None:
    cache = tmp_path / "catalog.pickle"
    resources(locale, cache)
    (locale / "b.ftl").write_text("bye = خداحافظ\nagain = باز هم\n", "utf-8")
    assert _ids(resources(locale, cache)) == ["hello", "bye", "again"]
    assert len(parses) == 4
    assert _ids(resources(locale, cache)) == ["hello", "bye", "again"]
    assert len(parses) == 4  # the rewritten cache serves the next start


def test_a_new_file_is_not_missed(locale: Path, tmp_path: Path) -> None:
    cache = tmp_path / "catalog.pickle"
    resources(locale, cache)
    (locale / "c.ftl").write_text("more = بیشتر\n", "utf-8")
    assert _ids(resources(locale, cache)) == ["hello", "bye", "more"]


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05\x95truncated", b"\x80\x04K\x01."])
def test_a_corrupt_cache_is_ignored_and_rebuilt(
        locale: Path, tmp_path: Path, parses: list[int], garbage: bytes) -> None:
    cache = tmp_path / "catalog.pickle"
    cache.write_bytes(garbage)
    assert _ids(resources(locale, cache)) == ["hello", "bye"]
    assert len(parses) == 2
    assert cache.read_bytes() != garbage
    resources(locale, cache)
    assert len(parses) == 2


def test_an_unwritable_cache_only_costs_a_parse(locale: Path, tmp_path: Path, parses: list[int]) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache's folder would be")
    cache = blocker / "catalog.pickle"
    assert _ids(resources(locale, cache)) == ["hello", "bye"]
    assert _ids(resources(locale, cache)) == ["hello", "bye"]
    assert len(parses) == 4
    assert list(tmp_path.glob("**/*.tmp")) == []


def test_the_cached_catalog_is_the_parsed_one(tmp_path: Path) -> None:
    cache = tmp_path / "catalog.pickle"
    resources(LOCALE_DIR, cache)
    cached = resources(LOCALE_DIR, cache)
    parsed = [FluentParser().parse(path.read_text("utf-8")) for path in sorted(LOCALE_DIR.glob("*.ftl"))]
    assert len(cached) == len(parsed)
    for mine, theirs in zip(cached, parsed):
        assert mine.equals(theirs, ignored_fields=["span"])


def test_the_bot_answers_the_same_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    before = catalog.t("cmd-start")
    monkeypatch.setattr(catalog, "CACHE_FILE", tmp_path / "catalog.pickle")
    catalog.bundle.cache_clear()
    try:
        catalog.bundle()  # parses and writes
        catalog.bundle.cache_clear()
        assert catalog.t("cmd-start") == before  # from the cache
    finally:
        catalog.bundle.cache_clear()


def test_the_cache_is_not_committed() -> None:
    ignored = subprocess.run(["git", "check-ignore", "-q", str(CACHE_FILE.relative_to(ROOT))], cwd=ROOT)
    assert ignored.returncode == 0, f"{CACHE_FILE} is not in .gitignore"
