from datetime import datetime, timezone

import pytest

from bot.persian import text


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("۰۹۱۲۳۴۵۶۷۸۹", "09123456789"), ("٠٩١٢", "0912"), ("12۳٤", "1234")],
)
def test_ascii_digits_accepts_persian_arabic_and_latin(typed: str, expected: str) -> None:
    assert text.ascii_digits(typed) == expected


def test_clean_fixes_arabic_letters_and_trims_invisible_edges() -> None:
    assert text.clean("\u200f  علي   كريمي \u200e\n") == "علی کریمی"


def test_clean_keeps_inner_zwnj_and_paragraphs() -> None:
    assert text.clean("می\u200cخواهیم\n\n\n\nکمک") == "می\u200cخواهیم\n\nکمک"


def test_clean_empty() -> None:
    assert text.clean(None) == "" and text.clean(" \u200c ") == ""


def test_one_line_joins_lines() -> None:
    assert text.one_line("کانون\nصاحب") == "کانون صاحب"


def test_search_key_matches_spacing_and_letter_variants() -> None:
    assert text.search_key("صاحب الزمان") in text.search_key("كانون صاحب\u200cالزمان")
    assert text.search_key("آب") == text.search_key("اب")


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("کانون همیاری صاحب‌الزمان روستای قورچای", "صاحبالزمانقورچای"),
        ("كانون همياري اجتماعي صاحب الزمان", "صاحبالزمان"),  # Arabic ي/ك in the generic words too
        ("روستا قورچائی", "قورچایی"),
        ("اِمامِ رضا", "امامرضا"),
        ("فاطمة الزهراء", "فاطمهالزهراء"),
        ("کانون همیاری", "کانونهمیاری"),  # nothing but generic words: kept, so it can be found
        ("کانون‌همیاری نور", "کانونهمیارینور"),  # joined by a ZWNJ: one word, not a generic one
    ],
)
def test_name_search_key_drops_generic_words_and_folds_letters(typed: str, key: str) -> None:
    assert text.name_search_key(typed) == key


@pytest.mark.parametrize(("typed", "value"), [("۱۲۳", 123), (" 1,234 ", 1234), ("١٢", 12), ("12a", None), ("", None)])
def test_parse_int(typed: str, value: int | None) -> None:
    assert text.parse_int(typed) == value


def test_format_number_uses_persian_digits_and_separator() -> None:
    assert text.format_number(1234567) == "۱٬۲۳۴٬۵۶۷"


def test_format_datetime_is_jalali_in_tehran() -> None:
    # 2026-12-06 15:00 UTC is 18:30 in Tehran (UTC+3:30), 15 Azar 1405, a Sunday.
    moment = datetime(2026, 12, 6, 15, 0, tzinfo=timezone.utc)
    assert text.format_datetime(moment) == "۱۵ آذر ۱۴۰۵، ساعت ۱۸:۳۰"
    assert text.format_datetime(moment, weekday=True) == "یکشنبه ۱۵ آذر ۱۴۰۵، ساعت ۱۸:۳۰"


def test_naive_datetimes_are_taken_as_utc() -> None:
    assert text.format_date(datetime(2026, 3, 20, 21, 0)) == "۱ فروردین ۱۴۰۵"


def test_numeric_jalali_date() -> None:
    assert text.format_jalali_date_numeric(datetime(2026, 12, 6, 15, tzinfo=timezone.utc)) == "۱۴۰۵/۰۹/۱۵"


@pytest.mark.parametrize(
    "typed",
    ["09121234567", "۰۹۱۲۱۲۳۴۵۶۷", "٠٩١٢١٢٣٤٥٦٧", "+989121234567", "989121234567", "00989121234567",
     "0912 123 4567", "912-123-4567"],
)
def test_normalize_mobile_accepts_common_forms(typed: str) -> None:
    assert text.normalize_mobile(typed) == "09121234567"


@pytest.mark.parametrize("typed", ["", "0912123456", "08121234567", "+149121234567", "abc", None])
def test_normalize_mobile_rejects(typed: str | None) -> None:
    assert text.normalize_mobile(typed) is None
