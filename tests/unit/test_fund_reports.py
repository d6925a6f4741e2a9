"""The fund's 12-month report: worked out from the ledger alone; the chart's numbers are the text's."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from PIL import Image

from bot.db.models import Center, FundEntry
from bot.persian.digits import ascii_digits
from bot.services.fund_reports import monthly_series
from bot.views import fund_reports

TEHRAN = ZoneInfo("Asia/Tehran")
NOW = datetime(2026, 12, 1, 8, 30, tzinfo=timezone.utc)  # 10 آذر ۱۴۰۵
CENTER = Center(id=1, code=5012210, name="کانون صاحب‌الزمان", name_key="x", kind="mosque", leader_id=1)


def entry(days_ago: int, kind: str, amount: int, n: int = 1) -> FundEntry:
    return FundEntry(id=n, fund_id=1, kind=kind, amount=amount, person_id=2, confirmed_by=3, at=NOW - timedelta(days=days_ago))


ENTRIES = [
    entry(500, "contribution", 1_000_000, 1),  # before the 12 months: only in the opening balance
    entry(200, "contribution", 400_000, 2),
    entry(170, "payout", -900_000, 3),
    entry(60, "instalment", 300_000, 4),
    entry(59, "correction", -50_000, 5),
    entry(3, "contribution", 200_000, 6),
]


def test_the_series_is_the_ledger_summed_by_jalali_month() -> None:
    series = monthly_series(ENTRIES, NOW, TEHRAN)
    assert len(series) == 12 and series[-1].period == 140509 and series[0].period == 140410
    assert series[-1].balance == sum(e.amount for e in ENTRIES) == 950_000
    assert sum(m.lent for m in series) == 900_000
    balances = [m.balance for m in series]
    assert balances[0] == 1_000_000 and min(balances) == 500_000 and balances[-2] == 750_000


def test_the_charts_numbers_equal_the_text_reports() -> None:
    series = monthly_series(ENTRIES, NOW, TEHRAN)
    text = fund_reports.report_text(CENTER, series)
    pairs = [tuple(int(ascii_digits(n).replace("٬", "")) for n in re.findall(r"[۰-۹][۰-۹٬]*", line)[-2:])
             for line in text.splitlines() if "·" in line and "تومان" in line]
    balance_panel, lent_panel = fund_reports.chart_panels(series)
    from_chart = [(int(ascii_digits(b).replace("٬", "")), int(ascii_digits(l).replace("٬", "")))
                  for b, l in zip(balance_panel.value_labels, lent_panel.value_labels, strict=True)]
    assert pairs == from_chart == [(m.balance, m.lent) for m in series]
    png = fund_reports.chart_png(CENTER, series)
    assert Image.open(io.BytesIO(png)).size[0] > 500


def test_the_ledger_export_keeps_in_and_out_apart_and_persian_readable() -> None:
    content, filename, _ = fund_reports.ledger_file("csv", CENTER, ENTRIES, {2: "مریم احمدی", 3: "زهرا قادری"}, NOW, TEHRAN)
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert filename.endswith(".csv") and len(rows) == len(ENTRIES) + 1
    assert rows[3][4:6] == ["", "900000"] and rows[3][3] == "مریم احمدی" and rows[3][6] == "زهرا قادری"
    xlsx, name, _ = fund_reports.ledger_file("xlsx", CENTER, ENTRIES, {}, NOW, TEHRAN)
    assert name.endswith(".xlsx") and xlsx[:2] == b"PK"
