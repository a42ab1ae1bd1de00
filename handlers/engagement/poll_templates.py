"""Ready polls in templates/polls/*.toml: checked at start-up, loaded as a draft by an
operator (``/poll_new <code>``) in the operator's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from handlers.catalog_files import CODE, CatalogError, read
from storage.models import QuestionKind

TITLE_MAX = 200
QUESTION_MAX = 500
OPTION_MAX = 100
OPTIONS_MIN, OPTIONS_MAX = 2, 10
QUESTIONS_MAX = 20
DAYS_MAX = 90
AUDIENCES = ("all",)  # and "topic:<code>", checked against the topics


@dataclass(frozen=True, slots=True)
class QuestionTemplate:
    kind: QuestionKind
    text: dict[str, str]
    options: dict[str, list[str]]


@dataclass(frozen=True, slots=True)
class PollTemplate:
    code: str
    title: dict[str, str]
    description: dict[str, str]
    questions: tuple[QuestionTemplate, ...]
    anonymous: bool = True
    allow_change: bool = False
    share_results: bool = True
    audience: str = "all"
    days: int = 14


@dataclass(frozen=True, slots=True)
class PollTemplates:
    templates: dict[str, PollTemplate] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path, locales: tuple[str, ...], topics: set[str]) -> PollTemplates:
        found = {}
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
            template = _template(path, read(path), locales, topics)
            if template.code in found:
                raise CatalogError(f"{path}: duplicate poll code {template.code!r}")
            found[template.code] = template
        return cls(found)


def _texts(
    path: Path, where: str, raw: Any, locales: tuple[str, ...], limit: int
) -> dict[str, str]:
    if not isinstance(raw, dict):
        raise CatalogError(f"{path}: {where} must be a table of {', '.join(locales)}")
    texts = {}
    for locale in locales:
        value = raw.get(locale)
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise CatalogError(f"{path}: {where} needs a {locale!r} text of 1-{limit} characters")
        texts[locale] = value.strip()
    return texts


def _flag(path: Path, raw: dict[str, Any], name: str, default: bool) -> bool:
    value = raw.get(name, default)
    if not isinstance(value, bool):
        raise CatalogError(f"{path}: {name} must be true or false")
    return value


def _question(path: Path, number: int, raw: Any, locales: tuple[str, ...]) -> QuestionTemplate:
    where = f"question {number}"
    if not isinstance(raw, dict):
        raise CatalogError(f"{path}: {where} must be a table")
    try:
        kind = QuestionKind(str(raw.get("kind")))
    except ValueError as exc:
        kinds = ", ".join(k.value for k in QuestionKind)
        raise CatalogError(f"{path}: {where}: kind must be one of {kinds}") from exc
    text = _texts(path, where, raw.get("text"), locales, QUESTION_MAX)
    options: dict[str, list[str]] = {}
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTI):
        raw_options = raw.get("options")
        if not isinstance(raw_options, dict):
            raise CatalogError(f"{path}: {where}: options must be a table of lists per language")
        for locale in locales:
            items = raw_options.get(locale)
            if (
                not isinstance(items, list)
                or not OPTIONS_MIN <= len(items) <= OPTIONS_MAX
                or not all(isinstance(i, str) and 0 < len(i.strip()) <= OPTION_MAX for i in items)
            ):
                raise CatalogError(
                    f"{path}: {where}: {OPTIONS_MIN}-{OPTIONS_MAX} {locale!r} options "
                    f"of at most {OPTION_MAX} characters"
                )
            options[locale] = [i.strip() for i in items]
        if len({len(v) for v in options.values()}) != 1:
            raise CatalogError(f"{path}: {where}: every language needs the same options")
    return QuestionTemplate(kind, text, options)


def _template(
    path: Path, raw: dict[str, Any], locales: tuple[str, ...], topics: set[str]
) -> PollTemplate:
    code = raw.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        raise CatalogError(f"{path}: code must match {CODE.pattern}")
    questions = raw.get("questions")
    if not isinstance(questions, list) or not 1 <= len(questions) <= QUESTIONS_MAX:
        raise CatalogError(f"{path}: 1-{QUESTIONS_MAX} [[questions]] needed")
    audience = raw.get("audience", "all")
    if not isinstance(audience, str) or not (
        audience in AUDIENCES or audience.removeprefix("topic:") in topics
    ):
        raise CatalogError(f"{path}: audience must be 'all' or 'topic:<a topic code>'")
    days = raw.get("days", 14)
    if not isinstance(days, int) or not 1 <= days <= DAYS_MAX:
        raise CatalogError(f"{path}: days must be 1-{DAYS_MAX}")
    return PollTemplate(
        code=code,
        title=_texts(path, "title", raw.get("title"), locales, TITLE_MAX),
        description=_texts(path, "description", raw.get("description"), locales, 1000),
        questions=tuple(_question(path, n, q, locales) for n, q in enumerate(questions, 1)),
        anonymous=_flag(path, raw, "anonymous", True),
        allow_change=_flag(path, raw, "allow_change", False),
        share_results=_flag(path, raw, "share_results", True),
        audience=audience,
        days=days,
    )
