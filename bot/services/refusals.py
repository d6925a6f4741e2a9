"""The one way a rule says no to a person: raise a Refusal.

A service raises it inside the unit of work (so nothing it wrote is committed); the action
lets it through; the handler renders it with `bot.views.refusals.text` (one catalog message
per feature and code) and keeps the person where they were. Outcomes that are not refusals
(a join request sent, a decision made) are return values.
"""

from __future__ import annotations

from typing import ClassVar


class Refusal(Exception):
    """A refusal the user is told about; `code` (with the feature's `feature`) picks the message."""

    feature: ClassVar[str] = "general"

    def __init__(self, code: str, **details: object) -> None:
        super().__init__(code)
        self.code = code
        self.details = details

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r})"
