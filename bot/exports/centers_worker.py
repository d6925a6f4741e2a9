"""`python -m bot.exports.centers_worker`: the admins' every-center file, made in its own process
(issue 14): 100,000 centers cost seconds of CPU, which in the bot's process would hold up
everyone's updates. The job (JSON on stdin, from bot/actions/association.export) and the answer
(rows, a newline, the file) are those of members_worker.py; bot/exports/worker.py serves both.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.db.centers_file_query import centers_file_sql, centers_file_values
from bot.exports import worker
from bot.exports.centers_sheet import CentersLabels, CentersSheet


def make(job: dict[str, Any]) -> CentersSheet:
    sheet = CentersSheet(CentersLabels(**job["labels"]), ZoneInfo(job["tz"]), bool(job["workbook"]))
    live = [str(status) for status in job["live"]]
    grouped = job["database"]["driver"] == "postgresql"  # the counts as PostgreSQL makes them fastest
    worker.read(job["database"], lambda placeholder: centers_file_sql(placeholder, len(live), grouped),
                centers_file_values(live, str(job["active"]), str(job["pending"])), int(job["batch"]), sheet.add)
    return sheet


if __name__ == "__main__":
    worker.serve(make)
