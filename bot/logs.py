"""Logging to stderr; every line about a user carries `platform:user_id`."""

from __future__ import annotations

import logging
import sys
from contextvars import ContextVar

# Set for the duration of one update (see handlers/middleware.py); tasks spawned from it inherit it.
current_actor: ContextVar[str] = ContextVar("current_actor", default="-")


class _ActorFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.actor = current_actor.get()
        return True


def setup_logging(level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(_ActorFilter())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s [%(actor)s] %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # Each long poll is an HTTP request; at INFO they would drown everything else.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
