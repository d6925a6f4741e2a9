"""The loan fund's messages and buttons (locales/fa/fund.ftl). Every page that shows money
says the bot holds none; no member's dues or debts are shown to another member."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from telegram import InlineKeyboardMarkup

from bot import callbacks
from bot.db.enums import FundRole, FundShare
from bot.db.models import Center, Fund, FundDue, FundLoanType, User
from bot.deps import Rendered
from bot.platforms import ReplyMarkup
from bot.persian.amounts import format_toman
from bot.persian.catalog import Raw, t
from bot.persian.digits import persian_digits
from bot.ptb.context import Draft
from bot.ptb.ui import inline, label
from bot.services.refusals import Refusal
from bot.views.centers import person_name

if TYPE_CHECKING:
    from bot.actions.fund import ClaimView, Figures, Home, Statement

Row = list[tuple[str, str]]


def lines(*parts: str | None) -> Raw:
    return Raw("\n".join(p for p in parts if p))


def problem_text(problem: Refusal) -> Raw:
    return t(f"fund-problem-{problem.code}")


def month_text(period: int) -> Raw:
    return t("fund-month", month=t(f"month-{period % 100}"), year=persian_digits(period // 100))


def role_text(role: str) -> Raw:
    return t(f"fund-role-{role}")


def confirmers_text(one: str, two: str) -> Raw:
    return t("fund-confirmers-pair", one=role_text(one), two=role_text(two))


# A loan type still in the opening conversation's draft (user_data): its fields by name.
DraftLoanType = dict[str, Any]
LOAN_TYPE_FIELDS = ("name", "max_amount", "instalments", "needs_guarantor")


def loan_type_lines(types: Sequence[FundLoanType] | Sequence[DraftLoanType]) -> Raw:
    out = []
    for loan_type in types:
        fields: DraftLoanType = loan_type if isinstance(loan_type, dict) else {
            name: getattr(loan_type, name) for name in LOAN_TYPE_FIELDS}
        out.append(t("fund-loan-type-line", name=fields.get("name"), amount=format_toman(fields["max_amount"]),
                     count=fields.get("instalments"), guarantor="yes" if fields.get("needs_guarantor") else "no"))
    return Raw("\n".join(out))


def rules_text(
    contribution: int, day: int, queue_rule: str, types: Sequence[FundLoanType] | Sequence[DraftLoanType],
) -> Raw:
    return lines(
        t("fund-rules", amount=format_toman(contribution), half=format_toman(contribution // 2), day=day),
        t(f"fund-queue-{queue_rule}"),
        loan_type_lines(types),
    )


# --- the fund's page ------------------------------------------------------------------------------


def home(home: Home) -> Rendered:
    center, place = home.center, home.place
    if place is None:
        if center is None:
            return t("fund-no-center"), None
        if home.is_leader:
            return lines(t("fund-none-leader", center=center.name), "", t("fund-no-money")), \
                inline([(label("fund-btn-open"), callbacks.FUND_OPEN.build())])
        return t("fund-none-other", center=center.name), None
    fund = place.fund
    parts: list[str | None] = [
        t("fund-title", center=place.center.name), "",
        rules_text(fund.contribution, fund.due_day, fund.queue_rule, home.loan_types),
        t("fund-members-count", count=home.members),
    ]
    rows: list[Row] = []
    if place.member is not None:
        parts.append(t("fund-your-share-full" if place.member.share == FundShare.FULL else "fund-your-share-half"))
        if home.due is not None:
            if home.due_claimed:
                parts.append(t("fund-your-due-waiting", amount=format_toman(home.due.amount)))
            else:
                parts.append(t("fund-your-due", amount=format_toman(home.due.amount)))
                rows.append([(label("fund-btn-paid"), callbacks.FUND_PAID.build(home.due.id))])
        rows.append([(label("fund-btn-statement"), callbacks.FUND_STATEMENT.build()),
                     (label("fund-btn-loan-request"), callbacks.FUND_LOAN_REQUEST.build())])
    elif fund.id is not None:
        parts.append(t("fund-join-prompt"))
        rows.append([(label("fund-btn-join-full"), callbacks.FUND_JOIN.build("full", fund.id)),
                     (label("fund-btn-join-half"), callbacks.FUND_JOIN.build("half", fund.id))])
    if place.is_staff:
        parts.append(t("fund-staff-line", balance=format_toman(home.balance),
                       pending=home.pending, late=home.late))
        if home.treasurer_missing:
            other = fund.confirmer_one if fund.confirmer_two == FundRole.TREASURER else fund.confirmer_two
            parts.append(t("fund-treasurer-waiting", other=role_text(other)))
        rows.append([(label("fund-btn-pending"), callbacks.FUND_PENDING.build()),
                     (label("fund-btn-late"), callbacks.FUND_LATE.build())])
        rows.append([(label("fund-btn-figures"), callbacks.FUND_FIGURES.build()),
                     (label("fund-btn-queue"), callbacks.FUND_QUEUE.build())])
        rows.append([(label("fund-btn-report"), callbacks.FUND_REPORT.build())])
        if place.can_confirm:
            rows.append([(label("fund-btn-correct"), callbacks.FUND_CORRECT.build())])
        rows.append([(label("fund-btn-export-csv"), callbacks.FUND_EXPORT.build("csv")),
                     (label("fund-btn-export-xlsx"), callbacks.FUND_EXPORT.build("xlsx"))])
    parts += ["", t("fund-no-money")]
    return lines(*parts), inline(*rows) if rows else None


# --- opening -------------------------------------------------------------------------------------


def step_buttons(*rows: Row) -> InlineKeyboardMarkup:
    """A step's own buttons, then «🔙 مرحله‌ی قبل» and «❌ انصراف» on every step."""
    return inline(*rows, [(label("fund-btn-prev-step"), callbacks.FUND_SETUP_BACK.build()),
                          (label("fund-btn-cancel"), callbacks.CANCEL.build())])


def preview(draft: Draft) -> Rendered:
    summary = rules_text(draft["contribution"], draft["due_day"], draft["queue_rule"], draft["types"])
    one, two = draft["confirmers"]
    return (
        lines(t("fund-preview", summary=summary, confirmers=confirmers_text(one, two)), "", t("fund-no-money")),
        step_buttons([(label("fund-btn-open-now"), callbacks.FUND_SETUP_OPEN.build())]),
    )


def treasurer_link(links_block: Raw) -> Raw:
    return t("fund-treasurer-link", links=links_block)


def treasurer_card(center: Center, token: str) -> Rendered:
    return lines(t("fund-treasurer-card", center=center.name), "", t("fund-no-money")), inline(
        [(label("fund-btn-treasurer-accept"), callbacks.FUND_TREASURER_ACCEPT.build(token)),
         (label("fund-btn-treasurer-decline"), callbacks.FUND_TREASURER_DECLINE.build(token))])


def treasurer_told(treasurer: User, accepted: bool) -> Raw:
    key = "fund-treasurer-told-accepted" if accepted else "fund-treasurer-told-declined"
    return t(key, name=person_name(treasurer))


def joined(fund: Fund, share: str) -> Raw:
    return t("fund-joined-full" if share == FundShare.FULL else "fund-joined-half", day=fund.due_day)


# --- contributions --------------------------------------------------------------------------------


def _paid_button(due: FundDue) -> InlineKeyboardMarkup:
    assert due.id is not None
    return inline([(label("fund-btn-paid"), callbacks.FUND_PAID.build(due.id))])


def due_reminder(due: FundDue, center: Center) -> Rendered:
    return t("fund-due-reminder", center=center.name, amount=format_toman(due.amount)), _paid_button(due)


def due_late(due: FundDue, center: Center) -> Rendered:
    return (t("fund-due-late", center=center.name, amount=format_toman(due.amount), month=month_text(due.period)),
            _paid_button(due))


def claim_to_confirm(view: ClaimView) -> Rendered:
    claim = view.claim
    assert claim.id is not None
    if claim.kind == "instalment":
        text = t("fund-claim-instalment", name=person_name(view.payer), amount=format_toman(claim.amount))
    elif claim.kind == "payout":
        text = t("fund-claim-payout", name=person_name(view.payer), amount=format_toman(claim.amount))
    else:
        text = t("fund-claim-to-confirm", name=person_name(view.payer), amount=format_toman(claim.amount),
                 month=month_text(view.period) if view.period else "")
    return lines(text, t("fund-claim-receipt") if claim.receipt_file_id else None), inline(
        [(label("fund-btn-confirm"), callbacks.FUND_CLAIM_DECIDE.build("y", claim.id)),
         (label("fund-btn-reject"), callbacks.FUND_CLAIM_DECIDE.build("n", claim.id))])


def receipt_caption(view: ClaimView, same_platform: bool) -> Raw:
    """Under the receipt photo; or, for a confirmer on the other platform, where it was sent."""
    name, amount = person_name(view.payer), format_toman(view.claim.amount)
    if same_platform:
        return t("fund-receipt-caption", name=name, amount=amount)
    return t("fund-receipt-elsewhere", name=name, amount=amount, platform=t(f"ml-platform-{view.payer.platform}"))


def paid_recorded(view: ClaimView, new: bool) -> Raw:
    if not new:
        return t("fund-paid-waiting")
    names = t("fund-names-separator").join(person_name(u) for u in view.confirmers) or role_text(FundRole.TREASURER)
    return t("fund-paid-recorded", confirmer=names)


def decided(view: ClaimView, confirmed: bool, already: bool) -> Raw:
    if already:
        return t("fund-claim-already")
    key = "fund-claim-confirmed" if confirmed else "fund-claim-rejected"
    return t(key, name=person_name(view.payer), amount=format_toman(view.claim.amount))


def payer_told(view: ClaimView, confirmed: bool) -> Raw:
    month = month_text(view.period) if view.period else ""
    if confirmed and view.claim.kind == "instalment":
        return t("fund-thanks-instalment", amount=format_toman(view.claim.amount))
    if confirmed and view.claim.kind == "payout":
        return t("fund-payout-confirmed", amount=format_toman(view.claim.amount))
    if confirmed:
        return t("fund-thanks", amount=format_toman(view.claim.amount), month=month)
    return t("fund-claim-not-seen", amount=format_toman(view.claim.amount), month=month)


def pending_list(claims: Sequence[ClaimView], platform: str) -> list[tuple[str, ReplyMarkup, str | None]]:
    """(text, buttons, photo): each claim, then its receipt photo when it was sent on `platform`
    (a file_id works only for the bot that received it; claim_to_confirm says one was sent)."""
    if not claims:
        return [(t("fund-pending-none"), None, None)]
    out: list[tuple[str, ReplyMarkup, str | None]] = [(t("fund-pending-title"), None, None)]
    for claim in claims:
        out.append((*claim_to_confirm(claim), None))
        if claim.claim.receipt_file_id and claim.payer.platform == platform:
            out.append((receipt_caption(claim, True), None, claim.claim.receipt_file_id))
    return out


def late_list(rows: Sequence[tuple[FundDue, User]]) -> Raw:
    if not rows:
        return t("fund-late-none")
    return lines(t("fund-late-title"), *(
        t("fund-late-line", name=person_name(user), month=month_text(due.period), amount=format_toman(due.amount))
        for due, user in rows))


# --- statements and figures -----------------------------------------------------------------------


def statement(st: Statement) -> Raw:
    """The member's own statement, in one message: contributions, their loan, instalments paid and left."""
    paid = [d for d in st.dues if d.status == "paid"]
    unpaid = [d for d in st.dues if d.status != "paid"]
    corrections = sum(e.amount for e in st.entries if e.kind == "correction")
    loan_lines: list[str | None] = [t("fund-statement-no-loan")]
    if st.loan is not None and st.loan_type is not None:
        left = [i for i in st.instalments if i.status != "paid"]
        loan_lines = [
            t("fund-my-loan", kind=st.loan_type.name, amount=format_toman(st.loan.amount),
              status=t(f"fund-loan-status-{st.loan.status}")),
            t("fund-my-instalments", paid=len(st.instalments) - len(left), left=len(left),
              left_amount=format_toman(sum(i.amount for i in left))) if st.instalments else None,
        ]
    return lines(
        t("fund-statement-title", center=st.center.name),
        t("fund-your-share-full" if st.member.share == FundShare.FULL else "fund-your-share-half"),
        t("fund-statement-paid", count=len(paid), amount=format_toman(sum(d.amount for d in paid))),
        t("fund-statement-unpaid", count=len(unpaid), amount=format_toman(sum(d.amount for d in unpaid))) if unpaid else None,
        t("fund-statement-corrections", amount=format_toman(corrections)) if corrections else None,
        *loan_lines,
        "", t("fund-no-money"),
    )


def figures(fig: Figures) -> Raw:
    return lines(
        t("fund-figures-title", center=fig.center.name),
        t("fund-figures-balance", balance=format_toman(fig.balance)),
        t("fund-figures-members", count=fig.members),
        t("fund-figures-month", paid=fig.month_paid, total=fig.month_total, amount=format_toman(fig.month_amount)),
        t("fund-figures-late", count=fig.late),
        t("fund-figures-loans", count=fig.loans_out, amount=format_toman(fig.loans_left)),
        t("fund-figures-overdue", count=fig.overdue),
        "", t("fund-no-money"),
    )



def facilitator_figures(found: Sequence[Figures]) -> Raw:
    """A facilitator's view: each fund's figures, nobody's name or entries."""
    return lines(t("fund-facilitator-title"), *("\n" + figures(fig) for fig in found))
