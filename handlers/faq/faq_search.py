"""Finding FAQ answers for a question typed in the citizen's own words.

Words are reduced to lemmas (pymorphy3 for Russian, the Snowball stemmer for English), so
"жалобу", "жалобы" and "жалоба" are one term; a misspelt word is matched to the nearest term of
the FAQ's vocabulary (rapidfuzz). Entries are ranked by BM25 over their question, the other
phrasings people use, and the answer, weighted in that order.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from rapidfuzz import fuzz, process

from handlers.faq.faq_catalog import FaqCatalog
from handlers.morphology import known_word, morph, names_a_person, words

# Parts of speech that carry no subject: prepositions, conjunctions, particles, interjections,
# pronouns.
_NOISE_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO", "PRED"})
_STOP = frozenset(
    {
        # Russian words every question has ("как", "можно", "что делать"...).
        "быть", "мочь", "можно", "нужно", "надо", "делать", "сделать", "который", "весь",
        "это", "свой", "если", "где", "куда", "когда", "как", "какой", "почему", "зачем",
        "ли", "есть", "хотеть", "очень", "уже", "здравствуйте", "добрый", "день", "пожалуйста",
        "подсказать", "скажите", "вопрос", "ваш", "мой", "тот", "этот", "такой", "себя",
        "сказать", "рассказать", "теперь", "так", "тогда", "ещё", "еще", "просто",
        # English.
        "the", "a", "an", "of", "to", "in", "on", "for", "and", "or", "is", "are", "be", "do",
        "does", "i", "my", "me", "you", "your", "it", "what", "how", "where", "when", "why",
        "can", "could", "which", "who", "if", "there", "with", "about", "please", "this",
        "mani", "much", "until", "someon", "some", "ani", "get", "have", "has", "will",
        "would", "should", "not", "no", "now", "that", "am", "was", "been", "by", "at",
    }
)  # fmt: skip
# Weights of an entry's fields: the question says most about what it answers.
_WEIGHTS = {"question": 3.0, "also": 2.0, "category": 1.0, "answer": 1.0}
_K1, _B = 1.2, 0.75
TYPO_CUTOFF = 80  # rapidfuzz ratio for taking an unknown word as a misspelt known one
# Below this share of the best score a query could get, nothing is taken as found.
FOUND_MIN = 0.15


@lru_cache(maxsize=1)
def _english() -> snowballstemmer.stemmer:
    return snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def lemma(word: str) -> str | None:
    """The dictionary form of a (folded) word; None for words that carry no subject."""
    if word in _STOP:
        return None
    if word.isascii():
        stem: str = _english().stemWord(word)
        return None if stem in _STOP else stem
    parsed = morph().parse(word)[0]
    if parsed.tag.POS in _NOISE_POS:
        return None
    normal = str(parsed.normal_form).replace("ё", "е")
    return None if normal in _STOP else normal


def terms(text: str) -> list[str]:
    return [t for t in (lemma(w) for w in words(text)) if t]


def anonymous_terms(text: str) -> list[str]:
    """The question's terms without what could tell who asked: no numbers (a phone, a flat,
    a house) and no names, surnames or patronymics; each once, in the order asked."""
    kept = (
        lemma(word)
        for word in words(text)
        if not any(ch.isdigit() for ch in word) and not names_a_person(word)
    )
    return list(dict.fromkeys(t for t in kept if t))


@dataclass(frozen=True, slots=True)
class Hit:
    code: str
    score: float
    # The share of what the query could score at best: how sure the match is.
    confidence: float


class FaqIndex:
    """A search index of one catalogue in one language."""

    def __init__(self, catalog: FaqCatalog, locale: str) -> None:
        self._docs: dict[str, Counter[str]] = {}
        self._lengths: dict[str, float] = {}
        # Every word form of the index with its lemma: a misspelt word is closer to a form
        # ("атвета" to "ответа") than to a lemma.
        self._forms: dict[str, str] = {}
        for entry in catalog.entries.values():
            wording = entry.wording(locale)
            fields = {
                "question": wording.question,
                "also": " ".join(wording.also),
                "category": catalog.categories[entry.category].name(locale),
                "answer": wording.answer,
            }
            weighted: Counter[str] = Counter()
            for name, text in fields.items():
                for word in words(text):
                    term = lemma(word)
                    if term:
                        weighted[term] += _WEIGHTS[name]  # type: ignore[assignment]
                        self._forms.setdefault(word, term)
            self._docs[entry.code] = weighted
            self._lengths[entry.code] = float(sum(weighted.values()))
        count = max(len(self._docs), 1)
        self._average = sum(self._lengths.values()) / count or 1.0
        frequency: Counter[str] = Counter()
        for weighted in self._docs.values():
            frequency.update(weighted.keys())
        self._idf = {
            term: math.log(1 + (count - n + 0.5) / (n + 0.5)) for term, n in frequency.items()
        }
        self._vocabulary = list(self._forms)
        self._top_idf = max(self._idf.values(), default=1.0)

    def _known(self, word: str) -> tuple[str, float] | None:
        """The word's term as the index knows it, with how much to trust that (a word taken
        for a misspelt one counts less)."""
        term = lemma(word)
        if term is None:
            return None
        if term in self._idf:
            return term, 1.0
        if known_word(word) or len(word) < 4 or not self._vocabulary:
            return None
        found = process.extractOne(
            word, self._vocabulary, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF
        )
        return (self._forms[found[0]], found[1] / 100) if found else None

    def search(self, query: str, limit: int = 3) -> list[Hit]:
        asked = [w for w in dict.fromkeys(words(query)) if lemma(w)]
        if not asked:
            return []
        found = [self._known(word) for word in asked]
        known = [pair for pair in found if pair is not None]
        # What a perfect match of every word asked would score.
        ceiling = (
            sum(self._idf[pair[0]] if pair else self._top_idf for pair in found) * (_K1 + 1) or 1.0
        )
        scores: dict[str, float] = {}
        for code, weighted in self._docs.items():
            norm = _K1 * (1 - _B + _B * self._lengths[code] / self._average)
            score = 0.0
            for term, trust in known:
                tf = weighted.get(term, 0.0)
                if tf:
                    score += trust * self._idf[term] * tf * (_K1 + 1) / (tf + norm)
            if score > 0:
                scores[code] = score
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)[:limit]
        return [Hit(code, score, min(score / ceiling, 1.0)) for code, score in ranked]


class FaqSearch:
    """One index per language, rebuilt when the catalogue changes."""

    def __init__(self, catalog: FaqCatalog, locales: tuple[str, ...]) -> None:
        self._indexes = {locale: FaqIndex(catalog, locale) for locale in locales}
        self._default = locales[0]

    def search(self, query: str, locale: str, limit: int = 3) -> list[Hit]:
        index = self._indexes.get(locale) or self._indexes[self._default]
        hits = index.search(query, limit)
        if not hits and locale != self._default:
            # A Russian question from someone who chose English, or the other way round.
            other = next(i for code, i in self._indexes.items() if code != locale)
            hits = other.search(query, limit)
        return hits

    def found(self, query: str, locale: str, limit: int = 3) -> list[Hit]:
        """Only the hits sure enough to offer."""
        hits = self.search(query, locale, limit)
        if not hits or hits[0].confidence < FOUND_MIN:
            return []
        return [h for h in hits if h.confidence >= FOUND_MIN / 2]
