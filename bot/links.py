"""Deep-link payloads (`/start <payload>`): the prefix says which feature takes the link.

Payloads are `[A-Za-z0-9_-]`, at most 64 characters, on both platforms.
"""

from __future__ import annotations

import re

ASSISTANT_INVITE = "a-"  # a-<token>: an invitation to become a center's assistant
CENTER = "c-"  # c-<code>: a center's card, to ask to join it


def assistant_invite(token: str) -> str:
    return ASSISTANT_INVITE + token


def center(code: int) -> str:
    return f"{CENTER}{code}"


def start_pattern(prefix: str) -> str:
    """A regex for filters.Regex that matches `/start <prefix>…`."""
    return rf"^/start(@\w+)?\s+{re.escape(prefix)}[A-Za-z0-9_-]+\s*$"


def payload_after(prefix: str, args: list[str] | None) -> str | None:
    if not args or not args[0].startswith(prefix):
        return None
    return args[0][len(prefix):] or None


FACILITATOR_INVITE = "f-"  # f-<token>: an invitation to become the facilitator of some centers


def facilitator_invite(token: str) -> str:
    return FACILITATOR_INVITE + token


FUND_TREASURER_INVITE = "ft-"  # ft-<token>: an invitation to become a center fund's treasurer (issue 16)


def fund_treasurer_invite(token: str) -> str:
    return FUND_TREASURER_INVITE + token


SUPPORTER_INVITE = "s-"  # s-<token>: an invitation to support a center from outside (issue 13)


def supporter_invite(token: str) -> str:
    return SUPPORTER_INVITE + token
