"""The layer rules of docs/architecture.md, read from the code's own imports.

- handlers and conversations never import a repository (bot.db.repo…): they call actions or
  services;
- services never import telegram (they are rules over a session, testable without a bot);
- nothing imports a handler module but the composition root (bot/app.py, bot/runner.py);
- no import cycles among bot's modules (imports inside functions count too).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSITION_ROOT = {"bot.app", "bot.runner"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module this file imports (absolute names; `from a import b` counts a and a.b)."""
    tree = ast.parse(path.read_text("utf-8"))
    package = _module_name(path).rsplit(".", 1)[0] if path.name != "__init__.py" else _module_name(path)
    found: set[str] = set()
    # Imports under `if TYPE_CHECKING:` are for annotations only: they run nothing.
    type_only = {
        id(inner) for node in ast.walk(tree)
        if isinstance(node, ast.If) and isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"
        for inner in ast.walk(node)
    }
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def _modules() -> dict[str, set[str]]:
    files = [*sorted((ROOT / "bot").rglob("*.py")), ROOT / "main.py"]
    return {_module_name(path): _imports(path) for path in files if "migrations" not in path.parts}


MODULES = _modules()


def _violations(importer_prefixes: tuple[str, ...], forbidden: tuple[str, ...], allowed: set[str] = frozenset()) -> list[str]:
    found = []
    for module, imports in MODULES.items():
        if not module.startswith(importer_prefixes) or module in allowed:
            continue
        for name in sorted(imports):
            if name.startswith(forbidden) and name not in allowed:
                found.append(f"{module} imports {name}")
    return found


def test_handlers_and_conversations_do_not_import_repositories() -> None:
    assert _violations(("bot.handlers", "bot.conversations"), ("bot.db.repo",)) == []


def test_services_do_not_import_telegram() -> None:
    assert _violations(("bot.services",), ("telegram",)) == []


def test_only_the_composition_root_imports_handler_modules() -> None:
    offenders = [
        f"{module} imports {name}"
        for module, imports in MODULES.items()
        if module not in COMPOSITION_ROOT and module != "main"
        for name in sorted(imports)
        if name.startswith("bot.handlers.") and name.removeprefix("bot.handlers.").split(".")[0] in _handler_modules()
    ]
    assert offenders == []


def _handler_modules() -> set[str]:
    return {path.stem for path in (ROOT / "bot" / "handlers").glob("*.py") if path.stem != "__init__"}


def _bot_edges() -> dict[str, set[str]]:
    """module → the bot modules it imports (a package counts as its __init__)."""
    known = set(MODULES)
    edges: dict[str, set[str]] = {}
    for module, imports in MODULES.items():
        targets = set()
        for name in imports:
            while name and name not in known:
                name = name.rpartition(".")[0]
            # A module's own packages are not an edge: importing a submodule runs its package's
            # __init__ first, which may well import its own submodules.
            if name and name != module and name.startswith("bot.") and not module.startswith(name + "."):
                targets.add(name)
        edges[module] = targets
    return edges


def test_no_import_cycles() -> None:
    edges = _bot_edges()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}  # 1 on the stack, 2 done
    stack: list[str] = []

    def visit(module: str) -> None:
        state[module] = 1
        stack.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == 1:
                cycles.append(stack[stack.index(target):] + [target])
            elif target not in state:
                visit(target)
        stack.pop()
        state[module] = 2

    for module in sorted(edges):
        if module not in state:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize("rule", ["repo", "telegram", "handler"])
def test_the_checks_see_a_violation(rule: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each check fails on a planted violation (so none of them passes by reading nothing)."""
    planted = dict(MODULES)
    if rule == "repo":
        planted["bot.handlers.planted"] = {"bot.db.repo.centers"}
        check = test_handlers_and_conversations_do_not_import_repositories
    elif rule == "telegram":
        planted["bot.services.planted"] = {"telegram.ext"}
        check = test_services_do_not_import_telegram
    else:
        planted["bot.views.planted"] = {"bot.handlers.basic"}
        check = test_only_the_composition_root_imports_handler_modules
    monkeypatch.setattr(__import__(__name__, fromlist=["MODULES"]), "MODULES", planted)
    with pytest.raises(AssertionError):
        check()
