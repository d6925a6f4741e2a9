"""What a villager reads (issue 10): no message asks anyone to type a slash command, and
every button label in the catalog fits in 32 characters."""

from __future__ import annotations

import re

from fluent.syntax import FluentParser, ast as fl
from fluent.syntax.serializer import serialize_pattern

from bot.persian.catalog import LOCALE_DIR

# «/cancel», «/campaign …»: a slash starting a Latin word, not «</b>» nor a link's path.
SLASH_COMMAND = re.compile(r"(?<![<\w:/.])/[A-Za-z_]+")
BUTTON_LIMIT = 32
# Catalog keys whose value is a button label (plus the main menu's «menu-…» labels).
BUTTON_KEY = re.compile(r"(^|-)btn-|^menu-(register|join|mycenter|campaigns|help|admin|facilitator)$|^cal-(prev|next|back)$")


def _messages() -> dict[str, str]:
    found = {}
    for path in sorted(LOCALE_DIR.glob("*.ftl")):
        for entry in FluentParser().parse(path.read_text("utf-8")).body:
            if isinstance(entry, fl.Message) and entry.value is not None:
                found[entry.id.name] = serialize_pattern(entry.value)
    return found


MESSAGES = _messages()


def test_the_scan_sees_a_command() -> None:
    assert SLASH_COMMAND.search("برای خروج /cancel را بفرستید")
    assert not SLASH_COMMAND.search("<b>کانون</b> https://ble.ir/kanoon_bot")


def test_no_message_asks_to_type_a_slash_command() -> None:
    asking = {key: text for key, text in MESSAGES.items() if SLASH_COMMAND.search(text)}
    assert asking == {}


def test_button_labels_fit_in_32_characters() -> None:
    buttons = {key: text for key, text in MESSAGES.items() if BUTTON_KEY.search(key)}
    assert len(buttons) > 40  # the pattern finds the buttons
    # A placeholder counts as its name; rendered views: every button of every e2e test (Harness.check_platform_rules).
    too_long = {key: text for key, text in buttons.items() if len(text) > BUTTON_LIMIT}
    assert too_long == {}


def _variables(key: str) -> set[str]:
    return set(re.findall(r"\{ *\$(\w+) *\}", MESSAGES[key]))


def test_every_message_renders_on_bale_without_html_and_with_titles_in_quotes() -> None:
    """Bale gets plain text (bot/platforms.py): no tag survives, and a bold value that follows a
    word («یادآوری پویش <b>{ $title }</b>») is shown in «» so it does not run into its label."""
    from bot.persian.catalog import t
    from bot.platforms import Platform, finish_markup

    checked = 0
    for key, source in MESSAGES.items():
        values = {name: f"مقدار{n}" for n, name in enumerate(sorted(_variables(key)))}
        shown = finish_markup(Platform.BALE, t(key, **values))
        assert "<b>" not in shown and "</b>" not in shown and "<i>" not in shown, key
        for name in re.findall(r"[^\W\d_] <b>\{ *\$(\w+) *\}</b>(?=\n|$)", source):
            assert f"«{values[name]}»" in shown, (key, shown)
            checked += 1
    assert checked >= 2  # the pattern finds inline titles (the reminder, the report)


def test_help_per_role_is_short_and_the_first_message_shorter() -> None:
    from bot.persian.catalog import t
    from bot.platforms import plain

    helps = {key: len(plain(t(key))) for key in ("help-newcomer", "help-member", "help-assistant", "help-leader")}
    assert all(length <= 400 for length in helps.values()), helps
    assert len(plain(t("welcome", name="محمدعلی عبدالرحیمی"))) <= 250
