"""Reading amounts of money and quantities as villagers type them (bot/persian/amounts.py)."""

from __future__ import annotations

from fractions import Fraction

import pytest

from bot.persian.amounts import (
    MAX_QUANTITY,
    MAX_TOMAN,
    MIN_TOMAN,
    AmountProblem as P,
    ParsedAmount,
    ParsedQuantity,
    format_quantity,
    format_toman,
    parse_quantity,
    parse_toman,
)
from bot.persian.catalog import bundle
from bot.persian.text import ARABIC_INDIC_DIGITS, PERSIAN_DIGITS, format_number

ZWNJ = "\u200c"

# (typed, toman or the problem). Every row is a form a person could send.
MONEY = [
    # digits, with and without grouping
    ("۵۰۰۰۰۰", 500_000),
    ("500000", 500_000),
    ("٥٠٠٠٠٠", 500_000),
    ("۵۰۰٬۰۰۰", 500_000),
    ("500,000", 500_000),
    ("۵۰۰،۰۰۰", 500_000),
    ("۵۰۰.۰۰۰", 500_000),
    ("2.500.000", 2_500_000),
    ("۱٬۲۵۰٬۰۰۰ تومان", 1_250_000),
    ("۵۰۰۰", 5_000),
    ("۱۰۰۰", MIN_TOMAN),
    ("  ۵۰۰۰۰۰  تومان ", 500_000),
    ("۵۰۰۰۰۰ تومان.", 500_000),
    # digits and magnitude words
    ("۵۰۰ هزار", 500_000),
    ("۵۰۰هزار", 500_000),
    ("۵۰۰ هزار تومان", 500_000),
    ("۵۰۰ هزار تومن", 500_000),
    ("۵۰۰ هزارتومان", 500_000),
    ("۲ میلیون", 2_000_000),
    ("۲ میلیون تومان", 2_000_000),
    ("2 ملیون تومن", 2_000_000),
    ("۳ میلیارد", 3_000_000_000),
    ("1.5 میلیون", 1_500_000),
    ("۱٫۵ میلیون", 1_500_000),
    ("۲/۵ میلیون", 2_500_000),
    ("0.5 میلیون", 500_000),
    ("۲.۲۵ میلیون", 2_250_000),
    ("۲ میلیون و ۵۰۰ هزار", 2_500_000),
    ("۲ میلیون و ۵۰۰", 2_500_000),  # the trailing group counts in thousands, as people say it
    ("۱ میلیارد و ۲۰۰", 1_200_000_000),
    ("۲ میلیون و ۵۰۰۰۰۰", 2_500_000),
    ("۱۰ هزار", 10_000),
    ("1000 میلیارد", MAX_TOMAN),
    # words
    ("یک میلیون", 1_000_000),
    ("یه میلیون", 1_000_000),
    ("نیم میلیون", 500_000),
    ("یک و نیم میلیون", 1_500_000),
    ("یک میلیون و نیم", 1_500_000),
    ("دو و نیم میلیون تومان", 2_500_000),
    ("دو هزار و نیم", 2_500),
    ("پانصد هزار", 500_000),
    ("پونصد هزار تومن", 500_000),
    ("پانصدهزار", 500_000),
    ("صد هزار", 100_000),
    ("صدهزارتومان", 100_000),
    ("یکصد هزار", 100_000),
    ("پنج صد هزار", 500_000),
    ("دویست و پنجاه هزار", 250_000),
    ("دویست پنجاه هزار", 250_000),
    (f"دویست{ZWNJ}و{ZWNJ}پنجاه{ZWNJ}هزار", 250_000),
    ("بیستوپنج هزار", 25_000),
    ("سیصد و بیست و پنج هزار تومان", 325_000),
    ("هزار تومان", 1_000),
    ("هزار و پانصد", 1_500),
    ("ده هزار", 10_000),
    ("پانزده هزار", 15_000),
    ("هیجده هزار", 18_000),
    ("دو میلیون و پانصد هزار", 2_500_000),
    ("دو میلیون و پانصد", 2_500_000),
    ("یک میلیون و دویست و پنجاه", 1_250_000),
    ("یک میلیارد و دویست میلیون", 1_200_000_000),
    ("هزار میلیارد", MAX_TOMAN),
    ("سه میلیون و چهارصد و پنجاه هزار و ششصد", 3_450_600),
    # words and digits together, Arabic letters
    ("۲ و نیم میلیون", 2_500_000),
    ("۲۰۰ و پنجاه هزار", 250_000),
    ("يك ميليون", 1_000_000),
    ("سيصد هزار تومان", 300_000),
    # rial: divided by 10
    ("۵۰۰۰۰۰۰ ریال", 500_000),
    ("۵ میلیون ریال", 500_000),
    ("پنجاه هزار ریال", 5_000),
    # refused
    ("", P.EMPTY),
    ("   ", P.EMPTY),
    (None, P.EMPTY),
    ("سلام", P.NOT_A_NUMBER),
    ("تومان", P.NOT_A_NUMBER),
    ("۵۰۰ هزار تومان میدم", P.NOT_A_NUMBER),
    ("۵۰۰ هزار و", P.NOT_A_NUMBER),
    ("پنج بیست", P.NOT_A_NUMBER),
    ("پانصد هزار و دو میلیون", P.NOT_A_NUMBER),
    ("۵۰۰ تومان ریال", P.NOT_A_NUMBER),
    ("۵۰۰$", P.NOT_A_NUMBER),
    ("۵" * 300, P.NOT_A_NUMBER),
    ("۱.۵۰۰ میلیون", P.AMBIGUOUS),
    ("1,5 میلیون", P.AMBIGUOUS),
    ("۱،۵ میلیون", P.AMBIGUOUS),
    ("۵۰۰ ۰۰۰", P.AMBIGUOUS),
    ("۱٬۵۰۰.۵", P.AMBIGUOUS),
    ("1.2.3", P.AMBIGUOUS),
    ("۲ م", P.AMBIGUOUS),
    ("۲.۵م", P.AMBIGUOUS),
    ("۲۵۰ ت", P.AMBIGUOUS),
    ("500k", P.AMBIGUOUS),
    ("دو ۵ هزار", P.AMBIGUOUS),
    ("نه", P.AMBIGUOUS),
    ("۵ تومن", P.TOO_SMALL),
    ("۵", P.TOO_SMALL),
    ("۵۰۰", P.TOO_SMALL),
    ("صد تومان", P.TOO_SMALL),
    ("۲.۵", P.TOO_SMALL),
    ("دو و نیم", P.TOO_SMALL),
    ("۵۰۰۰ ریال", P.TOO_SMALL),
    ("۱۰۰۱ میلیارد", P.TOO_LARGE),
    ("۱۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰۰", P.TOO_LARGE),
    ("دو هزار میلیارد", P.TOO_LARGE),
    ("هزار هزار", P.NOT_A_NUMBER),
    ("۰", P.ZERO_OR_NEGATIVE),
    ("صفر", P.ZERO_OR_NEGATIVE),
    ("-۵۰۰۰۰", P.ZERO_OR_NEGATIVE),
    ("منفی پنج هزار", P.ZERO_OR_NEGATIVE),
    ("۱۲۳۴.۵", P.FRACTION_OF_TOMAN),
    ("۱.۲۳۴۵۶۷ هزار", P.FRACTION_OF_TOMAN),
    ("۱۲۳۴۵ ریال", P.FRACTION_OF_TOMAN),
]


def test_the_table_is_large_enough() -> None:
    accepted = [row for row in MONEY if not isinstance(row[1], P)]
    assert len(MONEY) >= 60 and len(accepted) >= 40
    assert len({typed for typed, _ in MONEY}) == len(MONEY), "a row is repeated"


@pytest.mark.parametrize(("typed", "expected"), MONEY)
def test_money_as_people_type_it(typed: str | None, expected: int | P) -> None:
    parsed = parse_toman(typed)
    if isinstance(expected, P):
        assert (parsed.value, parsed.problem) == (None, expected)
    else:
        assert (parsed.value, parsed.problem) == (expected, None)


def test_rial_is_flagged_for_the_notice() -> None:
    assert parse_toman("۵ میلیون ریال") == ParsedAmount(500_000, None, from_rial=True)
    assert parse_toman("۵ میلیون تومان").from_rial is False
    assert parse_toman("۱۲۳۴۵ ریال") == ParsedAmount(None, P.FRACTION_OF_TOMAN, from_rial=True)


def test_minimum_can_be_lowered_by_the_caller() -> None:
    assert parse_toman("۵۰۰", minimum=1).value == 500
    assert parse_toman("۵۰۰ ریال", minimum=1).value == 50
    assert parse_toman("۱۵ ریال", minimum=1).problem is P.FRACTION_OF_TOMAN


@pytest.mark.parametrize("value", [MIN_TOMAN, 1_001, 9_999, 50_000, 123_456, 1_500_000, 7_654_321, 2_000_000_000, MAX_TOMAN])
def test_format_then_parse_gives_the_value_back(value: int) -> None:
    shown = format_toman(value)
    assert not any(c in shown for c in "0123456789")
    assert parse_toman(shown) == ParsedAmount(value)


def test_format_then_parse_round_trips_over_a_spread_of_values() -> None:
    values = {MIN_TOMAN + (n * 7_919) ** 2 % (10**11) for n in range(2_000)}
    assert all(parse_toman(format_toman(v)).value == v for v in values)


def test_format_toman_groups_with_the_persian_separator() -> None:
    assert format_toman(2_000_000) == "۲٬۰۰۰٬۰۰۰ تومان"


@pytest.mark.parametrize("typed", ["1250000", "1,250,000", "1 میلیون و 250 هزار", "1.25 میلیون", "12.5 میلیون ریال"])
def test_persian_arabic_and_latin_digits_read_the_same(typed: str) -> None:
    persian = typed.translate(str.maketrans("0123456789", PERSIAN_DIGITS))
    arabic = typed.translate(str.maketrans("0123456789", ARABIC_INDIC_DIGITS))
    assert parse_toman(typed).value == parse_toman(persian).value == parse_toman(arabic).value == 1_250_000


@pytest.mark.parametrize("typed", ["۲ میلیون", "دو میلیون", "2میلیون", "دومیلیون", f"دو{ZWNJ}میلیون", "دو  میلیون  تومان"])
def test_spaces_zwnj_and_joined_words_read_the_same(typed: str) -> None:
    assert parse_toman(typed).value == 2_000_000


def test_any_bytes_get_an_answer_not_an_exception() -> None:
    for typed in ["\x00", "💰", "۵۰۰\n۰۰۰", "و", "نیم", "هزار و", "\u200f۵۰۰۰\u200e", "۵٫", "٬۵۰۰", "--۵"]:
        parsed = parse_toman(typed)
        assert (parsed.value is None) != (parsed.problem is None)


# (typed, (value, unit) or the problem)
QUANTITIES = [
    ("۳ کیسه", (3, "کیسه")),
    ("3 کیسه", (3, "کیسه")),
    ("۳کیسه", (3, "کیسه")),
    ("سه کیسه", (3, "کیسه")),
    ("سه تا کیسه", (3, "کیسه")),
    (f"سه{ZWNJ}تا کیسه", (3, "کیسه")),
    ("۵ تا", (5, None)),
    ("۱۲", (12, None)),
    ("دو روز", (2, "روز")),
    ("یک روز", (1, "روز")),
    ("نیم روز", (Fraction(1, 2), "روز")),
    ("دو روز و نیم", (Fraction(5, 2), "روز")),
    ("دو و نیم روز", (Fraction(5, 2), "روز")),
    ("۱.۵ روز", (Fraction(3, 2), "روز")),
    ("۲٫۵ روز کار", (Fraction(5, 2), "روز کار")),
    ("یک کیسه و نیم", (Fraction(3, 2), "کیسه")),
    ("۲ هزار آجر", (2_000, "آجر")),
    ("۱٬۵۰۰ آجر", (1_500, "آجر")),
    ("۱.۵۰۰.۰۰۰ آجر", P.TOO_LARGE),
    ("بیست و پنج پتو", (25, "پتو")),
    ("۲ کیسه‌ی ۵۰ کیلویی", (2, "کیسه\u200cی ۵۰ کیلویی")),
    ("ده گونی برنج", (10, "گونی برنج")),
    ("نه کیسه", (9, "کیسه")),
    ("", P.EMPTY),
    ("کیسه", P.NOT_A_NUMBER),
    ("چند کیسه", P.NOT_A_NUMBER),
    ("نه", P.AMBIGUOUS),
    ("۱.۵۰۰ کیلو", P.AMBIGUOUS),
    ("۳ ۴ کیسه", P.AMBIGUOUS),
    ("۰ کیسه", P.ZERO_OR_NEGATIVE),
    ("-۲ روز", P.ZERO_OR_NEGATIVE),
    ("دو میلیارد آجر", P.TOO_LARGE),
    (f"{MAX_QUANTITY + 1} آجر", P.TOO_LARGE),
    ("۱.۲۵ کیلو", P.NOT_HALVES),
    ("۱/۲ روز", P.NOT_HALVES),  # «/» is a decimal point: 1.2, not a half
]


@pytest.mark.parametrize(("typed", "expected"), QUANTITIES)
def test_quantities_as_people_type_them(typed: str, expected: tuple[int | Fraction, str | None] | P) -> None:
    parsed = parse_quantity(typed)
    if isinstance(expected, P):
        assert parsed == ParsedQuantity(problem=expected)
    else:
        assert parsed == ParsedQuantity(Fraction(expected[0]), expected[1])


def test_a_quantity_keeps_the_unit_as_typed_for_the_caller_to_check() -> None:
    assert parse_quantity("٣ كيسه").unit == "کیسه"  # Arabic letters and digits are folded
    assert parse_quantity("۵۰۰ هزار تومان") == ParsedQuantity(Fraction(500_000), "تومان")


@pytest.mark.parametrize(("value", "shown"), [(3, "۳"), (Fraction(5, 2), "۲ و نیم"), (Fraction(1, 2), "نیم"), (1_500, "۱٬۵۰۰")])
def test_format_quantity_reads_back(value: Fraction | int, shown: str) -> None:
    assert format_quantity(value) == shown
    assert parse_quantity(shown).value == value


def test_format_quantity_refuses_what_parse_never_returns() -> None:
    with pytest.raises(ValueError):
        format_quantity(Fraction(1, 3))


def test_every_problem_has_a_message() -> None:
    money_only = {P.TOO_SMALL, P.FRACTION_OF_TOMAN}
    keys = [f"amount-problem-{p}" for p in P if p is not P.NOT_HALVES]
    keys += [f"quantity-problem-{p}" for p in P if p not in money_only]
    missing = [key for key in keys if not bundle().has_message(key)]
    assert not missing, missing


def test_rial_notice_shows_both_amounts() -> None:
    from bot.persian.catalog import t

    assert t("amount-rial-notice", rial=5_000_000, toman=500_000).startswith(format_number(5_000_000))
