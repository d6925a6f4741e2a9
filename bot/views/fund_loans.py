"""Loan messages and buttons (locales/fa/fund.ftl, fund-loan-…). A loan is shown only to its
borrower, its guarantor and the staff; never to other members."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot import callbacks
from bot.db.enums import FundLoanStatus, FundPurpose
from bot.db.models import FundDraw, FundInstalment
from bot.deps import Rendered
from bot.persian.amounts import format_toman
from bot.persian.catalog import Raw, t
from bot.persian.text import format_date
from bot.ptb.ui import inline, label
from bot.views.centers import person_name
from bot.views.fund import Row, lines, step_buttons

if TYPE_CHECKING:
    from bot.actions.fund_loans import LoanView, QueueView

NAMES_ON_BUTTONS = 40  # guarantors offered as buttons; docs/fund.md


def _loan_line(view: LoanView) -> Raw:
    return t("fund-loan-line", name=person_name(view.borrower), kind=view.loan_type.name,
             amount=format_toman(view.loan.amount), count=view.loan.instalments)


def ask_type(types: Sequence[tuple[int, str, int]], share_is_half: bool) -> Rendered:
    """types: (id, name, maximum for a full share)."""
    rows: list[Row] = [[(t("fund-loan-type-button", name=name, amount=format_toman(maximum // 2 if share_is_half else maximum)),
              callbacks.FUND_LOAN_TYPE.build(type_id))] for type_id, name, maximum in types]
    return t("fund-loan-ask-type"), step_buttons(*rows)


def ask_amount(name: str, maximum: int) -> Rendered:
    return t("fund-loan-ask-amount", name=name, amount=format_toman(maximum)), step_buttons()


def ask_reason() -> Rendered:
    return t("fund-loan-ask-reason"), step_buttons()


def ask_guarantor(others: Sequence[tuple[int, str]], found_for: str | None = None) -> Rendered:
    """others: (user id, name) of the fund's other members, or those a typed name found. Over
    NAMES_ON_BUTTONS, the first ones are buttons and the text says a name may be typed."""
    rows = [[(name[:30] or str(user_id), callbacks.FUND_LOAN_GUARANTOR_PICK.build(user_id))]
            for user_id, name in others[:NAMES_ON_BUTTONS]]
    text = t("fund-loan-guarantor-found", typed=found_for, count=len(others)) if found_for else t("fund-loan-ask-guarantor")
    more = t("fund-loan-guarantor-search", shown=NAMES_ON_BUTTONS) if len(others) > NAMES_ON_BUTTONS else None
    return lines(text, more), step_buttons(*rows)


def preview(kind: str, amount: int, reason: str, guarantor: str | None) -> Rendered:
    return (lines(t("fund-loan-preview", kind=kind, amount=format_toman(amount), reason=reason),
                  t("fund-loan-preview-guarantor", name=guarantor) if guarantor else None),
            step_buttons([(label("fund-btn-loan-send"), callbacks.FUND_LOAN_SEND.build())]))


def requested(view: LoanView) -> Raw:
    key = "fund-loan-sent-guarantor" if view.loan.status == FundLoanStatus.GUARANTOR else "fund-loan-sent"
    return t(key, name=person_name(view.guarantor) if view.guarantor else "")


def guarantor_question(view: LoanView) -> Rendered:
    loan_id = view.loan.id
    assert loan_id is not None
    return t("fund-loan-guarantor-question", borrower=person_name(view.borrower), center=view.center.name,
             kind=view.loan_type.name, amount=format_toman(view.loan.amount), count=view.loan.instalments), inline(
        [(label("fund-btn-guarantee"), callbacks.FUND_GUARANTOR_ANSWER.build("y", loan_id)),
         (label("fund-btn-not-guarantee"), callbacks.FUND_GUARANTOR_ANSWER.build("n", loan_id))])


def guarantor_answered(view: LoanView) -> Raw:
    return t("fund-loan-guaranteed" if view.loan.status != FundLoanStatus.REFUSED else "fund-loan-not-guaranteed")


def guarantor_declined(view: LoanView) -> Raw:
    return t("fund-loan-guarantor-declined", name=person_name(view.guarantor))


def approval_question(view: LoanView) -> Rendered:
    loan_id = view.loan.id
    assert loan_id is not None
    return lines(t("fund-loan-approval", line=_loan_line(view), reason=view.loan.reason),
                 t("fund-loan-with-guarantor", name=person_name(view.guarantor)) if view.guarantor else None), inline(
        [(label("fund-btn-approve"), callbacks.FUND_LOAN_APPROVE.build("y", loan_id)),
         (label("fund-btn-refuse"), callbacks.FUND_LOAN_APPROVE.build("n", loan_id))])


def approval_result(view: LoanView, me_id: int) -> Raw:
    loan = view.loan
    if loan.status == FundLoanStatus.QUEUED:
        return t("fund-loan-queued-staff", line=_loan_line(view))
    if loan.status == FundLoanStatus.REFUSED:
        return t("fund-loan-refused-staff", line=_loan_line(view))
    if me_id in (loan.approved_by_one, loan.approved_by_two):
        return t("fund-loan-approved-once", line=_loan_line(view))
    return t("fund-loan-not-waiting")


def loan_decided(view: LoanView) -> Raw:
    if view.loan.status == FundLoanStatus.QUEUED:
        return t("fund-loan-queued", kind=view.loan_type.name, amount=format_toman(view.loan.amount),
                 number=view.loan.id)
    return t("fund-loan-refused", kind=view.loan_type.name)


def queue(found: QueueView) -> Rendered:
    rows = []
    out: list[str | None] = [t("fund-queue-title")]
    for n, view in enumerate(found.loans, start=1):
        out.append(t("fund-queue-line", number=n, loan=view.loan.id, line=_loan_line(view)))
        if view.supporter is not None:
            out.append(t("fund-queue-supported", name=person_name(view.supporter)))
        if view.loan.id is not None and found.place.can_confirm:
            rows.append([(label("fund-btn-payout", name=person_name(view.borrower)[:18]),
                          callbacks.FUND_PAYOUT.build(view.loan.id))])
            if view.supporter is None:
                rows.append([(label("fund-btn-support", number=view.loan.id),
                              callbacks.FUND_SUPPORT_LIST.build(view.loan.id, 0))])
    if not found.loans:
        out.append(t("fund-queue-empty"))
    if found.place.fund.queue_rule == "draw":
        if found.draw is not None and found.draw.id is not None:
            out.append(draw_announced(found.draw))
            rows.append([(label("fund-btn-draw-make"), callbacks.FUND_DRAW_MAKE.build(found.draw.id))])
        else:
            rows.append([(label("fund-btn-draw-announce"), callbacks.FUND_DRAW_ANNOUNCE.build())])
    return lines(*out, "", t("fund-no-money")), inline(*rows) if rows else None


def draw_announced(draw: FundDraw) -> Raw:
    return t("fund-draw-announced", entrants=", ".join(str(i) for i in _ids(draw.entrants)), hash=draw.seed_hash)


def draw_made(draw: FundDraw, order: list[int]) -> Raw:
    return t("fund-draw-made", seed=draw.seed, hash=draw.seed_hash, entrants=", ".join(str(i) for i in _ids(draw.entrants)),
             order=", ".join(str(i) for i in order))


def _ids(text: str) -> list[int]:
    import json

    return [int(i) for i in json.loads(text)]


def instalment_button(instalment: FundInstalment) -> tuple[str, str]:
    assert instalment.id is not None
    return label("fund-btn-paid"), callbacks.FUND_INSTALMENT_PAID.build(instalment.id)


def instalment_notice(purpose: str, instalment: FundInstalment, view: LoanView, tz: ZoneInfo) -> Rendered:
    args = dict(number=instalment.number, count=view.loan.instalments, amount=format_toman(instalment.amount),
                date=format_date(instalment.due_at, tz), center=view.center.name)
    if purpose == FundPurpose.INSTALMENT_LATE_10:
        return t("fund-inst-guarantor", borrower=person_name(view.borrower), **args), None
    if purpose == FundPurpose.INSTALMENT_LATE_15:
        return t("fund-inst-staff", borrower=person_name(view.borrower), **args), None
    keys: dict[str, str] = {FundPurpose.INSTALMENT_BEFORE: "fund-inst-before", FundPurpose.INSTALMENT_DAY: "fund-inst-day"}
    key = keys.get(purpose, "fund-inst-late")
    return t(key, **args), inline([instalment_button(instalment)])


def my_instalments(view: LoanView, instalments: Sequence[FundInstalment], tz: ZoneInfo) -> Rendered:
    paid = [i for i in instalments if i.status == "paid"]
    left = [i for i in instalments if i.status != "paid"]
    text = lines(
        t("fund-my-loan", kind=view.loan_type.name, amount=format_toman(view.loan.amount),
          status=t(f"fund-loan-status-{view.loan.status}")),
        t("fund-my-instalments", paid=len(paid), left=len(left),
          left_amount=format_toman(sum(i.amount for i in left))) if instalments else None,
        t("fund-next-instalment", amount=format_toman(left[0].amount), date=format_date(left[0].due_at, tz)) if left else None,
    )
    return text, inline([instalment_button(left[0])]) if left else None
