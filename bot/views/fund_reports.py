"""The fund's 12-month report: the text and the PNG chart from one series (the same numbers),
and the ledger as CSV or XLSX for the staff. Persian labels, the shipped Vazirmatn font."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.db.models import Center, FundEntry
from bot.persian.amounts import format_toman
from bot.persian.catalog import Raw, t
from bot.persian.digits import format_number, persian_digits
from bot.persian.text import format_datetime
from bot.services.centers_export import to_xlsx
from bot.services.fund_reports import MonthFigures
from bot.services.members_export import to_csv
from bot.views.fund import lines, month_text

if TYPE_CHECKING:
    from bot.views import chart


def month_label(period: int) -> str:
    return str(t("fund-chart-month", month=t(f"month-{period % 100}"), year=persian_digits(period // 100 % 100)))


def report_text(center: Center, series: Sequence[MonthFigures]) -> Raw:
    return lines(
        t("fund-report-title", center=center.name),
        *(t("fund-report-line", month=month_text(m.period), balance=format_toman(m.balance), lent=format_toman(m.lent))
          for m in series),
        "", t("fund-no-money"),
    )


def chart_panels(series: Sequence[MonthFigures]) -> list[chart.Panel]:
    """Bars never go below the line (a negative balance is drawn empty); each bar's label is the
    exact number, as in the text."""
    from bot.views import chart  # Pillow and the shaping libraries: loaded for the first chart only

    return [
        chart.Panel(str(t("fund-chart-balance")), [max(m.balance, 0) for m in series],
                    [format_number(m.balance) for m in series]),
        chart.Panel(str(t("fund-chart-lent")), [m.lent for m in series], [format_number(m.lent) for m in series]),
    ]


def chart_png(center: Center, series: Sequence[MonthFigures]) -> bytes:
    from bot.views import chart

    return chart.bar_chart(str(t("fund-chart-title", center=center.name)), str(t("fund-chart-subtitle")),
                           chart_panels(series), [month_label(m.period) for m in series])


def ledger_file(kind: str, center: Center, entries: Sequence[FundEntry], names: dict[int, str], now: datetime,
                tz: ZoneInfo) -> tuple[bytes, str, Raw]:
    header = [str(t(f"fund-export-{column}")) for column in
              ("number", "date", "kind", "person", "in", "out", "confirmed-by", "corrects", "note")]
    rows = [[e.id, format_datetime(e.at, tz), str(t(f"fund-entry-{e.kind}")), names.get(e.person_id, ""),
             e.amount if e.amount > 0 else "", -e.amount if e.amount < 0 else "", names.get(e.confirmed_by, ""),
             e.corrects_id or "", e.note or ""] for e in entries]
    stamp = now.astimezone(tz).strftime("%Y%m%d")
    content = to_csv(header, rows) if kind == "csv" else to_xlsx(header, rows, title="fund")
    return content, f"fund-{center.code or center.id}-{stamp}.{kind}", t("fund-export-caption", count=len(rows))
