"""The webhook server under strangers' posts, run by hand:

    .venv/bin/python -m bench.webhook_abuse [--posts 200] [--rounds 3]

The real bot (`python -m bot webhook`, Telegram and VK, SQLite) in a subprocess; then, at
once, ``--posts`` unauthenticated posts of just under 1 MB each to /vk and to /telegram (half
each) and as
many slow clients that send their headers a byte a second. Printed: the bot's resident memory
before, at its peak and 5 s after, as ratios of the memory before; how many posts got a 4xx,
were hung up on before their body was read, or got anything else (5xx, 200); how many slow
connections the bot closed within 40 s.
Nothing here is a test: the machine is shared and timings are noisy."""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.fake_server import free_port
from tests.helpers.fake_vk_api import FakeVkApi

ROOT = Path(__file__).resolve().parent.parent
MB = 1024 * 1024
# JSON of just under 1 MB (what the server took before), with a long string in it: parsed, it
# is a megabyte of Python objects per request.
BAD_BODY = b'{"type": "message_new", "secret": "guess", "pad": "' + b"a" * (MB - 1024) + b'"}'


def rss(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


async def bad_post(http: aiohttp.ClientSession, url: str) -> int:
    try:
        async with http.post(
            url, data=BAD_BODY, headers={"Content-Type": "application/json"}
        ) as response:
            return response.status
    except aiohttp.ClientError:
        return 0  # the server closed the connection before reading it all: refused too


async def slow_client(port: int, seconds: float) -> bool:
    """Sends its request line and headers a byte a second; True if the bot hung up first."""
    _, writer = await asyncio.open_connection("127.0.0.1", port)
    request = b"POST /telegram HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n"
    try:
        deadline = time.monotonic() + seconds
        for byte in request:
            if time.monotonic() > deadline:
                return False
            writer.write(bytes([byte]))
            await writer.drain()
            await asyncio.sleep(1.0)
        return False
    except (ConnectionError, OSError):
        return True
    finally:
        writer.close()


def spawn(folder: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with (folder / "bot.log").open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "bot", "webhook"],
            cwd=folder,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


async def peak_while(pid: int, task: asyncio.Future[list[int]]) -> int:
    peak = rss(pid)
    while not task.done():
        peak = max(peak, rss(pid))
        await asyncio.sleep(0.02)
    return peak


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tg, vk = FakeBotApi(), FakeVkApi()
    await tg.start()
    await vk.start()
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": tg.token,
            "TELEGRAM_API_URL": tg.url,
            "VK_GROUP_TOKEN": vk.token,
            "VK_API_URL": vk.api_url,
            "DATABASE_URL": f"sqlite+aiosqlite:///{folder}/bot.db",
            "WEBHOOK_BASE_URL": f"http://127.0.0.1:{port}",
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": "bench-secret",
            "VK_CALLBACK_CONFIRMATION": "abc",
            "VK_CALLBACK_SECRET": "vk-secret",
            "LOG_LEVEL": "WARNING",
        }
        child = spawn(Path(folder), env)
        try:
            await tg.wait_for(lambda c: c.method == "setWebhook", 60)
            await asyncio.sleep(1.0)
            base = f"http://127.0.0.1:{port}"
            before = rss(child.pid)
            header = (
                "round",
                "peak/before",
                "after/before",
                "4xx",
                "hung up",
                "other",
                "slow closed",
            )
            print(" ".join(f"{name:>12}" for name in header))
            for round_ in range(1, args.rounds + 1):
                connector = aiohttp.TCPConnector(limit=0)
                async with aiohttp.ClientSession(connector=connector) as http:
                    posts = [
                        bad_post(http, f"{base}/{'vk' if n % 2 else 'telegram'}")
                        for n in range(args.posts)
                    ]
                    slow = [slow_client(port, 40) for _ in range(args.posts)]
                    work = asyncio.ensure_future(asyncio.gather(*posts, *slow))
                    peak = await peak_while(child.pid, work)
                    results = work.result()
                statuses, closed = results[: args.posts], results[args.posts :]
                await asyncio.sleep(5)
                after = rss(child.pid)
                refused = sum(1 for s in statuses if isinstance(s, int) and 400 <= s < 500)
                hung_up = sum(1 for s in statuses if s == 0)
                print(
                    f"{round_:>12} {peak / before:12.2f} {after / before:12.2f} "
                    f"{refused:>12} {hung_up:>12} {args.posts - refused - hung_up:>12} "
                    f"{sum(1 for c in closed if c):>12}"
                )
            print(f"memory before: {before / MB:.0f} MB")
        finally:
            child.send_signal(signal.SIGTERM)
            await asyncio.to_thread(child.wait)
            print((Path(folder) / "bot.log").read_text()[-2000:], file=sys.stderr)
    await tg.stop()
    await vk.stop()


if __name__ == "__main__":
    asyncio.run(main())
