"""The two bots of bench/interactive.py, each run in its own process by the driver there:

    python bench/interactive_bots.py kanoon API_URL DATABASE_URL   # the bot's code: KANOON_CODE
    python bench/interactive_bots.py echo API_URL
    python bench/interactive_bots.py echo-aiohttp API_URL   # the same on Kanoon's transport (bot/ptb/transport.py)

The process reads one request a line on stdin and answers each with one JSON line on stdout
(anything else it prints goes to stderr): first {"ready": pid} once the bot is up; then
"counts" → Kanoon's database statements and commits so far (SQLAlchemy engine events; 0 for the
echo bot); "settled" → the same, once the bot has nothing left to do (Kanoon: its inbox has
marked every update done); "stop" → the bot stops and the process exits. The stock echo bot's
process imports python-telegram-bot and nothing of Kanoon's, so its memory is PTB's alone.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
from pathlib import Path
from typing import TextIO

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

TOKEN = "111111:interactive-bench-token"
KANOON, ECHO, ECHO_AIOHTTP = "kanoon", "echo", "echo-aiohttp"
SETTLE_TIMEOUT = 120.0


class StatementCounter:
    def __init__(self, engine) -> None:  # noqa: ANN001  (a sync Engine)
        from sqlalchemy import event

        self.statements = 0
        self.commits = 0
        event.listen(engine, "before_cursor_execute", self._statement)
        event.listen(engine, "commit", self._commit)

    def _statement(self, *args: object) -> None:
        self.statements += 1

    def _commit(self, *args: object) -> None:
        self.commits += 1

    def counts(self) -> dict[str, int]:
        return {"statements": self.statements, "commits": self.commits}


def _kanoon_code() -> None:
    sys.path.insert(0, os.environ.get("KANOON_CODE") or str(Path(__file__).resolve().parent.parent))


KEEP_ALIVE = 600.0  # seconds the stock echo bot keeps an unused connection (httpx's default: 5)


async def echo_bot(api_url: str, kanoon_transport: bool = False) -> Application:
    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(update.effective_message.text or "…")

    builder = ApplicationBuilder().token(TOKEN).base_url(api_url).concurrent_updates(64)
    if kanoon_transport:  # as bot/app.py builds it
        _kanoon_code()
        from bot.ptb.transport import AiohttpRequest

        builder = builder.request(AiohttpRequest(64)).get_updates_request(AiohttpRequest(1, read_timeout=35))
    else:
        # Its idle connections are kept, as a bot busy all the time would find them: stock httpx
        # drops them after 5 s unused, and a burst that opens them again costs the echo bot about
        # 3× the CPU per answer (20 against 6 ms here, measured) — a bench artifact, since each
        # bot waits out the others' rounds. The pool's size is the stock 64 as before.
        import httpx
        from telegram.request import HTTPXRequest

        limits = httpx.Limits(max_connections=64, keepalive_expiry=KEEP_ALIVE)
        builder = builder.request(HTTPXRequest(connection_pool_size=64, httpx_kwargs={"limits": limits}))
    application = builder.build()
    application.add_handler(MessageHandler(filters.ALL, echo))
    await application.initialize()
    await application.start()
    await application.updater.start_polling(poll_interval=0.0, timeout=30)
    return application


async def serve_kanoon(api_url: str, url: str, requests: asyncio.StreamReader, answers: TextIO) -> None:
    _kanoon_code()
    from bot.runner import Kanoon
    from bot.settings import Settings

    settings = Settings(_env_file=None, telegram_token=TOKEN, bale_token=None, telegram_api_url=api_url,
                        database_url=url, send_rate=1000, log_level="WARNING")
    kanoon = Kanoon(settings)
    await kanoon.start()
    try:
        await kanoon.caught_up()  # the start-up jobs, before anything is measured
        worker = kanoon.instances.worker
        assert worker is not None
        counter = StatementCounter(kanoon.engine.sync_engine)
        answers.write(json.dumps({"ready": os.getpid()}) + "\n")
        while (request := (await requests.readline()).decode().strip()) not in ("stop", ""):
            if request == "settled":
                await worker.settled(SETTLE_TIMEOUT)
            answers.write(json.dumps(counter.counts()) + "\n")
    finally:
        await kanoon.stop()


async def serve_echo(api_url: str, requests: asyncio.StreamReader, answers: TextIO, kanoon_transport: bool) -> None:
    echo = await echo_bot(api_url, kanoon_transport)
    try:
        answers.write(json.dumps({"ready": os.getpid()}) + "\n")
        while (await requests.readline()).decode().strip() not in ("stop", ""):
            answers.write(json.dumps({"statements": 0, "commits": 0}) + "\n")  # answered: nothing is left to do
    finally:
        await echo.updater.stop()
        await echo.stop()
        await echo.shutdown()


async def serve(role: str, api_url: str, url: str | None) -> None:
    answers = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)  # whatever else is printed must not land in the answers
    requests = asyncio.StreamReader()
    await asyncio.get_running_loop().connect_read_pipe(lambda: asyncio.StreamReaderProtocol(requests), sys.stdin)
    if role == KANOON:
        assert url is not None
        await serve_kanoon(api_url, url, requests, answers)
    else:
        await serve_echo(api_url, requests, answers, kanoon_transport=role == ECHO_AIOHTTP)


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    role, api_url, *url = sys.argv[1:]
    if role not in (KANOON, ECHO, ECHO_AIOHTTP):
        raise SystemExit(__doc__)
    asyncio.run(serve(role, api_url, url[0] if url else None))


if __name__ == "__main__":
    main()
