"""Start-up: from `python -m bot` to the first update answered, run by hand:

    .venv/bin/python -m bench.startup [--rounds 5]

A citizen's /start waits at the fake Bot API before the process is spawned; the time is from
the spawn to the reply's request reaching the server. Each round runs the bare aiogram bot
(bench/bare_bot.py: aiogram, SQLAlchemy, one table) and this bot, on a fresh SQLite database
(the first start: every migration) and again on the same database (a restart, as after a
crash). Printed: each round's seconds and this bot's ratio to the bare bot of the same round,
then the median of the ratios. Nothing here is a test: the machine is shared and timings are
noisy; the ratio to the bare bot, measured in the same round, is what is compared."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.inbound import Server, spawn
from tests.helpers.fake_bot_api import Call

CITIZEN = 300_000
BOTS = (("bare aiogram", "bench.bare_bot"), ("this bot", "bot"))


async def first_answer(module: str, database: str, folder: Path, first: int) -> float:
    """Seconds from spawning the bot to its answer to a /start that was already waiting.
    Update and message ids go on from ``first`` as Telegram's do: a restarted bot that has
    seen one takes it for a repeat."""
    server = Server()
    # The fake's counters, which start again with each fake.
    server._update_ids = itertools.count(first)
    server._message_ids = itertools.count(first * 1000)
    await server.start()
    loop = asyncio.get_running_loop()
    answered: asyncio.Future[Call] = loop.create_future()
    server.waiting[CITIZEN] = (lambda _: True, answered)
    await server.send_text(CITIZEN, "/start")
    env = {
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.url,
        "DATABASE_URL": database,
    }
    started = time.perf_counter()
    child = spawn(module, env, folder)
    try:
        await asyncio.wait_for(answered, 120)
        took = time.perf_counter() - started
        child.send_signal(signal.SIGTERM)
        await asyncio.to_thread(child.wait)
    except BaseException:
        print(f"{module}: no answer; its log:", file=sys.stderr)
        print((folder / f"{module}.log").read_text()[-4000:], file=sys.stderr)
        raise
    finally:
        if child.returncode is None:
            child.kill()
        await server.stop()
    return took


async def main(rounds: int) -> None:
    print(f"{'round':>5} {'start':>8} {'bare s':>7} {'bot s':>7} {'ratio':>6}")
    ratios: dict[str, list[float]] = {"first": [], "restart": []}
    for number in range(1, rounds + 1):
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            times: dict[tuple[str, str], float] = {}
            for _, module in BOTS:
                url = f"sqlite+aiosqlite:///{folder / module}.db"
                # The first start on a fresh database, then a restart on the same one.
                times[module, "first"] = await first_answer(module, url, folder, 1)
                times[module, "restart"] = await first_answer(module, url, folder, 1000)
            for kind in ("first", "restart"):
                bare, bot = times["bench.bare_bot", kind], times["bot", kind]
                ratios[kind].append(bot / bare)
                print(f"{number:>5} {kind:>8} {bare:>7.2f} {bot:>7.2f} {bot / bare:>6.2f}")
    for kind, values in ratios.items():
        print(
            f"median ratio, {kind}: {statistics.median(values):.2f} "
            f"(from {min(values):.2f} to {max(values):.2f})"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    asyncio.run(main(parser.parse_args().rounds))
