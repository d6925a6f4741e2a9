"""The bot as an operator runs it: `python main.py` in its own process, stopped by SIGTERM."""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import pytest
import aiohttp
from aiohttp import web

from bot.emulator import FakeBotApi

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parents[2]


def _env(tmp_path: Path, **values: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"TELEGRAM_TOKEN", "BALE_TOKEN", "DATABASE_URL"}}
    env.update(values)
    return env


async def _run_main(tmp_path: Path, env: dict[str, str], *args: str, main: Path = ROOT / "main.py") -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable, str(main), *args, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )


async def test_missing_configuration_is_one_clear_message_and_exit_2(tmp_path: Path) -> None:
    process = await _run_main(tmp_path, _env(tmp_path))
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    text = stderr.decode()
    assert "TELEGRAM_TOKEN or BALE_TOKEN" in text and ".env.example" in text
    assert "Traceback" not in text


async def test_bad_token_is_one_clear_message(tmp_path: Path) -> None:
    process = await _run_main(tmp_path, _env(tmp_path, BALE_TOKEN="oops"))
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "BALE_TOKEN" in stderr.decode() and "Traceback" not in stderr.decode()


async def test_runs_from_dotenv_answers_and_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    # .env is read beside main.py, not from the current directory: a copy of main.py in app/
    # with its .env, run from elsewhere.
    app = tmp_path / "app"
    app.mkdir()
    shutil.copy(ROOT / "main.py", app / "main.py")
    (tmp_path / ".env").write_text("BALE_TOKEN=oops\n")  # in the current directory: not read
    async with FakeBotApi(flavour="bale", bot_username="kanoon_bale_bot") as api:
        (app / ".env").write_text(f"BALE_TOKEN=222222:bale-test-token\nBALE_API_URL={api.base_url}\n")
        process = await _run_main(tmp_path, _env(tmp_path), main=app / "main.py")
        try:
            await asyncio.wait_for(_wait_for_line(process, b"Kanoon is running"), timeout=60)
            user = api.user(1_800_000_555, "مریم")
            await user.send("/start")
            assert "خوش آمدید" in (await user.next_message(timeout=15)).text
            process.send_signal(signal.SIGTERM)
            await asyncio.wait_for(process.wait(), timeout=30)
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()
        assert process.returncode == 0
        assert (tmp_path / "data" / "kanoon.db").exists()  # the default SQLite file under ./data/


async def test_migrate_command(tmp_path: Path) -> None:
    env = _env(tmp_path, BALE_TOKEN="222222:bale-test-token", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/m.db")
    process = await _run_main(tmp_path, env, "migrate")
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()
    assert "latest schema" in stderr.decode()


async def _wait_for_line(process: asyncio.subprocess.Process, needle: bytes) -> None:
    assert process.stderr is not None
    seen = []
    while True:
        line = await process.stderr.readline()
        if not line:
            raise AssertionError(f"process ended before {needle!r}: {b''.join(seen).decode()}")
        seen.append(line)
        if needle in line:
            return


@pytest.mark.parametrize(
    "database_url",
    ["postgresql+asyncpg://nobody@127.0.0.1:9/none", "sqlite+aiosqlite:////proc/kanoon/k.db", "mysql://x/y"],
    ids=["unreachable-postgres", "unwritable-sqlite", "unsupported"],
)
async def test_unusable_database_is_one_clear_message(tmp_path: Path, database_url: str) -> None:
    env = _env(tmp_path, BALE_TOKEN="222222:bale-test-token", DATABASE_URL=database_url)
    process = await _run_main(tmp_path, env)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert "DATABASE_URL" in stderr.decode() and "Traceback" not in stderr.decode()


async def test_help_lists_the_commands(tmp_path: Path) -> None:
    process = await _run_main(tmp_path, _env(tmp_path), "--help")
    stdout, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0
    assert all(command in stdout.decode() for command in ("run", "migrate", "playground", "Exit codes"))


async def test_missing_token_says_where_it_looked(tmp_path: Path) -> None:
    process = await _run_main(tmp_path, _env(tmp_path))
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert str(ROOT / ".env") in stderr.decode() and "playground" in stderr.decode()


async def test_migrate_needs_no_token(tmp_path: Path) -> None:
    env = _env(tmp_path, DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/m.db")
    process = await _run_main(tmp_path, env, "migrate")
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, stderr.decode()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_unreachable_api_is_retried_then_exit_3(tmp_path: Path) -> None:
    env = _env(tmp_path, BALE_TOKEN="222222:bale-test-token", BALE_API_URL=f"http://127.0.0.1:{_closed_port()}/bot",
               CONNECT_RETRY_SECONDS="0", DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/n.db")
    process = await _run_main(tmp_path, env)
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    text = stderr.decode()
    assert process.returncode == 3, text
    assert "connecting to the bale Bot API" in text and "(attempt 1)" in text
    assert "Cannot reach the bale Bot API" in text and "Traceback" not in text


@pytest.mark.parametrize(("status", "body"), [(404, b""), (404, b"<html>Not Found</html>"), (200, b"<html>hi</html>")],
                         ids=["404-empty", "404-html", "200-html"])
async def test_wrong_api_url_is_named_as_such(tmp_path: Path, status: int, body: bytes) -> None:
    async def anything(request: web.Request) -> web.Response:
        return web.Response(status=status, body=body, content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", anything)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    try:
        env = _env(tmp_path, TELEGRAM_TOKEN="111111:telegram-test-token",
                   TELEGRAM_API_URL=f"http://127.0.0.1:{port}/wrong/bot",
                   DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/w.db")
        process = await _run_main(tmp_path, env)
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    finally:
        await runner.cleanup()
    text = stderr.decode()
    assert process.returncode == 2, text
    assert "TELEGRAM_API_URL" in text and "does not answer as a Bot API" in text
    assert "rejected" not in text and "Traceback" not in text


async def test_playground_says_its_address_and_a_taken_port_is_one_clear_message(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = await _run_main(tmp_path, _env(tmp_path), "playground", "--port", str(port))
        _, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 2
    assert f"127.0.0.1:{port}" in stderr.decode() and "--port" in stderr.decode() and "Traceback" not in stderr.decode()


async def test_playground_runs_without_a_token_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = _closed_port()
    process = await _run_main(tmp_path, _env(tmp_path), "playground", "--port", str(port))
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        assert f"http://127.0.0.1:{port}" in line.decode()
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/api/state") as response:
            assert response.status == 200 and len((await response.json())["people"]) == 7
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), timeout=30)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.returncode == 0
    assert (tmp_path / "data" / "playground.db").exists()
