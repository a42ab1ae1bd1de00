"""Reading the data files in templates/: every entry checked, every error naming the place."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

CODE = re.compile(r"^[a-z0-9_]{1,32}$")


class CatalogError(ValueError):
    """A data file in templates/ is broken; the message says where."""


def read(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise CatalogError(f"{path}: {exc}") from exc


def entries(path: Path, raw: dict[str, Any], table: str) -> list[dict[str, Any]]:
    found = raw.get(table)
    if not isinstance(found, list) or not found:
        raise CatalogError(f"{path}: no [[{table}]] entries")
    return found


def code_and_names(
    path: Path,
    kind: str,
    number: int,
    entry: dict[str, Any],
    locales: tuple[str, ...],
    taken: set[str],
) -> tuple[str, dict[str, str]]:
    """An entry's code (unique in ``taken``, which it joins) and its name in every locale."""
    code = entry.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        raise CatalogError(f"{path}: {kind} {number}: code must match {CODE.pattern}")
    if code in taken:
        raise CatalogError(f"{path}: {kind} {number}: duplicate code {code!r}")
    taken.add(code)
    names = {}
    for locale in locales:
        name = entry.get(locale)
        if not isinstance(name, str) or not name.strip():
            raise CatalogError(f"{path}: {kind} {code!r} has no name in {locale!r}")
        names[locale] = name.strip()
    return code, names
