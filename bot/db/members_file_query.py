"""The members file's one query, as SQL text with no imports: the bot runs it through SQLAlchemy
(bot/db/repo/memberships.active_member_rows), the export worker (bot/exports/members_worker.py)
through the bare driver, which starts in a fraction of SQLAlchemy's import time.

Placeholders differ by driver (`:name` for SQLAlchemy and sqlite3, `$1` for asyncpg), so the
caller names them. Dates come back as the driver gives them: SQLite's stored text, a datetime
from PostgreSQL (bot/exports/members_sheet.py reads both).
"""

from __future__ import annotations

ACTIVE_MEMBER_ROWS = """
SELECT users.full_name, users.first_name, users.last_name, users.mobile, users.platform,
       memberships.decided_at, memberships.requested_at
FROM memberships JOIN users ON users.id = memberships.user_id
WHERE memberships.center_id = {center_id} AND memberships.status = {status}
ORDER BY memberships.decided_at, memberships.id
"""


def active_member_rows_sql(center_id: str, status: str) -> str:
    """A center's members in the order they joined; `center_id` and `status` are the driver's
    placeholders for them (never values)."""
    return ACTIVE_MEMBER_ROWS.format(center_id=center_id, status=status)
