"""The catalogue of appeal topics, kept as data in templates/topics.toml."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from handlers.catalog_files import CODE, CatalogError, code_and_names, entries, read

__all__ = ["CODE", "CatalogError", "Topic", "TopicCatalog"]


@dataclass(frozen=True, slots=True)
class Topic:
    code: str
    names: dict[str, str]

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names["ru"]


class TopicCatalog:
    def __init__(self, topics: list[Topic]) -> None:
        self._topics = {topic.code: topic for topic in topics}

    def __iter__(self) -> Iterator[Topic]:
        return iter(self._topics.values())

    def __len__(self) -> int:
        return len(self._topics)

    def get(self, code: str) -> Topic | None:
        return self._topics.get(code)

    def name(self, code: str, locale: str) -> str:
        topic = self._topics.get(code)
        # An appeal keeps its code even if the topic is later removed from the file.
        return topic.name(locale) if topic else code

    @classmethod
    def load(cls, path: Path, locales: tuple[str, ...]) -> TopicCatalog:
        raw = read(path)
        taken: set[str] = set()
        topics = [
            Topic(*code_and_names(path, "topic", number, entry, locales, taken))
            for number, entry in enumerate(entries(path, raw, "topic"), start=1)
        ]
        return cls(topics)
