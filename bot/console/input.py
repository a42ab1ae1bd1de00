"""Reading the terminal without blocking the event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import IO


async def read_lines(stream: IO[str]) -> AsyncIterator[str]:
    """Lines from a terminal or a pipe, read asynchronously; a redirected file is read as is."""
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    try:
        await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), stream)
    except (ValueError, OSError):
        # A regular file (`< script.txt`) cannot be watched; it never blocks either.
        for line in stream:
            yield line
        return
    while True:
        raw = await reader.readline()
        if not raw:
            return
        yield raw.decode("utf-8", errors="replace")
