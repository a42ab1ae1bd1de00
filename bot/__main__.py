"""`python -m bot [run|console|webhook|web|migrate|check|export-open-data]`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from pydantic import ValidationError

from bot.app import WebhookConfigError, build, console_log, load_texts, serve, serve_web
from bot.config import Settings
from bot.i18n import TemplateError
from bot.logging_setup import setup_logging
from bot.opendata_export import export_open_data
from bot.retry import Fatal
from handlers.appeals.topics import CatalogError
from storage import migrate
from storage.database import create_engine

log = logging.getLogger("bot")


async def _migrate(settings: Settings) -> None:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
    finally:
        await engine.dispose()
    log.info("database is up to date")


async def _export(settings: Settings, folder: Path | None) -> None:
    async with build(settings, console=True) as app:
        await export_open_data(app.core, folder or settings.opendata_dir)


async def _run(settings: Settings, console: bool, webhook: bool = False) -> None:
    async with build(settings, console=console, webhook=webhook) as app:
        await serve(app)


async def _web(settings: Settings) -> None:
    async with build(settings, console=False, web_only=True) as app:
        await serve_web(app)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__)
    parser.add_argument(
        "command",
        nargs="?",
        default="run",
        choices=("run", "console", "webhook", "web", "migrate", "check", "export-open-data"),
        help="run: every channel with a token, the console when there is none (default); "
        "console: the terminal demo; webhook: serve Telegram by webhook "
        "(WEBHOOK_BASE_URL, WEBHOOK_SECRET) on WEBHOOK_HOST:WEBHOOK_PORT, with /health, "
        "the results page and Open311; "
        "web: only the results page and Open311, on PUBLIC_WEB_HOST:PUBLIC_WEB_PORT; "
        "migrate: apply database migrations; "
        "check: validate configuration and templates; "
        "export-open-data: write the open datasets (CSV, JSON, passports) to --out",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="export-open-data: the folder (default OPENDATA_DIR, data/opendata)",
    )
    args = parser.parse_args(argv)
    try:
        settings = Settings()
    except ValidationError as exc:
        print(f"Configuration error:\n{exc}", file=sys.stderr)
        return 2
    console = args.command == "console" or (
        args.command == "run"
        and not (settings.telegram_bot_token or settings.vk_group_token or settings.max_bot_token)
    )
    setup_logging(
        settings.log_level,
        settings.secrets(),
        json_lines=settings.log_format == "json",
        # In the terminal demo log lines would break into the chat: they go to a file.
        file=console_log(settings) if console else None,
    )
    try:
        if args.command == "migrate":
            asyncio.run(_migrate(settings))
        elif args.command == "webhook":
            asyncio.run(_run(settings, console=False, webhook=True))
        elif args.command == "web":
            asyncio.run(_web(settings))
        elif args.command == "export-open-data":
            asyncio.run(_export(settings, args.out))
        elif args.command == "check":
            load_texts(settings)
            log.info("configuration and templates are valid")
        else:
            if console and args.command == "run":
                log.info(
                    "no TELEGRAM_BOT_TOKEN, VK_GROUP_TOKEN or MAX_BOT_TOKEN: "
                    "starting the console demo"
                )
            asyncio.run(_run(settings, console))
    except WebhookConfigError as exc:
        print(f"Configuration error: {exc}", file=sys.stderr)
        return 2
    except (TemplateError, CatalogError) as exc:
        print(f"templates/ is invalid: {exc}", file=sys.stderr)
        return 2
    except Fatal as exc:
        log.error("stopped: %s", exc)
        return 1
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
