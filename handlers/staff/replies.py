"""Template replies: data in templates/replies.toml, added to and changed from the bot."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from handlers.appeals.topics import TopicCatalog
from handlers.catalog_files import CODE, CatalogError, read

PLACEHOLDERS = frozenset({"name", "number", "date", "due", "topic", "department"})
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")
ANY_TOPIC = "*"
TEXT_MAX = 3000


TITLE_MAX = 80


@dataclass(frozen=True, slots=True)
class ReplyTemplate:
    key: str
    topics: tuple[str, ...]
    texts: Mapping[str, str]  # locale -> text; "ru" always there
    titles: Mapping[str, str] = field(default_factory=dict)  # what staff read on its button

    def fits(self, topic: str) -> bool:
        return ANY_TOPIC in self.topics or topic in self.topics

    def made_for(self, topic: str) -> bool:
        """Written for this topic, not only fit for any."""
        return topic in self.topics

    def title(self, locale: str) -> str:
        return self.titles.get(locale) or self.titles.get("ru") or self.key

    def text(self, locale: str) -> str:
        return self.texts.get(locale) or self.texts["ru"]

    def fill(self, locale: str, values: Mapping[str, str]) -> str:
        return _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), self.text(locale))


def problems(text: str) -> list[str]:
    """What is wrong with a template text: unknown placeholders, stray braces, length."""
    found = []
    if not text.strip():
        found.append("empty")
    if len(text) > TEXT_MAX:
        found.append(f"longer than {TEXT_MAX}")
    unknown = sorted({m.group(1) for m in _PLACEHOLDER.finditer(text)} - PLACEHOLDERS)
    if unknown:
        found.append("unknown placeholders " + ", ".join("{" + u + "}" for u in unknown))
    if _PLACEHOLDER.sub("", text).count("{") or _PLACEHOLDER.sub("", text).count("}"):
        found.append("unbalanced braces")
    return found


def check_topics(topics: Iterable[str], catalog: TopicCatalog) -> list[str]:
    return [t for t in topics if t != ANY_TOPIC and catalog.get(t) is None]


@dataclass(frozen=True, slots=True)
class ReplyBook:
    """The templates from the file, and how to address a citizen whose name is unknown."""

    templates: Mapping[str, ReplyTemplate]
    default_name: Mapping[str, str]


def load(path: Path, topics: TopicCatalog) -> ReplyBook:
    raw = read(path)
    entries = raw.get("reply", [])
    if not isinstance(entries, list):
        raise CatalogError(f"{path}: [[reply]] entries expected")
    templates: dict[str, ReplyTemplate] = {}
    for number, entry in enumerate(entries, start=1):
        key = entry.get("key")
        if not isinstance(key, str) or not CODE.match(key):
            raise CatalogError(f"{path}: reply {number}: key must match {CODE.pattern}")
        if key in templates:
            raise CatalogError(f"{path}: duplicate reply {key!r}")
        fits = entry.get("topics")
        if not isinstance(fits, list) or not fits or not all(isinstance(t, str) for t in fits):
            raise CatalogError(f'{path}: reply {key!r}: topics must be a list of codes or ["*"]')
        unknown = check_topics(fits, topics)
        if unknown:
            raise CatalogError(f"{path}: reply {key!r}: unknown topics {unknown}")
        texts = {}
        for locale in ("ru", "en"):
            text = entry.get(locale)
            if text is None and locale != "ru":
                continue
            if not isinstance(text, str):
                raise CatalogError(f"{path}: reply {key!r} has no {locale!r} text")
            wrong = problems(text)
            if wrong:
                raise CatalogError(f"{path}: reply {key!r} ({locale}): {'; '.join(wrong)}")
            texts[locale] = text.strip()
        titles = {}
        for locale in ("ru", "en"):
            title = entry.get(f"title_{locale}")
            if title is None and locale != "ru":
                continue
            if not isinstance(title, str) or not title.strip() or len(title) > TITLE_MAX:
                raise CatalogError(
                    f"{path}: reply {key!r} needs title_{locale} (a name staff read on its "
                    f"button, up to {TITLE_MAX} characters)"
                )
            titles[locale] = title.strip()
        templates[key] = ReplyTemplate(key, tuple(fits), texts, titles)
    names = raw.get("default_name", {})
    if not isinstance(names, dict) or not isinstance(names.get("ru"), str):
        raise CatalogError(f'{path}: [default_name] needs at least ru = "..."')
    return ReplyBook(templates, {k: str(v) for k, v in names.items()})
