"""Inbound throughput and latency, run by hand:

    .venv/bin/python -m bench.inbound [--seconds 15] [--citizens 40] [--rounds 3] [--postgres URL]
                                      [--webhook]

The real bot (`python -m bot run`, polling; `webhook` with --webhook) and a bare aiogram bot
that does one ORM insert and one reply per update (bench/bare_bot.py) run in turn, each in a
subprocess, against the same fake Bot API server in this process. Citizens file appeals through
the whole flow (/new, topic, text, skip photos, address, submit: six updates, each answered) as
fast as the bot answers: the updates per second. Then the same citizens at half of that rate:
the time from an update reaching the server to its reply (p50, p99), and, for this bot, the
time from an update's commit (its replies written to the outbox) to the first request of each
reply leaving (p50, p99, from the bot's own histogram at /metrics, interpolated within its
buckets). On SQLite, and on
PostgreSQL when a URL is given. The bot's reply pacing (30 messages a second, Telegram's limit
for a whole bot) is raised for the run: it is the platform's limit, not the bot's speed, and
the bare bot has none.
Nothing here is a test: the machine is shared and timings are noisy."""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp

from tests.helpers.databases import reset_postgres
from tests.helpers.fake_bot_api import Call, FakeBotApi
from tests.helpers.fake_server import free_port

ROOT = Path(__file__).resolve().parent.parent
FIRST_CITIZEN = 200_000

Check = Callable[[Call], bool]
WEBHOOK_SECRET = "bench-secret"  # noqa: S105 (a local fake's)
BOTS = (("bare aiogram + 1 insert", "bench.bare_bot"), ("this bot", "bot"))
HEADER = f"{'':26} {'updates/s':>10} {'ratio':>6} {'p50 ms':>7} {'p99 ms':>7} {'CPU ms/update':>14}"


def has_button(label: str) -> Check:
    return lambda call: any(label in text for text, _ in call.buttons)


def says(part: str) -> Check:
    return lambda call: part in call.text


# The appeal flow: what the citizen does, and the reply that answers it (others, such as a
# live card, are not the answer).
FLOW: list[tuple[str, str, Check]] = [
    ("text", "/new", has_button("ЖКХ")),
    ("press", "ЖКХ", says("Шаг 2")),
    ("text", "Во дворе дома третью неделю не вывозят мусор, контейнеры переполнены", says("Шаг 3")),
    ("press", "Пропустить", says("Шаг 4")),
    ("text", "ул. Садовая, 7", has_button("Отправить")),
    ("press", "Отправить", says("зарегистрировано")),
]


STEPS = ("/new", "topic", "text", "photos", "address", "submit")


class Server(FakeBotApi):
    """The fake Bot API, telling each citizen's driver of its reply without scanning; with a
    webhook, it posts each update to the bot as Telegram would, instead of keeping it for
    getUpdates."""

    def __init__(self) -> None:
        super().__init__()
        self.waiting: dict[int, tuple[Check, asyncio.Future[Call]]] = {}
        self.webhook: str = ""
        self._client: aiohttp.ClientSession | None = None
        self._posts: set[asyncio.Task[None]] = set()

    async def push(self, update: dict[str, Any]) -> int:
        if not self.webhook:
            return await super().push(update)
        update_id = next(self._update_ids)
        # Telegram posts each update on a connection of its own (up to 40 at once).
        task = asyncio.create_task(self._post({"update_id": update_id, **update}))
        self._posts.add(task)
        task.add_done_callback(self._posts.discard)
        return update_id

    async def _post(self, update: dict[str, Any]) -> None:
        if self._client is None:
            self._client = aiohttp.ClientSession()
        headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
        async with self._client.post(self.webhook, json=update, headers=headers) as response:
            if response.status != 200:
                print(f"webhook answered {response.status}", file=sys.stderr)

    async def stop(self) -> None:
        if self._client is not None:
            await self._client.close()
        await super().stop()

    async def record(self, call: Call) -> None:
        if call.method != "sendMessage" or call.chat_id is None:
            return  # nothing else is read; the record would only grow
        waiter = self.waiting.get(call.chat_id)
        if waiter is not None and waiter[0](call) and not waiter[1].done():
            del self.waiting[call.chat_id]
            waiter[1].set_result(call)


@dataclass
class Load:
    updates: int = 0
    latencies: list[float] | None = None
    # The same latencies by the flow's step, to tell which step makes the tail.
    by_step: list[list[float]] | None = None


async def citizen(
    server: Server, user: int, bare: bool, until: float, interval: float, load: Load, phase: float
) -> None:
    loop = asyncio.get_running_loop()
    last: Call | None = None
    # Each citizen a share of the interval apart: updates arrive evenly, not in bursts.
    next_at = loop.time() + phase * interval
    while loop.time() < until:
        for step, (kind, what, answer) in enumerate(FLOW):
            if interval:
                next_at += interval
                await asyncio.sleep(max(0.0, next_at - loop.time()))
            future: asyncio.Future[Call] = loop.create_future()
            server.waiting[user] = ((lambda _: True) if bare else answer, future)
            started = time.perf_counter()
            if kind == "text":
                await server.send_text(user, what)
            else:
                data = "next"
                if not bare:
                    assert last is not None
                    data = next(d for label, d in last.buttons if what in label)
                await server.press(user, data)
            last = await asyncio.wait_for(future, 30)
            if load.latencies is not None and load.by_step is not None:
                took = time.perf_counter() - started
                load.latencies.append(took)
                load.by_step[step].append(took)
            load.updates += 1
            if loop.time() >= until:
                return


def spawn(
    module: str, env: dict[str, str], folder: Path, *, webhook: bool = False
) -> subprocess.Popen[bytes]:
    mode = ["webhook" if webhook else "run"] if module == "bot" else []
    with (folder / f"{module}.log").open("ab") as log:
        return subprocess.Popen(  # noqa: S603 (our own modules)
            [sys.executable, "-m", module, *mode],
            cwd=ROOT,
            env={**os.environ, **env, "LOG_LEVEL": "WARNING"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


async def drive(
    server: Server, citizens: int, bare: bool, seconds: float, rate: float, first: int
) -> Load:
    """``rate`` 0: as fast as answered; else that many updates a second in all. Each run of it
    has citizens of its own (``first`` on): a citizen stopped mid-flow keeps an unsent draft,
    and /new would then ask whether to go on with it."""
    load = Load(latencies=[] if rate else None, by_step=[[] for _ in FLOW] if rate else None)
    until = asyncio.get_running_loop().time() + seconds
    interval = citizens / rate if rate else 0.0
    # This process's own collector pauses (tens of ms) would count as the bot's latency.
    gc.collect()
    gc.disable()
    try:
        await asyncio.gather(
            *(
                citizen(server, first + n, bare, until, interval, load, n / citizens)
                for n in range(citizens)
            )
        )
    finally:
        gc.enable()
    return load


@dataclass
class Result:
    name: str
    rate: float
    p50_ms: float
    p99_ms: float
    cpu_ms_per_update: float
    step_p99_ms: tuple[float, ...]
    # This bot only: from the commit to the first request of a reply leaving, at half load.
    delay_p50_ms: float = float("nan")
    delay_p99_ms: float = float("nan")


DELAY = "civic_outbox_send_delay_seconds_bucket"


async def delay_buckets(port: int) -> list[tuple[float, float]]:
    """The bot's histogram of commit-to-send delays: (upper bound, cumulative count)."""
    async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/metrics") as r:
        text = await r.text()
    buckets = []
    for line in text.splitlines():
        if line.startswith(DELAY) and 'platform="tg"' in line:
            bound = line.split('le="')[1].split('"')[0]
            buckets.append(
                (float("inf") if bound == "+Inf" else float(bound), float(line.split()[-1]))
            )
    return sorted(buckets)


def quantile(
    before: list[tuple[float, float]], after: list[tuple[float, float]], q: float
) -> float:
    """The q-quantile of what was observed between two scrapes, interpolated in its bucket."""
    earlier = dict(before)
    counts = [(bound, count - earlier.get(bound, 0.0)) for bound, count in after]
    total = counts[-1][1] if counts else 0.0
    if total <= 0:
        return float("nan")
    wanted, lower, below = q * total, 0.0, 0.0
    for bound, cumulative in counts:
        if cumulative >= wanted:
            if bound == float("inf"):
                return lower
            share = (wanted - below) / max(cumulative - below, 1e-9)
            return lower + (bound - lower) * share
        lower, below = bound, cumulative
    return lower


def bot_env(server: Server, database: str) -> dict[str, str]:
    """The bot against the fake Bot API, its reply pacing and flood control out of the way:
    the platform's limits, not the bot's speed."""
    return {
        "TELEGRAM_BOT_TOKEN": server.token,
        "TELEGRAM_API_URL": server.url,
        "DATABASE_URL": database,
        "MAILING_RATE_TELEGRAM": "1000",
        "FLOOD_RATE": "100",
        "FLOOD_BURST": "1000",
    }


async def measure(
    name: str,
    module: str,
    database: str,
    citizens: int,
    seconds: float,
    folder: Path,
    *,
    webhook: bool = False,
) -> Result:
    server = Server()
    await server.start()
    env = bot_env(server, database)
    port = free_port() if webhook or module == "bot" else 0
    if module == "bot" and not webhook:
        env |= {"METRICS_PORT": str(port), "WEBHOOK_HOST": "127.0.0.1"}
    if webhook:
        env |= {
            "WEBHOOK_BASE_URL": f"http://127.0.0.1:{port}",
            "WEBHOOK_HOST": "127.0.0.1",
            "WEBHOOK_PORT": str(port),
            "WEBHOOK_SECRET": WEBHOOK_SECRET,
        }
    child = spawn(module, env, folder, webhook=webhook)
    try:
        if webhook:
            await listening(port, child)
            server.webhook = f"http://127.0.0.1:{port}/telegram"
        # Up and answering (a fresh bot migrates its database first).
        await drive(server, 1, module != "bot", 0.1, 0, FIRST_CITIZEN)
        await drive(server, citizens, module != "bot", 3, 0, FIRST_CITIZEN + 1)  # warm-up
        cpu_before = cpu_seconds(child.pid)
        full = await drive(
            server, citizens, module != "bot", seconds, 0, FIRST_CITIZEN + 1 + citizens
        )
        cpu = cpu_seconds(child.pid) - cpu_before
        rate = full.updates / seconds
        before = await delay_buckets(port) if module == "bot" else []
        half = await drive(
            server, citizens, module != "bot", seconds, rate / 2, FIRST_CITIZEN + 1 + 2 * citizens
        )
        after = await delay_buckets(port) if module == "bot" else []
        child.send_signal(signal.SIGTERM)
        await asyncio.to_thread(child.wait)
    except BaseException:
        # The bot's own account of what went wrong; its folder is gone after the run.
        print((folder / f"{module}.log").read_text()[-4000:], file=sys.stderr)
        raise
    finally:
        if child.returncode is None:
            child.kill()
        await server.stop()
    return Result(
        name,
        rate,
        statistics.median(half.latencies or [0.0]) * 1000,
        p99(half.latencies or [0.0]) * 1000,
        cpu * 1000 / max(1, full.updates),
        tuple(p99(step or [0.0]) * 1000 for step in half.by_step or []),
        quantile(before, after, 0.5) * 1000,
        quantile(before, after, 0.99) * 1000,
    )


def p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def listening(port: int, child: subprocess.Popen[bytes]) -> None:
    """Until the bot's webhook server takes connections (it migrates its database first)."""
    for _ in range(600):
        if child.poll() is not None:
            raise RuntimeError("the bot exited before it listened")
        try:
            _, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            await asyncio.sleep(0.1)
            continue
        writer.close()
        await writer.wait_closed()
        return
    raise TimeoutError(f"nothing listens on {port}")


def cpu_seconds(pid: int) -> float:
    """The process's CPU time so far, all its threads (the database driver's included)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--citizens", type=int, default=40)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres", default="", help="a PostgreSQL URL (emptied!) to run on too")
    parser.add_argument(
        "--webhook", action="store_true", help="updates posted to the bots, not polled"
    )
    args = parser.parse_args()
    databases = [("SQLite", "")]
    if args.postgres:
        databases.append(("PostgreSQL", args.postgres))
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        for label, url in databases:
            # The bots take turns, round after round: a neighbour's load on this shared
            # machine then falls on both, and the median of the rounds is reported.
            rounds: dict[str, list[Result]] = {name: [] for name, _ in BOTS}
            for round_ in range(args.rounds):
                for name, module in BOTS:
                    # A fresh database each time: each fake server numbers its messages
                    # from the start, and the ledger of handled updates would skip them.
                    if url:
                        await reset_postgres(url)
                    file = folder / f"{module}-{label}-{round_}.db"
                    database = url or f"sqlite+aiosqlite:///{file}"
                    rounds[name].append(
                        await measure(
                            name,
                            module,
                            database,
                            args.citizens,
                            args.seconds,
                            folder,
                            webhook=args.webhook,
                        )
                    )
            print(
                f"\n{label}: {args.citizens} citizens, {args.seconds:.0f} s per load, "
                f"median of {args.rounds} rounds, {'webhook' if args.webhook else 'polling'}"
            )
            print(HEADER)
            bare = median(rounds[BOTS[0][0]])
            for name, _ in BOTS:
                r = median(rounds[name])
                print(
                    f"{r.name:26} {r.rate:10.1f} {r.rate / bare.rate:6.2f} "
                    f"{r.p50_ms:7.1f} {r.p99_ms:7.1f} {r.cpu_ms_per_update:14.2f}"
                )
            # Each round's ratios against the bare bot of the same round (a neighbour's load
            # falls on both), then their median: the figure the README reports.
            rate_ratios, p99_ratios = [], []
            print(
                f"{'round':>5} {'rate ratio':>10} {'bare p99 ms':>12} "
                f"{'bot p99 ms':>11} {'p99 ratio':>9}"
            )
            for number, (base, mine_) in enumerate(
                zip(rounds[BOTS[0][0]], rounds[BOTS[1][0]], strict=True), start=1
            ):
                rate_ratios.append(mine_.rate / base.rate)
                p99_ratios.append(mine_.p99_ms / base.p99_ms)
                print(
                    f"{number:>5} {rate_ratios[-1]:>10.2f} {base.p99_ms:>12.1f} "
                    f"{mine_.p99_ms:>11.1f} {p99_ratios[-1]:>9.2f}"
                )
            print(
                f"median of the rounds' ratios: rate {statistics.median(rate_ratios):.2f}, "
                f"p99 {statistics.median(p99_ratios):.2f} (this bot's p99 / the bare bot's)"
            )
            mine = median(rounds[BOTS[1][0]])
            print(
                f"this bot, from the commit to a reply's first request leaving, at half load: "
                f"p50 {mine.delay_p50_ms:.2f} ms, p99 {mine.delay_p99_ms:.2f} ms"
            )
            print("latency at half of each bot's own full rate; p99 ms by step of the flow:")
            for name, _ in BOTS:
                steps = median(rounds[name]).step_p99_ms
                print(
                    f"{name:26} "
                    + " ".join(f"{step} {ms:.1f}" for step, ms in zip(STEPS, steps, strict=True))
                )


def median(results: list[Result]) -> Result:
    """Each figure's median over the rounds."""
    return Result(
        results[0].name,
        statistics.median(r.rate for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p99_ms for r in results),
        statistics.median(r.cpu_ms_per_update for r in results),
        tuple(
            statistics.median(steps)
            for steps in zip(*(r.step_p99_ms for r in results), strict=True)
        ),
        statistics.median(r.delay_p50_ms for r in results),
        statistics.median(r.delay_p99_ms for r in results),
    )


if __name__ == "__main__":
    asyncio.run(main())
