"""Departments (отраслевые блоки) and the topics they own, kept in templates/departments.toml."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from handlers.appeals.topics import TopicCatalog
from handlers.catalog_files import CatalogError, code_and_names, entries, read


@dataclass(frozen=True, slots=True)
class Department:
    code: str
    names: dict[str, str]
    topics: tuple[str, ...]

    def name(self, locale: str) -> str:
        return self.names.get(locale) or self.names["ru"]


class DepartmentCatalog:
    def __init__(self, departments: list[Department]) -> None:
        self._departments = {d.code: d for d in departments}
        self._by_topic = {topic: d.code for d in departments for topic in d.topics}

    def __iter__(self) -> Iterator[Department]:
        return iter(self._departments.values())

    def get(self, code: str) -> Department | None:
        return self._departments.get(code)

    def name(self, code: str, locale: str) -> str:
        department = self._departments.get(code)
        return department.name(locale) if department else code

    def for_topic(self, topic: str) -> str:
        """The department that owns a topic (the validated catalogue has one for each)."""
        return self._by_topic[topic]

    @classmethod
    def load(cls, path: Path, locales: tuple[str, ...], topics: TopicCatalog) -> DepartmentCatalog:
        raw = read(path)
        departments: list[Department] = []
        taken: set[str] = set()
        owner: dict[str, str] = {}
        for number, entry in enumerate(entries(path, raw, "department"), start=1):
            code, names = code_and_names(path, "department", number, entry, locales, taken)
            owned = entry.get("topics", [])
            if not isinstance(owned, list) or not all(isinstance(t, str) for t in owned):
                raise CatalogError(f"{path}: department {code!r}: topics must be a list of codes")
            for topic in owned:
                if topics.get(topic) is None:
                    raise CatalogError(f"{path}: department {code!r}: unknown topic {topic!r}")
                if topic in owner:
                    raise CatalogError(
                        f"{path}: topic {topic!r} belongs to both {owner[topic]!r} and {code!r}"
                    )
                owner[topic] = code
            departments.append(Department(code, names, tuple(owned)))
        orphans = [topic.code for topic in topics if topic.code not in owner]
        if orphans:
            raise CatalogError(f"{path}: topics without a department: {orphans}")
        return cls(departments)
