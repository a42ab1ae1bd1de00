"""The Docker image, short of building it (no Docker engine runs where the tests do): the
files the Dockerfile copies into /app are enough for the bot to start in webhook mode, with the
environment compose.yaml gives it, and answer the health check the image declares."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from typing import Any

import aiohttp
import yaml

from bot.config import Settings
from deploy.rehearse_image import BASE_IMAGE, KNOWN, instructions
from tests.helpers.fake_bot_api import FakeBotApi
from tests.helpers.fake_server import free_port

ROOT = Path(__file__).resolve().parents[2]


def dockerfile() -> list[str]:
    return (ROOT / "Dockerfile").read_text().splitlines()


def copied_into_app() -> list[str]:
    """The sources of the Dockerfile's COPY lines (the dependency layer's included)."""
    copies = [line.split()[1:-1] for line in dockerfile() if line.startswith("COPY ")]
    return [source for sources in copies for source in sources]


def compose_bot() -> dict[str, Any]:
    service: dict[str, Any] = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]["bot"]
    return service


def test_the_rehearsal_can_follow_every_instruction_of_the_dockerfile() -> None:
    # deploy/rehearse_image.py (by hand, as root) does the Dockerfile's steps in a Debian
    # root; an instruction it does not know would stop it there, so it stops CI here.
    steps = instructions(ROOT / "Dockerfile")
    assert {word for word, _ in steps} <= KNOWN
    assert steps[0] == ("FROM", BASE_IMAGE)
    run = next(rest for word, rest in steps if word == "RUN")
    assert "pip install ." in run and "\\" not in run  # continuation lines joined


def test_compose_sets_only_settings_the_bot_has() -> None:
    known = {name.upper() for name in Settings.model_fields}
    assert set(compose_bot()["environment"]) <= known


def spawn(app: Path, environment: dict[str, str], log_file: Path) -> subprocess.Popen[bytes]:
    """``python -m bot webhook`` as the image runs it. Nothing from the checkout may be
    imported, only /app's copy and the installed packages: no site (its .pth files lead an
    editable install back to the checkout), the packages' folder named instead."""
    packages = sysconfig.get_paths()["purelib"]
    with log_file.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-S", "-m", "bot", "webhook"],
            cwd=app,
            env={**os.environ, **environment, "PYTHONPATH": packages},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


async def test_the_images_files_start_the_bot_in_webhook_mode(
    fake_tg: FakeBotApi, tmp_path: Path
) -> None:
    app = tmp_path / "app"
    app.mkdir()
    for source in copied_into_app():
        origin = ROOT / source
        if origin.is_dir():
            shutil.copytree(origin, app / source, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(origin, app / source)
    (app / "data").mkdir()
    port = free_port()
    environment = {key: str(value) for key, value in compose_bot()["environment"].items()}
    # The services compose would start are the test's: SQLite, no Redis, the fake Bot API.
    environment |= {
        "DATABASE_URL": f"sqlite+aiosqlite:///{app / 'data' / 'bot.db'}",
        "REDIS_URL": "",
        "WEBHOOK_HOST": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_BASE_URL": "https://bot.example.org",
        "WEBHOOK_SECRET": "s3cret-for-the-image-test",
        "TELEGRAM_BOT_TOKEN": fake_tg.token,
        "TELEGRAM_API_URL": fake_tg.url,
    }
    entrypoint = next(line for line in dockerfile() if line.startswith("ENTRYPOINT"))
    command = next(line for line in dockerfile() if line.startswith("CMD"))
    assert entrypoint == 'ENTRYPOINT ["python", "-m", "bot"]' and command == 'CMD ["webhook"]'
    process = spawn(app, environment, tmp_path / "bot.log")
    try:
        async with aiohttp.ClientSession() as client:
            async with asyncio.timeout(60):
                while True:
                    assert process.poll() is None, (tmp_path / "bot.log").read_text()[-3000:]
                    try:
                        async with client.get(f"http://127.0.0.1:{port}/health") as answer:
                            if answer.status == 200:
                                break
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.2)
        await fake_tg.wait_for(lambda call: call.method == "setWebhook", timeout=30)
    finally:
        process.terminate()
        await asyncio.to_thread(process.wait, 30)
    assert process.returncode == 0, (tmp_path / "bot.log").read_text()[-3000:]
