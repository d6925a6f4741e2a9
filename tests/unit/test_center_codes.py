from bot.services import center_codes
from bot.services.center_codes import CodeInput


def test_new_codes_are_seven_digits_and_valid() -> None:
    codes = {center_codes.new_code() for _ in range(500)}
    assert len(codes) > 490  # random, not a counter
    assert all(len(str(c)) == 7 and center_codes.is_valid(c) for c in codes)


def test_every_single_digit_typo_and_neighbour_swap_is_caught() -> None:
    for _ in range(50):
        code = str(center_codes.new_code())
        for i in range(7):
            for d in "0123456789":
                if d != code[i]:
                    assert not center_codes.is_valid(code[:i] + d + code[i + 1:])
            if i < 6 and code[i] != code[i + 1]:
                assert not center_codes.is_valid(code[:i] + code[i + 1] + code[i] + code[i + 2:])


def test_parse_accepts_persian_digits_and_reports_typos() -> None:
    code = center_codes.new_code()
    persian = str(code).translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    assert center_codes.parse(persian) == code
    broken = str(code)[:-1] + str((int(str(code)[-1]) + 1) % 10)
    assert center_codes.parse(broken) == CodeInput.MISTYPED
    assert center_codes.parse("کانون") == CodeInput.NOT_A_CODE
