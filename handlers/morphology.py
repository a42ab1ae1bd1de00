"""Russian words in their dictionary form (pymorphy3), shared by the FAQ search and the fast
track: "прорвало", "прорвёт" and "прорвать" are one word to both."""

from __future__ import annotations

import re
from functools import lru_cache

import pymorphy3

from handlers.parsing import fold

WORD = re.compile(r"[0-9a-zа-я]+")


@lru_cache(maxsize=1)
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer()


def words(text: str) -> list[str]:
    """The words of a text, folded (lower case, "ё" as "е")."""
    return WORD.findall(fold(text))


@lru_cache(maxsize=50_000)
def normal_form(word: str) -> str:
    """The dictionary form of a folded Russian word (the word itself for others)."""
    if word.isascii():
        return word
    return str(morph().parse(word)[0].normal_form).replace("ё", "е")
