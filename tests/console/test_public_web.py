"""The results page as a new user meets it: beside the console demo (`python -m bot` with no
tokens), at the address the welcome prints; alone (`python -m bot web`); and a taken port
that costs the page but not the conversations."""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.console.test_console import bot_env


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - our own server
        return response.status, response.read().decode("utf-8")


def _start(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**bot_env(tmp_path), "PUBLIC_WEB_PORT": "0", **env},
        cwd=tmp_path,
    )


def test_the_page_beside_the_console_at_the_address_it_prints(tmp_path: Path) -> None:
    process = _start(tmp_path)
    assert process.stdout is not None and process.stdin is not None
    address = ""
    for _ in range(20):
        line = process.stdout.readline()
        found = re.search(r"в браузере: (http://127\.0\.0\.1:\d+/)", line)
        if found:
            address = found.group(1)
            break
    assert address, "the welcome names the page's address"
    status, page = _get(address)
    assert status == 200 and "Обращения граждан: результаты" in page
    status, body = _get(address + "open311/v2/services.json")
    assert status == 200 and json.loads(body)[0]["service_code"] == "housing"
    _, err = process.communicate("/quit\n", timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_python_m_bot_web_serves_the_page_alone(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = _start(tmp_path, "web", PUBLIC_WEB_PORT=str(port))
    try:
        for _ in range(100):
            try:
                status, page = _get(f"http://127.0.0.1:{port}/?lang=en")
                break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError(process.communicate()[1]) from None
                time.sleep(0.2)
        assert status == 200 and '<html lang="en">' in page
        status, body = _get(f"http://127.0.0.1:{port}/open311/discovery.json")
        assert status == 200 and json.loads(body)["endpoints"][0]["url"].endswith("/open311/v2")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_a_taken_port_costs_the_page_not_the_conversations(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _start(tmp_path, "console", PUBLIC_WEB_PORT=str(port))
        out, err = process.communicate("/new\n/quit\n", timeout=60)
    assert process.returncode == 0, err
    assert "Шаг 1 из 4" in out or "Новое обращение" in out
    assert "в браузере" not in out  # no address that answers nothing
    log = (tmp_path / "data" / "console.log").read_text("utf-8")
    assert "the public page could not listen" in log and "PUBLIC_WEB_PORT" in log
