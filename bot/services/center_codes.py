"""Center IDs (شناسه کانون): 8 digits — 7 random, then a Damm check digit.

Random, so IDs say nothing about how many centers exist or which came first; the Damm
digit catches every single mistyped digit and every swap of two neighbouring digits, at
any length. IDs issued before were 7 digits (6 random and the check digit): they stay valid
and are read the same way. docs/center-codes.md says why and when the length grew.
"""

from __future__ import annotations

import secrets
from enum import StrEnum

from bot.persian.digits import ascii_digits
from bot.persian.text import clean

_DAMM = (
    (0, 3, 1, 7, 5, 9, 8, 6, 4, 2),
    (7, 0, 9, 2, 1, 5, 4, 8, 6, 3),
    (4, 2, 0, 6, 8, 7, 1, 3, 5, 9),
    (1, 7, 5, 0, 9, 8, 3, 4, 2, 6),
    (6, 1, 2, 3, 0, 4, 5, 9, 7, 8),
    (3, 6, 7, 4, 2, 0, 9, 5, 8, 1),
    (5, 8, 6, 9, 7, 2, 0, 1, 3, 4),
    (8, 9, 4, 5, 3, 6, 2, 0, 1, 7),
    (9, 4, 3, 8, 6, 1, 7, 2, 0, 5),
    (2, 5, 8, 1, 4, 3, 6, 7, 9, 0),
)
# Random digits of a new ID (its check digit follows). Was 6: 900,000 IDs, one in nine drawn
# again at 100,000 centers; 7 gives 9,000,000.
BODY_DIGITS = 7
# The lengths of every ID ever issued, check digit included.
LENGTHS = (7, 8)


def _damm(digits: str) -> int:
    interim = 0
    for digit in digits:
        interim = _DAMM[interim][int(digit)]
    return interim


def with_check_digit(body: int | str) -> int:
    """The ID made of these digits and their Damm check digit."""
    digits = str(body)
    return int(digits + str(_damm(digits)))


def new_code() -> int:
    return with_check_digit(secrets.randbelow(9 * 10 ** (BODY_DIGITS - 1)) + 10 ** (BODY_DIGITS - 1))


def is_valid(code: int | str) -> bool:
    digits = str(code)
    return digits.isdigit() and len(digits) in LENGTHS and _damm(digits) == 0


class CodeInput(StrEnum):
    """What a typed ID turned out to be, when it is not a valid one."""

    NOT_A_CODE = "not_a_code"
    MISTYPED = "mistyped"


def parse(typed: str) -> int | CodeInput:
    """A valid code as int (7 or 8 digits), or CodeInput.MISTYPED (about that long, but the
    check digit fails) / NOT_A_CODE."""
    digits = "".join(ascii_digits(clean(typed)).split()).replace("-", "")
    if not digits.isdigit():
        return CodeInput.NOT_A_CODE
    if len(digits) not in LENGTHS:
        return CodeInput.MISTYPED if 5 <= len(digits) <= 9 else CodeInput.NOT_A_CODE
    return int(digits) if is_valid(digits) else CodeInput.MISTYPED
