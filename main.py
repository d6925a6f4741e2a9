"""Kanoon — composition root. `python main.py` runs the bot; `python main.py migrate` only migrates."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot.db import migrate
from bot.db.engine import create_engine
from bot.logs import setup_logging
from bot.runner import Kanoon
from bot.settings import ConfigError, load_settings

log = logging.getLogger("kanoon")


async def run() -> None:
    settings = load_settings()
    setup_logging(settings.log_level)
    kanoon = Kanoon(settings)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        await kanoon.start()
        log.info("Kanoon is running; Ctrl-C or SIGTERM stops it")
        await stop.wait()
        log.info("stopping")
    finally:
        await kanoon.stop()


async def migrate_only() -> None:
    settings = load_settings()
    setup_logging(settings.log_level)
    engine = create_engine(settings.database_url)
    await migrate.upgrade_or_explain(engine)
    await engine.dispose()
    log.info("database is at the latest schema")


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "run"
    if command not in {"run", "migrate"}:
        print(f"usage: python main.py [run|migrate]  (got {command!r})", file=sys.stderr)
        return 2
    try:
        asyncio.run(run() if command == "run" else migrate_only())
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
