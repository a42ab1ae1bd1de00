"""The fast track on realistic appeal texts (tests/data/urgency.toml): at least 95 % of the
urgent ones fast-tracked, at most 5 % of the others; word forms, phrases in any order,
negations and repairs."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from handlers.appeals.topics import TopicCatalog
from handlers.appeals.urgency import Urgency
from handlers.catalog_files import CatalogError
from tests.helpers.settings import LOCALES, ROOT, TEMPLATES

CASES = tomllib.loads((ROOT / "tests" / "data" / "urgency.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def urgency() -> Urgency:
    topics = TopicCatalog.load(TEMPLATES / "topics.toml", LOCALES)
    return Urgency.load(TEMPLATES / "urgent.toml", topics)


def test_the_test_set_is_large_enough() -> None:
    assert len(CASES["urgent"]) >= 30 and len(CASES["ordinary"]) >= 30


def test_urgent_texts_are_fast_tracked_and_others_are_not(urgency: Urgency) -> None:
    missed = [t for t in CASES["urgent"] if not urgency.is_urgent("other", t)]
    wrong = [t for t in CASES["ordinary"] if urgency.is_urgent("other", t)]
    found = 1 - len(missed) / len(CASES["urgent"])
    false = len(wrong) / len(CASES["ordinary"])
    print(f"urgency: {found:.0%} of urgent found, {false:.0%} of others flagged")
    assert found >= 0.95, missed
    assert false <= 0.05, wrong


@pytest.mark.parametrize(
    ("text", "urgent"),
    [
        ("Во дворе дома 7 прорвало трубу, вода заливает подвал", True),
        ("трубу вот-вот прорвёт, она вся ржавая и сочится", True),
        ("В подъезде пахнет газом", True),
        ("В подъезде не пахнет газом", False),
        ("Запаха газа нет, вопрос о поверке счётчика", False),
        ("Авария устранена, спасибо", False),
        # A repair in one sentence does not undo a danger in the next.
        ("Вчерашнюю аварию устранили. Сегодня снова нет воды", True),
        ("нет воды", True),
        ("без света третий день", True),
    ],
)
def test_forms_negations_and_repairs(urgency: Urgency, text: str, urgent: bool) -> None:
    assert urgency.is_urgent("other", text) is urgent


def test_an_unusable_phrase_is_refused_at_start(tmp_path: Path) -> None:
    topics = TopicCatalog.load(TEMPLATES / "topics.toml", LOCALES)
    path = tmp_path / "urgent.toml"
    path.write_text('phrases = ["в"]\n', encoding="utf-8")
    with pytest.raises(CatalogError):
        Urgency.load(path, topics)
