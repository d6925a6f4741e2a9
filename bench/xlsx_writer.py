"""Benchmark: the XLSX writer alone, a members file of N rows (not a test).

    .venv/bin/python bench/xlsx_writer.py              # 50,000 rows, every writer, printed
    .venv/bin/python bench/xlsx_writer.py --rows 10000 --record

Writers, each in a fresh process: `openpyxl` (default mode, the XlsxFile before issue 14's
streaming writer, kept here as the baseline), `openpyxl-write-only` (Workbook(write_only=True),
WriteOnlyCell for the bold header and the «@» cells, widths from the header since they must come
before the rows), `stream` (bot/exports/xlsx.py: the sheet's XML written and compressed as the
rows arrive), and `csv` (bot/services/members_export.CsvFile, for scale). The rows are the members
sheet's five columns, made a batch of 5,000 at a time (as the export reads them), so only the
writer's memory grows. Printed per writer: CPU seconds (process time, the machine is shared),
rows per CPU second (the rows' own making not counted), the rise of the process's peak RSS while writing (Linux VmHWM, reset before),
and the file's size. Each file is read back with openpyxl (outside the timing) and its row count
checked.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)] if str(ROOT) not in sys.path else []

from bench.common import SHARED_NOTE, load_average, record, rss_mb  # noqa: E402

BATCH = 5_000
HEADER = ["نام", "موبایل", "موبایل (لاتین)", "پیام‌رسان", "تاریخ عضویت"]
FIRST = ["مریم", "علی", "زهرا", "حسن", "فاطمه", "محمدرضا", "سکینه", "عبدالله"]
LAST = ["احمدی", "رضایی", "کریمی", "نوری", "حسینی", "موسوی‌نژاد", "=قاسمی", "بلوچ"]
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
WRITERS = ("openpyxl", "openpyxl-write-only", "stream", "csv")


def batches(rows: int) -> Iterator[list[list[object]]]:
    for start in range(0, rows, BATCH):
        batch: list[list[object]] = []
        for n in range(start, min(rows, start + BATCH)):
            mobile = f"0912{n:07d}"
            batch.append([f"{FIRST[n % 8]} {LAST[n // 8 % 8]} {n}", mobile.translate(PERSIAN), mobile,
                          "بله" if n % 3 else "تلگرام", f"۱۴۰۵/۰۸/{n % 28 + 1:02d}".translate(PERSIAN)])
        yield batch


class OpenpyxlDefault:
    """bot/services/centers_export.XlsxFile as it was before the streaming writer (main at 79be08a)."""

    def __init__(self, header: Sequence[str], title: str, text_columns: Sequence[int]) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        from bot.services.members_export import _cell
        self._cell = _cell
        self._book = Workbook()
        self._sheet = self._book.active
        self._sheet.title = title
        self._sheet.sheet_view.rightToLeft = True
        self._sheet.append([_cell(h) for h in header])
        for cell in self._sheet[1]:
            cell.font = Font(bold=True)
        self._widths = [len(str(h)) for h in header]
        self._text_columns = tuple(text_columns)
        self.rows = 0

    def add(self, rows: Sequence[Sequence[object]]) -> None:
        for number, row in enumerate(rows, start=self.rows + 2):
            values = [value if isinstance(value, int) else self._cell(value) for value in row]
            self._sheet.append(values)
            self._widths = [max(w, len(str(v))) for w, v in zip(self._widths, values, strict=True)]
            for index in self._text_columns:
                self._sheet.cell(row=number, column=index + 1).number_format = "@"
        self.rows += len(rows)

    def content(self) -> bytes:
        for index, width in enumerate(self._widths, start=1):
            letter = self._sheet.cell(row=1, column=index).column_letter
            self._sheet.column_dimensions[letter].width = min(width + 2, 40)
        self._sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


class OpenpyxlWriteOnly:
    """openpyxl's write-only mode: rows go to a temporary file; widths must be set before them."""

    def __init__(self, header: Sequence[str], title: str, text_columns: Sequence[int]) -> None:
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        from bot.services.members_export import _cell
        self._cell, self._make = _cell, WriteOnlyCell
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet(title)
        self._sheet.sheet_view.rightToLeft = True
        self._sheet.freeze_panes = "A2"
        for index, h in enumerate(header, start=1):  # from the header only: the rows come later
            self._sheet.column_dimensions[get_column_letter(index)].width = min(max(len(h), 12) + 2, 40)
        bold = Font(bold=True)
        cells = []
        for h in header:
            cell = WriteOnlyCell(self._sheet, _cell(h))
            cell.font = bold
            cells.append(cell)
        self._sheet.append(cells)
        self._text = set(text_columns)
        self.rows = 0

    def add(self, rows: Sequence[Sequence[object]]) -> None:
        for row in rows:
            values: list[object] = []
            for index, value in enumerate(row):
                if isinstance(value, int):
                    values.append(value)
                elif index in self._text:
                    cell = self._make(self._sheet, self._cell(value))
                    cell.number_format = "@"
                    values.append(cell)
                else:
                    values.append(self._cell(value))
            self._sheet.append(values)
        self.rows += len(rows)

    def content(self) -> bytes:
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def writer(name: str) -> object:
    if name == "openpyxl":
        return OpenpyxlDefault(HEADER, "members", (1, 2))
    if name == "openpyxl-write-only":
        return OpenpyxlWriteOnly(HEADER, "members", (1, 2))
    if name == "stream":
        from bot.exports.xlsx import XlsxFile
        return XlsxFile(HEADER, "members", (1, 2))
    from bot.services.members_export import CsvFile
    return CsvFile(HEADER)


def one(name: str, rows: int) -> dict[str, float]:
    """In this process: write the file, then read it back (not timed)."""
    import openpyxl  # noqa: F401  (imported before the timing: every writer pays it once in real use)
    import bot.exports.xlsx  # noqa: F401

    file = writer(name)
    batches(BATCH)  # warm the generator's code
    Path("/proc/self/clear_refs").write_text("5")
    before = rss_mb()[0]
    cpu = 0.0
    for batch in batches(rows):  # the rows are made outside the timing: only the writer is timed
        started = time.process_time()
        file.add(batch)  # type: ignore[attr-defined]
        cpu += time.process_time() - started
    started = time.process_time()
    content: bytes = file.content()  # type: ignore[attr-defined]
    cpu += time.process_time() - started
    rise = rss_mb()[1] - before
    if name != "csv":
        from openpyxl import load_workbook
        sheet = load_workbook(io.BytesIO(content), read_only=True).active
        assert sum(1 for _ in sheet.iter_rows(values_only=True)) == rows + 1, name
    return {"cpu": cpu, "rise_mb": rise, "bytes": len(content)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--writer", action="append", choices=WRITERS, help="default: every writer")
    parser.add_argument("--record", action="store_true", help="append the table to bench/RESULTS.md")
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.rows)))
        return
    load = load_average()
    lines = [f"The XLSX writer alone, a members file of {args.rows:,} rows (5 columns), each writer in its own process:",
             "", "| writer | CPU s | rows per CPU s | rise of peak RSS (MB) | file (KB) |", "|---|---|---|---|---|"]
    for name in args.writer or WRITERS:
        out = subprocess.run([sys.executable, __file__, "--one", name, "--rows", str(args.rows)], check=True,
                             capture_output=True, text=True, cwd=ROOT).stdout
        m = json.loads(out)
        lines.append(f"| {name} | {m['cpu']:.2f} | {args.rows / m['cpu']:,.0f} | {m['rise_mb']:.0f} | "
                     f"{m['bytes'] / 1024:,.0f} |")
    text = "\n".join(lines) + "\n\n" + SHARED_NOTE.format(load=f"{load} before, {load_average()} after")
    print(text)
    if args.record:
        record("`bench/xlsx_writer.py`", text)


if __name__ == "__main__":
    main()
