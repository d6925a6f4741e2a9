import random

from bot.services import center_codes
from bot.services.center_codes import CodeInput


def test_new_codes_are_eight_digits_and_valid() -> None:
    codes = {center_codes.new_code() for _ in range(500)}
    assert len(codes) > 490  # random, not a counter
    assert all(len(str(c)) == 8 and center_codes.is_valid(c) for c in codes)


def _seven_digit_codes(count: int) -> list[int]:
    """IDs as they were issued before: 6 random digits and the check digit."""
    draw = random.Random(7)
    return [center_codes.with_check_digit(draw.randrange(100_000, 1_000_000)) for _ in range(count)]


def test_codes_issued_before_stay_valid() -> None:
    for code in _seven_digit_codes(200):
        assert len(str(code)) == 7 and center_codes.is_valid(code)
        assert center_codes.parse(str(code)) == code
    assert center_codes.is_valid(1924893)  # one issued by the 7-digit scheme


def test_every_single_digit_typo_and_neighbour_swap_is_caught_at_both_lengths() -> None:
    codes = [center_codes.new_code() for _ in range(40)] + _seven_digit_codes(40)
    for code in map(str, codes):
        for i in range(len(code)):
            for d in "0123456789":
                if d != code[i]:
                    assert not center_codes.is_valid(code[:i] + d + code[i + 1:])
                    assert center_codes.parse(code[:i] + d + code[i + 1:]) == CodeInput.MISTYPED
            if i < len(code) - 1 and code[i] != code[i + 1]:
                assert not center_codes.is_valid(code[:i] + code[i + 1] + code[i] + code[i + 2:])


def test_parse_accepts_persian_digits_and_reports_typos() -> None:
    for code in (center_codes.new_code(), *_seven_digit_codes(1)):
        persian = str(code).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
        assert center_codes.parse(persian) == code
        broken = str(code)[:-1] + str((int(str(code)[-1]) + 1) % 10)
        assert center_codes.parse(broken) == CodeInput.MISTYPED
    assert center_codes.parse("کانون") == CodeInput.NOT_A_CODE
    assert center_codes.parse("09121234567") == CodeInput.NOT_A_CODE  # a mobile number is not an ID
