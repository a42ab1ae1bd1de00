"""The FAQ and the information sections, kept as data in templates/faq.toml and info.toml.

Every entry and section has its text in every language; a broken file raises
:class:`CatalogError` naming the place, so start-up and ``/faq_reload`` can refuse it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handlers.catalog_files import CODE, CatalogError, code_and_names, entries, read

QUESTION_MAX = 200
ANSWER_MAX = 3000


@dataclass(frozen=True, slots=True)
class Wording:
    """An entry in one language."""

    question: str
    answer: str
    also: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FaqEntry:
    code: str
    category: str
    wordings: dict[str, Wording]
    # Added or changed by staff in the bot (not from the file).
    from_bot: bool = False

    def wording(self, locale: str) -> Wording:
        return self.wordings.get(locale) or next(iter(self.wordings.values()))


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    names: dict[str, str]

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names["ru"]


@dataclass(frozen=True, slots=True)
class Section:
    code: str
    titles: dict[str, str]
    texts: dict[str, str]

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles["ru"]

    def text(self, locale: str) -> str:
        return self.texts.get(locale) or self.texts["ru"]


@dataclass
class FaqCatalog:
    categories: dict[str, Category]
    entries: dict[str, FaqEntry]
    sections: dict[str, Section] = field(default_factory=dict)

    def in_category(self, category: str) -> list[FaqEntry]:
        return [e for e in self.entries.values() if e.category == category]

    def with_overrides(self, overrides: list[FaqEntry]) -> FaqCatalog:
        """The file's entries, with those staff added or changed in the bot on top."""
        merged = dict(self.entries)
        for entry in overrides:
            if entry.category not in self.categories:
                continue  # its category was removed from the file since
            base = merged.get(entry.code)
            wordings = {**(base.wordings if base else {}), **entry.wordings}
            merged[entry.code] = FaqEntry(entry.code, entry.category, wordings, from_bot=True)
        return FaqCatalog(self.categories, merged, self.sections)

    @classmethod
    def load(cls, faq_path: Path, info_path: Path, locales: tuple[str, ...]) -> FaqCatalog:
        raw = read(faq_path)
        taken: set[str] = set()
        categories = {}
        for number, item in enumerate(entries(faq_path, raw, "category"), start=1):
            code, names = code_and_names(faq_path, "category", number, item, locales, taken)
            categories[code] = Category(code, names)
        faq: dict[str, FaqEntry] = {}
        for number, item in enumerate(entries(faq_path, raw, "entry"), start=1):
            entry = _entry(faq_path, number, item, locales, categories)
            if entry.code in faq:
                raise CatalogError(f"{faq_path}: entry {number}: duplicate code {entry.code!r}")
            faq[entry.code] = entry
        empty = [code for code in categories if not any(e.category == code for e in faq.values())]
        if empty:
            raise CatalogError(f"{faq_path}: categories without entries: {', '.join(empty)}")
        return cls(categories, faq, _sections(info_path, locales))


def _text(path: Path, where: str, value: Any, limit: int) -> str:
    if not isinstance(value, str) or not value.strip():
        raise CatalogError(f"{path}: {where} is missing or empty")
    if len(value) > limit:
        raise CatalogError(f"{path}: {where} is longer than {limit} characters")
    return value.strip()


def _entry(
    path: Path,
    number: int,
    item: dict[str, Any],
    locales: tuple[str, ...],
    categories: dict[str, Category],
) -> FaqEntry:
    code = item.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        raise CatalogError(f"{path}: entry {number}: code must match {CODE.pattern}")
    category = item.get("category")
    if category not in categories:
        raise CatalogError(f"{path}: entry {code!r}: unknown category {category!r}")
    wordings = {}
    for locale in locales:
        text = item.get(locale)
        if not isinstance(text, dict):
            raise CatalogError(f"{path}: entry {code!r} has no {locale!r} text")
        also = text.get("also", [])
        if not isinstance(also, list) or not all(isinstance(a, str) for a in also):
            raise CatalogError(f"{path}: entry {code!r}: {locale}.also must be a list of text")
        wordings[locale] = Wording(
            _text(path, f"entry {code!r} {locale}.q", text.get("q"), QUESTION_MAX),
            _text(path, f"entry {code!r} {locale}.a", text.get("a"), ANSWER_MAX),
            tuple(a.strip() for a in also if a.strip()),
        )
    return FaqEntry(code, str(category), wordings)


def _sections(path: Path, locales: tuple[str, ...]) -> dict[str, Section]:
    raw = read(path)
    sections: dict[str, Section] = {}
    for number, item in enumerate(entries(path, raw, "section"), start=1):
        code = item.get("code")
        if not isinstance(code, str) or not CODE.match(code):
            raise CatalogError(f"{path}: section {number}: code must match {CODE.pattern}")
        if code in sections:
            raise CatalogError(f"{path}: section {number}: duplicate code {code!r}")
        titles, texts = {}, {}
        for locale in locales:
            text = item.get(locale)
            if not isinstance(text, dict):
                raise CatalogError(f"{path}: section {code!r} has no {locale!r} text")
            titles[locale] = _text(path, f"section {code!r} {locale}.title", text.get("title"), 64)
            texts[locale] = _text(path, f"section {code!r} {locale}.text", text.get("text"), 3500)
        sections[code] = Section(code, titles, texts)
    return sections
