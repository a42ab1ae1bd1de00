"""FAQ answers offered before an appeal is sent, on realistic texts (tests/data/
deflection.toml): at most 10 % of appeals that no FAQ entry answers get an offer (a broken
lift is not offered "collective appeals"), and the questions an entry answers get it."""

from __future__ import annotations

import tomllib

import pytest

from handlers.faq.faq_answers import offered
from handlers.faq.faq_catalog import FaqCatalog
from handlers.faq.faq_search import FaqSearch
from tests.helpers.settings import LOCALES, ROOT, TEMPLATES

CASES = tomllib.loads((ROOT / "tests" / "data" / "deflection.toml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def faq() -> tuple[FaqSearch, FaqCatalog]:
    catalog = FaqCatalog.load(TEMPLATES / "faq.toml", TEMPLATES / "info.toml", LOCALES)
    return FaqSearch(catalog, LOCALES), catalog


def test_appeals_no_entry_answers_are_rarely_offered_one(
    faq: tuple[FaqSearch, FaqCatalog],
) -> None:
    search, catalog = faq
    cases = CASES["no_answer"]
    assert len(cases) >= 40
    offers = {text: offered(search, catalog, text, "ru") for text in cases}
    wrong = {text: codes for text, codes in offers.items() if codes}
    share = len(wrong) / len(cases)
    print(f"deflection: {share:.0%} of {len(cases)} appeals without an FAQ answer got an offer")
    assert share <= 0.10, wrong
    assert not offers["Сломался лифт, жильцы всего дома просят починить"]


def test_questions_an_entry_answers_are_offered_it(faq: tuple[FaqSearch, FaqCatalog]) -> None:
    search, catalog = faq
    cases = CASES["answered"]
    missed = [
        (text, code, offered(search, catalog, text, "ru"))
        for text, code in cases
        if code not in offered(search, catalog, text, "ru")
    ]
    share = 1 - len(missed) / len(cases)
    print(f"deflection: {share:.0%} of {len(cases)} answerable questions offered their answer")
    assert share >= 0.9, missed
