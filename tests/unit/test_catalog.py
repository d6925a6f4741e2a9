"""The catalog and the code agree: every key the code uses exists, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast as fl
from fluent.syntax.visitor import Visitor

from bot.persian.catalog import LOCALE_DIR, t

ROOT = Path(__file__).resolve().parents[2]
CATALOG_FUNCTIONS = {"t", "label"}


class _Variables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def visit_VariableReference(self, node: fl.VariableReference) -> None:  # noqa: N802
        self.names.add(node.id.name)


def _catalog() -> dict[str, set[str]]:
    messages: dict[str, set[str]] = {}
    for path in sorted(LOCALE_DIR.glob("*.ftl")):
        resource = FluentParser().parse(path.read_text("utf-8"))
        junk = [e for e in resource.body if isinstance(e, fl.Junk)]
        assert not junk, f"{path.name} has unparsable entries: {[j.content[:60] for j in junk]}"
        for entry in resource.body:
            if isinstance(entry, fl.Message):
                assert entry.id.name not in messages, f"{entry.id.name} defined twice"
                collector = _Variables()
                collector.visit(entry)
                messages[entry.id.name] = collector.names
    return messages


def _uses() -> list[tuple[str, str, set[str] | None, bool]]:
    """(where, key or key prefix, keyword names or None if **kwargs, is_prefix)."""
    found = []
    for path in [*(ROOT / "bot").rglob("*.py"), ROOT / "main.py"]:
        tree = ast.parse(path.read_text("utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in CATALOG_FUNCTIONS):
                continue
            if not node.args:
                continue
            first = node.args[0]
            where = f"{path.relative_to(ROOT)}:{node.lineno}"
            kwargs = None if any(k.arg is None for k in node.keywords) else {k.arg for k in node.keywords}
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                found.append((where, first.value, kwargs, False))
            elif isinstance(first, ast.JoinedStr) and isinstance(first.values[0], ast.Constant):
                found.append((where, first.values[0].value, kwargs, True))
    return found


CATALOG = _catalog()
USES = _uses()


def test_code_uses_catalog_keys() -> None:
    assert len(USES) > 10  # the scan itself works
    missing = [
        (where, key) for where, key, _, prefix in USES
        if not (any(k.startswith(key) for k in CATALOG) if prefix else key in CATALOG)
    ]
    assert not missing, f"keys missing from locales/fa: {missing}"


def test_placeholders_match() -> None:
    wrong = []
    for where, key, kwargs, prefix in USES:
        if prefix or kwargs is None or key not in CATALOG:
            continue
        if kwargs != CATALOG[key]:
            wrong.append(f"{where} {key}: code passes {sorted(kwargs)}, catalog wants {sorted(CATALOG[key])}")
    assert not wrong, "\n".join(wrong)


def test_catalog_uses_persian_letters_not_arabic() -> None:
    for path in LOCALE_DIR.glob("*.ftl"):
        body = path.read_text("utf-8")
        assert "ي" not in body and "ك" not in body, f"{path.name} has Arabic ي/ك"


def test_missing_key_raises() -> None:
    with pytest.raises(KeyError):
        t("no-such-key")


def test_user_values_are_escaped_and_numbers_persian() -> None:
    assert t("input-too-long", length=5000, limit=4096).startswith("متن شما ۵٬۰۰۰")
    assert "&lt;b&gt;&amp;" in t("welcome", name="<b>&")


def test_button_labels_and_callback_answers_are_plain_text() -> None:
    from bot.ptb.ui import label

    assert label("ml-btn-remove", name="<x> A&B") == "❌ حذف <x> A&B"
    assert "<b>" not in label("btn-cancel")


def _values(cls: type) -> list[str]:
    return [v for k, v in vars(cls).items() if k.isupper() and isinstance(v, str)]


def test_every_key_built_at_run_time_exists() -> None:
    """Keys the code composes (f"prefix-{value}") exist for every value the code can produce."""
    from bot.platforms import Platform
    from bot.services import campaigns, centers, memberships
    from bot.services.centers import Problem
    from bot.views.joining import ANSWERS

    expected = [
        *(f"reg-kind-{k}" for k in centers.KINDS),
        *(f"reg-problem-{r}" for r in _values(Problem)),
        *(f"ccard-status-{s}" for s in (centers.AWAITING, centers.ACTIVE, centers.SUSPENDED, centers.CANCELLED)),
        *(f"{prefix}-{p}" for prefix in ("reg-platform", "ml-platform") for p in Platform),
        *(f"join-source-{s}" for s in ("link", "code", "search")),
        *(f"join-role-{r}" for r in ("leader", "assistant")),
        *(f"rq-reason-{r}" for r in memberships.REJECT_PRESETS),
        *(f"rq-answer-{a}" for a in ANSWERS.values()),
        *(f"campaign-reminder-{o}" for o in campaigns.OFFSETS),
        *(f"month-{m}" for m in range(1, 13)),
        *(f"weekday-{d}" for d in range(7)),
    ]
    codes = set()
    for path in (ROOT / "bot").rglob("*.py"):
        codes |= set(re.findall(r'CampaignError\("([a-z_]+)"', path.read_text("utf-8")))
    expected += [f"campaign-error-{c}" for c in codes - {"center_inactive"}]
    missing = [key for key in expected if key not in CATALOG]
    assert not missing, missing


# Tables for reading what people type (digits, ی/ک, invisible marks; intent, number and unit
# words); never text that people read.
_CHARACTER_TABLES = {"bot/persian/text.py", "bot/persian/digits.py", "bot/persian/dates.py", "bot/persian/intents.py", "bot/persian/amounts.py"}
_PERSIAN = re.compile(r"[\u0600-\u06FF\u200c]")


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_no_persian_text_in_code_outside_the_catalog() -> None:
    """Words and punctuation people read (even a list separator «، ») live in locales/fa."""
    inline = []
    for path in sorted((ROOT / "bot").rglob("*.py")):
        where = str(path.relative_to(ROOT))
        if where in _CHARACTER_TABLES:
            continue
        tree = ast.parse(path.read_text("utf-8"))
        docs = _docstrings(tree)
        inline += [
            f"{where}:{node.lineno} {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
            and _PERSIAN.search(node.value)
        ]
    assert not inline, "Persian in code; move it to locales/fa:\n" + "\n".join(inline)
