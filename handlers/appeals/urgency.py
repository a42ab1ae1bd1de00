"""Fast track: which appeals get a shorter deadline (templates/urgent.toml).

An appeal is urgent when its topic is always urgent, or when one sentence of its text says one
of the urgent phrases: every word of the phrase, in any of its forms ("прорвало трубу", "трубу
прорвёт", "прорыв трубы"), near each other, in any order. A phrase does not count where the
sentence says it is not so ("не пахнет газом", "газом больше не пахнет", "запаха газа нет") or
that it is over ("авария устранена", "воду уже дали"), unless the phrase itself is the lack of
something ("нет воды", "без света")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from handlers.appeals.topics import TopicCatalog
from handlers.catalog_files import CatalogError, read
from handlers.morphology import normal_form, words

# Words that only join the others ("течёт с потолка" is "течь" near "потолок").
_LINKS = frozenset(
    {"с", "со", "в", "во", "на", "из", "по", "у", "к", "о", "об", "и", "а", "the", "a", "of", "in"}
)
# What says a thing is not so.
_NOT = frozenset({"не", "нет", "ни", "no", "not", "nothing"})
# What says it is over: dictionary forms, and word forms whose dictionary form says more
# ("дали" воду, but "дайте" ответ).
_OVER = frozenset(
    {
        "устранить",
        "ликвидировать",
        "починить",
        "отремонтировать",
        "восстановить",
        "закончиться",
        "прекратиться",
        "fixed",
        "restored",
        "resolved",
    }
)
_OVER_WORDS = frozenset({"дали", "включили", "вернули", "устранена", "устранено", "устранен"})
# Sentences and clauses: a negation or a repair in one does not undo a danger in another.
_CLAUSE = re.compile(r"[.!?;\n]+|,\s*(?:но|а|однако|but)\s|\s(?:но|однако|but)\s")
# How far apart the words of one phrase may be, beyond the phrase's own length.
_SLACK = 3


def _forms(text: str) -> tuple[str, ...]:
    return tuple(normal_form(word) for word in words(text))


@dataclass(frozen=True, slots=True)
class Phrase:
    forms: tuple[str, ...]  # the dictionary forms of its words, joining words left out
    negative: bool  # the phrase is itself a lack ("нет воды")

    @classmethod
    def of(cls, text: str) -> Phrase:
        forms = tuple(f for f in _forms(text) if f not in _LINKS)
        return cls(forms, any(f in _NOT or f == "без" for f in forms))

    def found_in(self, clause: tuple[str, ...], over: bool) -> bool:
        """In a clause's dictionary forms; ``over``: the clause says it is over."""
        width = len(self.forms) + _SLACK
        for start, form in enumerate(clause):
            if form != self.forms[0] and form not in self.forms:
                continue
            window = clause[start : start + width]
            if all(f in window for f in self.forms) and (
                self.negative or not (over or self._denied(clause, start, window))
            ):
                return True
        return False

    def _denied(self, clause: tuple[str, ...], start: int, window: tuple[str, ...]) -> bool:
        """ "не"/"нет" just before the phrase, among its words or just after it."""
        end = start + max(i for i, f in enumerate(window) if f in self.forms) + 1
        return any(f in _NOT for f in clause[max(0, start - 2) : end + 2])


@lru_cache(maxsize=8)
def _phrases(texts: tuple[str, ...]) -> tuple[Phrase, ...]:
    return tuple(Phrase.of(text) for text in texts)


@dataclass(frozen=True, slots=True)
class Urgency:
    days: int = 3
    topics: frozenset[str] = frozenset()
    # The phrases as written; their dictionary forms are found on first use, so that the
    # start does not wait for the morphology dictionaries.
    texts: tuple[str, ...] = ()

    @property
    def phrases(self) -> tuple[Phrase, ...]:
        return _phrases(self.texts)

    def is_urgent(self, topic: str, text: str) -> bool:
        if topic in self.topics:
            return True
        for clause_text in _CLAUSE.split(text.lower()):
            surface = words(clause_text)
            clause = tuple(normal_form(word) for word in surface)
            over = any(f in _OVER for f in clause) or any(w in _OVER_WORDS for w in surface)
            if clause and any(phrase.found_in(clause, over) for phrase in self.phrases):
                return True
        return False

    @classmethod
    def load(cls, path: Path, topics: TopicCatalog) -> Urgency:
        raw = read(path)
        days = raw.get("days", 3)
        if not isinstance(days, int) or not 1 <= days <= 30:
            raise CatalogError(f"{path}: days must be a whole number from 1 to 30")
        codes = raw.get("topics", [])
        # "keywords" is this file's earlier name for the list.
        texts = raw.get("phrases", raw.get("keywords", []))
        if not isinstance(codes, list) or not isinstance(texts, list):
            raise CatalogError(f"{path}: topics and phrases must be lists")
        for code in codes:
            if not isinstance(code, str) or topics.get(code) is None:
                raise CatalogError(f"{path}: unknown topic {code!r}")
        for text in texts:
            # Words beyond the joining ones ("в", "на"), whose forms are themselves.
            meaning = isinstance(text, str) and [w for w in words(text) if w not in _LINKS]
            if not meaning or len(text.strip()) < 3:
                raise CatalogError(f"{path}: phrase {text!r} is shorter than 3 letters")
        return cls(days, frozenset(codes), tuple(texts))
