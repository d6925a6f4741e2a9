"""What the benchmarks share: the fake Bot API (imported here only, so a move is one line),
the machine line, percentiles, memory, and appending a section to bench/RESULTS.md."""

from __future__ import annotations

import asyncio
import math
import os
import platform as py_platform
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The bot's code under test: this checkout, or another one named by KANOON_CODE (bench/national.py
# measures a baseline checkout beside this one); the benchmarks themselves always come from here.
CODE = Path(os.environ.get("KANOON_CODE") or ROOT)
sys.path[:0] = [p for p in dict.fromkeys((str(CODE), str(ROOT))) if p not in sys.path[:2]]

from bot.emulator import FakeBotApi, FakeUser  # noqa: E402  (the one import of the fake Bot API)

__all__ = ["FakeBotApi", "FakeUser", "RESULTS", "SHARED_NOTE", "in_checkout", "machine", "on_a_copy", "percentile",
           "record", "rss_mb"]

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SHARED_NOTE = ("The machine was shared with other agents' work during the run (load average "
               "{load}): absolute figures are noisy; compare the columns measured in the same run.")


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"nproc {os.cpu_count()}, {model}, Python {py_platform.python_version()}, {py_platform.system()}"


def load_average() -> str:
    try:
        return " / ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def percentile(ordered: list[float], p: float) -> float:
    """The nearest-rank percentile of sorted values: the smallest value with at least p% of
    them at or below it (NaN for none)."""
    if not ordered:
        return float("nan")
    return ordered[max(0, math.ceil(len(ordered) * p / 100) - 1)]


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(resident now, peak resident) of a process in MB, from /proc."""
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", float("nan")), values.get("VmHWM", float("nan"))


def record(title: str, text: str) -> None:
    """Append a section to bench/RESULTS.md."""
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    section = f"\n## {stamp} — {title}\n\nMachine: {machine()}\n\n{text}\n"
    with RESULTS.open("a", encoding="utf-8") as results:
        results.write(section)


# --- another checkout's code on a copy of a dataset (the baseline beside this one) --------------

TOKEN = "111111:bench-checkout-token"


async def in_checkout(code: Path, *args: str, env: dict[str, str] | None = None) -> None:
    """Run `python *args` with another checkout's code (KANOON_CODE, see the benches' headers)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, *args, cwd=str(code), env=dict(os.environ, KANOON_CODE=str(code), **(env or {})),
    )
    if await process.wait():
        raise RuntimeError(f"{args} failed in {code} (exit {process.returncode})")


def copy_url(master: str, name: str) -> str:
    from sqlalchemy.engine import make_url

    parsed = make_url(master)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        return parsed.set(database=str(path.with_name(f"{path.stem}-{name}{path.suffix}"))).render_as_string(
            hide_password=False)
    return parsed.set(database=f"{parsed.database}_{name}").render_as_string(hide_password=False)


async def on_a_copy(code: Path, master: str, name: str, work: Callable[[str], Awaitable[None]]) -> float:
    """Copy the dataset at `master`, bring the copy to `code`'s schema with `code`'s own
    migrations (`python main.py migrate`, timed: what an upgrade costs on that much data), run
    `work(copy_url)`, drop the copy. Returns the migration's seconds."""
    from bench import dataset

    url = copy_url(master, name)
    await dataset.copy(master, url)
    await dataset.migrate_to(url, dataset.BASE_REVISION)  # this checkout knows every revision
    started = asyncio.get_running_loop().time()
    await in_checkout(code, str(code / "main.py"), "migrate",
                      env={"DATABASE_URL": url, "TELEGRAM_TOKEN": TOKEN, "LOG_LEVEL": "WARNING"})
    migrated = asyncio.get_running_loop().time() - started
    try:
        await work(url)
    finally:
        await dataset.drop(url)
    return migrated
