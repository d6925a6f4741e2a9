"""The bot's HTTP transport (bot/ptb/transport.py) keeps PTB's request contract: form fields,
multipart uploads, TimedOut for timeouts, NetworkError for a dead server."""

from __future__ import annotations

import asyncio
import json
import socket
from urllib.parse import urlencode
from collections.abc import AsyncIterator

import pytest
from aiohttp import web
from telegram import InputFile
from telegram.error import NetworkError, TimedOut
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.ptb.transport import AiohttpRequest, form_encoded


class Api:
    """A tiny server that records what came and answers, or stalls when told to."""

    def __init__(self) -> None:
        self.seen: list[dict[str, object]] = []
        self.stall = asyncio.Event()
        self.release = asyncio.Event()

    async def handle(self, request: web.Request) -> web.Response:
        if request.content_type.startswith("multipart/"):
            fields: dict[str, object] = {}
            async for part in await request.multipart():
                body = await part.read()  # type: ignore[union-attr]
                fields[part.name or ""] = (part.filename, bytes(body)) if part.filename else body.decode()  # type: ignore[union-attr]
        else:
            fields = dict(await request.post())
        self.seen.append({"agent": request.headers.get("User-Agent", ""), **fields})
        if self.stall.is_set():
            await self.release.wait()
        return web.json_response({"ok": True, "result": True})


@pytest.fixture
async def api() -> AsyncIterator[tuple[Api, str]]:
    state = Api()
    app = web.Application()
    app.router.add_post("/{method}", state.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    yield state, f"http://127.0.0.1:{port}"
    state.release.set()
    await runner.cleanup()


def _data(**values: object) -> RequestData:
    return RequestData([RequestParameter.from_input(k, v) for k, v in values.items()])


async def test_form_fields_arrive_json_encoded_with_the_user_agent(api: tuple[Api, str]) -> None:
    state, base = api
    request = AiohttpRequest(4)
    await request.initialize()
    try:
        status, body = await request.do_request(f"{base}/sendMessage", "POST",
                                                _data(chat_id=7, text="سلام *دنیا*", reply_markup={"a": [1]}))
    finally:
        await request.shutdown()
    assert (status, json.loads(body)) == (200, {"ok": True, "result": True})
    seen = state.seen[0]
    assert seen["chat_id"] == "7" and seen["text"] == "سلام *دنیا*"
    assert json.loads(str(seen["reply_markup"])) == {"a": [1]}
    assert "python-telegram-bot" in str(seen["agent"])


async def test_a_file_goes_as_multipart_with_its_name(api: tuple[Api, str]) -> None:
    state, base = api
    request = AiohttpRequest(4)
    await request.initialize()
    try:
        status, _ = await request.do_request(
            f"{base}/sendDocument", "POST",
            _data(chat_id=7, caption="فهرست", document=InputFile(b"a,b\n1,2\n", filename="members.csv")))
    finally:
        await request.shutdown()
    assert status == 200
    seen = state.seen[0]
    assert seen["chat_id"] == "7" and seen["caption"] == "فهرست"
    assert seen["document"] == ("members.csv", b"a,b\n1,2\n")


async def test_a_stalled_answer_is_timed_out(api: tuple[Api, str]) -> None:
    state, base = api
    state.stall.set()
    request = AiohttpRequest(4, read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.do_request(f"{base}/getMe", "POST")
    finally:
        await request.shutdown()


async def test_a_full_pool_times_out_without_sending(api: tuple[Api, str]) -> None:
    state, base = api
    state.stall.set()
    request = AiohttpRequest(1, read_timeout=None, write_timeout=None, connect_timeout=None, pool_timeout=0.2)
    await request.initialize()
    try:
        first = asyncio.create_task(request.do_request(f"{base}/getMe", "POST"))
        while not state.seen:  # the only connection is now busy
            await asyncio.sleep(0)
        with pytest.raises(TimedOut):
            await request.do_request(f"{base}/getMe", "POST", connect_timeout=0.0)
        assert len(state.seen) == 1
        state.release.set()
        assert (await first)[0] == 200
    finally:
        await request.shutdown()


async def test_a_dead_server_is_a_network_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as caught:
            await request.do_request(f"http://127.0.0.1:{port}/getMe", "POST")
        assert not isinstance(caught.value, TimedOut)
    finally:
        await request.shutdown()


async def test_requests_before_initialize_or_after_shutdown_are_refused(api: tuple[Api, str]) -> None:
    _, base = api
    request = AiohttpRequest(1)
    with pytest.raises(RuntimeError):
        await request.do_request(f"{base}/getMe", "POST")
    await request.initialize()
    await request.shutdown()
    with pytest.raises(RuntimeError):
        await request.do_request(f"{base}/getMe", "POST")


@pytest.mark.parametrize("fields", [
    {"chat_id": "1001", "text": "سلام «علی» جان! ۱۲۳ 🏘\nکد: ABC-12_x.y~z"},
    {"text": "a b+c&d=e%f/g?h#i", "reply_markup": '{"inline_keyboard": [[{"text": "✅ بله", "callback_data": "j:1"}]]}'},
    {"empty": "", "ي ك": "\u200c\t\r\x00\x7f\xff"},
    {},
])
def test_the_form_is_urlencodes(fields: dict[str, str]) -> None:
    assert form_encoded(fields) == urlencode(fields).encode("ascii")
