"""A clock that can be moved forward: the playground's «⏩» and tests use it as `deps.clock`.

It reads real time plus an offset, so the bot's time keeps running between moves; `freeze`
stops it at one instant (tests that must not depend on how long a step takes).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from bot.persian.text import utcnow


class MovableClock:
    def __init__(self, real: Callable[[], datetime] = utcnow) -> None:
        self._real = real
        self.offset = timedelta()
        self._frozen: datetime | None = None

    def __call__(self) -> datetime:
        return self._frozen if self._frozen is not None else self._real() + self.offset

    def advance(self, delta: timedelta) -> datetime:
        if delta < timedelta():
            raise ValueError("the clock only moves forward")
        if self._frozen is not None:
            self._frozen += delta
        self.offset += delta
        return self()

    def freeze(self, at: datetime | None = None) -> None:
        self._frozen = at or self()

    def reset(self) -> None:
        self.offset, self._frozen = timedelta(), None
