"""Kanoon — composition root: `python main.py --help` lists the commands.

Exit codes: 0 stopped cleanly; 2 configuration to fix (the message says what); 3 a Bot API
could not be reached at start (after retrying for CONNECT_RETRY_SECONDS); 1 anything else.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import signal
import sys
from pathlib import Path

from bot.db import migrate
from bot.db.engine import create_engine
from bot.logs import setup_logging
from bot.runner import Kanoon, NetworkUnavailable
from bot.settings import ConfigError, load_settings

log = logging.getLogger("kanoon")

EXIT_CONFIG, EXIT_NETWORK = 2, 3
# Settings come from the environment and the .env beside this file, whatever the current directory.
ENV_FILE = Path(__file__).resolve().parent / ".env"


async def _until_stopped() -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    log.info("stopping")


async def run(args: argparse.Namespace) -> None:
    settings = load_settings(ENV_FILE)
    setup_logging(settings.log_level)
    kanoon = Kanoon(settings)
    try:
        await kanoon.start()
        log.info("Kanoon is running; Ctrl-C or SIGTERM stops it")
        await _until_stopped()
    finally:
        await kanoon.stop()


async def migrate_only(args: argparse.Namespace) -> None:
    settings = load_settings(ENV_FILE, need_token=False)  # migrating never calls a Bot API
    setup_logging(settings.log_level)
    engine = create_engine(settings.database_url)
    await migrate.upgrade_or_explain(engine)
    await engine.dispose()
    log.info("database is at the latest schema")


async def playground(args: argparse.Namespace) -> None:
    from bot.playground.server import Playground  # only this command needs the web page

    setup_logging(args.log_level)
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        log.warning("the playground has no login: anyone who can reach %s:%d can use it", args.host, args.port)
    ground = Playground(data_dir=Path(args.data_dir), host=args.host, port=args.port)
    try:
        await ground.start()
        print(f"Kanoon playground: open {ground.url} in a browser (Ctrl-C stops it)", flush=True)
        await _until_stopped()
    finally:
        await ground.stop()


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(
        prog="python main.py",
        description="Kanoon, the Bale and Telegram bot of social cooperation centers.",
        epilog="Exit codes: 0 stopped cleanly, 2 configuration to fix, 3 Bot API unreachable at start, "
        f"1 anything else. Settings are read from the environment and {ENV_FILE}.",
    )
    commands = top.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("run", help="run the bot on Bale and/or Telegram (the default; needs a token in .env)")
    commands.add_parser("migrate", help="bring the database to the latest schema and exit (needs no token)")
    ground = commands.add_parser(
        "playground", help="try the whole bot in a browser against a built-in Bot API emulator (no token)",
        description="The real bot against a built-in Bot API emulator, with a web page of phones.",
    )
    ground.add_argument("--port", type=int, default=8080, help="web page port (default 8080)")
    ground.add_argument(
        "--host", default="127.0.0.1",
        help="address to listen on (default 127.0.0.1; the page has no login, so expose it with care)",
    )
    ground.add_argument("--data-dir", default="data", help="where playground.db lives (default ./data)")
    ground.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])
    return top


def main(argv: list[str]) -> int:
    args = parser().parse_args(argv[1:])  # exits 2 with usage on a wrong command, 0 on --help
    command = {"run": run, "migrate": migrate_only, "playground": playground}[args.command or "run"]
    try:
        asyncio.run(command(args))
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return EXIT_CONFIG
    except NetworkUnavailable as exc:
        print(exc, file=sys.stderr)
        return EXIT_NETWORK
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
