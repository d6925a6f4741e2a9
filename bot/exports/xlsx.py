"""An Excel workbook written as a stream: one right-to-left sheet, a bold frozen header row, columns
as wide as their longest value, the sheet's XML compressed as the rows arrive (issue 14,
«Exports stream»; docs/scale.md).

openpyxl's default mode kept every cell as an object (~5,400 rows per CPU second, memory growing
with the sheet); its write-only mode holds little but was no faster (an object per cell, a styled
one for each «@» cell: bench/xlsx_writer.py). Here each row
becomes its XML text at once and goes straight into a deflate stream: what stays in memory is the
compressed sheet (about a tenth of the text) and one number per column.

Widths: Excel wants them (<cols>) before the rows (<sheetData>), but they are known only once
every row is seen. So the rows are compressed as a stream of their own; at the end the sheet's
head (with the widths) and tail are compressed separately and the three joined into one deflate
stream (each part flushed to a byte boundary without ending the stream). The zip is written here
too, for its CRC: the rows' CRC is carried over to follow the head (crc32_after).

Strings are inline (no shared-strings table to hold), XML-escaped, stripped of the characters XML
1.0 forbids (openpyxl raised on them). Every entry has the same date (1980-01-01), so the same rows
give the same bytes in the bot's process and in the export worker's.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import repeat
from typing import cast
from xml.sax.saxutils import escape, quoteattr

from bot.services.members_export import _FORMULA_FIRST, _cell

MAX_WIDTH = 40
# zlib level 1: the sheet's text is repetitive markup. For 50,000 members, level 6 made the file
# 23% smaller (1.6 MB instead of 2.1 MB) but the writer half as fast (57,000 rows per CPU second
# instead of 102,000).
COMPRESSION = 1

# Rows made into text and compressed together: the text of a whole 5,000-row batch at once
# would be ~12 MB (Persian makes every str 2 bytes a character).
ROWS_PER_WRITE = 500

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = _HEAD + (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    '</Types>'
)
_ROOT_RELS = _HEAD + (
    f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK_RELS = _HEAD + (
    f'<Relationships xmlns="{_PACKAGE_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/></Relationships>'
)
# Cell styles (the s attribute): 0 plain, 1 bold (the header), 2 text («@», numFmtId 49).
_BOLD, _TEXT = ' s="1"', ' s="2"'
_STYLES = _HEAD + (
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)
_SHEET_TAIL = (
    '</sheetData><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
    '</worksheet>'
)

# What XML 1.0 forbids (control characters but tab and line ends, lone surrogates, U+FFFE/U+FFFF),
# and what it must escape: one search per cell, a substitution only when something is found.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff&<>]")




def xml_text(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return text
    return escape(_FORBIDDEN.sub("", text))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _Deflated:
    """The rows' text compressed (sync-flushed at the end, not finished) and its CRC and length
    taken by a thread of its own, in order, while the next rows are made: zlib lets go of the
    GIL, so with a core to spare the compression (a sixth of a 100,000-center workbook's CPU)
    costs no wall time. At most BEHIND chunks wait, so memory stays flat."""

    BEHIND = 4

    def __init__(self) -> None:
        self._compressor = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)
        self._pieces: list[Future[bytes]] = []
        self._crc = 0
        self._length = 0
        self._thread: ThreadPoolExecutor | None = None

    def add(self, data: bytes) -> None:
        if self._thread is None:
            self._thread = ThreadPoolExecutor(1, thread_name_prefix="xlsx-deflate")
        self._length += len(data)
        self._pieces.append(self._thread.submit(self._compress, data))
        if len(self._pieces) > self.BEHIND:
            self._pieces[-1 - self.BEHIND].result()

    def _compress(self, data: bytes) -> bytes:
        self._crc = zlib.crc32(data, self._crc)  # one thread, in order: the running CRC is safe
        return self._compressor.compress(data)

    def finish(self) -> tuple[list[bytes], int, int]:
        """The compressed pieces (ending on a byte boundary), the CRC and the length of the text."""
        pieces = [piece.result() for piece in self._pieces]
        if self._thread is not None:
            self._thread.shutdown()
        self._pieces = []
        return [*pieces, self._compressor.flush(zlib.Z_SYNC_FLUSH)], self._crc, self._length


class _Column:
    """A column's cell markup around the row number and the value, made once."""

    def __init__(self, letter: str, style: str) -> None:
        self.style = style
        self.open = f'<c r="{letter}'
        self.text = f'"{style} t="inlineStr"><is><t xml:space="preserve">'
        self.number = f'"{style}><v>'
        self.empty = f'"{style}/>'

    def cell(self, n: str, value: object, widths: list[int], i: int) -> str:
        """One cell of any value: an int (not a bool) a number, anything else text (None empty)."""
        if isinstance(value, int) and not isinstance(value, bool):
            text = str(int(value))
            markup = f"{self.open}{n}{self.number}{text}</v></c>"
        else:
            text = _cell(value)  # None -> "", an apostrophe before a formula
            if text:
                markup = f"{self.open}{n}{self.text}{xml_text(text)}</t></is></c>"
            else:
                markup = f"{self.open}{n}{self.empty}" if self.style else ""
        if len(text) > widths[i]:
            widths[i] = len(text)
        return markup


class XlsxFile:
    """Rows in (add), the workbook's bytes out (content); the same interface as
    members_export.CsvFile (add, content, rows). An int (not a bool) is a number cell; anything else is text
    (None an empty cell), with the CSV's apostrophe before what Excel would run as a formula.
    `text_columns` (0-based) are text cells («@»): a mobile keeps its leading zero."""

    def __init__(self, header: Sequence[str], title: str = "sheet", text_columns: Sequence[int] = ()) -> None:
        self._title = title
        self._letters = [column_letter(i) for i in range(len(header))]
        text = set(text_columns)
        self._columns = [_Column(letter, _TEXT if i in text else "") for i, letter in enumerate(self._letters)]
        self._widths = [0] * len(header)  # each column's longest text, the header's too
        self._rows = _Deflated()
        self._content: bytes | None = None
        self.rows = 0  # after the header
        self._write(self._careful(1, [header], [_Column(letter, _BOLD) for letter in self._letters]).encode())

    def add(self, rows: Sequence[Sequence[object]]) -> None:
        if self._content is not None:
            raise RuntimeError("the workbook is already made")
        for start in range(0, len(rows), ROWS_PER_WRITE):
            first = self.rows + start + 2  # row 1 is the header
            chunk = rows[start:start + ROWS_PER_WRITE]
            data = self._plain(first, chunk)
            if data is None:  # a column of None, bool, other values or a mix
                data = self._careful(first, chunk, self._columns).encode()
            self._write(data)
        self.rows += len(rows)

    def _careful(self, first: int, rows: Sequence[Sequence[object]], columns: Sequence[_Column]) -> str:
        """The rows' XML, cell by cell: any value, guarded, escaped, stripped."""
        return "".join(
            f'<row r="{n}">' + "".join(column.cell(n, value, self._widths, i)
                                       for i, (column, value) in enumerate(zip(columns, row))) + "</row>"
            for n, row in ((str(number), row) for number, row in enumerate(rows, start=first))
        )

    def _plain(self, first: int, rows: Sequence[Sequence[object]]) -> bytes | None:
        """The rows' XML (encoded) if each column is all str or all int (the usual case), else
        None. Made a column at a time: a column's texts are guarded, measured and searched for
        what XML must escape together (a search per cell was half the writer's time for 100,000
        centers: issue 14); each row is then one join of its pieces (the markup around each cell,
        the row's number, the texts), a column with empty cells made cell by cell first."""
        numbers = [str(number) for number in range(first, first + len(rows))]
        widths = self._widths
        pieces: list[Iterable[str]] = [[f'<row r="{n}">' for n in numbers]]
        for i, (column, values) in enumerate(zip(self._columns, zip(*rows))):
            kinds = set(map(type, values))
            o = column.open
            if kinds == {int}:
                texts = [str(value) for value in values]
                widths[i] = max(widths[i], *map(len, texts))
                pieces += [repeat(o), numbers, repeat(column.number), texts, repeat("</v></c>")]
                continue
            if kinds != {str}:
                return None
            texts = cast(list[str], list(values))
            if not _FORMULA_FIRST.isdisjoint([text[:1] for text in texts]):
                texts = [_cell(text) for text in texts]
            if _SPECIAL.search("".join(texts)) is not None:  # something to escape or drop: cell by cell
                pieces.append([column.cell(n, value, widths, i) for n, value in zip(numbers, values)])
                continue
            widths[i] = max(widths[i], *map(len, texts))
            middle = column.text
            if "" not in texts:
                pieces += [repeat(o), numbers, repeat(middle), texts, repeat("</t></is></c>")]
                continue
            empty = f"{o}{{}}{column.empty}" if column.style else ""
            pieces.append([f"{o}{n}{middle}{text}</t></is></c>" if text else empty.format(n)
                           for n, text in zip(numbers, texts)])
        pieces.append(repeat("</row>"))
        return "".join(map("".join, zip(*pieces))).encode()

    def _write(self, data: bytes) -> None:
        self._rows.add(data)

    def _sheet(self) -> tuple[list[bytes], int, int]:
        """The sheet's deflate stream, its CRC and its length: head + rows + tail."""
        last = self._letters[-1] if self._letters else "A"
        columns = "".join(f'<col min="{i}" max="{i}" width="{min(w + 2, MAX_WIDTH)}" customWidth="1"/>'
                          for i, w in enumerate(self._widths, start=1))
        head = (_HEAD + f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:{last}{self.rows + 1}"/>'
                '<sheetViews><sheetView rightToLeft="1" workbookViewId="0">'
                '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
                '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>'
                '<sheetFormatPr defaultRowHeight="15"/>' + (f"<cols>{columns}</cols>" if columns else "") +
                "<sheetData>").encode()
        tail = _SHEET_TAIL.encode()
        # Each part ends on a byte boundary (a sync flush) without ending the stream; only the
        # tail's finish does. The rows refer back only within themselves, so the join is one stream.
        opening = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)
        closing = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)
        rows, rows_crc, rows_length = self._rows.finish()
        stream = [opening.compress(head), opening.flush(zlib.Z_SYNC_FLUSH), *rows,
                  closing.compress(tail), closing.flush(zlib.Z_FINISH)]
        crc = crc32_after(zlib.crc32(head), rows_crc, rows_length)
        return stream, zlib.crc32(tail, crc), len(head) + rows_length + len(tail)

    def content(self) -> bytes:
        if self._content is None:
            workbook = _HEAD + (
                f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><bookViews><workbookView/></bookViews>'
                f'<sheets><sheet name={quoteattr(_FORBIDDEN.sub("", self._title))} sheetId="1" r:id="rId1"/></sheets></workbook>'
            )
            self._content = _zip([
                ("[Content_Types].xml", _deflated(_CONTENT_TYPES)), ("_rels/.rels", _deflated(_ROOT_RELS)),
                ("xl/workbook.xml", _deflated(workbook)), ("xl/_rels/workbook.xml.rels", _deflated(_WORKBOOK_RELS)),
                ("xl/styles.xml", _deflated(_STYLES)), ("xl/worksheets/sheet1.xml", self._sheet()),
            ])
        return self._content


def crc32_after(first_crc: int, second_crc: int, second_length: int) -> int:
    """The CRC-32 of A + B from crc32(A), crc32(B) and len(B) (zlib's crc32_combine, which Python
    lacks). The CRC is affine in its starting value: crc32(B, v) = crc32(B, 0) ^ crc32(Z, v) ^
    crc32(Z, 0) for Z = len(B) zero bytes, and crc32 runs over zeros at memory speed."""
    zeros = bytes(min(second_length, 1 << 16))
    from_first, from_zero = first_crc, 0
    left = second_length
    while left:
        chunk = zeros if left >= len(zeros) else zeros[:left]
        from_first, from_zero = zlib.crc32(chunk, from_first), zlib.crc32(chunk, from_zero)
        left -= len(chunk)
    return second_crc ^ from_first ^ from_zero


def _deflated(text: str) -> tuple[list[bytes], int, int]:
    data = text.encode()
    compressor = zlib.compressobj(COMPRESSION, zlib.DEFLATED, -15)
    return [compressor.compress(data), compressor.flush()], zlib.crc32(data), len(data)


_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the zip format's first day: the same bytes every time
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")


def _zip(entries: Sequence[tuple[str, tuple[list[bytes], int, int]]]) -> bytes:
    """A zip of deflated entries (no zip64: a sheet stays far below 4 GB). Each entry's pieces are
    let go once copied, so the file is held about once, not twice."""
    out = io.BytesIO()
    directory: list[bytes] = []
    for name, (pieces, crc, length) in entries:
        encoded, offset, size = name.encode(), out.tell(), sum(map(len, pieces))
        out.write(_LOCAL.pack(0x04034B50, 20, 0, 8, 0, _DOS_DATE, crc, size, length, len(encoded), 0) + encoded)
        while pieces:
            out.write(pieces.pop(0))
        directory.append(_CENTRAL.pack(0x02014B50, 20, 20, 0, 8, 0, _DOS_DATE, crc, size, length,
                                       len(encoded), 0, 0, 0, 0, 0, offset) + encoded)
    central = b"".join(directory)
    start = out.tell()
    out.write(central + _END.pack(0x06054B50, 0, 0, len(entries), len(entries), len(central), start, 0))
    return out.getvalue()
