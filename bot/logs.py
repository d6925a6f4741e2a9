"""Logging to stderr; every line about a user carries `platform:user_id`."""

from __future__ import annotations

import json
import logging
import sys
from contextvars import ContextVar
from datetime import datetime, timezone

# Set for the duration of one update (see handlers/middleware.py); tasks spawned from it inherit it.
current_actor: ContextVar[str] = ContextVar("current_actor", default="-")

_base_factory = logging.getLogRecordFactory()


def _record_with_actor(*args: object, **kwargs: object) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.actor = current_actor.get()
    return record


# A record factory, not a handler filter, so every handler (pytest's caplog too) sees the actor.
logging.setLogRecordFactory(_record_with_actor)


class JsonFormatter(logging.Formatter):
    """LOG_FORMAT=json: one JSON object per line, for log collectors (docs/deploy.md)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "actor": getattr(record, "actor", "-"),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(level: str = "INFO", log_format: str = "text") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(actor)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Each long poll is an HTTP request; at INFO they would drown everything else.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
