"""The README's commands are what a fresh machine needs; CI runs the test one verbatim."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.+?)\n```", (ROOT / "README.md").read_text("utf-8"))


def test_readme_has_the_playground_first_then_the_run_then_the_tests() -> None:
    commands = _readme_commands()
    assert len(commands) == 3
    assert commands[0].endswith("main.py playground")  # try it, no token needed
    assert commands[1].endswith("main.py") and "pytest" in commands[2]


def test_ci_runs_the_readmes_test_command() -> None:
    assert _readme_commands()[2] in (ROOT / ".ci" / "run").read_text("utf-8")
