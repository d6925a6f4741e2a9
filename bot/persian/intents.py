"""What a person meant by a short free text: the main menu's reader, and a conversation step's.

One table, RULES, says which words mean what. Words are compared folded (ی/ک, أ/إ/آ→ا, ة→ه,
digits, diacritics, a letter held down «سلاااام») with spaces and ZWNJ ignored, so «می‌خوام»,
«میخوام» and «می خوام» are one phrase; but only on word boundaries: «کانونم» is not inside
«کانون مسجد».

- ``alone``: the whole message is this phrase, once greetings, thanks and «لطفا» at its edges
  are set aside. Control words and ambiguous single words live here: «لغو عضویت» is not «لغو».
- ``within``: the phrase anywhere in the message; the longest hit wins, ties go to the earlier rule.

Reading order: courtesies set aside; alone phrases (control words among them: each phrase means
one thing, a test checks); a center code; within phrases; greeting/thanks if nothing else was
said; a center name.
The choices behind ambiguous words are in docs/intents.md.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple, TypeVar

from bot.persian.text import one_line, search_key


class Intent(StrEnum):
    CANCEL = "cancel"
    BACK = "back"
    MENU = "menu"
    GREETING = "greeting"
    THANKS = "thanks"
    JOIN = "join"
    REGISTER = "register"
    MY_CENTER = "my_center"  # also leaving a center / withdrawing a request: both live on that card
    CAMPAIGNS = "campaigns"
    NEW_CAMPAIGN = "new_campaign"
    ANNOUNCE = "announce"
    REQUESTS = "requests"  # the assistant's pending membership requests
    MEMBERS = "members"
    HELP = "help"
    CENTER_CODE = "center_code"  # .code: 6–8 digits, not yet checked (center_codes.parse does that)
    CENTER_NAME = "center_name"  # .query: a guess; the caller searches, and on no hit answers as UNKNOWN
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Reading:
    intent: Intent
    code: int | None = None
    query: str | None = None


class Rule(NamedTuple):
    intent: Intent
    alone: tuple[str, ...] = ()
    within: tuple[str, ...] = ()


RULES: tuple[Rule, ...] = (
    Rule(Intent.CANCEL, alone=(
        "لغو", "لغو کن", "لغوش کن", "لغو کنید", "انصراف", "انصراف میدم", "کنسل", "بیخیال", "ولش کن",
        "نمیخوام", "منصرف شدم", "توقف", "cancel", "stop")),
    Rule(Intent.BACK, alone=(
        "برگشت", "بازگشت", "برگرد", "برگردیم", "قبلی", "مرحله قبل", "مرحله ی قبل", "مرحله قبلی",
        "صفحه قبل", "عقب", "back")),
    Rule(Intent.MENU, alone=(
        "منو", "منوی اصلی", "منو اصلی", "صفحه اصلی", "بازگشت به منو", "برگشت به منو", "شروع",
        "شروع دوباره", "از اول", "menu", "start")),
    Rule(Intent.GREETING, alone=(  # also set aside when they lead a request
        "سلام", "سلام علیکم", "علیک سلام", "با سلام", "سلام و عرض ادب", "عرض ادب", "سلام عرض شد",
        "درود", "درود بر شما", "صبح بخیر", "صبح به خیر", "ظهر بخیر", "عصر بخیر", "شب بخیر",
        "وقت بخیر", "وقت به خیر", "روز بخیر", "خسته نباشید", "خسته نباشی", "چطوری", "خوبی",
        "حالتون خوبه", "hi", "hello", "salam", "slm")),
    Rule(Intent.THANKS, alone=(  # also set aside when they close a request
        "ممنون", "ممنونم", "خیلی ممنون", "ممنون از شما", "متشکرم", "مچکرم", "تشکر", "با تشکر",
        "مرسی", "سپاس", "سپاسگزارم", "دستت درد نکنه", "دستتون درد نکنه", "دست شما درد نکند",
        "لطف کردید", "thanks", "thank you", "merci", "mersi")),
    Rule(Intent.REQUESTS, within=(
        "درخواست ها", "درخواست های", "درخواستا", "تایید درخواست", "تایید عضو", "تایید اعضا",
        "درخواست های عضویت")),
    Rule(Intent.MEMBERS, within=(
        "اعضا", "اعضای", "اعضای کانون", "اعضا کانون", "عضو ها", "عضوهای", "لیست اعضا", "فهرست اعضا")),
    Rule(Intent.ANNOUNCE, within=(
        "اعلان", "اطلاعیه", "اطلاع رسانی", "پیام به اعضا", "پیام به همه", "پیام همگانی")),
    Rule(Intent.NEW_CAMPAIGN, within=(
        "پویش جدید", "پویش تازه", "پویش بسازم", "پویش بذارم", "ساخت پویش", "ایجاد پویش",
        "راه اندازی پویش", "پویش راه بندازم", "پویش درست کنم", "فراخوان بدم")),
    Rule(Intent.REGISTER, within=(
        "ثبت کانون", "کانون ثبت", "کانونم رو ثبت", "کانونم را ثبت", "کانون بسازم", "کانون بسازیم",
        "ساخت کانون", "ساختن کانون", "ایجاد کانون", "تاسیس", "تشکیل کانون", "کانون تشکیل",
        "راه اندازی کانون", "کانون راه بندازم", "کانون جدید", "ثبت شناسه", "شناسه بگیرم",
        "دریافت شناسه", "راهبر بشم", "راهبر شوم", "راهبر کانون")),
    Rule(Intent.MY_CENTER, within=(
        "کانون من", "کانونم", "کانون خودم", "مشخصات کانون", "خروج از کانون", "ترک کانون",
        "لغو عضویت", "انصراف از عضویت", "درخواستم", "درخواست من", "وضعیت درخواست",
        "وضعیت عضویت", "پس گرفتن درخواست")),
    Rule(Intent.JOIN, alone=("عضو", "join"), within=(
        "عضویت", "عضو بشم", "عضو شم", "عضو شوم", "عضو بشوم", "عضو شدن", "عضو میشم", "عضو می شوم",
        "عضو کانون", "عضو یک کانون", "عضو یه کانون", "ثبت نام", "کانون ثبت نام", "بپیوندم",
        "پیوستن")),
    Rule(Intent.CAMPAIGNS, alone=("پویش", "برنامه"), within=(
        "پویش ها", "پویش های", "پویش های کانون", "پویشا", "پویش بعدی", "پویش فعال", "برنامه ها", "برنامه های")),
    Rule(Intent.HELP, alone=(  # «کمک» alone is help, not charity: see docs/intents.md
        "کمک", "کمک کن", "کمک کنید", "کمک میخوام", "کمک لازم دارم", "help", "راهنمایی کنید",
        "راهنماییم کنید", "چیکار کنم", "چه کار کنم", "چکار کنم", "سوال دارم",
        "یه سوال", "یک سوال دارم", "بلد نیستم", "نمیدونم", "نمی دانم"), within=(
        "راهنما", "راهنمایی", "چطور کار میکنه", "چطور کار میکند", "ربات چیه")),
)
POLITE = ("لطفا", "خواهشا", "خواهش میکنم", "ببخشید", "please", "pls")  # set aside at either edge
CODE_LABELS = ("کد", "کد کانون", "شناسه", "شناسه کانون", "code")  # may lead a typed code
CODE_DIGITS = range(6, 9)
NAME_MAX_WORDS, NAME_MAX_CHARS = 8, 64  # services.centers.NAME_MAX: no name is longer
_QUESTION_MARKS = frozenset("?؟")
_WORD = re.compile(r"[^\W_]+")
_HELD_LETTER = re.compile(r"([^\W\d_])\1{2,}")
_EDGE_MARKS = re.compile(r"^[\W_]+|[\W_]+$")
V = TypeVar("V")


def _pieces(word: str) -> list[str]:
    """A typed word's folded comparison keys (punctuation inside splits it: «سلام،کانون»)."""
    return _WORD.findall(_HELD_LETTER.sub(r"\1", search_key(word)))


def phrase_key(phrase: str) -> str:
    return "".join(piece for word in phrase.split() for piece in _pieces(word))


def _index(pairs: list[tuple[str, V]]) -> dict[str, V]:
    table: dict[str, V] = {}
    for phrase, value in pairs:
        table.setdefault(phrase_key(phrase), value)
    return table


_ALONE = _index([(p, r.intent) for r in RULES for p in r.alone])
_WITHIN = _index([(p, (n, r.intent)) for n, r in enumerate(RULES) for p in r.within])
_GREETINGS = next(r.alone for r in RULES if r.intent == Intent.GREETING)
_THANKS = next(r.alone for r in RULES if r.intent == Intent.THANKS)
_LEADING = _index([(p, Intent.GREETING) for p in _GREETINGS] + [(p, None) for p in POLITE])
_TRAILING = _index([(p, Intent.THANKS) for p in _THANKS] + [(p, None) for p in POLITE])
_CODE_LABELS = _index([(p, True) for p in CODE_LABELS])
_LONGEST = max(len(k) for table in (_ALONE, _WITHIN, _LEADING, _TRAILING, _CODE_LABELS) for k in table)


def _edge(keys: list[str], start: int, end: int, table: dict[str, V],
          from_end: bool = False) -> tuple[int, V] | None:
    """The longest phrase of `table` at the start (or end) of keys[start:end]: (keys it spans, value)."""
    found, joined = None, ""
    steps = range(end - 1, start - 1, -1) if from_end else range(start, end)
    for count, at in enumerate(steps, 1):
        joined = keys[at] + joined if from_end else joined + keys[at]
        if len(joined) > _LONGEST:
            break
        if joined in table:
            found = (count, table[joined])
    return found


def _trim(keys: list[str]) -> tuple[int, int, set[Intent | None]]:
    """Set aside greetings and «لطفا» in front, thanks and «لطفا» behind: (start, end, what was set
    aside; None stands for «لطفا», which means nothing on its own)."""
    start, end = 0, len(keys)
    courtesies: set[Intent | None] = set()
    while start < end:
        if lead := _edge(keys, start, end, _LEADING):
            start += lead[0]
            courtesies.add(lead[1])
        elif trail := _edge(keys, start, end, _TRAILING, from_end=True):
            end -= trail[0]
            courtesies.add(trail[1])
        else:
            break
    return start, end, courtesies


def _code(keys: list[str]) -> int | None:
    label = _edge(keys, 0, len(keys), _CODE_LABELS)
    digits = "".join(keys[label[0] if label else 0:])
    return int(digits) if digits.isascii() and digits.isdigit() and len(digits) in CODE_DIGITS else None


def _within(keys: list[str]) -> Intent | None:
    best: tuple[int, int, Intent] | None = None  # (length, -table position, intent)
    for start in range(len(keys)):
        joined = ""
        for key in keys[start:]:
            joined += key
            if len(joined) > _LONGEST:
                break
            if (hit := _WITHIN.get(joined)) and (best is None or (len(joined), -hit[0]) > best[:2]):
                best = (len(joined), -hit[0], hit[1])
    return best[2] if best else None


@functools.lru_cache(maxsize=1024)
def read_intent(text: str) -> Reading:
    # Cached: one message's text is read by every filter that looks at it (the conversations'
    # entries and fallbacks, then its handler); a Reading is frozen.
    words = one_line(text).split()
    tokens = [(piece, n) for n, word in enumerate(words) for piece in _pieces(word)]
    asks = bool(_QUESTION_MARKS & set(text or ""))
    if not tokens:  # a lone «؟» asks for help
        return Reading(Intent.HELP if asks else Intent.UNKNOWN)
    start, end, courtesies = _trim([key for key, _ in tokens])
    core = [key for key, _ in tokens[start:end]]
    if not core:
        for courtesy in (Intent.THANKS, Intent.GREETING):
            if courtesy in courtesies:
                return Reading(courtesy)
        return Reading(Intent.UNKNOWN)
    if intent := _ALONE.get("".join(core)):
        return Reading(intent)
    if (code := _code(core)) is not None:
        return Reading(Intent.CENTER_CODE, code=code)
    if intent := _within(core):
        return Reading(intent)
    query = _EDGE_MARKS.sub("", " ".join(words[tokens[start][1]:tokens[end - 1][1] + 1]))
    letters = sum(ch.isalpha() for ch in "".join(core))
    if letters >= 2 and not asks and len(query.split()) <= NAME_MAX_WORDS and len(query) <= NAME_MAX_CHARS:
        return Reading(Intent.CENTER_NAME, query=query)
    return Reading(Intent.UNKNOWN)
