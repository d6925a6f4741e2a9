"""The draw: an order of loans anyone can re-run from the published seed and entrant list.

Before the draw the bot picks a random seed and publishes only its hash (the commitment),
with the entrants. At the draw it publishes the seed; then anybody can check that
sha256(seed) is the hash announced, and recompute the order: the entrants sorted by
sha256("<seed>:<entrant>") as hex, ties (impossible in practice) by the entrant itself.
Pure functions: no database, no clock.
"""

from __future__ import annotations

import hashlib
import secrets


def new_seed() -> str:
    return secrets.token_hex(32)


def commitment(seed: str) -> str:
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def draw_order(seed: str, entrants: list[int]) -> list[int]:
    """The order of `entrants` (loan numbers) drawn with `seed`."""
    return sorted(entrants, key=lambda entrant: (hashlib.sha256(f"{seed}:{entrant}".encode("ascii")).hexdigest(), entrant))


def verify(seed: str, published_hash: str, entrants: list[int], published_order: list[int]) -> bool:
    """What a member can check: the seed is the one committed to, and the order follows from it."""
    return commitment(seed) == published_hash and draw_order(seed, entrants) == published_order
