"""A loan funded by a supporter: the staff's supporters list and confirmation, the supporter's
notice and report (locales/fa/fund_more.ftl). The supporter's texts name the loan by number,
kind and amount, never the borrower (docs/fund.md «Privacy»)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.persian.amounts import format_toman
from bot.persian.catalog import Raw, t
from bot.persian.text import format_date
from bot.ptb.ui import inline, label
from bot.views.centers import person_name
from bot.views.fund import Row, lines
from bot.views.steps import fit

if TYPE_CHECKING:
    from bot.actions.fund_support import SupportersPage
    from bot.db.models import FundLoan, User
    from bot.services.fund_support import SupportedLoan

def _loan_id(loan: FundLoan) -> int:
    assert loan.id is not None
    return loan.id


def _close_row(back: str) -> Row:
    return [(label("fund-btn-prev-step"), back), (label("fund-btn-cancel"), callbacks.FUND_SUPPORT_CLOSE.build())]


def supporters_list(found: SupportersPage) -> tuple[str, InlineKeyboardMarkup]:
    """The center's supporters as buttons, a page at a time; back goes to the loan queue."""
    from bot.services.fund_support import SUPPORTERS_PAGE

    loan_id = _loan_id(found.loan)
    if not found.total:
        return t("fund-support-none"), inline(_close_row(callbacks.FUND_QUEUE.build()))
    rows: list[Row] = [[(fit(person_name(user)) or str(user.id),
                         callbacks.FUND_SUPPORT_PICK.build(loan_id, user.id))] for user in found.supporters if user.id]
    pages: Row = []
    if found.page > 0:
        pages.append((label("btn-prev"), callbacks.FUND_SUPPORT_LIST.build(loan_id, found.page - 1)))
    if (found.page + 1) * SUPPORTERS_PAGE < found.total:
        pages.append((label("btn-next"), callbacks.FUND_SUPPORT_LIST.build(loan_id, found.page + 1)))
    return t("fund-support-pick", number=loan_id, count=found.total), inline(
        *rows, *([pages] if pages else []), _close_row(callbacks.FUND_QUEUE.build()))


def confirm(loan: FundLoan, supporter: User) -> tuple[str, InlineKeyboardMarkup]:
    loan_id, supporter_id = _loan_id(loan), supporter.id
    assert supporter_id is not None
    return t("fund-support-confirm", number=loan_id, name=person_name(supporter), amount=format_toman(loan.amount)), inline(
        [(label("fund-btn-support-set"), callbacks.FUND_SUPPORT_SET.build(loan_id, supporter_id))],
        _close_row(callbacks.FUND_SUPPORT_LIST.build(loan_id, 0)))


def marked(loan: FundLoan, supporter: User, new: bool) -> Raw:
    key = "fund-support-marked" if new else "fund-support-already"
    return t(key, number=_loan_id(loan), name=person_name(supporter))


def supporter_told(found: SupportedLoan) -> str:
    loan = found.loan
    return lines(t("fund-support-told", center=found.center.name, number=_loan_id(loan), kind=found.loan_type.name,
                   amount=format_toman(loan.amount), count=loan.instalments), "", t("fund-no-money"))


def supporter_report(found: SupportedLoan, tz: ZoneInfo) -> str:
    loan = found.loan
    assert loan.closed_at is not None
    return lines(t("fund-support-report", center=found.center.name, number=_loan_id(loan), kind=found.loan_type.name,
                   amount=format_toman(loan.amount), paid=found.paid_count, count=loan.instalments,
                   paid_amount=format_toman(found.paid_amount), date=format_date(loan.closed_at, tz)),
                 "", t("fund-no-money"))
