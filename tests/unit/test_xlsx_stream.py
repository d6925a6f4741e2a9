"""The streaming XLSX writer (bot/exports/xlsx.py, issue 14): what it writes, read back with
openpyxl, is the sheet the rows describe, whatever their characters and however they are batched."""

from __future__ import annotations

import zlib

import pytest

from bot.exports import xlsx
from bot.exports.xlsx import XlsxFile
from tests.workbooks import read_back, widths

HEADER = ["نام", "=موبایل", "تعداد"]


def _file(rows: list[list[object]], batch: int | None = None, text_columns: tuple[int, ...] = (1,)) -> bytes:
    file = XlsxFile(HEADER, title="اعضا", text_columns=text_columns)
    step = batch or max(len(rows), 1)
    for start in range(0, len(rows), step):
        file.add(rows[start:start + step])
    assert file.rows == len(rows)
    return file.content()


def test_values_come_back_as_written_with_formulas_guarded() -> None:
    rows: list[list[object]] = [
        ["مریم احمدی", "09121234567", 7],
        ["=HYPERLINK(\"x\")", "+989121234567", 0],
        ["<b>&amp; \"quoted\" 'single'", "۰۹۱۲۱۲۳۴۵۶۷", -3],
        ["  spaces kept  ", "", None],
        [None, None, 12345678901],
        ["line\nbreak\ttab", "0", 1],
    ]
    assert read_back(_file(rows), text_columns=(1,)) == [
        ("نام", "'=موبایل", "تعداد"),  # the header is guarded too
        ("مریم احمدی", "09121234567", 7),  # a text cell: the leading zero stays
        ("'=HYPERLINK(\"x\")", "'+989121234567", 0),
        ("<b>&amp; \"quoted\" 'single'", "۰۹۱۲۱۲۳۴۵۶۷", -3),
        ("  spaces kept  ", None, None),
        (None, None, 12345678901),
        ("line\nbreak\ttab", "0", 1),
    ]


def test_characters_xml_forbids_are_dropped_not_fatal() -> None:
    """openpyxl raised on these (a control character pasted into a name stopped the export)."""
    rows: list[list[object]] = [["a\x00b\x01c\x0bd\x1fe\ufffef", "0912\x08", 1]]
    assert read_back(_file(rows), text_columns=(1,))[1] == ("abcdef", "0912", 1)


def test_widths_are_the_longest_value_even_one_near_the_end() -> None:
    rows: list[list[object]] = [[f"عضو {n}", f"0912{n:07d}", n] for n in range(1_200)]
    rows[1_150][0] = "نام و نام خانوادگی بسیار بلند"  # after two of the writer's chunks and in a later batch
    rows[1_190][2] = 10 ** 60  # 61 digits: the width stops at 40
    found = widths(_file(rows, batch=500))
    assert found == {"A": len("نام و نام خانوادگی بسیار بلند") + 2, "B": 11 + 2, "C": xlsx.MAX_WIDTH}


@pytest.mark.parametrize("batch", [1, 7, 499, 501])
def test_the_same_rows_give_the_same_bytes_however_batched(batch: int) -> None:
    """No date in the file: the worker's file and the bot's are byte for byte the same."""
    rows: list[list[object]] = [[f"عضو {n}", f"0912{n:07d}", n] for n in range(1_100)]
    whole = _file(rows)
    assert _file(rows, batch=batch) == whole
    assert len(read_back(whole, text_columns=(1,))) == 1_101


@pytest.mark.parametrize("odd", ["=SUM(A1)", "+98912", "-2", "@x", "\tx", "<b>", "a>b", "R&D", "a\x00b", "\x1f",
                                 "a\ufffeb", "\uffff", "", "  "])
def test_a_column_made_at_once_is_the_column_made_cell_by_cell(odd: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Columns all of str or all of int are written a column at a time (XlsxFile._plain), with
    one search over each column's texts: whatever one text holds, the bytes are those written
    cell by cell (each cell guarded, escaped and stripped on its own), the widths too."""
    rows: list[list[object]] = [[f"نام {n}", f"0912{n:07d}", n] for n in range(30)]
    rows[17] = [odd + "نام بلند تر از بقیه", odd, 5]
    at_once = _file(rows)
    monkeypatch.setattr(XlsxFile, "_plain", lambda self, first, rows: None)
    assert at_once == _file(rows)
    assert read_back(at_once, text_columns=(1,))[18][0] == read_back(_file(rows), text_columns=(1,))[18][0]


def test_a_sheet_with_no_rows_opens() -> None:
    assert read_back(_file([])) == [("نام", "'=موبایل", "تعداد")]


def test_content_is_made_once_and_rows_cannot_follow() -> None:
    file = XlsxFile(HEADER)
    file.add([["a", "b", 1]])
    assert file.content() == file.content()
    with pytest.raises(RuntimeError):
        file.add([["c", "d", 2]])


@pytest.mark.parametrize("lengths", [(0, 0), (5, 0), (0, 5), (3, 65_536), (100, 65_537), (1, 200_001)])
def test_crc_of_two_parts_from_each_part_crc(lengths: tuple[int, int]) -> None:
    first, second = bytes(range(256)) * (lengths[0] // 256 + 1), b"kanoon" * (lengths[1] // 6 + 1)
    first, second = first[:lengths[0]], second[:lengths[1]]
    assert xlsx.crc32_after(zlib.crc32(first), zlib.crc32(second), len(second)) == zlib.crc32(first + second)


def test_column_letters() -> None:
    assert [xlsx.column_letter(i) for i in (0, 13, 25, 26, 51, 52, 701, 702)] == [
        "A", "N", "Z", "AA", "AZ", "BA", "ZZ", "AAA"]
