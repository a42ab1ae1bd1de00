"""Rendering texts from templates/<locale>/*.ftl (Project Fluent), validated at start-up.

Templates are trusted and may carry Telegram-style HTML (<b>, <i>, <code>, <a>); every string
parameter is escaped, so nothing a user typed can become markup. Channels without markup get
the same text with the tags removed (:func:`to_plain`).
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import pickle
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from fluent.runtime import FluentBundle
from fluent.syntax import FluentParser, ast, visitor

from handlers.contracts import Platform, Text

log = logging.getLogger(__name__)

_TAG = re.compile(r"<[^>]+>")


class TemplateError(ValueError):
    """The texts in templates/ are broken; the message says where."""


# Emoji, dingbats, arrows, box drawing and the joiners between them: what a screen reader
# reads out as noise ("галочка", "стрелка влево").
_DECORATION = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\u2190-\u21ff"
    "\u2500-\u259f\u2139\ufe0f\u200d\u20e3]"
)
_SPACES = re.compile(r"[ \t]{2,}")


def undecorate(text: str) -> str:
    """The text for the accessible mode: decorations out, the words and numbers kept."""
    lines = (_SPACES.sub(" ", _DECORATION.sub("", line)).strip() for line in text.split("\n"))
    return "\n".join(lines)


def to_plain(markup: str) -> str:
    return html.unescape(_TAG.sub("", markup))


# The messengers a select over a channel must name each of: a text that says "Telegram" and
# "ВКонтакте" and has no branch for a messenger added later would give its people the
# default's wording (the console's) without a word; now it stops the start instead.
MESSENGERS = frozenset(p.value for p in Platform if p is not Platform.CONSOLE)


class _Variables(visitor.Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.selectors: set[str] = set()
        self.messengers_missing: set[str] = set()

    def visit_VariableReference(self, node: ast.VariableReference) -> None:
        self.names.add(node.id.name)
        self.generic_visit(node)

    def visit_SelectExpression(self, node: ast.SelectExpression) -> None:
        if isinstance(node.selector, ast.VariableReference):
            self.selectors.add(node.selector.id.name)
        keys = {v.key.name for v in node.variants if isinstance(v.key, ast.Identifier)}
        if keys & MESSENGERS:
            self.messengers_missing |= MESSENGERS - keys
        self.generic_visit(node)


@dataclass(frozen=True)
class _Locale:
    bundle: FluentBundle
    variables: dict[str, frozenset[str]]
    selectors: dict[str, frozenset[str]]


def _parsed(path: Path, source: str, cache: Path | None) -> ast.Resource:
    """The file's syntax tree. Fluent's parser is pure Python (about half a second for the
    Russian texts): with a cache folder, a tree parsed once is kept there under the hash of
    the file's text and the parser's version, and read back while the file is unchanged."""
    if cache is None:
        return FluentParser().parse(source)
    stem = f"ftl-{path.parent.name}-{path.stem}-"
    digest = hashlib.sha256(f"{version('fluent.syntax')}\n{source}".encode()).hexdigest()[:32]
    kept = cache / f"{stem}{digest}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError):
        resource = pickle.loads(kept.read_bytes())  # noqa: S301 (written by this bot)
        if isinstance(resource, ast.Resource):
            return resource
    resource = FluentParser().parse(source)
    # A read-only or full disk only costs the next start the parsing again.
    with contextlib.suppress(OSError):
        cache.mkdir(parents=True, exist_ok=True)
        for older in cache.glob(f"{stem}*.pickle"):
            older.unlink(missing_ok=True)
        partial = kept.with_suffix(".partial")
        partial.write_bytes(pickle.dumps(resource, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(kept)
    return resource


def _load_locale(directory: Path, locale: str, cache: Path | None = None) -> _Locale:
    files = sorted(directory.glob("*.ftl"))
    if not files:
        raise TemplateError(f"{directory}: no .ftl files")
    bundle = FluentBundle([locale], use_isolating=False)
    variables: dict[str, frozenset[str]] = {}
    selectors: dict[str, frozenset[str]] = {}
    for path in files:
        source = path.read_text(encoding="utf-8")
        resource = _parsed(path, source, cache)
        for entry in resource.body:
            if isinstance(entry, ast.Junk):
                line = source[: entry.span.start].count("\n") + 1 if entry.span else 0
                raise TemplateError(
                    f"{path}:{line}: cannot parse: {(entry.content or '').strip()[:80]!r}"
                )
            if isinstance(entry, ast.Message):
                name = entry.id.name
                if name in variables:
                    raise TemplateError(f"{path}: key {name!r} is defined twice")
                if entry.value is None:
                    raise TemplateError(f"{path}: key {name!r} has no text")
                found = _Variables()
                found.visit(entry)
                if found.messengers_missing:
                    raise TemplateError(
                        f"{path}: {name!r} has wording for some messengers, not for "
                        f"{sorted(found.messengers_missing)}"
                    )
                variables[name] = frozenset(found.names)
                selectors[name] = frozenset(found.selectors)
        bundle.add_resource(resource)
    return _Locale(bundle, variables, selectors)


class Renderer:
    def __init__(self, locales: Mapping[str, _Locale], default: str) -> None:
        self._locales = dict(locales)
        # A text without parameters reads the same every time (templates are fixed once
        # loaded): button labels and menus are formatted once, not on every message.
        self._fixed: dict[tuple[str, str], str] = {}
        self.default = default

    @property
    def locales(self) -> tuple[str, ...]:
        return tuple(self._locales)

    def keys(self, locale: str) -> frozenset[str]:
        return frozenset(self._locales[locale].variables)

    def variables(self, locale: str, key: str) -> frozenset[str]:
        return self._locales[locale].variables[key]

    @classmethod
    def load(
        cls, templates: Path, locales: Iterable[str], default: str, *, cache: Path | None = None
    ) -> Renderer:
        """Load every locale and check they agree: same keys, same parameters per key.
        ``cache``: a folder where parsed files are kept between starts."""
        loaded = {locale: _load_locale(templates / locale, locale, cache) for locale in locales}
        if default not in loaded:
            raise TemplateError(f"default locale {default!r} is not among {sorted(loaded)}")
        reference = loaded[default].variables
        for locale, data in loaded.items():
            missing = sorted(set(reference) - set(data.variables))
            extra = sorted(set(data.variables) - set(reference))
            if missing or extra:
                raise TemplateError(
                    f"templates/{locale}: keys differ from {default}: "
                    f"missing {missing}, not in {default}: {extra}"
                )
            for key, names in reference.items():
                if data.variables[key] != names:
                    raise TemplateError(
                        f"templates/{locale}: {key!r} uses parameters "
                        f"{sorted(data.variables[key])}, {default} uses {sorted(names)}"
                    )
        return cls(loaded, default)

    def render(self, locale: str, texts: Iterable[Text], *, plain: bool = False) -> str:
        """HTML: templates' markup kept, parameters escaped; texts joined line by line.
        ``plain``: for the accessible mode, without emoji and pseudo-graphics."""
        rendered = "\n".join(self.render_one(locale, text) for text in texts)
        return undecorate(rendered) if plain else rendered

    def render_plain(self, locale: str, texts: Iterable[Text], *, plain: bool = False) -> str:
        return to_plain(self.render(locale, texts, plain=plain))

    def render_one(self, locale: str, text: Text) -> str:
        if text.params:
            return self._format(locale, text)
        fixed = self._fixed.get((locale, text.key))
        if fixed is None:
            fixed = self._fixed[(locale, text.key)] = self._format(locale, text)
        return fixed

    def _format(self, locale: str, text: Text) -> str:
        data = self._locales.get(locale) or self._locales[self.default]
        message = data.bundle.get_message(text.key) if data.bundle.has_message(text.key) else None
        if message is None or message.value is None:
            # Validated keys make this a programming error; show the key rather than fail.
            log.error("missing text %r in %s", text.key, locale)
            return html.escape(text.key)
        # Fluent refuses a placeable longer than 2,500 characters, and an appeal may be
        # 4,000; so text parameters go in as markers and are put in after formatting.
        # Only parameters that choose a variant ([one], [tg]...) are given to Fluent as is.
        chooses = data.selectors.get(text.key, frozenset())
        args: dict[str, Any] = {}
        later: dict[str, str] = {}
        for name, value in text.params.items():
            argument = self._argument(locale, value)
            if isinstance(argument, str) and name not in chooses:
                marker = f"\ue000{len(later)}\ue001"
                later[marker] = argument
                argument = marker
            args[name] = argument
        result, errors = data.bundle.format_pattern(message.value, args)
        for error in errors:
            log.error("text %r in %s: %s", text.key, locale, error)
        rendered = str(result)
        for marker, value in later.items():
            rendered = rendered.replace(marker, value)
        return rendered

    def _argument(self, locale: str, value: Any) -> Any:
        if isinstance(value, Text):
            return self.render_one(locale, value)
        if isinstance(value, bool) or value is None:
            return html.escape(str(value))
        if isinstance(value, int | float):
            return value
        return html.escape(str(value))
