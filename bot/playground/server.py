"""`python main.py playground`: the real bot, a Bot API emulator per platform, and a web page of phones.

The bot is built by bot.runner.Kanoon exactly as in production; only its settings differ (API
URLs pointing at the emulators on 127.0.0.1, its own SQLite file, the playground's admin in
ADMIN_IDS) and its clock, a MovableClock that «⏩» moves forward. The page talks to a small
JSON API (below, under /api/) and hears of every change through server-sent events.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
from datetime import datetime, timedelta
from pathlib import Path
from collections.abc import AsyncIterator
from typing import Any

from aiohttp import web

from bot.clock import MovableClock
from bot.emulator import FakeBotApi, FakeUser
from bot.emulator.server import BotMessage
from bot.persian.catalog import LOCALE_DIR, t
from bot.persian.text import format_datetime
from bot.platforms import Platform, plain
from bot.playground import render
from bot.playground.people import ROLES, Person, Roster
from bot.playground.scenario import Scenario, ScenarioError, ScenarioRun, load_scenarios
from bot.runner import Kanoon
from bot.settings import ConfigError, Settings

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
TOKENS = {Platform.TELEGRAM: "111111:playground-telegram", Platform.BALE: "222222:playground-bale"}
USERNAMES = {Platform.TELEGRAM: "kanoon_tg_bot", Platform.BALE: "kanoon_bale_bot"}
# A deep link to one of the playground's bots: https://t.me/<bot>?start=<payload> (or ble.ir).
DEEP_LINK_RE = re.compile(r"^https://(?:t\.me|ble\.ir)/(\w+)\?start=([A-Za-z0-9_-]{1,64})$")
SETTLE_TIMEOUT = 15.0
MAX_CLOCK_STEP = timedelta(days=31)
MAX_STOPS = 1000  # one-off jobs run on the way by one move of the clock
JSON = dict[str, Any]
# The page's script fills these in (e.g. {name}); any message may use any of them.
PLACEHOLDERS = {name: "{" + name + "}" for name in ("time", "number", "total", "name", "phone", "method", "error", "problem")}


class Playground:
    def __init__(self, data_dir: Path | str = "data", host: str = "127.0.0.1", port: int = 8080,
                 *, scripts_dir: Path = HERE / "scripts", log_level: str = "INFO") -> None:
        self.data_dir = Path(data_dir)
        self.host, self.port = host, port
        self.log_level = log_level
        self.clock = MovableClock()
        self.roster = Roster.default()
        self.scenarios: dict[str, Scenario] = load_scenarios(scripts_dir)
        self.scenario: ScenarioRun | None = None
        self.apis: dict[Platform, FakeBotApi] = {}
        self.forwards: dict[str, list[JSON]] = {}  # person key -> messages others forwarded to them
        self.kanoon: Kanoon | None = None
        self.version = 0  # grows at every change the page should show
        self._changed = asyncio.Event()
        self._world = asyncio.Lock()  # reset, restart and scenario steps, one at a time
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None

    # ---------------------------------------------------------------- lifecycle

    @property
    def database_path(self) -> Path:
        return self.data_dir / "playground.db"

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    async def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        await self._start_world()
        app = web.Application()
        self._routes(app)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        try:
            await web.TCPSite(self._runner, self.host, self.port).start()
        except OSError as exc:  # the port is taken, or the address is not this machine's
            await self.stop()
            raise ConfigError(
                f"The playground cannot listen on {self.host}:{self.port} ({exc.strerror}); "
                "choose another with --port (or --host)."
            ) from None
        if self.port == 0:  # tests ask for any free port
            self.port = self._runner.addresses[0][1]
        log.info("playground page at %s (database %s)", self.url, self.database_path)

    async def stop(self) -> None:
        self._closing.set()
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        await self._stop_world()

    def settings(self) -> Settings:
        return Settings(
            _env_file=None,  # never a developer's .env: the playground has its own everything
            telegram_token=TOKENS[Platform.TELEGRAM], bale_token=TOKENS[Platform.BALE],
            telegram_api_url=self.apis[Platform.TELEGRAM].base_url,
            bale_api_url=self.apis[Platform.BALE].base_url,
            database_url=f"sqlite+aiosqlite:///{self.database_path.resolve()}",
            admin_ids=self.roster.admins(),
            connect_retry_seconds=0,
            log_level=self.log_level,
        )

    async def _start_world(self) -> None:
        """New emulators with every person in them, and the bot on the database file."""
        for platform in Platform:
            api = FakeBotApi(flavour=platform.value, bot_username=USERNAMES[platform])
            api.add_listener(self._notify)
            await api.start()
            self.apis[platform] = api
        for person in self.roster.people.values():
            self._fake(person)
        await self._start_bot()

    async def _start_bot(self) -> None:
        self.kanoon = Kanoon(self.settings())
        self.kanoon.deps.clock = self.clock
        await self.kanoon.start()

    async def _stop_bot(self) -> None:
        if self.kanoon is not None:
            await self.kanoon.stop()
            self.kanoon = None

    async def _stop_world(self) -> None:
        await self._stop_bot()
        for api in self.apis.values():
            await api.stop()
        self.apis.clear()

    async def reset(self) -> None:
        """«شروع از نو»: an empty database, empty chats, the clock back to now; the people stay."""
        async with self._world:
            await self._stop_world()
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.database_path}{suffix}").unlink(missing_ok=True)
            self.clock.reset()
            self.scenario = None
            self.forwards.clear()
            await self._start_world()
        self._notify()

    def _notify(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    # ---------------------------------------------------------------- people and actions

    def _fake(self, person: Person) -> FakeUser:
        api = self.apis[person.platform]
        fake = api.user(person.user_id, person.first_name, person.last_name)
        fake.first_name, fake.last_name = person.first_name, person.last_name  # after a rename
        fake.phone = person.phone
        return fake

    def person(self, key: str) -> Person:
        try:
            return self.roster.people[key]
        except KeyError:
            raise web.HTTPNotFound(text=json.dumps({"error": f"no person {key!r}"}), content_type="application/json") from None

    def fake(self, key: str) -> FakeUser:
        return self._fake(self.person(key))

    async def settle(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Until every update sent so far is handled and every broadcast it started has finished."""
        kanoon = self.kanoon
        if kanoon is None:
            return
        try:
            async with asyncio.timeout(timeout):
                for api in self.apis.values():
                    await api.wait_delivered(timeout)
                await kanoon.instances.settled(timeout)  # every update in the inbox handled
                await kanoon.deps.background.join()
        except (TimeoutError, AssertionError) as exc:  # the page still shows whatever happens later
            log.warning("the bot has not settled within %.0f s: %s", timeout, exc)

    async def send(self, key: str, text: str) -> None:
        await self.fake(key).send(text)

    async def press(self, key: str, message_id: int, data: str) -> str:
        fake = self.fake(key)
        message = self._bot_message(fake, message_id)
        return await fake.tap(message, data=data)

    async def share_contact(self, key: str) -> None:
        await self.fake(key).send_contact()

    async def open_link(self, key: str, url: str) -> bool:
        """A deep link tapped in a phone opens that phone's chat with the bot as /start <payload>."""
        match = DEEP_LINK_RE.match(url.strip())
        if match is None or match.group(1) not in USERNAMES.values():
            return False
        await self.fake(key).send(f"/start {match.group(2)}")
        return True

    def forward(self, key: str, message_id: int, to: str) -> None:
        """One person forwards a bot's message (an invitation, a center's link) to another."""
        sender, receiver = self.person(key), self.person(to)
        message = self._bot_message(self.fake(key), message_id)
        if message.deleted:
            raise ValueError("that message was deleted")
        after = render.last_message_id(self.apis[receiver.platform], receiver.user_id)
        self.forwards.setdefault(to, []).append(render.forwarded(message, sender.name, after))
        self._notify()

    async def advance_clock(self, delta: timedelta) -> None:
        """«⏩»: the bot's time moves on; every job that falls due on the way runs, in order.

        The clock stops at each one-off job's time on the way (a reminder is sent at its time, not
        a day late, which the bot would count as missed), then ends at now + delta.
        """
        if not timedelta() < delta <= MAX_CLOCK_STEP:
            raise ValueError("the clock moves forward by at most 31 days at a time")
        start = self.clock.offset
        target = self.clock() + delta
        for _ in range(MAX_STOPS):
            if self.kanoon is None:
                break
            due = self.kanoon.scheduler.next_due()
            if due is None or due > target:
                break
            await self._clock_to(due)
        await self._clock_by(start + delta - self.clock.offset)  # exactly delta on from where it was

    async def advance_to_next_job(self) -> bool:
        """The clock to the next timed job (e.g. a reminder), which then runs; False if none is armed."""
        due = self.kanoon.scheduler.next_due() if self.kanoon else None
        if due is None or due - self.clock() > MAX_CLOCK_STEP:
            return False
        await self._clock_to(due)
        return True

    async def _clock_to(self, moment: datetime) -> None:
        await self._clock_by(moment - self.clock())

    async def _clock_by(self, delta: timedelta) -> None:
        self.clock.advance(max(delta, timedelta()))
        if self.kanoon is not None:
            await self.kanoon.scheduler.catch_up()
            await self.settle()  # broadcasts a job started finish before the clock moves again
        self._notify()

    async def add_person(self, name: str, platform: Platform, role: str) -> Person:
        async with self._world:
            person = self.roster.add(name, platform, role)
            self._fake(person)
            if role == "admin":  # ADMIN_IDS is read at start: the bot restarts on the same database
                await self._stop_bot()
                await self._start_bot()
        self._notify()
        return person

    def rename(self, key: str, name: str) -> Person:
        person = self.person(key)
        name = " ".join(name.split())[:64]
        if not name:
            raise ValueError("a person needs a name")
        person.name = name
        self._fake(person)
        self._notify()
        return person

    @staticmethod
    def _bot_message(fake: FakeUser, message_id: int) -> BotMessage:
        for message in fake.messages:
            if message.message_id == message_id:
                return message
        raise web.HTTPNotFound(text=json.dumps({"error": f"no message {message_id}"}), content_type="application/json")

    # ---------------------------------------------------------------- scenarios

    async def start_scenario(self, name: str) -> ScenarioRun:
        if name not in self.scenarios:
            raise web.HTTPNotFound(text=json.dumps({"error": f"no scenario {name!r}"}), content_type="application/json")
        await self.reset()
        self.scenario = ScenarioRun(self.scenarios[name])
        self._notify()
        return self.scenario

    async def scenario_step(self) -> ScenarioRun:
        run = self.scenario
        if run is None:
            raise web.HTTPConflict(text=json.dumps({"error": "no scenario is running"}), content_type="application/json")
        async with self._world:
            await run.step(self)
        self._notify()
        return run

    # ---------------------------------------------------------------- views

    def labels(self) -> dict[str, str]:
        """Every message of locales/fa/playground.ftl as plain text, placeholders left as {name}."""
        keys = re.findall(r"^(pg-[a-z0-9-]+) =", (LOCALE_DIR / "playground.ftl").read_text("utf-8"), re.M)
        return {key: plain(t(key, **PLACEHOLDERS)) for key in keys}

    def state(self) -> JSON:
        now = self.clock()
        return {
            "version": self.version,
            "clock": {"iso": now.isoformat(), "text": plain(t("pg-clock-now", time=format_datetime(now, weekday=True))),
                      "offset_hours": self.clock.offset / timedelta(hours=1)},
            "people": [p.to_json() for p in self.roster.people.values()],
            "bots": {p.value: name for p, name in USERNAMES.items()},
            "scenarios": [s.summary() for s in self.scenarios.values()],
            "scenario": self.scenario.to_json() if self.scenario else None,
            "roles": [{"role": r, "label": plain(t(f"pg-role-{r}"))} for r in ROLES],
            "platforms": [{"platform": p.value, "label": plain(t(f"pg-platform-{p.value}"))} for p in Platform],
        }

    def chat(self, key: str) -> JSON:
        person = self.person(key)
        api = self.apis.get(person.platform)
        if api is None:  # between stopping and starting the world
            return {"messages": [], "keyboard": [], "toasts": []}
        return render.chat(api, person.platform, person.user_id, self.forwards.get(key, []))

    # ---------------------------------------------------------------- HTTP

    def _routes(self, app: web.Application) -> None:
        app.router.add_get("/", self._page)
        app.router.add_static("/static/", HERE / "static")
        app.router.add_get("/api/state", self._get_state)
        app.router.add_get("/api/chats", self._get_chats)
        app.router.add_get("/api/events", self._events)
        app.router.add_get("/api/people/{key}/messages", self._get_messages)
        app.router.add_post("/api/people", self._post_person)
        app.router.add_patch("/api/people/{key}", self._patch_person)
        app.router.add_post("/api/people/{key}/send", self._post_send)
        app.router.add_post("/api/people/{key}/press", self._post_press)
        app.router.add_post("/api/people/{key}/contact", self._post_contact)
        app.router.add_post("/api/people/{key}/open", self._post_open)
        app.router.add_post("/api/people/{key}/forward", self._post_forward)
        app.router.add_post("/api/clock", self._post_clock)
        app.router.add_post("/api/reset", self._post_reset)
        app.router.add_post("/api/scenarios/{name}/start", self._post_scenario_start)
        app.router.add_post("/api/scenario/step", self._post_scenario_step)
        app.router.add_get("/api/files/{platform}/{file_id}", self._get_file)

    async def _page(self, request: web.Request) -> web.Response:
        template = (HERE / "templates" / "index.html").read_text("utf-8")
        labels = self.labels()
        page = re.sub(r"\{\{ (pg-[a-z0-9-]+) \}\}", lambda m: _escape(labels.get(m.group(1), m.group(1))), template)
        # "</" cannot end the script element early: "<" is escaped in the JSON.
        page = page.replace("{{ labels_json }}", json.dumps(labels, ensure_ascii=False).replace("<", "\\u003c"))
        return web.Response(text=page, content_type="text/html", charset="utf-8",
                            headers={"Cache-Control": "no-store"})

    async def _get_state(self, request: web.Request) -> web.Response:
        return web.json_response(self.state())

    async def _get_chats(self, request: web.Request) -> web.Response:
        return web.json_response({"version": self.version,
                                  "chats": {key: self.chat(key) for key in self.roster.people}})

    async def _get_messages(self, request: web.Request) -> web.Response:
        return web.json_response(self.chat(request.match_info["key"]))

    async def _events(self, request: web.Request) -> web.StreamResponse:
        """Server-sent events: «changed» with the version, at most ten a second; the page then reads."""
        response = web.StreamResponse(headers={"Content-Type": "text/event-stream", "Cache-Control": "no-store"})
        await response.prepare(request)
        sent = -1
        try:
            while not self._closing.is_set():
                if self.version != sent:
                    sent = self.version
                    await response.write(f"event: changed\ndata: {sent}\n\n".encode())
                    await asyncio.sleep(0.1)  # coalesce bursts (a broadcast changes many chats)
                    continue
                changed = self._changed
                try:
                    await asyncio.wait_for(changed.wait(), 15)
                except TimeoutError:
                    await response.write(b": still here\n\n")  # keeps proxies from closing the stream
        except (ConnectionResetError, asyncio.CancelledError):
            pass
        return response

    async def _body(self, request: web.Request) -> JSON:
        try:
            body = await request.json() if request.body_exists else {}
        except ValueError:
            raise _bad("the body is not JSON") from None
        if not isinstance(body, dict):
            raise _bad("the body must be a JSON object")
        return body

    async def _answer(self, request: web.Request, key: str | None = None) -> web.Response:
        """After an action: wait until the bot has dealt with it (unless ?wait=0), then the chat."""
        if request.query.get("wait", "1") != "0":
            await self.settle()
        return web.json_response(self.chat(key) if key else self.state())

    async def _post_person(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        try:
            platform = Platform(str(body.get("platform", "")))
            person = await self.add_person(str(body.get("name", "")), platform, str(body.get("role", "guest")))
        except ValueError as exc:
            raise _bad(str(exc)) from None
        return web.json_response(person.to_json(), status=201)

    async def _patch_person(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        try:
            person = self.rename(request.match_info["key"], str(body.get("name", "")))
        except ValueError as exc:
            raise _bad(str(exc)) from None
        return web.json_response(person.to_json())

    async def _post_send(self, request: web.Request) -> web.Response:
        key, body = request.match_info["key"], await self._body(request)
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise _bad("text is empty")
        await self.send(key, text)
        return await self._answer(request, key)

    async def _post_press(self, request: web.Request) -> web.Response:
        key, body = request.match_info["key"], await self._body(request)
        message_id, data = body.get("message_id"), body.get("data")
        if not isinstance(message_id, int) or not isinstance(data, str):
            raise _bad("message_id (a number) and data (a string) are needed")
        try:
            await self.press(key, message_id, data)
        except AssertionError as exc:  # the button is gone (edited away, message deleted)
            raise web.HTTPConflict(text=json.dumps({"error": str(exc)}), content_type="application/json") from None
        return await self._answer(request, key)

    async def _post_contact(self, request: web.Request) -> web.Response:
        key = request.match_info["key"]
        await self.share_contact(key)
        return await self._answer(request, key)

    async def _post_open(self, request: web.Request) -> web.Response:
        key, body = request.match_info["key"], await self._body(request)
        if not await self.open_link(key, str(body.get("url", ""))):
            raise _bad("not a link to one of the playground's bots")
        return await self._answer(request, key)

    async def _post_forward(self, request: web.Request) -> web.Response:
        key, body = request.match_info["key"], await self._body(request)
        message_id, to = body.get("message_id"), body.get("to")
        if not isinstance(message_id, int) or not isinstance(to, str):
            raise _bad("message_id (a number) and to (a person's key) are needed")
        try:
            self.forward(key, message_id, to)
        except ValueError as exc:
            raise _bad(str(exc)) from None
        return web.json_response(self.chat(to))

    async def _post_clock(self, request: web.Request) -> web.Response:
        body = await self._body(request)
        hours = body.get("hours")
        if not isinstance(hours, (int, float)) or isinstance(hours, bool):
            raise _bad("hours (a number) is needed")
        try:
            await self.advance_clock(timedelta(hours=hours))
        except ValueError as exc:
            raise _bad(str(exc)) from None
        return await self._answer(request)

    async def _post_reset(self, request: web.Request) -> web.Response:
        await self.reset()
        return web.json_response(self.state())

    async def _post_scenario_start(self, request: web.Request) -> web.Response:
        run = await self.start_scenario(request.match_info["name"])
        return web.json_response(run.to_json())

    async def _post_scenario_step(self, request: web.Request) -> web.Response:
        try:
            run = await self.scenario_step()
        except ScenarioError as exc:
            return web.json_response({"error": str(exc), "scenario": self.scenario.to_json() if self.scenario else None},
                                     status=409)
        return web.json_response(run.to_json())

    async def _get_file(self, request: web.Request) -> web.Response:
        try:
            api = self.apis[Platform(request.match_info["platform"])]
        except (ValueError, KeyError):
            raise web.HTTPNotFound() from None
        sent = api.sent_file(request.match_info["file_id"])
        if sent is None or sent.content is None:
            raise web.HTTPNotFound()
        name = sent.filename or "file"
        mime = sent.mime_type or "application/octet-stream"
        if mime.startswith("text/"):
            mime += "; charset=utf-8"
        disposition = "attachment" if request.query.get("download") else "inline"
        quoted = re.sub(r"[^A-Za-z0-9._-]", "_", name)
        return web.Response(body=sent.content, headers={
            "Content-Type": mime, "Content-Disposition": f'{disposition}; filename="{quoted}"',
            "X-Content-Type-Options": "nosniff",
        })


def _bad(message: str) -> web.HTTPBadRequest:
    return web.HTTPBadRequest(text=json.dumps({"error": message}), content_type="application/json")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


@contextlib.asynccontextmanager
async def running(data_dir: Path | str, port: int = 0, **options: Any) -> AsyncIterator[Playground]:  # noqa: ANN401
    """A started playground (tests: port 0 picks a free one)."""
    ground = Playground(data_dir, port=port, **options)
    await ground.start()
    try:
        yield ground
    finally:
        await ground.stop()
