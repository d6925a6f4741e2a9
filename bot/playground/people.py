"""The people of the playground: each is one user on one platform, shown as one phone."""

from __future__ import annotations

from dataclasses import dataclass

from bot.persian.catalog import t
from bot.platforms import Platform, plain

ROLES = ("leader", "assistant", "member", "facilitator", "admin", "guest")
# First user ids per platform (Telegram ids are small numbers, Bale's are ten digits).
FIRST_IDS = {Platform.TELEGRAM: 5_000_001, Platform.BALE: 1_800_000_001}

# (key, role, platform) of a fresh playground: the roles on both platforms, as in a real center.
DEFAULT_ROSTER = (
    ("leader", "leader", Platform.BALE),
    ("assistant", "assistant", Platform.TELEGRAM),
    ("member1", "member", Platform.BALE),
    ("member2", "member", Platform.TELEGRAM),
    ("member3", "member", Platform.BALE),
    ("facilitator", "facilitator", Platform.TELEGRAM),
    ("admin", "admin", Platform.TELEGRAM),
)


@dataclass
class Person:
    key: str  # stable, used in URLs and scenario files
    platform: Platform
    user_id: int
    name: str  # as on their messenger profile: first word first name, the rest last name
    role: str

    @property
    def first_name(self) -> str:
        return self.name.split(maxsplit=1)[0] if self.name.strip() else "?"

    @property
    def last_name(self) -> str | None:
        parts = self.name.split(maxsplit=1)
        return parts[1] if len(parts) > 1 else None

    @property
    def phone(self) -> str:
        return f"+98912{self.user_id % 10**7:07d}"

    def to_json(self) -> dict[str, object]:
        return {
            "key": self.key, "platform": self.platform.value, "user_id": self.user_id, "name": self.name,
            "role": self.role, "role_label": plain(t(f"pg-role-{self.role}")),
            "platform_label": plain(t(f"pg-platform-{self.platform.value}")), "phone": self.phone,
        }


class Roster:
    def __init__(self) -> None:
        self.people: dict[str, Person] = {}
        self._next_id = dict(FIRST_IDS)

    @classmethod
    def default(cls) -> Roster:
        roster = cls()
        for key, role, platform in DEFAULT_ROSTER:
            roster.add(plain(t(f"pg-person-{key}")), platform, role, key=key)
        return roster

    def add(self, name: str, platform: Platform, role: str = "guest", *, key: str | None = None) -> Person:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        name = " ".join(name.split())[:64]
        if not name:
            raise ValueError("a person needs a name")
        user_id = self._next_id[platform]
        self._next_id[platform] += 1
        key = key or f"p{len(self.people) + 1}"
        while key in self.people:
            key += "x"
        person = Person(key, platform, user_id, name, role)
        self.people[key] = person
        return person

    def admins(self) -> str:
        """ADMIN_IDS for the playground: its admin people only."""
        return ",".join(f"{p.platform.value}:{p.user_id}" for p in self.people.values() if p.role == "admin")
