"""Where the templates are, the languages, and settings for a test."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[2]  # the project's folder
TEMPLATES = ROOT / "templates"
LOCALES = ("ru", "en")


def make_settings(**values: Any) -> Settings:
    # Tests click far faster than people: flood control is off unless a test sets it.
    # The public page listens on any free port: tests never collide on 8081.
    defaults = {"flood_rate": 100, "flood_burst": 1000, "public_web_port": 0}
    return Settings(_env_file=None, **{**defaults, **values})
