"""Every center as an Excel workbook (the CSV uses bot/services/members_export.to_csv).

One sheet, right to left (Persian reads that way in Excel too), a bold frozen header row,
columns wide enough for their longest value. Text cells that Excel would run as a formula
are prefixed with an apostrophe, as in the CSV.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

from bot.services.members_export import _cell

MAX_WIDTH = 40


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], title: str = "centers",
            text_columns: Sequence[int] = ()) -> bytes:
    """`text_columns` (0-based) are stored as text cells («@»): a mobile keeps its leading zero."""
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title
    sheet.sheet_view.rightToLeft = True
    sheet.append([_cell(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(h)) for h in header]
    for row in rows:
        values = [value if isinstance(value, int) else _cell(value) for value in row]
        sheet.append(values)
        widths = [max(w, len(str(v))) for w, v in zip(widths, values, strict=True)]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width + 2, MAX_WIDTH)
    for index in text_columns:
        for (cell,) in sheet.iter_rows(min_col=index + 1, max_col=index + 1):
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
