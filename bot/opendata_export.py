"""`python -m bot export-open-data`: the open datasets written into a folder for the site.

Earlier versions of each set's data stay beside the new one and are listed in its passport
(roadmap 000, 2.8: past versions of open data are kept); a second export on the same day
replaces that day's version."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from handlers.core import ConversationCore

log = logging.getLogger(__name__)


def published_versions(folder: Path) -> dict[str, list[str]]:
    """Each set's data versions already in ``folder``, by set code."""
    found: dict[str, list[str]] = {}
    for data in folder.glob("*/data-*-structure-*.csv"):
        code = data.parent.name.split("-", 1)[-1]
        found.setdefault(code, []).append(data.stem)
    return found


def _write(folder: Path, paths: dict[str, bytes]) -> list[Path]:
    written = []
    for relative, content in paths.items():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".part")
        partial.write_bytes(content)
        partial.replace(target)  # a reader of the site never sees half a file
        written.append(target)
    return written


async def export_open_data(core: ConversationCore, folder: Path) -> list[Path]:
    earlier = await asyncio.to_thread(published_versions, folder)
    written = await asyncio.to_thread(_write, folder, await core.export_open_data(earlier))
    log.info("open data: %d files written to %s", len(written), folder)
    return written
