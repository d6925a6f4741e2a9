"""Reading amounts of money and quantities as villagers type them (docs/amounts.md).

Money, always read to whole toman:
  «۵۰۰ هزار» · «۲ میلیون تومان» · «یک و نیم میلیون» · «۵۰۰۰۰۰» · «۵۰۰.۰۰۰» · «1.5 میلیون» ·
  «۲/۵ میلیون» · «دویست و پنجاه هزار تومن» · «پانصدهزار» · «۲ میلیون و پانصد» · «۵ میلیون ریال»
Quantities of goods and work, in whole units or halves, with the unit words as typed:
  «۳ کیسه» · «دو روز» · «دو روز و نیم» · «نیم روز» · «۵ تا پتو» · «۲ هزار آجر»

Decisions:
- Money under `MIN_TOMAN` is refused as TOO_SMALL, with or without «تومان/تومن»: «۵ تومن» often
  means ۵ هزار (and «۸۰۰ تومن» for a car means ۸۰۰ میلیون); we never guess the missing word.
- After «میلیون/میلیارد» a trailing group under 1000 counts in the next scale down, as people say
  it: «۲ میلیون و پانصد» is ۲٬۵۰۰٬۰۰۰; «یک میلیون و نیم» is ۱٬۵۰۰٬۰۰۰. After «هزار» it is literal.
- Rial is divided by 10 and `from_rial` is set so the caller says so; a rial amount that is not
  a whole number of toman is refused (FRACTION_OF_TOMAN), never rounded.
- «٬ , ،» only group thousands; «٫ /» are decimal points; «.» groups when it splits off groups of
  three (۵۰۰.۰۰۰) and is a decimal point otherwise (1.5). A single «.» before three digits is
  refused as AMBIGUOUS before a scale word («۱.۵۰۰ میلیون») and in quantities («۱.۵۰۰ کیلو»).
- Shorthands («۲ م», «۲۵۰ ت») and a lone «نه» (also "no") are refused as AMBIGUOUS.

The word tables below only read input (tests/unit/test_catalog.py allows them in this file);
every word shown to people comes from locales/fa/amounts.ftl.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from functools import lru_cache

from bot.persian.catalog import t
from bot.persian.text import ZWNJ, ascii_digits, clean, format_number

MIN_TOMAN = 1_000
MAX_TOMAN = 10**12  # هزار میلیارد تومان
MAX_QUANTITY = 10**6
MAX_TYPED = 200  # characters; nobody types an amount longer than this
MAX_DIGITS = 15
HALF = Fraction(1, 2)


class AmountProblem(StrEnum):
    """Why a typed amount or quantity was refused; the value names its catalog message."""

    EMPTY = "empty"
    NOT_A_NUMBER = "not-a-number"
    AMBIGUOUS = "ambiguous"  # two readings: «۱.۵۰۰ میلیون», «1,5», «۵۰۰ ۰۰۰», «۲ م», a lone «نه»
    TOO_SMALL = "too-small"  # money only: under MIN_TOMAN, «۵ تومن» may mean ۵ هزار
    TOO_LARGE = "too-large"
    ZERO_OR_NEGATIVE = "zero-or-negative"
    FRACTION_OF_TOMAN = "fraction-of-toman"  # money only, also a rial amount not divisible by 10
    NOT_HALVES = "not-halves"  # quantities only: whole units or halves


@dataclass(frozen=True)
class ParsedAmount:
    value: int | None = None  # toman; None exactly when `problem` is set
    problem: AmountProblem | None = None
    from_rial: bool = False  # rial was typed and divided by 10: tell the person


@dataclass(frozen=True)
class ParsedQuantity:
    value: Fraction | None = None  # a whole number or a half; None exactly when `problem` is set
    unit: str | None = None  # the words after the number as typed («کیسه», «روز کار»); the caller checks them
    problem: AmountProblem | None = None


# ------------------------------------------------------------------ word tables (input only)

_NUMBER_WORDS = {
    "صفر": 0, "یک": 1, "یه": 1, "دو": 2, "سه": 3, "چهار": 4, "چار": 4, "پنج": 5, "شش": 6, "شیش": 6,
    "هفت": 7, "هشت": 8, "نه": 9, "ده": 10, "یازده": 11, "دوازده": 12, "سیزده": 13, "چهارده": 14,
    "چارده": 14, "پانزده": 15, "پونزده": 15, "شانزده": 16, "شونزده": 16, "هفده": 17, "هیفده": 17,
    "هجده": 18, "هیجده": 18, "هژده": 18, "نوزده": 19, "بیست": 20, "سی": 30, "چهل": 40, "پنجاه": 50,
    "شصت": 60, "هفتاد": 70, "هشتاد": 80, "نود": 90, "صد": 100, "یکصد": 100, "دویست": 200,
    "سیصد": 300, "چهارصد": 400, "چارصد": 400, "پانصد": 500, "پونصد": 500, "ششصد": 600,
    "شیشصد": 600, "هفتصد": 700, "هشتصد": 800, "هشصد": 800, "نهصد": 900,
}
_SCALES = {"هزار": 10**3, "میلیون": 10**6, "ملیون": 10**6, "میلیارد": 10**9, "ملیارد": 10**9}
_AND, _HALF, _HUNDRED, _COUNTER, _NO = "و", "نیم", "صد", "تا", "نه"
# Unit words that fit any goods («۳ عدد») and those of a day of work, for callers that check
# the unit typed after a quantity (bot/conversations/help_amounts.py).
ANY_GOODS_UNITS = ("عدد",)
WORK_UNITS = ("روز", "روز کار", "روزکار", "نفر روز")
_ONE_TO_NINE = frozenset(range(1, 10))
_NEGATIVE = {"-", "\u2212", "منفی"}
_TOMAN = {"تومان", "تومن"}
_RIAL = {"ریال"}
# Shorthands with more than one reading: refused, never guessed.
_ABBREVIATIONS = {"م", "ت", "ه", "هـ", "میل", "k", "K", "m", "M"}
_VOCABULARY = {*_NUMBER_WORDS, *_SCALES, _AND, _HALF, _COUNTER, "منفی", *_TOMAN, *_RIAL}
_LONGEST_WORD = max(map(len, _VOCABULARY))

# Digits with separators | letters | a minus sign | spaces | anything else.
_TOKEN_RE = re.compile(r"([0-9]+(?:[.,٬،٫/][0-9]+)*)|([^\W\d_]+)|([-\u2212])|(\s+)|(.)")
_INNER_MARKS = str.maketrans({ZWNJ: " ", "\u200d": " ", "\u200e": " ", "\u200f": " "})
_TRAILING_PUNCTUATION = ".!?؟"


# ------------------------------------------------------------------ reading


def parse_toman(typed: str | None, minimum: int = MIN_TOMAN) -> ParsedAmount:
    """«۲ میلیون تومان» → 2_000_000, or the reason it cannot be read (see the module docstring)."""
    start = _tokens(typed)
    if isinstance(start, AmountProblem):
        return ParsedAmount(problem=start)
    words = [token.text for token in start[1]]
    from_rial = words[-1] in _RIAL
    if words[-1] in _TOMAN | _RIAL:
        words = words[:-1]
    number = _read_number(words, lone_dot_groups=True)
    if isinstance(number, AmountProblem):
        return ParsedAmount(problem=number, from_rial=from_rial)
    value, used = number
    if used < len(words):
        leftover = AmountProblem.AMBIGUOUS if set(words[used:]) & _ABBREVIATIONS else AmountProblem.NOT_A_NUMBER
        return ParsedAmount(problem=leftover, from_rial=from_rial)
    if from_rial:
        value /= 10
    problem = (
        AmountProblem.ZERO_OR_NEGATIVE if value < 0 or (value == 0 and minimum > 0)  # minimum=0 takes «۰»
        else AmountProblem.TOO_LARGE if value > MAX_TOMAN
        else AmountProblem.TOO_SMALL if value < minimum
        else AmountProblem.FRACTION_OF_TOMAN if value.denominator != 1
        else None
    )
    return ParsedAmount(None if problem else int(value), problem, from_rial)


def parse_quantity(typed: str | None) -> ParsedQuantity:
    """«۳ کیسه» → (3, «کیسه»), «دو روز و نیم» → (5/2, «روز»), «۵ تا» → (5, None)."""
    start = _tokens(typed)
    if isinstance(start, AmountProblem):
        return ParsedQuantity(problem=start)
    shown, tokens = start
    number = _read_number([token.text for token in tokens], lone_dot_groups=False)
    if isinstance(number, AmountProblem):
        return ParsedQuantity(problem=number)
    value, used = number
    rest = tokens[used:]
    if rest and rest[0].text == _COUNTER:  # «سه تا کیسه»: «تا» only counts
        rest = rest[1:]
    if len(rest) > 2 and [token.text for token in rest[-2:]] == [_AND, _HALF]:  # «دو روز و نیم»
        value, rest = value + HALF, rest[:-2]
    problem = (
        AmountProblem.ZERO_OR_NEGATIVE if value <= 0
        else AmountProblem.TOO_LARGE if value > MAX_QUANTITY
        else AmountProblem.NOT_HALVES if (value * 2).denominator != 1
        else None
    )
    if problem:
        return ParsedQuantity(problem=problem)
    return ParsedQuantity(value, shown[rest[0].start:rest[-1].end] if rest else None)


def format_toman(value: int) -> str:
    """2000000 → «۲٬۰۰۰٬۰۰۰ تومان»."""
    return t("amount-toman", amount=value)


def format_quantity(value: Fraction | int) -> str:
    """3 → «۳», 5/2 → «۲ و نیم», 1/2 → «نیم»."""
    if (value * 2) != int(value * 2):
        raise ValueError(f"quantities are whole or halves, not {value}")
    whole = int(value)
    if value == whole:
        return format_number(whole)
    return t("quantity-and-half", whole=whole) if whole else t("quantity-half")


# ------------------------------------------------------------------ the parts


@dataclass(frozen=True)
class _Token:
    text: str  # folded: Latin digits, ZWNJ split
    start: int  # where it sits in the cleaned text the person typed
    end: int


def _tokens(typed: str | None) -> tuple[str, list[_Token]] | AmountProblem:
    """The cleaned text and its tokens; «پانصدهزارتومان» splits into its three words."""
    shown = clean(typed).replace("\n", " ").rstrip(_TRAILING_PUNCTUATION + " ")
    if not shown:
        return AmountProblem.EMPTY
    if len(shown) > MAX_TYPED:
        return AmountProblem.NOT_A_NUMBER
    tokens = []
    for match in _TOKEN_RE.finditer(ascii_digits(shown).translate(_INNER_MARKS)):
        digits, letters, minus, _, other = match.groups()
        if other:
            return AmountProblem.NOT_A_NUMBER
        if digits or minus:
            tokens.append(_Token(match.group(), match.start(), match.end()))
        elif letters:
            start = match.start()
            for piece in _split_joined(letters):
                tokens.append(_Token(piece, start, start + len(piece)))
                start += len(piece)
    if not tokens:
        return AmountProblem.EMPTY
    if [token.text for token in tokens] == [_NO]:
        return AmountProblem.AMBIGUOUS
    return shown, tokens


@lru_cache(maxsize=1024)
def _split_joined(word: str) -> tuple[str, ...]:
    """Letters like «د» do not join the next one, so «پانصدهزار» looks spaced and people type it so."""
    if word in _VOCABULARY or len(word) > 4 * _LONGEST_WORD:
        return (word,)
    return _segment(word) or (word,)


@lru_cache(maxsize=1024)
def _segment(word: str) -> tuple[str, ...] | None:
    if not word:
        return ()
    for size in range(min(len(word), _LONGEST_WORD), 0, -1):
        rest = _segment(word[size:]) if word[:size] in _VOCABULARY else None
        if rest is not None:
            return (word[:size], *rest)
    return None


def _read_number(words: list[str], lone_dot_groups: bool) -> tuple[Fraction, int] | AmountProblem:
    """The number at the start of `words` and how many words it used; the rest is left alone."""
    negative = bool(words) and words[0] in _NEGATIVE
    total, group, half_alone = Fraction(0), None, False  # group: the part since the last scale word
    last_scale, previous = 0, None  # previous part: "digits", "word", "and" or "scale"
    i = int(negative)
    while i < len(words):
        word, following = words[i], (words[i + 1] if i + 1 < len(words) else None)
        if word == _AND:
            if previous is None or not _is_number_part(following):
                break
            previous = "and"
        elif word in _SCALES:
            scale = _SCALES[word]
            if previous == "scale" and scale > last_scale:  # «هزار میلیارد»
                total, last_scale = total * scale, last_scale * scale
            elif last_scale and scale >= last_scale:  # «پانصد هزار و دو میلیون»
                return AmountProblem.NOT_A_NUMBER
            else:
                total, last_scale = total + (1 if group is None else group) * scale, scale
            group, half_alone, previous = None, False, "scale"
        elif _is_digits(word):
            if previous in ("digits", "word"):  # «۵۰۰ ۰۰۰», «دو ۵»
                return AmountProblem.AMBIGUOUS
            value = _digits_value(word, lone_dot_groups and following not in _SCALES)
            if isinstance(value, AmountProblem):
                return value
            if (group := _join(group, value)) is None:
                return AmountProblem.NOT_A_NUMBER
            previous = "digits"
        elif word in _NUMBER_WORDS or word == _HALF:
            if previous == "digits":
                return AmountProblem.AMBIGUOUS
            if word == _HUNDRED and previous == "word" and group in _ONE_TO_NINE:  # «پنج صد»
                group *= 100
            else:
                half_alone = group is None and word == _HALF
                value = HALF if word == _HALF else Fraction(_NUMBER_WORDS[word])
                if (group := _join(group, value)) is None:
                    return AmountProblem.NOT_A_NUMBER
            previous = "word"
        else:
            break
        i += 1
    if previous is None:
        return AmountProblem.NOT_A_NUMBER
    if group is not None:
        if last_scale and half_alone:  # «یک میلیون و نیم»
            group = last_scale * HALF
        elif last_scale >= 10**6 and group < 1000:  # «۲ میلیون و پانصد»: پانصد هزار
            group *= last_scale // 1000
        total += group
    return (-total if negative else total), i


def _is_number_part(word: str | None) -> bool:
    return word is not None and (_is_digits(word) or word in _NUMBER_WORDS or word in _SCALES or word == _HALF)


def _is_digits(word: str) -> bool:
    return word[0] in "0123456789"  # Latin only: other digits were folded or are refused («²»)


def _join(group: Fraction | None, value: Fraction) -> Fraction | None:
    """«دویست» + «پنجاه» + «پنج»: each part below the last one's place; None for «پنج بیست»."""
    if group is None:
        return value
    if value <= 0 or group <= 0 or group.denominator != 1 or value >= _place(int(group)):
        return None
    return group + value


def _place(number: int) -> int:
    """250 → 10, 200 → 100, 15 → 1: the smallest place already filled."""
    place = 1
    while number % (place * 10) == 0:
        place *= 10
    return place


def _digits_value(token: str, lone_dot_groups: bool) -> Fraction | AmountProblem:
    """«500000», «500,000», «۵۰۰.۰۰۰» (grouped), «1.5», «۲/۵», «۱٫۵» (decimal)."""
    parts = re.split(r"\D", token)
    separators = set(re.sub(r"\d", "", token))
    if len("".join(parts)) > MAX_DIGITS:
        return AmountProblem.TOO_LARGE
    if not separators:
        return Fraction(int(token))
    if len(separators) > 1:
        return AmountProblem.AMBIGUOUS
    separator = separators.pop()
    grouped = 1 <= len(parts[0]) <= 3 and not parts[0].startswith("0") and all(len(p) == 3 for p in parts[1:])
    if separator in ",٬،" or (separator == "." and len(parts) > 2):
        return Fraction(int("".join(parts))) if grouped else AmountProblem.AMBIGUOUS
    if len(parts) > 2:  # «۱/۲/۳»
        return AmountProblem.AMBIGUOUS
    if separator == "." and grouped:  # «۵۰۰.۰۰۰» or 1.500 kg?
        return Fraction(int("".join(parts))) if lone_dot_groups else AmountProblem.AMBIGUOUS
    return Fraction(f"{parts[0]}.{parts[1]}")
