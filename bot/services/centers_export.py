"""Every center as an Excel workbook (the CSV uses bot/services/members_export.to_csv).

One sheet, right to left (Persian reads that way in Excel too), a bold frozen header row,
columns wide enough for their longest value. Text cells that Excel would run as a formula
are prefixed with an apostrophe, as in the CSV.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence

from bot.services.members_export import _cell

MAX_WIDTH = 40


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], title: str = "centers",
            text_columns: Sequence[int] = ()) -> bytes:
    """`text_columns` (0-based) are stored as text cells («@»): a mobile keeps its leading zero."""
    file = XlsxFile(header, title, text_columns)
    file.add(list(rows))
    return file.content()


class XlsxFile:
    """A workbook built a batch of rows at a time, with the same interface as
    members_export.CsvFile (add, content, rows): one right-to-left sheet, a bold frozen header."""

    def __init__(self, header: Sequence[str], title: str = "sheet", text_columns: Sequence[int] = ()) -> None:
        # Imported here: openpyxl costs start-up time every process would pay for a rare file.
        from openpyxl import Workbook
        from openpyxl.styles import Font

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
        # The sheet's row numbers counted here: openpyxl's max_row looks at every cell (a
        # 50,000-row workbook took minutes asking it once a row).
        for number, row in enumerate(rows, start=self.rows + 2):  # row 1 is the header
            values = [value if isinstance(value, int) else _cell(value) for value in row]
            self._sheet.append(values)
            self._widths = [max(w, len(str(v))) for w, v in zip(self._widths, values, strict=True)]
            for index in self._text_columns:  # text cells: a mobile keeps its leading zero
                self._sheet.cell(row=number, column=index + 1).number_format = "@"
        self.rows += len(rows)

    def content(self) -> bytes:
        for index, width in enumerate(self._widths, start=1):
            letter = self._sheet.cell(row=1, column=index).column_letter
            self._sheet.column_dimensions[letter].width = min(width + 2, MAX_WIDTH)
        self._sheet.freeze_panes = "A2"
        buffer = io.BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()
