"""Correcting a ledger entry: the picker, the questions, the preview and the notice
(locales/fa/fund_more.ftl). Every question ends with «🔙 مرحله‌ی قبل» «❌ انصراف»."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.deps import Rendered
from bot.persian.amounts import format_toman
from bot.persian.catalog import Raw, t
from bot.persian.text import format_date
from bot.ptb.ui import inline, label
from bot.views.centers import person_name
from bot.views.fund import Row, lines
from bot.views.steps import fit, inline_row

if TYPE_CHECKING:
    from bot.actions.fund_correct import EntriesPage, EntryLine
    from bot.db.models import FundEntry, User


def _who(line: EntryLine) -> str:
    return person_name(line.person) if line.person is not None else ""


def _entry_text(line: EntryLine, tz: ZoneInfo) -> Raw:
    entry = line.entry
    return t("fund-correct-entry", number=entry.id, kind=t(f"fund-entry-{entry.kind}"), name=_who(line),
             amount=format_toman(line.current), date=format_date(entry.at, tz))


def _question(*rows: Row) -> InlineKeyboardMarkup:
    return inline(*rows, inline_row())


def entries(found: EntriesPage, tz: ZoneInfo) -> Rendered:
    """The page's entries in full in the text; as buttons, «۱۲) سهم ۱۰۰٬۰۰۰ · name» (the name is what a cut loses)."""
    if not found.lines and found.page == 0:
        return t("fund-correct-none"), _question()
    rows: list[Row] = [[(fit(str(t("fund-correct-entry-button", number=line.entry.id, amount=line.current, name=_who(line),
                                        kind=t(f"fund-correct-kind-{line.entry.kind}")))),
                         callbacks.FUND_CORRECT_PICK.build(line.entry.id))] for line in found.lines if line.entry.id]
    pages: Row = []
    if found.page > 0:
        pages.append((label("btn-prev"), callbacks.FUND_CORRECT_PAGE.build(found.page - 1)))
    if found.more:
        pages.append((label("btn-next"), callbacks.FUND_CORRECT_PAGE.build(found.page + 1)))
    return lines(t("fund-correct-pick"), *(_entry_text(line, tz) for line in found.lines)), \
        _question(*rows, *([pages] if pages else []))


def ask_amount(line: EntryLine, tz: ZoneInfo) -> Rendered:
    return t("fund-correct-ask-amount", entry=_entry_text(line, tz)), _question()


def ask_reason() -> Rendered:
    return t("fund-correct-ask-reason"), _question()


def preview(line: EntryLine, corrected: int, reason: str, tz: ZoneInfo) -> Rendered:
    return t("fund-correct-preview", entry=_entry_text(line, tz), amount=format_toman(corrected), reason=reason), \
        _question([(label("fund-btn-correct-save"), callbacks.FUND_CORRECT_SAVE.build())])


def done(line: EntryLine) -> Raw:
    return t("fund-correct-done", number=line.entry.id, amount=format_toman(line.current))


def corrected_notice(line: EntryLine, correction: FundEntry, by: User) -> Raw:
    """To the other confirmers and the person whose entry it is: who corrected what, and why."""
    return t("fund-correct-notice", by=person_name(by), number=line.entry.id, kind=t(f"fund-entry-{line.entry.kind}"),
             name=_who(line), amount=format_toman(line.current), reason=correction.note or "")
