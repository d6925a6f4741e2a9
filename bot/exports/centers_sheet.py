"""Every live center formatted into the admins' file, a batch of rows at a time: CSV (Excel opens
it) or an Excel workbook (one right-to-left sheet). Issue 11 (the association's export), issue 14
(made outside the bot's process).

Shared by the bot's process (SQLite in memory) and the export worker (bot/exports/centers_worker.py),
so both give the same bytes; it imports no catalog, telegram or ORM: the words arrive made
(CentersLabels, from bot/views/association.centers_sheet_labels).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from bot.db.enums import CenterKind
from bot.exports.xlsx import XlsxFile
from bot.persian.text import NumericDates, name_of
from bot.persian.digits import persian_digits
from bot.services.members_export import CsvFile

# code, name, kind, kind_label, area, status, created_at,
# leader's full_name, first_name, last_name, mobile, assistant's id, full_name, first_name, last_name, mobile,
# facilitator, org, members, pending — as the driver gives them (bot/db/centers_file_query.py)
CenterRow = Sequence[Any]


@dataclass(frozen=True)
class CentersLabels:
    """The file's words: column titles, each kind's and status's name, the workbook's sheet title."""

    header: list[str]
    kinds: dict[str, str]
    statuses: dict[str, str]
    title: str = "centers"


class CentersSheet:
    """Kinds, statuses and days repeat across centers: each is put into words once."""

    def __init__(self, labels: CentersLabels, tz: ZoneInfo, workbook: bool = False) -> None:
        self._kinds, self._statuses = labels.kinds, labels.statuses
        self.file: CsvFile | XlsxFile
        self.file = XlsxFile(labels.header, labels.title) if workbook else CsvFile(labels.header)
        self._day = NumericDates(tz)

    @property
    def rows(self) -> int:
        return self.file.rows

    def add(self, rows: Sequence[CenterRow]) -> None:
        kinds, statuses, day, other = self._kinds, self._statuses, self._day, CenterKind.OTHER.value
        self.file.add([
            (code or "", name, kind_label if kind == other and kind_label else kinds.get(kind, "") if kind else "",
             area or "", statuses[status],
             name_of(leader_full, leader_first, leader_last),
             # Mobiles in Persian digits: Excel would read Latin ones as numbers and drop the leading 0.
             persian_digits(leader_mobile or ""),
             name_of(assistant_full, assistant_first, assistant_last) if assistant_id is not None else "",
             persian_digits(assistant_mobile or "") if assistant_id is not None else "",
             facilitator or "", org or "", int(members or 0), int(pending or 0), day(created_at))
            for (code, name, kind, kind_label, area, status, created_at, leader_full, leader_first, leader_last,
                 leader_mobile, assistant_id, assistant_full, assistant_first, assistant_last, assistant_mobile,
                 facilitator, org, members, pending) in rows
        ])

    def content(self) -> bytes:
        return self.file.content()
