"""Reading free text typed at the main menu (or at a conversation step) as an intent."""

from __future__ import annotations

import pytest

from bot.persian.intents import CODE_LABELS, POLITE, RULES, Intent, Reading, phrase_key, read_intent

ZWNJ = "\u200c"

PHRASINGS = [
    # greetings, alone
    ("سلام", Intent.GREETING),
    ("سلام علیکم", Intent.GREETING),
    ("سلام عليكم", Intent.GREETING),  # Arabic ي/ك
    ("سلاااام!", Intent.GREETING),
    ("درود", Intent.GREETING),
    ("صبح بخیر", Intent.GREETING),
    ("صبح به خیر", Intent.GREETING),
    ("سلام، خسته نباشید", Intent.GREETING),
    ("Salam", Intent.GREETING),
    # thanks
    ("ممنون", Intent.THANKS),
    ("مرسی 🙏", Intent.THANKS),
    ("دستت درد نکنه", Intent.THANKS),
    ("سلام، خیلی ممنون", Intent.THANKS),
    # joining: the issue's own examples and their spellings
    (f"می{ZWNJ}خوام عضو بشم", Intent.JOIN),
    ("میخوام عضو بشم", Intent.JOIN),
    ("می خواهم عضو شوم", Intent.JOIN),
    ("ميخوام عضو بشم", Intent.JOIN),
    ("سلام میخوام عضو بشم", Intent.JOIN),
    ("عضویت", Intent.JOIN),
    ("عضويت", Intent.JOIN),
    ("عضو", Intent.JOIN),
    ("عضویت در کانون", Intent.JOIN),
    ("چطور عضو کانون بشم؟", Intent.JOIN),
    ("میخوام عضو کانون صاحب الزمان بشم", Intent.JOIN),
    ("ثبت نام", Intent.JOIN),
    ("ثبتنام کنم", Intent.JOIN),
    ("میخوام در کانون ثبت نام کنم", Intent.JOIN),
    ("درخواست عضویت", Intent.JOIN),
    # registering a center
    ("میخوام کانون ثبت کنم", Intent.REGISTER),
    ("ثبت کانون", Intent.REGISTER),
    ("كانون بسازم", Intent.REGISTER),
    (f"راه{ZWNJ}اندازی کانون", Intent.REGISTER),
    ("راه اندازی کانون", Intent.REGISTER),
    ("تأسیس کانون", Intent.REGISTER),
    ("میخوام کانونم رو ثبت کنم", Intent.REGISTER),
    ("ثبت نام کانون جدید", Intent.REGISTER),
    # my center, including leaving it (the leave button is on that card)
    ("کانون من", Intent.MY_CENTER),
    ("كانون من", Intent.MY_CENTER),
    ("کانونمن", Intent.MY_CENTER),
    ("کانونم", Intent.MY_CENTER),
    ("لغو عضویت", Intent.MY_CENTER),
    ("خروج از کانون", Intent.MY_CENTER),
    ("درخواستم چی شد؟", Intent.MY_CENTER),
    # campaigns
    ("پویش", Intent.CAMPAIGNS),
    ("پویش‌ها", Intent.CAMPAIGNS),
    ("پویشها", Intent.CAMPAIGNS),
    ("پویش ها", Intent.CAMPAIGNS),
    ("برنامه‌ها", Intent.CAMPAIGNS),
    ("پویش های کانون من", Intent.CAMPAIGNS),
    ("پویش جدید", Intent.NEW_CAMPAIGN),
    ("میخوام پویش بسازم", Intent.NEW_CAMPAIGN),
    ("پیام به اعضا", Intent.ANNOUNCE),
    ("📢 اعلان به اعضا", Intent.ANNOUNCE),
    # the assistant's and leader's words
    ("درخواست‌ها", Intent.REQUESTS),
    ("درخواستها", Intent.REQUESTS),
    ("درخواست های عضویت", Intent.REQUESTS),
    ("اعضا", Intent.MEMBERS),
    ("اعضای کانون من", Intent.MEMBERS),
    ("لیست اعضا", Intent.MEMBERS),
    # help: «کمک» alone is the help menu
    ("کمک", Intent.HELP),
    ("لطفا کمک کنید", Intent.HELP),
    ("راهنما", Intent.HELP),
    ("راهنمایی", Intent.HELP),
    ("help?", Intent.HELP),
    ("؟", Intent.HELP),
    ("چیکار کنم", Intent.HELP),
]

CONTROL_WORDS = [
    ("برگشت", Intent.BACK),
    ("بازگشت", Intent.BACK),
    ("قبلی", Intent.BACK),
    ("▶️ قبلی", Intent.BACK),
    (f"🔙 مرحله{ZWNJ}ی قبل", Intent.BACK),
    ("مرحله ی قبل", Intent.BACK),
    ("مرحلة قبل", Intent.BACK),  # Arabic ة
    ("انصراف", Intent.CANCEL),
    ("❌ انصراف", Intent.CANCEL),
    ("إنصراف", Intent.CANCEL),
    ("لغو", Intent.CANCEL),
    ("لطفا لغو کنید", Intent.CANCEL),
    ("بی خیال", Intent.CANCEL),
    ("بیخیال", Intent.CANCEL),
    ("منو", Intent.MENU),
    ("منوی اصلی", Intent.MENU),
    ("برگشت به منو", Intent.MENU),
]


@pytest.mark.parametrize(("typed", "intent"), PHRASINGS + CONTROL_WORDS)
def test_phrasings(typed: str, intent: Intent) -> None:
    assert read_intent(typed) == Reading(intent)


def test_the_issue_asks_for_at_least_forty_phrasings() -> None:
    assert len(PHRASINGS) >= 40 and {i for _, i in PHRASINGS} >= set(Intent) - {
        Intent.CANCEL, Intent.BACK, Intent.MENU, Intent.CENTER_CODE, Intent.CENTER_NAME, Intent.UNKNOWN}


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("۱۲۳۴۵۶۷", 1234567),
        ("١٢٣٤٥٦٧", 1234567),
        ("1234567", 1234567),
        ("۱۲۳ ۴۵۶۷", 1234567),
        ("123-4567", 1234567),
        ("۱۲3٤567", 1234567),  # mixed digit scripts from one keyboard
        (f"\u200f۱۲۳{ZWNJ}۴۵۶۷ ", 1234567),
        ("۱۲۳۴۵۶", 123456),
        ("12345678", 12345678),
        ("کد کانون: ۱۲۳۴۵۶۷", 1234567),
        ("سلام ۱۲۳۴۵۶۷", 1234567),
        ("1234568", 1234568),  # a mistyped code is still a code: center_codes.parse says "mistyped"
    ],
)
def test_center_code_in_any_digits(typed: str, code: int) -> None:
    assert read_intent(typed) == Reading(Intent.CENTER_CODE, code=code)


@pytest.mark.parametrize("typed", ["12345", "123456789", "09121234567", "۱۲۳", "٠"])
def test_other_numbers_are_not_codes(typed: str) -> None:
    assert read_intent(typed) == Reading(Intent.UNKNOWN)


@pytest.mark.parametrize(
    ("typed", "query"),
    [
        (f"کانون همیاری صاحب{ZWNJ}الزمان", f"کانون همیاری صاحب{ZWNJ}الزمان"),  # not MY_CENTER
        ("كانون صاحب الزمان", "کانون صاحب الزمان"),  # stored with Persian letters
        ("سلام، کانون شهدای هوتک", "کانون شهدای هوتک"),  # the greeting is set aside
        ("کانون مسجد جامع", "کانون مسجد جامع"),  # «کانونم» is not inside «کانون مسجد»
        ("کانون پویش سبز", "کانون پویش سبز"),  # «پویش» inside a name is not the campaigns menu
        ("کانون کمک به سیل زدگان", "کانون کمک به سیل زدگان"),  # nor «کمک» the help menu
        ("کانون نیکی و خوبی", "کانون نیکی و خوبی"),  # «خوبی» ends a name, it only leads as a greeting
        ("نظرآقا", "نظرآقا"),
        ("«میبد»", "میبد"),
    ],
)
def test_center_names(typed: str, query: str) -> None:
    assert read_intent(typed) == Reading(Intent.CENTER_NAME, query=query)


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "   ",
        ZWNJ,
        "🙂🙂",
        "لطفا",
        "x",
        "ساعت چنده؟",  # a question is not a name
        "من دیروز با همسایه ها رفتیم بازار شهر و خرید کردیم",  # too long for a name
        "\x00\ufffd",
    ],
)
def test_unknown(typed: str) -> None:
    assert read_intent(typed) == Reading(Intent.UNKNOWN)


def test_passing_words_do_not_become_control_words() -> None:
    assert read_intent("لغو عضویت").intent != Intent.CANCEL
    assert read_intent("بازگشت به نتایج").intent != Intent.BACK  # a join button, not «back»
    assert read_intent("منو نمی‌بینم").intent != Intent.MENU


def test_long_text_is_read_without_error() -> None:
    assert read_intent("سلام " * 2000 + "عضویت").intent == Intent.JOIN
    assert read_intent("ا" * 4096).intent == Intent.UNKNOWN


def test_each_phrase_means_one_thing() -> None:
    phrases = [p for rule in RULES for p in (*rule.alone, *rule.within)] + list(POLITE) + list(CODE_LABELS)
    keys = [phrase_key(p) for p in phrases]
    assert all(keys)
    duplicates = sorted({p for p, k in zip(phrases, keys) if keys.count(k) > 1})
    assert not duplicates, duplicates


def test_every_spoken_intent_has_a_rule() -> None:
    assert {rule.intent for rule in RULES} == set(Intent) - {Intent.CENTER_CODE, Intent.CENTER_NAME, Intent.UNKNOWN}


@pytest.mark.parametrize(
    ("key", "intent"),
    [
        ("menu-register", Intent.REGISTER),
        ("menu-join", Intent.JOIN),
        ("menu-mycenter", Intent.MY_CENTER),
        ("menu-campaigns", Intent.CAMPAIGNS),
        ("menu-help", Intent.HELP),
        ("btn-cancel", Intent.CANCEL),
        ("btn-back", Intent.BACK),
        ("btn-prev", Intent.BACK),
        ("ccard-btn-members", Intent.MEMBERS),
        ("ccard-btn-requests", Intent.REQUESTS),
        ("ml-btn-leave", Intent.MY_CENTER),
        ("ml-btn-withdraw", Intent.MY_CENTER),
    ],
)
def test_button_labels_typed_by_hand_read_as_the_button(key: str, intent: Intent) -> None:
    from bot.ptb.ui import label

    assert read_intent(label(key)).intent == intent
