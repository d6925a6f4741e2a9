"""How the bot's requests reach the Bot API: python-telegram-bot's request interface over aiohttp.

PTB's own HTTPXRequest costs about 5 ms of CPU per sent message with a pool of 64 connections
(httpcore checks every pooled connection's expiry on every request); aiohttp's pool hands a
free connection out in constant time. Every reply, broadcast and reminder passes here, so this
is the largest single part of an update's cost (bench/interactive.py; docs/transport.md).

Same contract as HTTPXRequest: form-encoded parameters, multipart when a file is uploaded,
TimedOut for any timeout (the pool's included), NetworkError for every other transport failure;
PTB turns status codes and the API's JSON errors into its own exceptions above this layer.
"""

from __future__ import annotations

import asyncio
import ssl
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData
from telegram._utils.defaultvalue import DefaultValue

ODVInput = Any  # PTB's «a float, None, or its DEFAULT_NONE» (a private alias)
_FORM = {"Content-Type": "application/x-www-form-urlencoded"}

# Each byte as urllib's quote_plus writes it: unreserved ASCII as it is, a space as «+», any other %XX.
_UNRESERVED = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~")
_BYTE = [chr(b) if b in _UNRESERVED else "+" if b == 0x20 else f"%{b:02X}" for b in range(256)]


def _quoted(text: str) -> str:
    return "".join(map(_BYTE.__getitem__, text.encode()))


def form_encoded(fields: dict[str, str]) -> bytes:
    """urlencode(fields), by a table: urllib quotes byte by byte in Python, and Persian text is
    all quoted bytes (40 % less CPU on a join card)."""
    return "&".join(f"{_quoted(name)}={_quoted(value)}" for name, value in fields.items()).encode("ascii")


class AiohttpRequest(BaseRequest):
    """One connection pool (`pool_size` connections) shared by every request made through it."""

    __slots__ = ("_connect", "_media_write", "_pool", "_pool_size", "_read", "_session", "_tls", "_write")

    def __init__(self, pool_size: int, *, connect_timeout: float | None = 5.0, read_timeout: float | None = 5.0,
                 write_timeout: float | None = 5.0, pool_timeout: float | None = 1.0,
                 media_write_timeout: float | None = 20.0, tls: ssl.SSLContext | None = None) -> None:
        self._pool_size = pool_size
        self._connect, self._read, self._write, self._pool = connect_timeout, read_timeout, write_timeout, pool_timeout
        self._media_write = media_write_timeout
        self._tls = tls
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            connector = aiohttp.TCPConnector(limit=self._pool_size, ssl=self._tls if self._tls is not None else True)
            # No cookies (the API sets none) and no automatic decompression work beyond aiohttp's own.
            self._session = aiohttp.ClientSession(connector=connector, cookie_jar=aiohttp.DummyCookieJar(),
                                                  headers={"User-Agent": self.USER_AGENT})

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        fields = request_data.json_parameters if request_data else None
        # Form-encoded by hand: aiohttp would build a FormData for a dict, several times the work.
        body: Any = form_encoded(fields) if fields else None
        headers = _FORM if fields else None
        if files:
            form = aiohttp.FormData(quote_fields=False)
            for name, value in (fields or {}).items():
                form.add_field(name, value)
            for name, (filename, content, mimetype) in files.items():
                form.add_field(name, content, filename=filename, content_type=mimetype)
            body, headers = form, None
        timeout = self._timeout(read_timeout, write_timeout, connect_timeout, pool_timeout, upload=bool(files))
        try:
            async with self._session.request(method, url, data=body, headers=headers, timeout=timeout) as response:
                return response.status, await response.read()
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            raise NetworkError(f"aiohttp.{error.__class__.__name__}: {error}") from error

    def _timeout(self, read: ODVInput, write: ODVInput, connect: ODVInput, pool: ODVInput,
                 upload: bool) -> aiohttp.ClientTimeout:
        """aiohttp's timeouts from PTB's four. aiohttp has no write timeout: the whole request
        is bounded by their sum instead, so a stalled upload still ends."""
        read = self._read if isinstance(read, DefaultValue) else read
        connect = self._connect if isinstance(connect, DefaultValue) else connect
        pool = self._pool if isinstance(pool, DefaultValue) else pool
        if isinstance(write, DefaultValue):
            write = self._media_write if upload else self._write
        parts = (read, write, connect, pool)
        total = None if any(p is None for p in parts) else sum(parts)
        # «connect» in aiohttp is the wait for a pooled connection plus making one.
        waiting = None if connect is None or pool is None else connect + pool
        return aiohttp.ClientTimeout(total=total, connect=waiting, sock_connect=connect, sock_read=read)
