"""`python -m bot export-open-data` on a fresh database: the register and every set's
passport, structure and data are written, in UTF-8, even before any appeal exists."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bot.__main__ import main


def test_export_on_an_empty_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    monkeypatch.setenv("OPENDATA_INN", "7701234567")
    monkeypatch.setenv("OPENDATA_BASE_URL", "https://example.gov.ru/opendata/")
    for token in ("TELEGRAM_BOT_TOKEN", "VK_GROUP_TOKEN"):
        monkeypatch.delenv(token, raising=False)
    out = tmp_path / "site"
    assert main(["export-open-data", "--out", str(out)]) == 0

    register = list(csv.DictReader(io.StringIO((out / "list.csv").read_text("utf-8"))))
    assert register[0]["value"] == "https://example.gov.ru/opendata/7701234567-appeals/meta.csv"
    assert len(register) == 5
    groups = out / "7701234567-groups"
    data = next(groups.glob("data-*-structure-20261123.json"))
    seeded = json.loads(data.read_text("utf-8"))
    assert {"business", "journalists"} <= {g["code"] for g in seeded}  # from templates
    appeals = next((out / "7701234567-appeals").glob("data-*.csv")).read_bytes().decode("utf-8")
    assert appeals == "month,topic_code,topic,status,count\r\n"  # no complete month yet
    meta = dict(csv.reader(io.StringIO((groups / "meta.csv").read_text("utf-8"))))
    assert meta["title"] == "Референтные группы"
    assert meta["creator"] == "Администрация"


def test_a_bad_inn_is_a_configuration_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OPENDATA_INN", "77-01")
    assert main(["export-open-data"]) == 2
    assert "opendata_inn" in capsys.readouterr().err
