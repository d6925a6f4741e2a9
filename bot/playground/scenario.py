"""Scripted walk-throughs: JSON files in bot/playground/scripts/, played a step at a time.

A script is {"title": "<catalog key>", "steps": [{"caption": "<catalog key>", "actions": [...]}]}.
Captions are keys of locales/fa/playground.ftl; what people type is written in the script as
they would type it. Actions, each done as that person would, then waited on until the bot is idle:

    {"who": "leader", "send": "/register"}           type and send a message
    {"who": "leader", "tap": "✅ تأیید"}              press a button: inline (on the newest message
    {"who": "assistant", "tap": "❌ رد", "on": "…"}    that has it, or that also contains "on"), or
                                                     on the reply keyboard (a contact button shares)
    {"who": "member1", "contact": true}              share their own number
    {"who": "assistant", "open_link_from": "leader", "payload": "a-"}
                                                     tap the newest link of the bot in that person's
                                                     chat whose payload starts so («forwarded»)
    {"who": "leader", "expect": "…"}                 wait for a new message containing that
    {"clock_hours": 24}                              move the bot's clock forward
    {"clock_next": true}                             move it to the next timed job (a reminder)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.persian.catalog import t
from bot.platforms import plain

if TYPE_CHECKING:
    from bot.playground.server import Playground

JSON = dict[str, Any]
EXPECT_TIMEOUT = 15.0
_LINK_RE = re.compile(r"https://(?:t\.me|ble\.ir)/\w+\?start=([A-Za-z0-9_-]{1,64})")
_ACTIONS = {"send", "tap", "contact", "open_link_from", "expect", "clock_hours", "clock_next"}


class ScenarioError(Exception):
    """A step that could not be played (the bot answered otherwise than the script expects)."""


@dataclass
class Step:
    caption: str  # catalog key
    actions: list[JSON]


@dataclass
class Scenario:
    name: str
    title: str  # catalog key
    steps: list[Step]

    @classmethod
    def load(cls, path: Path) -> Scenario:
        raw = json.loads(path.read_text("utf-8"))
        steps = [Step(str(s["caption"]), list(s["actions"])) for s in raw["steps"]]
        for number, step in enumerate(steps, 1):
            for action in step.actions:
                kinds = _ACTIONS & set(action)
                if len(kinds) != 1:
                    raise ValueError(f"{path.name} step {number}: one of {sorted(_ACTIONS)} per action: {action}")
        return cls(path.stem, str(raw["title"]), steps)

    def summary(self) -> JSON:
        return {"name": self.name, "title": plain(t(self.title)),
                "steps": [plain(t(step.caption)) for step in self.steps]}


def load_scenarios(folder: Path) -> dict[str, Scenario]:
    return {path.stem: Scenario.load(path) for path in sorted(folder.glob("*.json"))}


@dataclass
class ScenarioRun:
    scenario: Scenario
    done: int = 0  # steps played
    problem: str | None = None
    log: list[str] = field(default_factory=list)  # what was done, for the page and for tests

    @property
    def finished(self) -> bool:
        return self.done >= len(self.scenario.steps)

    def to_json(self) -> JSON:
        summary = self.scenario.summary()
        total = len(self.scenario.steps)
        caption = plain(t("pg-scenario-done")) if self.finished else summary["steps"][self.done]
        progress = caption if self.finished else plain(t("pg-scenario-step", number=self.done + 1, total=total))
        return {**summary, "done": self.done, "finished": self.finished, "problem": self.problem, "log": self.log,
                "caption": caption, "progress": progress}

    async def step(self, ground: Playground) -> None:
        if self.finished:
            return
        step = self.scenario.steps[self.done]
        self.problem = None
        try:
            for action in step.actions:
                await _act(ground, action)
                self.log.append(json.dumps(action, ensure_ascii=False))
                await ground.settle()
        except (AssertionError, KeyError, ValueError, web.HTTPException) as exc:  # HTTPException: no such person
            self.problem = (exc.text or exc.reason if isinstance(exc, web.HTTPException) else str(exc)).splitlines()[0]
            raise ScenarioError(self.problem) from exc
        self.done += 1


async def _act(ground: Playground, action: JSON) -> None:
    if "clock_hours" in action:
        await ground.advance_clock(timedelta(hours=float(action["clock_hours"])))
        return
    if "clock_next" in action:
        if not await ground.advance_to_next_job():
            raise AssertionError("no timed job is waiting")
        return
    who = str(action["who"])
    fake = ground.fake(who)
    if "send" in action:
        await fake.send(str(action["send"]))
    elif "contact" in action:
        await fake.send_contact()
    elif "expect" in action:
        await fake.expect(str(action["expect"]), timeout=EXPECT_TIMEOUT)
    elif "tap" in action:
        await _tap(ground, who, str(action["tap"]), action.get("on"))
    elif "open_link_from" in action:
        source = ground.fake(str(action["open_link_from"]))
        prefix = str(action.get("payload", ""))
        for message in reversed(source.messages):
            payloads = [p for p in _LINK_RE.findall(message.text) if p.startswith(prefix)]
            if payloads:
                await fake.send(f"/start {payloads[-1]}")
                return
        raise AssertionError(f"{action['open_link_from']} has no link with a payload starting {prefix!r}")


async def _tap(ground: Playground, who: str, text: str, on: str | None) -> None:
    fake = ground.fake(who)
    for message in reversed(fake.messages):
        if message.deleted or (on is not None and on not in message.text):
            continue
        if any(label == text for label, _ in message.buttons):
            await fake.tap(message, text)
            return
    if on is None:
        await fake.tap_keyboard(text)  # raises, naming the buttons shown, if it is not there either
        return
    raise AssertionError(f"{who} has no message containing {on!r} with a button {text!r}")
