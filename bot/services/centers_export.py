"""Every center as an Excel workbook (the CSV uses bot/services/members_export.to_csv).

One sheet, right to left (Persian reads that way in Excel too), a bold frozen header row,
columns wide enough for their longest value. Text cells that Excel would run as a formula are
prefixed with an apostrophe, as in the CSV. Written as a stream (bot/exports/xlsx.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.exports.xlsx import XlsxFile

__all__ = ["XlsxFile", "to_xlsx"]


def to_xlsx(header: Sequence[str], rows: Iterable[Sequence[object]], title: str = "centers",
            text_columns: Sequence[int] = ()) -> bytes:
    """`text_columns` (0-based) are stored as text cells («@»): a mobile keeps its leading zero."""
    file = XlsxFile(header, title, text_columns)
    file.add(list(rows))
    return file.content()
