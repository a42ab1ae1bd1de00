"""The FAQ as the bot serves it: the files in templates/, what staff changed in the bot on
top, and the search index of both. ``/faq_reload`` swaps the files only when they are valid."""

from __future__ import annotations

from pathlib import Path

from handlers.faq.faq_catalog import FaqCatalog, FaqEntry, Wording
from handlers.faq.faq_search import FaqSearch
from storage.uow import UnitOfWork


class FaqLibrary:
    def __init__(self, faq_path: Path, info_path: Path, locales: tuple[str, ...]) -> None:
        self._paths = (faq_path, info_path)
        self._locales = locales
        self._files = FaqCatalog.load(faq_path, info_path, locales)
        self._overrides: list[FaqEntry] | None = None
        self._search: FaqSearch | None = None
        self._build()

    @property
    def catalog(self) -> FaqCatalog:
        return self._catalog

    @property
    def search(self) -> FaqSearch:
        # Built on first use: its index needs the morphology dictionaries, which the start
        # does not wait for.
        if self._search is None:
            self._search = FaqSearch(self._catalog, self._locales)
        return self._search

    def _build(self) -> None:
        self._catalog = self._files.with_overrides(self._overrides or [])
        self._search = None

    async def ensure(self, uow: UnitOfWork) -> None:
        """Staff's changes are read from the database once (and after each change)."""
        if self._overrides is None:
            await self.refresh(uow)

    async def refresh(self, uow: UnitOfWork) -> None:
        grouped: dict[str, FaqEntry] = {}
        for row in await uow.faq.overrides():
            known = grouped.get(row.code)
            wordings = dict(known.wordings) if known else {}
            wordings[row.locale] = Wording(row.question, row.answer)
            grouped[row.code] = FaqEntry(row.code, row.category, wordings, from_bot=True)
        self._overrides = list(grouped.values())
        self._build()

    def reload_files(self) -> None:
        """Read the files again; a broken one raises CatalogError and the old content stays."""
        self._files = FaqCatalog.load(*self._paths, self._locales)
        self._build()
