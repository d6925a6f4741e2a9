"""A center's member list as a CSV file that Excel opens correctly with Persian text.

UTF-8 with a byte-order mark (without it Excel guesses a legacy code page and shows
mojibake), comma-separated, CRLF line ends. Cells that Excel would run as a formula are
prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import cast

BOM = "\ufeff"
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_START)
_STR_OR_INT = {str, int}


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class CsvFile:
    """The file built a batch of rows at a time (a 50,000-member center is never held as
    objects, only as the file's text)."""

    def __init__(self, header: Sequence[str]) -> None:
        self._buffer = io.BytesIO()
        self._buffer.write(BOM.encode())
        self._text = io.StringIO()
        self._writer = csv.writer(self._text, lineterminator="\r\n")
        self._writer.writerow([_cell(h) for h in header])
        self._flush()
        self.rows = 0

    def add(self, rows: Sequence[Sequence[object]]) -> None:
        plain = _plain_lines(rows)
        if plain is not None:
            self._text.write(plain)
        else:
            self._writer.writerows([_cell(value) for value in row] for row in rows)
        self._flush()
        self.rows += len(rows)

    def _flush(self) -> None:
        """The batch's text into the file's bytes: one encoding per batch, not one per row."""
        self._buffer.write(self._text.getvalue().encode())
        self._text.seek(0)
        self._text.truncate()

    def content(self) -> bytes:
        return self._buffer.getvalue()


def _plain_lines(rows: Sequence[Sequence[object]]) -> str | None:
    """The rows' lines as csv would write them, if no cell needs quoting or an apostrophe and
    every value is a str or an int, else None. A column at a time: its cells tested together,
    the lines joined in C (csv's own writer was a third of a 100,000-center file's time: issue 14)."""
    columns: list[Sequence[str]] = []
    for values in zip(*rows):
        kinds = set(map(type, values))
        if not kinds <= _STR_OR_INT:
            return None
        texts = cast(Sequence[str], values) if kinds == {str} else list(map(str, values))
        joined = "".join(texts)
        if ('"' in joined or "," in joined or "\n" in joined or "\r" in joined
                or not _FORMULA_FIRST.isdisjoint([text[:1] for text in texts])):
            return None
        columns.append(texts)
    if len(columns) < 2:  # csv quotes a lone empty cell
        return None
    return "".join([",".join(row) + "\r\n" for row in zip(*columns)])


def to_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> bytes:
    file = CsvFile(header)
    file.add(list(rows))
    return file.content()
