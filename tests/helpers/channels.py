"""Running the real application (composition root included) in the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select

from bot.app import App, build, serve
from bot.config import Settings
from storage.models import Base, LiveCard, StaffPost


@contextlib.asynccontextmanager
async def running(
    settings: Settings,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    *,
    webhook: bool = False,
) -> AsyncIterator[App]:
    """Build the app as `python -m bot` (or `… webhook`) does, serve it, and stop it cleanly."""
    async with build(settings, console=False, clock=clock, webhook=webhook) as app:
        task = asyncio.create_task(serve(app))
        try:
            yield app
        finally:
            for channel in app.channels:
                await channel.stop()
            await asyncio.wait_for(task, timeout=15)


async def _noted(app: App, table: type[Base]) -> None:
    async with asyncio.timeout(10):
        while True:
            async with app.engine.connect() as connection:
                if (await connection.execute(select(func.count()).select_from(table))).scalar():
                    return
            await asyncio.sleep(0.02)


async def card_remembered(app: App) -> None:
    """Wait until the bot has noted where a live card went (the next change edits it)."""
    await _noted(app, LiveCard)


async def posts_noted(app: App) -> None:
    """Wait until the bot has noted where a staff post went (replies to it find it)."""
    await _noted(app, StaffPost)


async def exit_of_bot(folder: Path, **env: str) -> tuple[int | None, bytes]:
    """`python -m bot run` with these settings, until it exits: its code and what it said."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "run",
        cwd=folder,
        env={**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{folder / 'bot.db'}", **env},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, output
