"""Logging that never shows a token, and keeps chatty libraries' debug output (which includes
message texts) out of the log. Plain lines for a terminal, or one JSON object a line
(LOG_FORMAT=json) for a log collector."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO


class RedactSecrets(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        values = sorted({s for s in secrets if s}, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, values))) if values else None

    def filter(self, record: logging.LogRecord) -> bool:
        if self._pattern is not None:
            message = record.getMessage()
            if self._pattern.search(message):
                record.msg = self._pattern.sub("***", message)
                record.args = None
        return True


class JsonFormatter(logging.Formatter):
    """time, level, logger, message, and the traceback when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def setup_logging(
    level: str,
    secrets: Iterable[str],
    *,
    json_lines: bool = False,
    stream: TextIO | None = None,
    file: Path | None = None,
) -> None:
    """``file``: log there instead (the console demo, whose chat a log line would break)."""
    handler: logging.Handler
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(file, encoding="utf-8")
    else:
        handler = logging.StreamHandler(stream)
    handler.setFormatter(
        JsonFormatter()
        if json_lines
        else logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler.addFilter(RedactSecrets(secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Their DEBUG lines carry request bodies: message texts and personal data.
    for name in ("vkbottle", "aiosqlite", "sqlalchemy.engine", "sqlalchemy.pool"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # APScheduler tells of every run at INFO: two lines every 5 s for the usage counts alone.
    quiet = root.level > logging.DEBUG
    logging.getLogger("apscheduler").setLevel(logging.WARNING if quiet else logging.NOTSET)
    # vkbottle adds a console handler of its own unless its logger already has one; a
    # NullHandler keeps its records flowing through ours, where secrets are redacted.
    vkbottle = logging.getLogger("vkbottle")
    if not vkbottle.handlers:
        vkbottle.addHandler(logging.NullHandler())
