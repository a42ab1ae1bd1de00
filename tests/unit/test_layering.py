"""The layers' rule, checked on the source: the core and storage never import a messenger
library or the bot's adapters, and storage knows nothing of the conversations above it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MESSENGERS = ("aiogram", "vkbottle", "maxapi", "aiohttp")


def _imports(folder: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / folder).rglob("*.py"):
        if "migrations" in path.parts:
            continue
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module)
        found[str(path.relative_to(ROOT))] = names
    return found


@pytest.mark.parametrize("folder", ["handlers", "storage"])
def test_no_messenger_library_or_adapter_below_bot(folder: str) -> None:
    imports = _imports(folder)
    assert len(imports) > 10
    wrong = {
        path: sorted(n for n in names if n.split(".")[0] in (*MESSENGERS, "bot"))
        for path, names in imports.items()
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_storage_does_not_know_the_conversations() -> None:
    wrong = {
        path: sorted(n for n in names if n.split(".")[0] == "handlers")
        for path, names in _imports("storage").items()
    }
    assert {path: names for path, names in wrong.items() if names} == {}


def test_tests_share_helpers_not_each_others_modules() -> None:
    """What tests share lives in tests/helpers/: a test module or a conftest imported from
    elsewhere would run its fixtures and tests twice, or break when it moves."""
    wrong = {
        path: sorted(
            n
            for n in names
            if n.startswith("tests.")
            and (n.endswith("conftest") or n.split(".")[-1].startswith("test_"))
        )
        for path, names in _imports("tests").items()
    }
    assert {path: names for path, names in wrong.items() if names} == {}
