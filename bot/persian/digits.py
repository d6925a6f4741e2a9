"""Digits: read in any script, shown in Persian (the catalog needs these, and nothing else here)."""

from __future__ import annotations

PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_TO_ASCII_DIGITS = str.maketrans(PERSIAN_DIGITS + ARABIC_INDIC_DIGITS, "0123456789" * 2)
_TO_PERSIAN_DIGITS = str.maketrans("0123456789", PERSIAN_DIGITS)


def ascii_digits(text: str) -> str:
    return text.translate(_TO_ASCII_DIGITS)


def persian_digits(value: object) -> str:
    return str(value).translate(_TO_PERSIAN_DIGITS)


def format_number(value: int) -> str:
    """1234 → ۱٬۲۳۴"""
    return persian_digits(f"{value:,}".replace(",", "٬"))
