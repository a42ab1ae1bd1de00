"""Fast track: which appeals get a shorter deadline (templates/urgent.toml)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from handlers.catalog_files import CatalogError, read
from handlers.parsing import fold
from handlers.topics import TopicCatalog


@dataclass(frozen=True, slots=True)
class Urgency:
    days: int = 3
    topics: frozenset[str] = frozenset()
    keywords: tuple[str, ...] = ()

    def is_urgent(self, topic: str, text: str) -> bool:
        if topic in self.topics:
            return True
        normal = fold(text)
        return any(keyword in normal for keyword in self.keywords)

    @classmethod
    def load(cls, path: Path, topics: TopicCatalog) -> Urgency:
        raw = read(path)
        days = raw.get("days", 3)
        if not isinstance(days, int) or not 1 <= days <= 30:
            raise CatalogError(f"{path}: days must be a whole number from 1 to 30")
        codes = raw.get("topics", [])
        words = raw.get("keywords", [])
        if not isinstance(codes, list) or not isinstance(words, list):
            raise CatalogError(f"{path}: topics and keywords must be lists")
        for code in codes:
            if not isinstance(code, str) or topics.get(code) is None:
                raise CatalogError(f"{path}: unknown topic {code!r}")
        keywords = []
        for word in words:
            if not isinstance(word, str) or len(word.strip()) < 3:
                raise CatalogError(f"{path}: keyword {word!r} is shorter than 3 letters")
            keywords.append(fold(word.strip()))
        return cls(days, frozenset(codes), tuple(keywords))
