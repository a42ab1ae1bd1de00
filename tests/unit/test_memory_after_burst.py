"""After a burst of refused webhook requests, the memory they took is handed back to the system
once, when the burst has quieted (bench/webhook_abuse.py measures the resident memory)."""

from __future__ import annotations

import asyncio
import gc
import weakref

import aiohttp
import pytest

from bot import memory
from bot.memory import TrimAfterBurst
from bot.webhook import WebhookServer


@pytest.fixture
def trims(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []

    def counted(pad: int) -> int:
        calls.append(pad)
        return 1

    monkeypatch.setattr(memory, "_TRIM", counted)
    return calls


def test_the_c_library_can_trim_here() -> None:
    # The CI machines and the image run glibc: the release is not silently a no-op there.
    assert memory.release_free_memory() is True


async def test_one_trim_once_a_burst_of_refusals_has_quieted(trims: list[int]) -> None:
    server = WebhookServer("127.0.0.1", 0)
    server._refusals = TrimAfterBurst(quiet=0.3)
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        async with aiohttp.ClientSession() as http:
            for _ in range(20):
                async with http.post(f"{base}/nowhere", data=b"x" * 1000) as response:
                    assert response.status == 404
            assert trims == []  # not while the burst goes on
            await asyncio.sleep(0.6)
            assert trims == [0]  # once, after it
            async with http.get(f"{base}/health") as response:
                assert response.status == 200
            await asyncio.sleep(0.6)
            assert trims == [0]  # answered requests are no burst
    finally:
        await server.stop()


async def test_a_stop_cancels_the_pending_trim(trims: list[int]) -> None:
    server = WebhookServer("127.0.0.1", 0)
    server._refusals = TrimAfterBurst(quiet=0.2)
    await server.start()
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{server.port}/nowhere") as response,
    ):
        assert response.status == 404
    await server.stop()
    await asyncio.sleep(0.4)
    assert trims == []


class _Held:
    me: object = None


async def test_the_bursts_reference_cycles_are_collected_before_the_trim(
    trims: list[int],
) -> None:
    """A refused request leaves cycles (an exception, its frames, the request's buffers); the
    pages under them go back only once they are collected."""
    server = WebhookServer("127.0.0.1", 0)
    server._refusals = TrimAfterBurst(quiet=0.2)
    await server.start()
    gc.disable()  # nothing but the burst's end collects it
    try:
        held = _Held()
        held.me = held
        gone = weakref.ref(held)
        del held
        async with (
            aiohttp.ClientSession() as http,
            http.post(f"http://127.0.0.1:{server.port}/nowhere", data=b"x") as response,
        ):
            assert response.status == 404
        assert gone() is not None
        await asyncio.sleep(0.5)
        assert gone() is None and trims == [0]
    finally:
        gc.enable()
        await server.stop()
