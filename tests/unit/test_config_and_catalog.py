from __future__ import annotations

import io
import json
import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.config import ROOT, Settings
from bot.logging_setup import RedactSecrets, setup_logging
from handlers.appeals.departments import DepartmentCatalog
from handlers.appeals.topics import CatalogError, TopicCatalog
from handlers.contracts import ChatRef, Platform
from tests.helpers.settings import LOCALES, TEMPLATES, make_settings


def test_admins_and_staff_chat() -> None:
    settings = make_settings(admins="tg:1, vk:2 ,", staff_chat="tg:-100500")
    assert settings.admins == [ChatRef(Platform.TELEGRAM, "1"), ChatRef(Platform.VK, "2")]
    core = settings.core()
    assert core.is_admin(Platform.VK, "2")
    assert not core.is_admin(Platform.TELEGRAM, "2")
    assert core.staff_chats == (ChatRef(Platform.TELEGRAM, "-100500"),)


@pytest.mark.parametrize(
    "values",
    [
        {"admins": "telegram:1"},
        {"admins": "tg"},
        {"appeal_due_days": 31},
        {"timezone": "Mars/Olympus"},
    ],
)
def test_bad_configuration_is_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        make_settings(**values)


def test_tokens_are_secret() -> None:
    settings = make_settings(telegram_bot_token="123:SECRET", vk_group_token="vk1.SECRET2")
    assert "SECRET" not in repr(settings)
    assert settings.secrets() == ["123:SECRET", "vk1.SECRET2"]


def test_tokens_are_redacted_from_log_lines(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("test.redaction")
    logger.addFilter(RedactSecrets(["123:SECRET"]))
    with caplog.at_level(logging.INFO):
        logger.info("calling %s/bot%s/getMe", "https://api", "123:SECRET")
    assert "123:SECRET" not in caplog.text
    assert "bot***/getMe" in caplog.text


def test_topics_are_the_eight_blocks_and_other() -> None:
    catalog = TopicCatalog.load(TEMPLATES / "topics.toml", LOCALES)
    assert [t.name("ru") for t in catalog] == [
        "ЖКХ",
        "Твёрдые коммунальные отходы",
        "Энергетика",
        "Образование",
        "Здравоохранение",
        "Дороги",
        "Транспорт",
        "Социальная защита",
        "Другое",
    ]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "no \\[\\[topic\\]\\]"),
        ('[[topic]]\ncode = "Bad Code"\nru = "x"\nen = "x"\n', "code must match"),
        ('[[topic]]\ncode = "a"\nru = "x"\n', "no name in 'en'"),
        ('[[topic]]\ncode = "a"\nru = "x"\nen = "y"\n' * 2, "duplicate code"),
        ("[[topic]\n", "topics.toml"),
    ],
)
def test_broken_topic_files_are_reported(tmp_path: Path, source: str, message: str) -> None:
    path = tmp_path / "topics.toml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        TopicCatalog.load(path, LOCALES)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("", "no \\[\\[department\\]\\]"),
        ('[[department]]\ncode = "a"\nru = "А"\nen = "A"\ntopics = ["nope"]\n', "unknown topic"),
        (
            '[[department]]\ncode = "a"\nru = "А"\nen = "A"\ntopics = ["roads"]\n'
            '[[department]]\ncode = "b"\nru = "Б"\nen = "B"\ntopics = ["roads"]\n',
            "belongs to both",
        ),
        (
            '[[department]]\ncode = "a"\nru = "А"\nen = "A"\ntopics = ["roads"]\n',
            "without a department",
        ),
    ],
)
def test_broken_department_files_are_reported(tmp_path: Path, source: str, message: str) -> None:
    topics = TopicCatalog.load(TEMPLATES / "topics.toml", LOCALES)
    path = tmp_path / "departments.toml"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(CatalogError, match=message):
        DepartmentCatalog.load(path, LOCALES, topics)


def test_shipped_departments_own_every_topic() -> None:
    topics = TopicCatalog.load(TEMPLATES / "topics.toml", LOCALES)
    departments = DepartmentCatalog.load(
        TEMPLATES / "departments.toml",
        LOCALES,
        topics,
    )
    assert departments.for_topic("other") == "general"
    assert {departments.for_topic(t.code) for t in topics} == {d.code for d in departments}


def test_env_example_as_copied_is_a_valid_configuration() -> None:
    """README: copy .env.example to .env and fill in; its empty values mean "not set"."""
    settings = Settings(_env_file=ROOT / ".env.example")
    assert settings.telegram_bot_token is None and settings.vk_group_id is None
    assert settings.webhook_secret is None and settings.flood_burst == 20
    assert settings.opendata_dir == Path("data/opendata")
    names = {
        line.split("=", 1)[0]
        for line in (ROOT / ".env.example").read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert names == {name.upper() for name in Settings.model_fields}  # every setting, no other


def test_json_log_lines_with_secrets_redacted() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging("INFO", ["123:SECRET-token"], json_lines=True, stream=stream)
    log = logging.getLogger("bot.test")
    try:
        log.info("calling %s", "https://api/bot123:SECRET-token/getMe")
        try:
            raise RuntimeError("boom")
        except RuntimeError:
            log.exception("failed")
    finally:
        root.handlers[:], root.level = handlers, level
    first, second = (json.loads(line) for line in stream.getvalue().splitlines() if line)
    assert first["message"] == "calling https://api/bot***/getMe"
    assert (first["level"], first["logger"]) == ("INFO", "bot.test")
    assert first["time"].endswith("+00:00")
    assert second["message"] == "failed" and "RuntimeError: boom" in second["exception"]


def test_scheduler_runs_are_not_logged_at_info_but_their_failures_are() -> None:
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    setup_logging("INFO", [], stream=stream)
    executor = logging.getLogger("apscheduler.executors.default")
    try:
        executor.info('Running job "Scheduler._fire" (every 5 s)')
        executor.warning('Run time of job "Scheduler._fire" was missed')
        logging.getLogger("bot.test").info("the bot's own line")
    finally:
        root.handlers[:], root.level = handlers, level
        logging.getLogger("apscheduler").setLevel(logging.NOTSET)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 2
    assert "was missed" in lines[0] and "the bot's own line" in lines[1]
