"""What an appeal's author may agree to publish of its text: the text without what could tell
who wrote it or where they live. Names, surnames and patronymics, words the dictionary does
not know written with a capital inside a sentence (a rare surname), anything with a digit (a
phone, a house, a flat, a date of birth), e-mail and web addresses and @handles are replaced
by one mark. The author sees the result before agreeing, so what is published is exactly what
they read."""

from __future__ import annotations

import re

from handlers.morphology import known_word, names_a_person
from handlers.parsing import fold

HIDDEN = "[…]"
# A phone written with spaces, brackets and dashes is one thing hidden, not five.
_PHONE = re.compile(r"\+?\d[\d\s()\-–]{5,}\d")
_CONTACT = re.compile(r"\S+@\S+|(?:https?://|www\.)\S+|@\w+|\S*\d\S*", re.IGNORECASE)
_WORD = re.compile(r"[A-Za-zА-Яа-яЁё]+(?:-[A-Za-zА-Яа-яЁё]+)*")
_SENTENCE_END = re.compile(r"[.!?…]\s*$")
# Marks side by side (a first name and a surname, a name and a phone) read as one mark; the
# punctuation after the last one stays.
_REPEATED = re.compile(r"\[…\](?:[\s,.;:–-]*\[…\])+")
_AROUND = "()«»\"'.,;:!?"


def _is_personal(word: str, starts_sentence: bool) -> bool:
    folded = fold(word)
    if names_a_person(folded):
        return True
    # A capitalised word the dictionary does not know, not at a sentence's start: a surname
    # or a place too small for it (the first word of a sentence is capitalised anyway).
    return word[:1].isupper() and not starts_sentence and not known_word(folded)


def _without_names(text: str) -> str:
    out: list[str] = []
    position = 0
    for match in _WORD.finditer(text):
        before = text[: match.start()]
        starts_sentence = not before.strip() or bool(_SENTENCE_END.search(before))
        out.append(text[position : match.start()])
        out.append(HIDDEN if _is_personal(match.group(), starts_sentence) else match.group())
        position = match.end()
    out.append(text[position:])
    return "".join(out)


def _hide(match: re.Match[str]) -> str:
    """A contact or a number hidden, the punctuation around it kept ("кв. 12," → "кв. […],")."""
    found = match.group()
    if found == HIDDEN:
        return found
    core = found.strip(_AROUND)
    if not core or core == HIDDEN:
        return found
    start = found.index(core)
    return found[:start] + HIDDEN + found[start + len(core) :]


def publishable(text: str) -> str:
    """The text with personal data replaced by ``[…]``, runs of marks made one."""
    hidden = _PHONE.sub(HIDDEN, text)
    hidden = _CONTACT.sub(_hide, hidden)
    hidden = _without_names(hidden)
    return _REPEATED.sub(HIDDEN, hidden).strip()
