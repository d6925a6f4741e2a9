"""A center's member list as a CSV file that Excel opens correctly with Persian text.

UTF-8 with a byte-order mark (without it Excel guesses a legacy code page and shows
mojibake), comma-separated, CRLF line ends. Cells that Excel would run as a formula are
prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class CsvFile:
    """The file built a batch of rows at a time (a 50,000-member center is never held as
    objects, only as the file's text)."""

    def __init__(self, header: Sequence[str]) -> None:
        self._buffer = io.BytesIO()
        self._text = io.TextIOWrapper(self._buffer, encoding="utf-8", newline="", write_through=True)
        self._text.write(BOM)
        self._writer = csv.writer(self._text, lineterminator="\r\n")
        self._writer.writerow([_cell(h) for h in header])
        self.rows = 0

    def add(self, rows: Sequence[Sequence[object]]) -> None:
        self._writer.writerows([_cell(value) for value in row] for row in rows)
        self.rows += len(rows)

    def content(self) -> bytes:
        return self._buffer.getvalue()


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    file = CsvFile(header)
    file.add(list(rows))
    return file.content()
