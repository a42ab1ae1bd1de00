"""The public page and Open311 under a burst of readers, with citizens being answered at the
same time, run by hand:

    .venv/bin/python -m bench.public_page [--appeals 100000] [--seconds 10] [--readers 50]
                                          [--citizens 20] [--rate 20] [--rounds 2]

A SQLite file is filled with N appeals over two years (bench/reports.py's history). The real
bot (`python -m bot run`, Telegram against bench/inbound.py's fake Bot API) serves the page
on a port of its own. First the page's first answer is timed (its figures are computed at
start). Then, each for S seconds and round after round:

1. citizens alone, filing appeals at a steady rate (updates a second in all) for a minute and
   a second: the time from an update reaching the fake server to its reply, p50 and p99 (the
   baseline);
2. readers alone: K clients asking in turn for the page (ru, en), Open311 requests (JSON,
   XML) and services, as fast as answered: requests a second and p99; next to the same
   clients against a bare aiohttp server in its own process returning bytes of the same
   sizes (the most this stack serves on this machine: the baseline);
3. both at once for a minute and a second, so that the page's figures are computed again
   (once a minute) while citizens are answered: the citizens' p99 against 1's (the margin
   the readers cost them) and the readers' rate against 2's.

The load generators share this machine (two cores) with the bot. Nothing here is a test:
the machine is shared and timings are noisy."""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
from sqlalchemy import update

from bench.inbound import FIRST_CITIZEN, Server, bot_env, drive, listening, p99, spawn
from bench.reports import fill
from storage.database import create_engine
from storage.models import Appeal
from tests.helpers.fake_server import free_port

ROOT = Path(__file__).resolve().parent.parent
MINUTE = 61.0  # a load that spans one computation of the page's figures
PATHS = (
    "/",
    "/open311/v2/requests.json",
    "/?lang=en",
    "/open311/v2/requests.xml",
    "/open311/v2/services.json",
)


@dataclass
class Reading:
    requests: int
    latencies: list[float]
    seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def p99_ms(self) -> float:
        return p99(self.latencies) * 1000 if self.latencies else float("nan")


async def read(base: str, readers: int, seconds: float) -> Reading:
    """K clients, each asking for the next path as soon as the last one came."""
    latencies: list[float] = []
    loop = asyncio.get_running_loop()
    until = loop.time() + seconds
    connector = aiohttp.TCPConnector(limit=readers)
    async with aiohttp.ClientSession(connector=connector) as http:

        async def reader(offset: int) -> None:
            n = offset
            while loop.time() < until:
                started = time.perf_counter()
                async with http.get(base + PATHS[n % len(PATHS)]) as response:
                    await response.read()
                    if response.status != 200:
                        raise RuntimeError(f"{PATHS[n % len(PATHS)]}: {response.status}")
                latencies.append(time.perf_counter() - started)
                n += 1

        await asyncio.gather(*(reader(i) for i in range(readers)))
    return Reading(len(latencies), latencies, seconds)


BARE = """
import sys
from aiohttp import web
bodies = {p: open(f, "rb").read() for p, f in zip(sys.argv[2::2], sys.argv[3::2])}
async def answer(request):
    return web.Response(body=bodies[request.path_qs], content_type="text/html")
app = web.Application()
app.router.add_get("/{tail:.*}", answer)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
"""


async def bare_server(base: str, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    """A bare aiohttp server in its own process, answering each path with the bot's bytes."""
    files: list[str] = []
    async with aiohttp.ClientSession() as http:
        for number, path in enumerate(PATHS):
            async with http.get(base + path) as response:
                body = await response.read()
            file = folder / f"body-{number}"
            file.write_bytes(body)
            files += [path, str(file)]
    port = free_port()
    child = subprocess.Popen(  # noqa: S603, ASYNC220 (our own script, started once)
        [sys.executable, "-c", BARE, str(port), *files],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    await listening(port, child)
    return child, f"http://127.0.0.1:{port}"


async def _overdue_already_told(url: str) -> None:
    """The history's overdue appeals as a running bot leaves them: their heads told when
    each fell overdue. (Left untold, the bot's overdue check works through the backlog 200 a
    run, holding SQLite's write lock 0.6 s each time: a backlog's cost, not the page's, and
    not what this measures.)"""
    engine = create_engine(url)
    async with engine.begin() as connection:
        await connection.execute(
            update(Appeal)
            .where(Appeal.due_at < datetime.now(UTC), Appeal.overdue_notified_at.is_(None))
            .values(overdue_notified_at=Appeal.due_at)
        )
    await engine.dispose()


@dataclass
class Round:
    citizens_alone_p50: float
    citizens_alone_p99: float
    readers_alone: Reading
    bare: Reading
    citizens_with_p99: float
    readers_with: Reading


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--appeals", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--citizens", type=int, default=20)
    parser.add_argument("--rate", type=float, default=20, help="citizens' updates a second")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--public-rate", default="", help="PUBLIC_RATE for the bot")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        database = f"sqlite+aiosqlite:///{folder / 'bench.db'}"
        took = await fill(database, args.appeals)
        await _overdue_already_told(database)
        print(f"{args.appeals} appeals written in {took:.1f} s")
        server = Server()
        await server.start()
        port = free_port()
        env = bot_env(server, database) | {"PUBLIC_WEB_PORT": str(port)}
        if args.public_rate:
            env["PUBLIC_RATE"] = args.public_rate
        child = spawn("bot", env, folder)
        base = f"http://127.0.0.1:{port}"
        bare: subprocess.Popen[bytes] | None = None
        try:
            await listening(port, child)
            # Each drive has citizens of its own: one stopped mid-flow keeps its draft.
            firsts = itertools.count(FIRST_CITIZEN, 10_000)
            await drive(server, 1, False, 0.1, 0, next(firsts))  # answering
            started = time.perf_counter()
            async with aiohttp.ClientSession() as http, http.get(base + "/") as first:
                size = len(await first.read())
                status = first.status
            print(
                f"the page's first answer (its figures computed at start): "
                f"{time.perf_counter() - started:.2f} s, {status}, "
                f"{size / 1024:.0f} KB"
            )
            bare, bare_base = await bare_server(base, folder)
            # Warm-up, and the scheduler's jobs at start (the overdue check on a year of
            # appeals) out of the way.
            await drive(server, args.citizens, False, 20, args.rate, next(firsts))
            rounds = []
            for _ in range(args.rounds):
                alone = await drive(server, args.citizens, False, MINUTE, args.rate, next(firsts))
                readers_alone = await read(base, args.readers, args.seconds)
                baseline = await read(bare_base, args.readers, args.seconds)
                citizens_task = asyncio.create_task(
                    drive(server, args.citizens, False, MINUTE, args.rate, next(firsts))
                )
                readers_with = await read(base, args.readers, MINUTE)
                both = await citizens_task
                rounds.append(
                    Round(
                        statistics.median(alone.latencies or [0.0]) * 1000,
                        p99(alone.latencies or [0.0]) * 1000,
                        readers_alone,
                        baseline,
                        p99(both.latencies or [0.0]) * 1000,
                        readers_with,
                    )
                )
            child.send_signal(signal.SIGTERM)
            await asyncio.to_thread(child.wait)
        except BaseException:
            print((folder / "bot.log").read_text()[-4000:], file=sys.stderr)
            raise
        finally:
            for process in (child, bare):
                if process is not None and process.returncode is None:
                    process.kill()
            await server.stop()
    print(
        f"\n{args.readers} readers, {args.citizens} citizens at {args.rate:.0f} updates/s, "
        f"{args.seconds:.0f} s per readers' load, {MINUTE:.0f} s with citizens, "
        f"{args.rounds} rounds, SQLite, {os.cpu_count()} cores"
    )
    print(
        f"{'round':>5} {'bare req/s':>10} {'page req/s':>10} {'ratio':>6} {'page p99 ms':>11} "
        f"{'citizens p99 ms':>15} {'with readers':>12} {'ratio':>6} {'readers req/s':>13}"
    )
    for number, r in enumerate(rounds, start=1):
        print(
            f"{number:>5} {r.bare.rate:>10.0f} {r.readers_alone.rate:>10.0f} "
            f"{r.readers_alone.rate / r.bare.rate:>6.2f} {r.readers_alone.p99_ms:>11.1f} "
            f"{r.citizens_alone_p99:>15.1f} {r.citizens_with_p99:>12.1f} "
            f"{r.citizens_with_p99 / r.citizens_alone_p99:>6.2f} {r.readers_with.rate:>13.0f}"
        )
    print(
        "medians: page "
        f"{statistics.median(r.readers_alone.rate for r in rounds):.0f} req/s "
        f"({statistics.median(r.readers_alone.rate / r.bare.rate for r in rounds):.2f} of bare "
        f"aiohttp), p99 {statistics.median(r.readers_alone.p99_ms for r in rounds):.1f} ms; "
        f"citizens' p99 {statistics.median(r.citizens_alone_p99 for r in rounds):.1f} ms alone, "
        f"{statistics.median(r.citizens_with_p99 for r in rounds):.1f} ms during the burst "
        f"(x{statistics.median(r.citizens_with_p99 / r.citizens_alone_p99 for r in rounds):.2f})"
    )


if __name__ == "__main__":
    asyncio.run(main())
