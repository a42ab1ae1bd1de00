"""The catalogue of appeal topics, kept as data in templates/topics.toml."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CODE = re.compile(r"^[a-z0-9_]{1,32}$")


class CatalogError(ValueError):
    """A data file in templates/ is broken; the message says where."""


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
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise CatalogError(f"{path}: {exc}") from exc
        entries = raw.get("topic")
        if not isinstance(entries, list) or not entries:
            raise CatalogError(f"{path}: no [[topic]] entries")
        topics: list[Topic] = []
        for number, entry in enumerate(entries, start=1):
            code = entry.get("code")
            if not isinstance(code, str) or not CODE.match(code):
                raise CatalogError(f"{path}: topic {number}: code must match {CODE.pattern}")
            if any(t.code == code for t in topics):
                raise CatalogError(f"{path}: topic {number}: duplicate code {code!r}")
            names = {}
            for locale in locales:
                name = entry.get(locale)
                if not isinstance(name, str) or not name.strip():
                    raise CatalogError(f"{path}: topic {code!r} has no name in {locale!r}")
                names[locale] = name.strip()
            topics.append(Topic(code, names))
        return cls(topics)
