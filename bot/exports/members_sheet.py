"""A center's members formatted into the file, a batch of rows at a time: CSV (Excel opens it,
bot/services/members_export.py) or an Excel workbook (one right-to-left sheet, the mobile again
in Latin digits, both as text cells, for an SMS panel: issue 10, item 13).

Shared by the bot's process (small files) and the export worker (big ones), so it imports only
what the worker needs: the words arrive already made (SheetLabels, from the catalog in
bot/views/joining.members_sheet_labels), dates and digits come from bot/persian/text.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.persian.text import NumericDates, name_of, persian_digits
from bot.exports.xlsx import XlsxFile
from bot.services.members_export import CsvFile

# full_name, first_name, last_name, mobile, platform, decided_at, requested_at
# as the driver gives them (bot/db/members_file_query.py): a SQLAlchemy Row, a tuple, an asyncpg Record
MemberRow = Sequence[Any]


@dataclass(frozen=True)
class SheetLabels:
    """The file's words: column titles, each platform's name, the workbook's sheet title."""

    header: list[str]
    platforms: dict[str, str]
    title: str


class MembersSheet:
    """Dates and platform names repeat across members, so each is formatted once."""

    def __init__(self, labels: SheetLabels, tz: ZoneInfo, workbook: bool = False) -> None:
        self.tz = tz
        self.workbook = workbook
        self._platforms = labels.platforms
        self.file: CsvFile | XlsxFile
        if workbook:  # the mobile (Persian digits) and the Latin one are text cells
            self.file = XlsxFile(labels.header, title=labels.title, text_columns=(1, 2))
        else:
            self.file = CsvFile(labels.header)
        self._date = NumericDates(tz)  # dates repeat across members: each day formatted once

    @property
    def rows(self) -> int:
        return self.file.rows

    def add(self, rows: Sequence[MemberRow]) -> None:
        self.file.add([
            (name_of(full_name, first_name, last_name), persian_digits(mobile or ""),
             *((mobile or "",) if self.workbook else ()), self._platforms[platform],
             self._date(decided_at or requested_at))
            for full_name, first_name, last_name, mobile, platform, decided_at, requested_at in rows
        ])

    def content(self) -> bytes:
        return self.file.content()
