"""Running the real application (composition root included) in the test's event loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime

from bot.app import App, build, serve
from bot.config import Settings


@contextlib.asynccontextmanager
async def running(
    settings: Settings, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
) -> AsyncIterator[App]:
    """Build the app as `python -m bot` does, serve it, and stop it cleanly afterwards."""
    async with build(settings, console=False, clock=clock) as app:
        task = asyncio.create_task(serve(app))
        try:
            yield app
        finally:
            for channel in app.channels:
                await channel.stop()
            await asyncio.wait_for(task, timeout=15)
