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


# What names a person in Russian: first names, surnames, patronymics.
_PERSONAL = frozenset({"Name", "Surn", "Patr"})


@lru_cache(maxsize=50_000)
def names_a_person(word: str) -> bool:
    """Whether a folded Russian word is most likely a first name, surname or patronymic."""
    return not word.isascii() and bool(_PERSONAL & morph().parse(word)[0].tag.grammemes)


@lru_cache(maxsize=50_000)
def known_word(word: str) -> bool:
    """Whether the dictionary knows a folded word (else it may be misspelt, or a rare name)."""
    return word.isascii() or bool(morph().word_is_known(word))
