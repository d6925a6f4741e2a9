"""`python -m bot.exports.members_worker`: one center's members file, made in its own process.

The job arrives as JSON on stdin (bot/exports/apart.py; the database's address goes there, never
on the command line, where `ps` would show its password). The answer on stdout: the number of
rows, a newline, then the file's bytes. Exit status 0 only once the whole file is written;
anything else (a traceback on stderr) is a failure the bot reports to the person who asked.

The worker reads through the bare driver (sqlite3, or asyncpg for PostgreSQL) and imports no
SQLAlchemy, ORM, catalog or telegram: its start-up is a small part of a big file's time.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.db.members_file_query import active_member_rows_sql
from bot.exports import worker
from bot.exports.members_sheet import MembersSheet, SheetLabels


def make(job: dict[str, Any]) -> MembersSheet:
    labels = job["labels"]
    sheet = MembersSheet(SheetLabels(labels["header"], labels["platforms"], labels["title"]), ZoneInfo(job["tz"]),
                         bool(job["workbook"]))
    worker.read(job["database"], lambda placeholder: active_member_rows_sql(placeholder(0), placeholder(1)),
                [int(job["center_id"]), str(job["status"])], int(job["batch"]), sheet.add)
    return sheet


if __name__ == "__main__":
    worker.serve(make)
