"""Callback data: one typed codec per button kind, built and parsed in one place.

A button's data is `prefix:part:part…` in ASCII, at most 64 bytes. A modified client can
send any bytes, so parsing is strict: ASCII digits only (`'²'.isdigit()` is true in Python,
`[0-9]` is not fooled), ids within a BIGINT, choices from a closed set, the exact number of
parts. Anything else parses to None, and the handler answers it as a stale button.

    ANSWER = Codec(Prefix.ANSWER, Choice("y", "n", "m", "v"), ID)
    ANSWER.build("y", 12)       → "ca:y:12"
    ANSWER.parse("ca:y:12")     → ("y", 12)
    ANSWER.parse("ca:y:²")      → None
    CallbackQueryHandler(on_answer, pattern=ANSWER.matches)

Handlers never trust an id in the data for authorisation: they work out what the tapping
person may do from who they are (see docs/architecture.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Protocol

from bot.db.enums import JoinSource

# The largest id the tables hold: their ids are INTEGER, 32 bits on PostgreSQL.
MAX_ID = 2**31 - 1  # ids are INTEGER columns: 32 bits on PostgreSQL (a larger one fails there)
MAX_BYTES = 64


class Prefix(StrEnum):
    """One prefix per feature; a new feature adds its own here."""

    REGISTER = "rg"  # the registration conversation
    INVITATION = "iv"  # the assistant's invitation
    CARD = "cc"  # the leader's center card
    JOIN = "jn"  # finding a center and asking to join
    REQUEST = "rq"  # the assistant's decisions on join requests
    MEMBERS = "ml"  # the members list and a member's card
    CREATE = "cp"  # creating a campaign or an announcement
    ANSWER = "ca"  # a member's answer to a campaign
    CALENDAR = "cl"  # the Jalali calendar of the date step
    REPORT = "cr"  # a campaign's report: refresh, cancel, move
    CANCEL = "cancel"  # «❌ انصراف» under any question
    BACK = "back"  # «🔙 مرحله‌ی قبل» under any question that has a previous step
    ADMIN = "ad"  # the association's admins (handlers/admin.py and their conversations)
    FACILITATOR = "fc"  # facilitators: their invitation, centers, messages (handlers/facilitator.py)
    QUESTION = "qa"  # asking a center's facilitator, and the answer
    FUND = "fd"  # the center's loan fund (issue 16): its menu, opening it, payments, confirmations
    HELP = "hp"  # charitable campaigns: needs, pledges, receipts, progress (issue 13)


class Part(Protocol):
    """One variable part of the data: a regex for it, and how to read and write its value."""

    @property
    def regex(self) -> str: ...

    def decode(self, text: str) -> Any: ...  # noqa: ANN401 (each part has its own type)

    def encode(self, value: Any) -> str: ...  # noqa: ANN401


@dataclass(frozen=True)
class _Id:
    """A row id: 1 … MAX_ID in ASCII digits, no leading zero."""

    regex: str = r"[1-9][0-9]{0,18}"

    def decode(self, text: str) -> int | None:
        value = int(text)
        return value if value <= MAX_ID else None

    def encode(self, value: int) -> str:
        if not 0 < value <= MAX_ID:
            raise ValueError(f"id out of range: {value}")
        return str(value)


@dataclass(frozen=True)
class Number:
    """A whole number in [low, high], written with exactly `width` digits if width is set
    (e.g. a Jalali month 140509), else as few as needed."""

    low: int
    high: int
    width: int = 0

    @property
    def regex(self) -> str:
        return f"[0-9]{{{self.width}}}" if self.width else f"[0-9]{{1,{len(str(self.high))}}}"

    def decode(self, text: str) -> int | None:
        value = int(text)
        return value if self.low <= value <= self.high else None

    def encode(self, value: int) -> str:
        if not self.low <= value <= self.high:
            raise ValueError(f"{value} not in [{self.low}, {self.high}]")
        return f"{value:0{self.width}d}" if self.width else str(value)


class Choice:
    """One of a closed set of short ASCII words."""

    def __init__(self, *options: str) -> None:
        assert options and all(re.fullmatch(r"[a-z0-9_]+", o) for o in options), options
        self.options = frozenset(options)
        self.regex = "|".join(sorted(map(re.escape, options), key=len, reverse=True))

    def decode(self, text: str) -> str | None:
        return text if text in self.options else None

    def encode(self, value: str) -> str:
        if value not in self.options:
            raise ValueError(f"{value!r} not one of {sorted(self.options)}")
        return value


@dataclass(frozen=True)
class _Token:
    """An unguessable token (an invitation's), URL-safe base64."""

    regex: str = r"[A-Za-z0-9_-]{8,40}"

    def decode(self, text: str) -> str:
        return text

    def encode(self, value: str) -> str:
        if not re.fullmatch(self.regex, value):
            raise ValueError(f"not a token: {value!r}")
        return value


ID = _Id()
TOKEN = _Token()


class Codec:
    """The data of one kind of button: a prefix, then fixed words (str) and typed parts."""

    def __init__(self, prefix: Prefix, *parts: str | Part) -> None:
        self.prefix = prefix
        self.parts = parts
        pieces = [re.escape(prefix.value)] + [
            re.escape(part) if isinstance(part, str) else f"({part.regex})" for part in parts
        ]
        self._regex = re.compile(":".join(pieces))
        self._typed = [part for part in parts if not isinstance(part, str)]

    def build(self, *values: Any) -> str:  # noqa: ANN401 (checked by each part)
        if len(values) != len(self._typed):
            raise TypeError(f"{self.prefix}: expected {len(self._typed)} values, got {len(values)}")
        given = iter(values)
        data = ":".join([self.prefix.value] + [
            part if isinstance(part, str) else part.encode(next(given)) for part in self.parts
        ])
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data over {MAX_BYTES} bytes: {data!r}")
        return data

    def parse(self, data: object) -> tuple[Any, ...] | None:
        """The typed values, or None for anything that is not exactly this button's data."""
        if not isinstance(data, str) or len(data) > MAX_BYTES:
            return None
        match = self._regex.fullmatch(data)
        if match is None:
            return None
        values = tuple(part.decode(text) for part, text in zip(self._typed, match.groups(), strict=True))
        return None if any(value is None for value in values) else values

    def matches(self, data: object) -> bool:
        """For CallbackQueryHandler(pattern=…)."""
        return self.parse(data) is not None

    def __repr__(self) -> str:
        return f"Codec({self._regex.pattern})"


# --- every button's data, by feature ------------------------------------------------------------
# Fixed words are written as they travel; a typed part says what it accepts.

# «❌ انصراف» under a question.
CANCEL = Codec(Prefix.CANCEL)
STEP_BACK = Codec(Prefix.BACK)

# Registration (conversations/register.py).
REGISTER_KIND = Codec(Prefix.REGISTER, "kind", Choice(
    "family", "neighbourhood", "tribe", "hometown", "mosque", "workplace", "other"))
REGISTER_DUPLICATE = Codec(Prefix.REGISTER, "dup", Choice("keep", "rename"))
REGISTER_SAVED_DETAILS = Codec(Prefix.REGISTER, "me", Choice("yes", "no"))
REGISTER_CONFIRM = Codec(Prefix.REGISTER, "ok")
REGISTER_EDIT = Codec(Prefix.REGISTER, "edit")
REGISTER_EDIT_FIELD = Codec(Prefix.REGISTER, "ed", Choice("name", "kind", "area", "desc", "fname", "mobile"))
REGISTER_BACK = Codec(Prefix.REGISTER, "back")

# The assistant's invitation (handlers/invitations.py, conversations/assistant_invite.py).
INVITATION_ACCEPT = Codec(Prefix.INVITATION, "ok", TOKEN)
INVITATION_DECLINE = Codec(Prefix.INVITATION, "no", TOKEN)
INVITATION_SAVED_DETAILS = Codec(Prefix.INVITATION, "me", Choice("yes", "no"))

# The leader's center card (handlers/center_card.py, conversations/center_edit.py).
CARD_SHOW = Codec(Prefix.CARD, "show")
CARD_LINK = Codec(Prefix.CARD, "link")
CARD_EDIT = Codec(Prefix.CARD, "edit")
CARD_EDIT_FIELD = Codec(Prefix.CARD, "ed", Choice("name", "area", "desc", "back"))
CARD_EDIT_DUPLICATE = Codec(Prefix.CARD, "ed", Choice("keep", "rename"))
CARD_DROP = Codec(Prefix.CARD, "drop")
CARD_DROP_CONFIRM = Codec(Prefix.CARD, "drop", "ok")
CARD_INVITATION = Codec(Prefix.CARD, "inv", Choice("new", "again", "cancel", "send"))


class _Letter:
    """A value from a closed set that travels as one letter (how a center was found: l, c, s)."""

    def __init__(self, values: dict[str, StrEnum]) -> None:
        self.values = values
        self.letters = {value: letter for letter, value in values.items()}
        self.regex = "[" + "".join(sorted(values)) + "]"

    def decode(self, text: str) -> StrEnum | None:
        return self.values.get(text)

    def encode(self, value: StrEnum) -> str:
        return self.letters[value]


# Finding a center and asking to join (conversations/join.py); the letter is how it was found.
_FOUND_BY = _Letter({"l": JoinSource.LINK, "c": JoinSource.CODE, "s": JoinSource.SEARCH})
JOIN_OPEN = Codec(Prefix.JOIN, "c", ID, _FOUND_BY)
JOIN_SEND = Codec(Prefix.JOIN, "s", ID, _FOUND_BY)
JOIN_PAGE = Codec(Prefix.JOIN, "p", Number(0, 10_000))

# The assistant's decisions (handlers/requests.py, conversations/reject_reason.py).
# A list's time is in milliseconds since 1970 (up to the year 2100).
_LIST_TIME = Number(0, 4_102_444_800_000)
REQUEST_APPROVE = Codec(Prefix.REQUEST, "a", ID)
REQUEST_REJECT = Codec(Prefix.REQUEST, "r", ID)
REQUEST_REJECT_BACK = Codec(Prefix.REQUEST, "b", ID)
REQUEST_REJECT_REASON = Codec(Prefix.REQUEST, "x", ID, Choice("unknown", "notours", "info", "none"))
REQUEST_REJECT_OWN_WORDS = Codec(Prefix.REQUEST, "o", ID)
REQUEST_LIST = Codec(Prefix.REQUEST, "list")
REQUEST_APPROVE_ALL = Codec(Prefix.REQUEST, Choice("all", "ally", "alln"), _LIST_TIME)

# Members (handlers/members.py).
MEMBERS_LIST = Codec(Prefix.MEMBERS, "list", Number(0, 100_000))
MEMBERS_PAGE = Codec(Prefix.MEMBERS, "pg", Number(0, 100_000))
MEMBERS_CSV = Codec(Prefix.MEMBERS, "csv")
MEMBERS_XLSX = Codec(Prefix.MEMBERS, "xlsx")
MEMBER_REMOVE = Codec(Prefix.MEMBERS, "rm", ID, Number(0, 100_000))
MEMBER_REMOVE_CONFIRM = Codec(Prefix.MEMBERS, "rmy", ID, Number(0, 100_000))
MEMBER_KEEP = Codec(Prefix.MEMBERS, "keep", ID)
MEMBER_LEAVE = Codec(Prefix.MEMBERS, Choice("lv", "lvy", "wd", "wdy"), ID)

# Creating a campaign or an announcement (conversations/campaign.py, announcement.py).
CREATE_CAMPAIGN = Codec(Prefix.CREATE, "new")
CREATE_ANNOUNCEMENT = Codec(Prefix.CREATE, "announce")
CAMPAIGNS_LIST = Codec(Prefix.CREATE, "all")
CAMPAIGNS_PAGE = Codec(Prefix.CREATE, "all", Number(0, 100_000))
CREATE_REMINDER_TOGGLE = Codec(Prefix.CREATE, "r", Choice("1440", "120", "0", "ok"))
CREATE_SEND = Codec(Prefix.CREATE, "send")
CREATE_EDIT = Codec(Prefix.CREATE, "edit")
CREATE_EDIT_FIELD = Codec(Prefix.CREATE, "e", Choice("title", "body", "when", "place", "rem", "back"))
CREATE_DISCARD = Codec(Prefix.CREATE, "discard")
CREATE_PREVIEW_BUTTON = Codec(Prefix.CREATE, "pv")  # the answer buttons under a preview
ANNOUNCEMENT_SEND = Codec(Prefix.CREATE, "as")
ANNOUNCEMENT_EDIT = Codec(Prefix.CREATE, "ae")
ANNOUNCEMENT_DISCARD = Codec(Prefix.CREATE, "ad")
# «🤝 حامیان هم ببینند» under the preview of a gathering or an announcement (issue 13).
CREATE_SUPPORTERS = Codec(Prefix.CREATE, "sup")

# A member's answer to a call (handlers/campaigns.py): yes, no, mute, view again.
ANSWER = Codec(Prefix.ANSWER, Choice("y", "n", "m", "v"), ID)

# The Jalali calendar (conversations/when_step.py): a month YYYYMM, a day YYYYMMDD, an hour HHMM.
CALENDAR_MONTH = Codec(Prefix.CALENDAR, "m", Number(130001, 150012, width=6))
CALENDAR_DAY = Codec(Prefix.CALENDAR, "d", Number(13000101, 15001231, width=8))
CALENDAR_HOUR = Codec(Prefix.CALENDAR, "h", Number(0, 2359, width=4))
CALENDAR_BACK = Codec(Prefix.CALENDAR, "b")
CALENDAR_NOTHING = Codec(Prefix.CALENDAR, "x")  # a cell that does nothing (a past day, a blank)

# A campaign's report (handlers/campaigns.py, conversations/campaign_time.py).
REPORT_OPEN = Codec(Prefix.REPORT, "o", ID)
REPORT_REFRESH = Codec(Prefix.REPORT, "r", ID)
REPORT_CANCEL = Codec(Prefix.REPORT, "x", ID)
REPORT_CANCEL_CONFIRM = Codec(Prefix.REPORT, "xy", ID)
REPORT_CANCEL_KEEP = Codec(Prefix.REPORT, "xn", ID)
REPORT_MOVE = Codec(Prefix.REPORT, "t", ID)
# «👥 چه کسانی می‌آیند؟»: a campaign, which list (coming, not coming, no answer), a page.
REPORT_PEOPLE = Codec(Prefix.REPORT, "pp", ID, Choice("y", "n", "q"), Number(0, 100_000))
REPORT_MOVE_CONFIRM = Codec(Prefix.REPORT, Choice("ty", "tn"))


# The association's admins (handlers/admin.py; conversations appoint_facilitator, center_status,
# announce_leaders, admin_search). Every handler checks the tapping person is an admin.
_ORG_OR_ALL = Number(0, MAX_ID)  # an organisation's id, or 0 for every center / no organisation
ADMIN_FIGURES = Codec(Prefix.ADMIN, "f", _ORG_OR_ALL)
ADMIN_CHART = Codec(Prefix.ADMIN, "ch", _ORG_OR_ALL)
ADMIN_ORGS = Codec(Prefix.ADMIN, "orgs")
ADMIN_SEARCH = Codec(Prefix.ADMIN, "s")
ADMIN_CENTER = Codec(Prefix.ADMIN, "c", ID)
ADMIN_SUSPEND = Codec(Prefix.ADMIN, "sus", ID)
ADMIN_REACTIVATE = Codec(Prefix.ADMIN, "re", ID)
ADMIN_REMOVE_FACILITATOR = Codec(Prefix.ADMIN, "rf", ID)
ADMIN_REMOVE_FACILITATOR_CONFIRM = Codec(Prefix.ADMIN, "rfy", ID)
ADMIN_APPOINT = Codec(Prefix.ADMIN, "ap")
ADMIN_APPOINT_CENTER = Codec(Prefix.ADMIN, "ap", ID)
ADMIN_APPOINT_AREA = Codec(Prefix.ADMIN, "apa")
ADMIN_APPOINT_AREA_OK = Codec(Prefix.ADMIN, "apa", "ok")
ADMIN_APPOINT_ORG = Codec(Prefix.ADMIN, "apo", _ORG_OR_ALL)
ADMIN_APPOINT_NEW_ORG = Codec(Prefix.ADMIN, "apn")
ADMIN_APPOINT_CONFIRM = Codec(Prefix.ADMIN, "apok")
ADMIN_ANNOUNCE = Codec(Prefix.ADMIN, "an")
ADMIN_ANNOUNCE_AUDIENCE = Codec(Prefix.ADMIN, "an", Choice("all", "org", "area"))
ADMIN_ANNOUNCE_ORG = Codec(Prefix.ADMIN, "ano", ID)
ADMIN_ANNOUNCE_SEND = Codec(Prefix.ADMIN, "ans")
ADMIN_ANNOUNCE_EDIT = Codec(Prefix.ADMIN, "ane")
ADMIN_ANNOUNCE_REPORT = Codec(Prefix.ADMIN, "anr", ID)
ADMIN_EXPORT = Codec(Prefix.ADMIN, "x", Choice("csv", "xlsx"))

# Facilitators (handlers/facilitator.py; conversations message_center, answer_question).
FACILITATOR_ACCEPT = Codec(Prefix.FACILITATOR, "ok", TOKEN)
FACILITATOR_DECLINE = Codec(Prefix.FACILITATOR, "no", TOKEN)
FACILITATOR_HOME = Codec(Prefix.FACILITATOR, "home", Number(0, 100_000))
FACILITATOR_CENTER = Codec(Prefix.FACILITATOR, "c", ID)
FACILITATOR_MESSAGE = Codec(Prefix.FACILITATOR, "m", ID)
FACILITATOR_QUESTIONS = Codec(Prefix.FACILITATOR, "q")

# Asking the facilitator (conversations ask_facilitator, answer_question).
QUESTION_ASK = Codec(Prefix.QUESTION, "ask")
QUESTION_ANSWER = Codec(Prefix.QUESTION, "ans", ID)


# The loan fund (handlers/fund.py, conversations/fund_open.py). Every handler works out the
# tapping person's place in the fund from who they are; an id names a row to look at, and a
# row of another center's fund is refused.
FUND_HOME = Codec(Prefix.FUND, "h")
FUND_OPEN = Codec(Prefix.FUND, "open")
FUND_SETUP_BACK = Codec(Prefix.FUND, "sb")  # «🔙 مرحله‌ی قبل» in the opening conversation
FUND_SETUP_GUARANTOR = Codec(Prefix.FUND, "sg", Choice("y", "n"))
FUND_SETUP_MORE_TYPES = Codec(Prefix.FUND, "sm", Choice("more", "done"))
FUND_SETUP_QUEUE = Codec(Prefix.FUND, "sq", Choice("first_come", "draw"))
FUND_SETUP_CONFIRMERS = Codec(Prefix.FUND, "sc", Choice("la", "lt", "at"))  # leader/assistant/treasurer
FUND_SETUP_OPEN = Codec(Prefix.FUND, "so")
FUND_JOIN = Codec(Prefix.FUND, "j", Choice("full", "half"), ID)
FUND_PAID = Codec(Prefix.FUND, "p", ID)  # «واریز کردم» for a due
FUND_CLAIM_DECIDE = Codec(Prefix.FUND, "c", Choice("y", "n"), ID)  # a confirmer's ✅/❌ on a claim
FUND_LATE = Codec(Prefix.FUND, "late")
FUND_PENDING = Codec(Prefix.FUND, "pend")
FUND_STATEMENT = Codec(Prefix.FUND, "st")
FUND_FIGURES = Codec(Prefix.FUND, "fig")
FUND_LOAN_REQUEST = Codec(Prefix.FUND, "lr")  # starts the loan request conversation
FUND_LOAN_TYPE = Codec(Prefix.FUND, "lt", ID)  # a loan type, in the request conversation
FUND_LOAN_GUARANTOR_PICK = Codec(Prefix.FUND, "lg", ID)  # a fund member as guarantor (their user id)
FUND_LOAN_SEND = Codec(Prefix.FUND, "ls")
FUND_GUARANTOR_ANSWER = Codec(Prefix.FUND, "ga", Choice("y", "n"), ID)  # the guarantor's answer on a loan
FUND_LOAN_APPROVE = Codec(Prefix.FUND, "la", Choice("y", "n"), ID)  # a staff member's decision on a loan
FUND_QUEUE = Codec(Prefix.FUND, "q")  # the loan queue, for staff
FUND_PAYOUT = Codec(Prefix.FUND, "po", ID)  # staff: «the loan was paid to the borrower»
FUND_DRAW_ANNOUNCE = Codec(Prefix.FUND, "da")
FUND_DRAW_MAKE = Codec(Prefix.FUND, "dm", ID)
FUND_INSTALMENT_PAID = Codec(Prefix.FUND, "ip", ID)  # «واریز کردم» for an instalment
FUND_REPORT = Codec(Prefix.FUND, "rep")  # the 12-month report and its chart, for staff
FUND_EXPORT = Codec(Prefix.FUND, "x", Choice("csv", "xlsx"))  # the ledger as a file, for staff
FUND_TREASURER_ACCEPT = Codec(Prefix.FUND, "ta", TOKEN)
FUND_TREASURER_DECLINE = Codec(Prefix.FUND, "td", TOKEN)
# A loan funded by a supporter (handlers/fund_loans.py): the supporters' list (a loan, a page),
# one picked (a loan, the supporter's user id), confirmed; «❌ انصراف» closes the list.
FUND_SUPPORT_LIST = Codec(Prefix.FUND, "sl", ID, Number(0, 100_000))
FUND_SUPPORT_PICK = Codec(Prefix.FUND, "sp", ID, ID)
FUND_SUPPORT_SET = Codec(Prefix.FUND, "ss", ID, ID)
FUND_SUPPORT_CLOSE = Codec(Prefix.FUND, "sx")
# Correcting a ledger entry (conversations/fund_correct.py): start, a page of entries, one entry, record.
FUND_CORRECT = Codec(Prefix.FUND, "cr")
FUND_CORRECT_PAGE = Codec(Prefix.FUND, "crp", Number(0, 100_000))
FUND_CORRECT_PICK = Codec(Prefix.FUND, "cre", ID)
FUND_CORRECT_SAVE = Codec(Prefix.FUND, "crs")
# Charitable campaigns (conversations/help_steps.py, pledge.py; handlers/charity.py). Ids in the
# data only say which row was tapped: services check the tapping person may act on it (the call
# was sent to them, or they run its center), so another center's forged ids are refused.
CREATE_KIND = Codec(Prefix.CREATE, "k", Choice("gather", "help"))
HELP_NEED_SORT = Codec(Prefix.HELP, "ns", Choice("money", "goods", "work", "done"))
HELP_SEND = Codec(Prefix.HELP, "send")
HELP_BACK = Codec(Prefix.HELP, "back")  # «🔙 مرحله‌ی قبل» under a step's buttons
HELP_DISCARD = Codec(Prefix.HELP, "discard")
HELP_PLEDGE = Codec(Prefix.HELP, "p", ID)  # a need
HELP_PLEDGE_AMOUNT_OK = Codec(Prefix.HELP, "pa", Choice("yes", "no"))
HELP_PLEDGE_NAMED = Codec(Prefix.HELP, "pn", Choice("named", "anon"))
HELP_WITHDRAW = Codec(Prefix.HELP, "w", ID)  # a pledge
HELP_DELIVERED = Codec(Prefix.HELP, "d", ID)  # a pledge: the giver's «تحویل دادم»
HELP_CONFIRM = Codec(Prefix.HELP, "c", ID)  # a pledge: the leader's or assistant's receipt
HELP_STATUS = Codec(Prefix.HELP, "s", ID)  # a campaign: «وضعیت پویش»
HELP_REPORT = Codec(Prefix.HELP, "r", ID)  # a campaign: the staff's report
HELP_PLEDGES = Codec(Prefix.HELP, "l", ID)  # a campaign: the pledges with receipt buttons
HELP_SHARE = Codec(Prefix.HELP, "u", ID)  # a campaign: send the progress to everyone
HELP_EXPORT = Codec(Prefix.HELP, "x", ID, Choice("csv", "xlsx"))
# Attendance of a gathering after its start (handlers/charity.py): the list, and one person's toggle.
ATTENDANCE_OPEN = Codec(Prefix.HELP, "ao", ID)  # a campaign
ATTENDANCE_TOGGLE = Codec(Prefix.HELP, "at", ID, ID)  # a campaign, a person who said yes
# Supporters (handlers/charity.py): the leader's new invitation; the invitee's answer.
SUPPORTER_INVITE = Codec(Prefix.HELP, "si")
SUPPORTER_INVITE_FOR = Codec(Prefix.HELP, "si", ID)  # an admin's, for a center (checked: an admin)
SUPPORTER_ACCEPT = Codec(Prefix.HELP, "sa", TOKEN)
SUPPORTER_DECLINE = Codec(Prefix.HELP, "sd", TOKEN)
# A supporter's card of a center (their «کانون من»): ask to leave, yes, back to the card, no.
SUPPORTER_LEAVE = Codec(Prefix.HELP, "sl", Choice("ask", "yes", "back", "no"), ID)
# The leader's list of supporters (from the card), and taking one off: ask, yes, back to the list, no.
SUPPORTERS_LIST = Codec(Prefix.HELP, "sls")
SUPPORTER_REMOVE = Codec(Prefix.HELP, "sr", Choice("ask", "yes", "back", "no"), ID)


def all_codecs() -> list[Codec]:
    """Every codec above (the fuzz test feeds each one hostile data)."""
    return [value for value in globals().values() if isinstance(value, Codec)]
