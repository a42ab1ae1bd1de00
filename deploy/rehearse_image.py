"""The Dockerfile's steps, followed without Docker, run by hand as root:

    sudo .venv/bin/python -m deploy.rehearse_image [--root /var/cache/civic-bot-rehearsal] [--fresh]

For a machine with no Docker engine. A Debian root made by debootstrap stands in for the
base image (python:3.11-slim is Debian with Python 3.11 on the PATH: here, Debian's
python3.11 in a virtual environment first on the PATH). Then every instruction of the
Dockerfile is done in that root in order (ENV, WORKDIR, COPY, RUN with chroot, USER), and its
ENTRYPOINT and CMD start the bot as the image's user, with the environment compose.yaml gives
it, beside a fake Telegram Bot API on 127.0.0.1; the HEALTHCHECK's command is run in the root
until it passes, the bot must set its webhook, and a SIGTERM must stop it cleanly within
compose's grace period. The database is SQLite in the image's data folder (compose's
PostgreSQL and Redis are services of their own, tested elsewhere: tests/test_instances.py).

What this does not show: that Docker builds the file (the layer cache, the build context) or
that the official base image behaves as Debian's Python does.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from tests.helpers.fake_bot_api import FakeBotApi

ROOT = Path(__file__).resolve().parent.parent
BASE_IMAGE = "python:3.11-slim"
# The stand-in: Debian bookworm (the base image's Debian when this was written) with its
# Python 3.11, made a virtual environment so that pip installs as it does in the image.
SUITE = "bookworm"
MIRROR = "http://deb.debian.org/debian"
# debootstrap does not resolve --include's dependencies itself: venv's are named.
PACKAGES = (
    "python3.11",
    "python3.11-venv",
    "python3-distutils",  # provides python3.11-distutils
    "python3-pip-whl",
    "python3-setuptools-whl",
    "ca-certificates",
    "passwd",
)
PYTHON_HOME = "/usr/local/python"
PATH = f"{PYTHON_HOME}/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
GRACE_SECONDS = 20  # compose.yaml's stop_grace_period
# What build() follows; anything else in the Dockerfile stops the rehearsal.
KNOWN = frozenset(
    ("FROM", "ENV", "WORKDIR", "COPY", "RUN", "USER", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT", "CMD")
)


@dataclass
class Image:
    """What the instructions so far have made of the root."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)
    workdir: str = "/"
    user: str = "root"
    port: int = 0
    healthcheck: str = ""  # the shell form, as written after CMD
    entrypoint: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=list)

    def path(self, inside: str) -> Path:
        return self.root / inside.lstrip("/")

    def chroot(self, argv: list[str], env: dict[str, str] | None = None) -> list[str]:
        """``argv`` run in the root, as the image's present user, in its workdir."""
        environment = {"PATH": PATH, "HOME": self.workdir, **self.env, **(env or {})}
        uid, gid = self._ids(self.user)
        return [
            "chroot",
            f"--userspec={uid}:{gid}",
            str(self.root),
            "/usr/bin/env",
            "-i",
            *(f"{key}={value}" for key, value in environment.items()),
            "/bin/sh",
            "-c",
            f"cd {shlex.quote(self.workdir)} && exec " + shlex.join(argv),
        ]

    def _ids(self, user: str) -> tuple[int, int]:
        for line in self.path("/etc/passwd").read_text().splitlines():
            name, _, uid, gid, *_ = line.split(":")
            if user in (name, uid):
                return int(uid), int(gid)
        raise SystemExit(f"USER {user}: no such user in the image")


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments), continuation lines joined, comments dropped."""
    steps: list[tuple[str, str]] = []
    pending = ""
    for raw in dockerfile.read_text().splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1] + " "
            continue
        line, pending = pending + line, ""
        word, _, rest = line.partition(" ")
        steps.append((word.upper(), rest.strip()))
    return steps


def run(argv: list[str], **kwargs: Any) -> None:
    print("  $", shlex.join(argv[:12]), "…" if len(argv) > 12 else "", flush=True)
    subprocess.run(argv, check=True, **kwargs)  # noqa: S603 (our own commands)


def base(root: Path, fresh: bool) -> None:
    """The stand-in for FROM: made once and kept (debootstrap takes minutes)."""
    ready = root / ".rehearsal-base"
    if root.exists() and (fresh or not ready.exists()):
        shutil.rmtree(root)  # asked for, or left half made
    if not ready.exists():
        if shutil.which("debootstrap") is None:
            run(["apt-get", "install", "-y", "-q", "debootstrap"])
        root.mkdir(parents=True, exist_ok=True)
        run(
            [
                "debootstrap",
                "--variant=minbase",
                f"--include={','.join(PACKAGES)}",
                SUITE,
                str(root),
                MIRROR,
            ]
        )
        run(["chroot", str(root), "python3.11", "-m", "venv", PYTHON_HOME])
        ready.touch()
    # The host's name resolution and certificates (a proxy's own CA among them), fresh.
    for name in ("/etc/resolv.conf", "/etc/ssl/certs/ca-certificates.crt", "/etc/pip.conf"):
        if Path(name).exists():
            (root / name.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(name, root / name.lstrip("/"))


def _network_settings() -> dict[str, str]:
    """This machine's way out to the package index (a build passes them as build args)."""
    names = ("PIP_CERT", "PIP_INDEX_URL", "PIP_DEFAULT_TIMEOUT", "HTTP_PROXY", "HTTPS_PROXY")
    return {name: os.environ[name] for name in names if name in os.environ}


def build(root: Path) -> Image:
    """The Dockerfile's instructions, in order, on a fresh copy of the base."""
    image = Image(root)
    for word, rest in instructions(ROOT / "Dockerfile"):
        print(f"{word} {rest[:90]}", flush=True)
        if word not in KNOWN:
            raise SystemExit(f"{word}: not an instruction this rehearsal knows")
        if word == "FROM":
            if rest != BASE_IMAGE:
                raise SystemExit(f"FROM {rest}: the stand-in is for {BASE_IMAGE}")
        elif word == "ENV":
            for pair in shlex.split(rest):
                key, _, value = pair.partition("=")
                image.env[key] = value
        elif word == "WORKDIR":
            image.workdir = rest
            image.path(rest).mkdir(parents=True, exist_ok=True)
        elif word == "COPY":
            *sources, target = shlex.split(rest)
            into = image.path(str(Path(image.workdir) / target))
            for source in sources:
                origin = ROOT / source
                if origin.is_dir():
                    ignore = shutil.ignore_patterns("__pycache__")
                    shutil.copytree(origin, into, ignore=ignore, dirs_exist_ok=True)
                else:
                    into.mkdir(parents=True, exist_ok=True)
                    shutil.copy(origin, into / origin.name)
        elif word == "RUN":
            run(image.chroot(["/bin/sh", "-c", rest], _network_settings()))
        elif word == "USER":
            image.user = rest
        elif word == "EXPOSE":
            image.port = int(rest.split("/")[0])
        elif word == "HEALTHCHECK":
            image.healthcheck = rest.split(" CMD ", 1)[1]
        elif word == "ENTRYPOINT":
            image.entrypoint = json.loads(rest)
        elif word == "CMD":
            image.command = json.loads(rest)
    return image


def healthy(image: Image) -> bool:
    # The HEALTHCHECK's CMD is a shell form: run as Docker runs it (/bin/sh -c).
    check = image.chroot(["/bin/sh", "-c", image.healthcheck])
    return subprocess.run(check, capture_output=True).returncode == 0  # noqa: S603


def launch(image: Image, environment: dict[str, str]) -> subprocess.Popen[bytes]:
    """ENTRYPOINT and CMD, as the image's user, with compose's environment."""
    return subprocess.Popen(image.chroot(image.entrypoint + image.command, environment))  # noqa: S603


async def start_and_stop(image: Image) -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["bot"]
    fake = FakeBotApi()
    await fake.start()
    environment = {key: str(value) for key, value in compose["environment"].items()}
    environment |= {
        "DATABASE_URL": f"sqlite+aiosqlite:///{image.workdir}/data/bot.db",
        "REDIS_URL": "",
        "WEBHOOK_BASE_URL": "https://bot.example.org",
        "WEBHOOK_SECRET": "rehearsal-secret",
        "TELEGRAM_BOT_TOKEN": fake.token,
        "TELEGRAM_API_URL": fake.url,
    }
    print(f"start: {shlex.join(image.entrypoint + image.command)} as {image.user}", flush=True)
    bot = launch(image, environment)
    try:
        started = time.monotonic()
        while not await asyncio.to_thread(healthy, image):
            if bot.poll() is not None:
                raise SystemExit(f"the bot exited with {bot.returncode} before it was healthy")
            if time.monotonic() - started > 60:
                raise SystemExit("not healthy within the HEALTHCHECK's start period")
            await asyncio.sleep(1)
        print(f"healthy after {time.monotonic() - started:.1f} s", flush=True)
        await fake.wait_for(lambda call: call.method == "setWebhook", timeout=30)
        print("the webhook was set", flush=True)
        bot.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(bot.wait, GRACE_SECONDS)
        if code != 0:
            raise SystemExit(f"SIGTERM: the bot exited with {code}")
        print("stopped by SIGTERM, exit code 0", flush=True)
    finally:
        if bot.poll() is None:
            bot.kill()
        await fake.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", type=Path, default=Path("/var/cache/civic-bot-rehearsal"))
    parser.add_argument("--fresh", action="store_true", help="debootstrap the base again")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("run as root: it uses debootstrap and chroot")
    base_root: Path = args.root / "base"
    base(base_root, args.fresh)
    image_root: Path = args.root / "image"
    if image_root.exists():
        shutil.rmtree(image_root)
    # Each rehearsal builds on a copy of the base, as a build starts from the base image.
    run(["cp", "-a", str(base_root), str(image_root)])
    image = build(image_root)
    if not image.healthcheck or not image.entrypoint:
        raise SystemExit("the Dockerfile declares no HEALTHCHECK or ENTRYPOINT")
    asyncio.run(start_and_stop(image))
    print(f"rehearsal passed: {image_root}", file=sys.stderr)


if __name__ == "__main__":
    main()
