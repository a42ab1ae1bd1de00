"""The mailer against the project's fake platform servers, run by hand:

    .venv/bin/python -m bench.mailer [--recipients 10000] [--memory-recipients 100000]

For Telegram (the fake refuses more than 30 messages a second with 429) and for VK (error 6
past 20 requests a second) it runs the real bot (`python -m bot`) in a subprocess with a
mailing to N reference-group members, kills it with SIGKILL halfway, starts it again, and
prints: the achieved rate as a ratio of the platform's limit (measured in the same run), the
refusals for speed, the recipients who got the message twice and who never got it, and the
bot's peak memory. Then the memory of a VK mailing to 100,000. Nothing here is a test: the
machine is shared and timings are noisy."""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from storage import migrate
from storage.database import create_engine, create_session_factory
from storage.models import GroupMember, Mailing, MailingStatus, MemberStatus, RefGroup, User
from storage.uow import UnitOfWork
from tests.helpers.fake_bot_api import SENDS, FakeBotApi
from tests.helpers.fake_vk_api import FakeVkApi

ROOT = Path(__file__).resolve().parent.parent
PAID_LIMIT = 1000  # Telegram's paid broadcasts: messages a second
AUTHOR = "1"
TEXT = "Приглашаем на общественное обсуждение проекта бюджета"


async def prepare(
    url: str,
    platform: str,
    recipients: int,
    *,
    send_at: datetime | None = None,
    paid: bool = False,
) -> None:
    """A database with ``recipients`` members of one group and a mailing to them, started
    (or, with ``send_at``, scheduled for then: the bot's clock starts it)."""
    engine = create_engine(url)
    await migrate.upgrade(engine)
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        await connection.execute(
            insert(User),
            [
                {
                    "platform": platform,
                    "external_id": str(10_000 + n),
                    "display_name": "",
                    "language": "ru",
                }
                for n in range(recipients)
            ]
            + [
                {
                    "platform": platform,
                    "external_id": AUTHOR,
                    "display_name": "op",
                    "language": "ru",
                }
            ],
        )
        await connection.execute(
            insert(RefGroup), [{"code": "residents", "name": {"ru": "Жители"}, "open": True}]
        )
        group_id = (await connection.execute(select(RefGroup.id))).scalar_one()
        users = (
            await connection.execute(select(User.id).where(User.external_id != AUTHOR))
        ).scalars()
        await connection.execute(
            insert(GroupMember),
            [
                {
                    "group_id": group_id,
                    "user_id": uid,
                    "status": MemberStatus.MEMBER,
                    "consent_at": now,
                }
                for uid in users
            ],
        )
    async with UnitOfWork(create_session_factory(engine)) as uow:
        author = await uow.users.find(platform, AUTHOR)
        assert author is not None
        mailing = await uow.mailings.add(
            Mailing(
                author_id=author.id,
                text=TEXT,
                links=[],
                audience="groups:residents",
                status=MailingStatus.SENDING if send_at is None else MailingStatus.SCHEDULED,
                send_at=send_at,
                repeat="",
                started_at=now if send_at is None else None,
                progress_chat=f"{platform}:{AUTHOR}",
                paid=paid,
                paid_reserved=recipients if paid else 0,
            )
        )
        if send_at is None:
            mailing.total = await uow.mailings.choose_recipients(mailing, except_user=author.id)
        await uow.commit()
    await engine.dispose()


@dataclass
class Child:
    process: subprocess.Popen[bytes]

    def kill(self) -> int:
        self.process.send_signal(signal.SIGKILL)
        return self._reap()

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self._reap()

    def _reap(self) -> int:
        """Peak resident memory of the process in MB (wait4's rusage)."""
        _, _, usage = os.wait4(self.process.pid, 0)
        self.process.returncode = 0
        return usage.ru_maxrss // 1024


def start_bot(env: dict[str, str], folder: Path) -> Child:
    log = (folder / "bot.log").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "run"],
        cwd=folder,
        env={**os.environ, **env, "LOG_LEVEL": "WARNING"},
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=log,
    )
    return Child(process)


async def until(condition: Callable[[], bool], limit: float) -> None:
    """Poll a cheap condition: the fake server shares this event loop, and a scan of its
    whole record every few milliseconds would slow it down and skew the rate."""
    async with asyncio.timeout(limit):
        while not condition():  # noqa: ASYNC110 (the fake server is polled, not awaited)
            await asyncio.sleep(0.2)


class Watch:
    """Whether the author got the summary, reading each recorded call once."""

    def __init__(self, calls: list[Any]) -> None:
        self._calls = calls
        self._seen = 0
        self.done = False

    def __call__(self) -> bool:
        while not self.done and self._seen < len(self._calls):
            self.done = "Итоги рассылки" in self._calls[self._seen].text
            self._seen += 1
        return self.done


@dataclass
class Result:
    platform: str
    recipients: int
    limit: float
    rate: float  # per second, requests for VK, messages for Telegram
    messages_rate: float
    refused: int
    twice: int
    never: int
    in_flight: int
    peak_mb: int
    # Who got it twice, and where the bot's log of that run was kept to find out why.
    repeated: tuple[int, ...] = ()
    kept_log: str = ""
    # The fake server's (this process's) CPU over the run, in cores (2 on this machine).
    fake_cpu: float = 0.0
    # The rate at steady state: before the kill (the restart waits out the killed instance's
    # lease on what it had claimed, which the overall rate includes), or over a whole run.
    steady: float = 0.0


def keep_log(folder: Path, platform: str, counts: Counter[int]) -> tuple[tuple[int, ...], str]:
    """The recipients who got the message twice; if any, the bot's log is copied beside
    the working directory (the run's folder is removed at the end) and its path returned."""
    repeated = tuple(sorted(chat for chat, n in counts.items() if n > 1))
    if not repeated:
        return (), ""
    kept = Path.cwd() / f"bench-mailer-{platform}-{time.strftime('%Y%m%d-%H%M%S')}.log"
    shutil.copyfile(folder / "bot.log", kept)
    return repeated, str(kept)


async def run_telegram(recipients: int, folder: Path, *, paid: bool = False) -> Result:
    fake = FakeBotApi(rate_limit=30, paid_limit=PAID_LIMIT)
    await fake.start()
    url = f"sqlite+aiosqlite:///{folder / ('tg-paid.db' if paid else 'tg.db')}"
    await prepare(url, "tg", recipients, paid=paid)
    env = {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.url,
        "DATABASE_URL": url,
        "ADMINS": f"tg:{AUTHOR}",
    }
    if paid:
        env |= {
            "TELEGRAM_PAID_BROADCAST": "true",
            "PAID_BROADCAST_STARS_PER_MAILING": str(recipients),
            "PAID_BROADCAST_STARS_PER_MONTH": str(recipients),
        }
    cpu_here = time.process_time()

    def delivered() -> list[int]:
        return [
            int(c.chat_id or 0)
            for c in fake.calls
            if c.method in SENDS and c.result and c.chat_id != int(AUTHOR)
        ]

    def sends() -> int:  # cheap: every recorded call but a handful of start-up ones
        return len(fake.calls)

    try:
        child = start_bot(env, folder)
        await until(lambda: len(delivered()) >= 1, 60)
        first, base = time.monotonic(), sends()
        await until(lambda: sends() - base >= recipients // 2, 3600)
        killed_at = time.monotonic()
        steady = (sends() - base) / (killed_at - first)
        peak = child.kill()
        calls_at_kill = sends()
        child = start_bot(env, folder)
        await until(lambda: sends() > calls_at_kill + 5, 60)
        resumed = time.monotonic()
        await until(Watch(fake.calls), 3600)
        done = time.monotonic()
        peak = max(peak, child.stop())
    finally:
        await fake.stop()
    cpu_here = time.process_time() - cpu_here
    counts = Counter(delivered())
    sending = (killed_at - first) + (done - resumed)
    rate = len(delivered()) / sending
    repeated, kept = keep_log(folder, "tg-paid" if paid else "tg", counts)
    return Result(
        "Telegram, paid broadcast" if paid else "Telegram",
        recipients,
        PAID_LIMIT if paid else 30,
        rate,
        rate,
        fake.paid_rate.refused + fake.rate.refused,
        sum(1 for n in counts.values() if n > 1),
        sum(1 for n in range(recipients) if counts[10_000 + n] == 0),
        100 if paid else 8,
        peak,
        repeated,
        kept,
        fake_cpu=cpu_here / (done - first),
        steady=steady,
    )


async def run_vk(recipients: int, folder: Path, *, kill: bool = True) -> Result:
    fake = FakeVkApi(rate_limit=20)
    await fake.start()
    url = f"sqlite+aiosqlite:///{folder / f'vk{recipients}.db'}"
    await prepare(url, "vk", recipients)
    env = {
        "VK_GROUP_TOKEN": fake.token,
        "VK_API_URL": fake.api_url,
        "VK_GROUP_ID": "777",
        "DATABASE_URL": url,
        "ADMINS": f"vk:{AUTHOR}",
    }

    def batches() -> int:
        return sum(
            1
            for c in fake.calls
            if c.method == "messages.send" and "peer_ids" in c.params and c.result
        )

    def received() -> int:
        return sum(1 for peer, _ in fake.messages if peer != int(AUTHOR))

    finished = Watch(fake.calls)

    def arrived() -> int:  # cheap: the author's few messages included
        return len(fake.messages)

    try:
        child = start_bot(env, folder)
        await until(lambda: arrived() >= 1, 60)
        first = time.monotonic()
        peak = 0
        resumed = first
        active = 0.0
        if kill:
            await until(lambda: arrived() >= recipients // 2, 3600)
            active += time.monotonic() - first
            steady = batches() / active
            before = arrived()
            peak = child.kill()
            child = start_bot(env, folder)
            await until(lambda: arrived() > before or finished(), 120)
            resumed = time.monotonic()
        await until(finished, 3600)
        active += time.monotonic() - resumed
        if not kill:
            steady = batches() / active
        peak = max(peak, child.stop())
    finally:
        await fake.stop()
    counts = Counter(peer for peer, _ in fake.messages if peer != int(AUTHOR))
    repeated, kept = keep_log(folder, "vk", counts) if kill else ((), "")
    return Result(
        "VK",
        recipients,
        20,
        batches() / active,
        received() / active,
        fake.rate.refused,
        sum(1 for n in counts.values() if n > 1),
        sum(1 for n in range(recipients) if counts[10_000 + n] == 0),
        8 * 100,
        peak,
        repeated,
        kept,
        steady=steady,
    )


async def show_fake_capacity(requests: int = 20_000) -> None:
    """What the fake Bot API alone answers on this machine: sendMessage as fast as a client
    in another process (aiohttp, 100 at once) can ask, with no limit, no bot in between."""
    fake = FakeBotApi()
    await fake.start()
    client = (
        "import asyncio, aiohttp, sys, time\n"
        "async def main():\n"
        "    url, n = sys.argv[1], int(sys.argv[2])\n"
        "    todo = iter(range(n))\n"
        "    async with aiohttp.ClientSession() as s:\n"
        "        async def worker():\n"
        "            for i in todo:\n"
        "                body = {'chat_id': 1 + i % 1000, 'text': 'x'}\n"
        "                async with s.post(url, json=body) as r:\n"
        "                    await r.read()\n"
        "        began = time.monotonic()\n"
        "        await asyncio.gather(*(worker() for _ in range(100)))\n"
        "        print(n / (time.monotonic() - began))\n"
        "asyncio.run(main())\n"
    )
    cpu = time.process_time()
    began = time.monotonic()
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        client,
        f"{fake.url}/bot{fake.token}/sendMessage",
        str(requests),
        stdout=subprocess.PIPE,
    )
    out, _ = await process.communicate()
    wall = time.monotonic() - began
    cpu = time.process_time() - cpu
    await fake.stop()
    print("The fake Bot API alone (no bot; a client in another process, 100 at once)")
    print(f"  answers         {float(out):8.1f} sendMessage/s, using {cpu / wall:.2f} cores")


def show(result: Result, killed: bool = True) -> None:
    unit = "requests" if result.platform == "VK" else "messages"
    print(
        f"{result.platform}: {result.recipients} recipients"
        + (", killed with SIGKILL halfway and restarted" if killed else "")
    )
    print(
        f"  rate            {result.rate:8.1f} {unit}/s = "
        f"{result.rate / result.limit:.2f} of the limit ({result.limit:g}/s)"
    )
    if result.steady:
        print(
            f"  steady state    {result.steady:8.1f} {unit}/s = "
            f"{result.steady / result.limit:.2f} of the limit (before the kill)"
            if killed
            else f"  steady state    {result.steady:8.1f} {unit}/s = "
            f"{result.steady / result.limit:.2f} of the limit"
        )
    if result.platform == "VK":
        print(f"  messages        {result.messages_rate:8.1f} recipients/s (up to 100 per request)")
    print(f"  refused (429/6) {result.refused:8d}")
    if killed:
        print(f"  got it twice    {result.twice:8d} (at most in flight: {result.in_flight})")
        print(f"  never got it    {result.never:8d}")
        if result.repeated:
            shown = ", ".join(str(chat) for chat in result.repeated[:20])
            more = f" and {len(result.repeated) - 20} more" if len(result.repeated) > 20 else ""
            print(f"  twice: chats {shown}{more}; the bot's log: {result.kept_log}")
    print(f"  peak memory     {result.peak_mb:8d} MB (the bot process)")
    if result.fake_cpu:
        print(f"  fake server CPU {result.fake_cpu:8.2f} cores (this process, same machine)")


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    parser.add_argument("--memory-recipients", type=int, default=100_000)
    parser.add_argument("--only", choices=["tg", "vk", "memory", "paid", "fake"])
    parser.add_argument("--paid-recipients", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(os.environ.get("BENCH_DIR") or tmp)  # BENCH_DIR keeps the bot's log
        if args.only in (None, "vk"):
            show(await run_vk(args.recipients, folder))
        if args.only in (None, "memory"):
            show(await run_vk(args.memory_recipients, folder, kill=False), killed=False)
        if args.only in (None, "tg"):
            show(await run_telegram(args.recipients, folder))
        if args.only in (None, "fake"):
            await show_fake_capacity()
        if args.only in (None, "paid"):
            show(await run_telegram(args.paid_recipients, folder, paid=True))


if __name__ == "__main__":
    asyncio.run(main())
