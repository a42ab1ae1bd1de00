"""The reference groups the bot starts with (templates/groups.toml) and the ready mailings
(templates/mailings/*.toml): checked at start-up, every error naming the place."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handlers.catalog_files import CODE, CatalogError, code_and_names, entries, read

TEXT_MAX = 3500  # a mailing is one message on every platform, with room for its buttons


@dataclass(frozen=True, slots=True)
class GroupSeed:
    code: str
    names: dict[str, str]
    description: dict[str, str]
    who: dict[str, str]
    open: bool


@dataclass(frozen=True, slots=True)
class MailingTemplate:
    code: str
    title: dict[str, str]
    text: dict[str, str]
    audience: str
    rsvp: bool


@dataclass(frozen=True, slots=True)
class GroupCatalog:
    groups: tuple[GroupSeed, ...] = ()
    mailings: dict[str, MailingTemplate] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path, locales: tuple[str, ...], topics: set[str]) -> GroupCatalog:
        path = folder / "groups.toml"
        raw = read(path)
        taken: set[str] = set()
        groups = []
        for number, entry in enumerate(entries(path, raw, "group"), start=1):
            code, names = code_and_names(path, "group", number, entry, locales, taken)
            is_open = entry.get("open", True)
            if not isinstance(is_open, bool):
                raise CatalogError(f"{path}: group {code!r}: open must be true or false")
            groups.append(
                GroupSeed(
                    code,
                    names,
                    _per_locale(path, entry, "description", code, locales),
                    _per_locale(path, entry, "who", code, locales),
                    is_open,
                )
            )
        mailings: dict[str, MailingTemplate] = {}
        folder = folder / "mailings"
        for file in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            template = _mailing(file, read(file), locales, taken, topics)
            if template.code in mailings:
                raise CatalogError(f"{file}: duplicate mailing code {template.code!r}")
            mailings[template.code] = template
        return cls(tuple(groups), mailings)


def _per_locale(
    path: Path, entry: dict[str, Any], key: str, code: str, locales: tuple[str, ...]
) -> dict[str, str]:
    found = {}
    for locale in locales:
        value = entry.get(f"{key}_{locale}")
        if not isinstance(value, str) or not value.strip():
            raise CatalogError(f"{path}: group {code!r} has no {key}_{locale}")
        found[locale] = value.strip()
    return found


def check_audience(audience: str, groups: set[str], topics: set[str]) -> bool:
    """Whether a mailing audience names only what exists."""
    kind, _, rest = audience.partition(":")
    if kind in ("subscribers", "all") and not rest:
        return True
    if kind == "groups":
        codes = [c for c in rest.split(",") if c]
        return bool(codes) and all(c in groups for c in codes)
    return kind == "topic" and rest in topics


def _mailing(
    path: Path, raw: dict[str, Any], locales: tuple[str, ...], groups: set[str], topics: set[str]
) -> MailingTemplate:
    code = raw.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        raise CatalogError(f"{path}: code must match {CODE.pattern}")
    texts = {}
    for key, limit in (("title", 100), ("text", TEXT_MAX)):
        table = raw.get(key)
        if not isinstance(table, dict):
            raise CatalogError(f"{path}: no [{key}] table")
        for locale in locales:
            value = table.get(locale)
            if not isinstance(value, str) or not value.strip() or len(value) > limit:
                raise CatalogError(f"{path}: {key}.{locale} must be 1-{limit} characters")
        texts[key] = {locale: str(table[locale]).strip() for locale in locales}
    audience = raw.get("audience", "subscribers")
    if not isinstance(audience, str) or not check_audience(audience, groups, topics):
        raise CatalogError(f"{path}: unknown audience {audience!r}")
    rsvp = raw.get("rsvp", False)
    if not isinstance(rsvp, bool):
        raise CatalogError(f"{path}: rsvp must be true or false")
    return MailingTemplate(code, texts["title"], texts["text"], audience, rsvp)
