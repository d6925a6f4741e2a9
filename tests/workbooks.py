"""A workbook made by bot/exports/xlsx.py, read back with openpyxl (an independent reader): its
form checked (one right-to-left sheet, a bold header frozen above the rows, column widths, text
cells) and its values returned."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from openpyxl import load_workbook


def read_back(content: bytes, text_columns: Sequence[int] = ()) -> list[tuple[object, ...]]:
    """The sheet's values, row by row, once its form is checked. `text_columns` (0-based): every
    row's cell there is a text cell («@»), a string or empty."""
    assert zipfile.ZipFile(io.BytesIO(content)).testzip() is None  # every entry's CRC is right
    book = load_workbook(io.BytesIO(content))
    assert len(book.worksheets) == 1
    sheet = book.active
    assert sheet.sheet_view.rightToLeft is True
    assert sheet.freeze_panes == "A2"
    header = sheet[1]
    assert all(cell.font.b for cell in header)
    for letter in (cell.column_letter for cell in header):
        assert sheet.column_dimensions[letter].width is not None
    for row in sheet.iter_rows(min_row=2):
        assert not any(cell.font.b for cell in row)
        for index in text_columns:
            cell = row[index]
            assert cell.number_format == "@" and (cell.value is None or cell.data_type == "s"), cell
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def widths(content: bytes) -> dict[str, float]:
    sheet = load_workbook(io.BytesIO(content)).active
    return {letter: dimension.width for letter, dimension in sheet.column_dimensions.items()}
