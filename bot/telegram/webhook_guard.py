"""Telegram's webhook endpoint, guarded: whatever a stranger posts gets a short 4xx and at most
one log line, and nothing is parsed before the secret is checked.

aiogram's handler compares the secret with ``secrets.compare_digest`` on ``str`` (a header
with non-ASCII characters raised ``TypeError``: a 500 with a traceback), and parsed any body
into an ``Update`` (an array, an empty body or JSON nested 100,000 deep raised: 500s)."""

from __future__ import annotations

import logging
from typing import Any

import orjson
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from pydantic import ValidationError

from bot.webhook import read_capped, same_secret

log = logging.getLogger(__name__)

# An update is a few KB; a message with a long text and entities stays well under this.
BODY_LIMIT = 256 * 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 (a header name)


class GuardedRequestHandler(SimpleRequestHandler):
    def verify_secret(self, telegram_secret_token: str, bot: Any) -> bool:
        return same_secret(telegram_secret_token, self.secret_token or "")

    async def handle(self, request: web.Request) -> web.Response:
        bot = await self.resolve_bot(request)
        if not self.verify_secret(request.headers.get(SECRET_HEADER, ""), bot):
            return web.Response(text="Unauthorized", status=401)
        body = await read_capped(request, BODY_LIMIT)
        try:
            raw = orjson.loads(body)  # refuses nesting deeper than 1,024
        except orjson.JSONDecodeError:
            return web.Response(text="Bad JSON", status=400)
        if not isinstance(raw, dict) or not isinstance(raw.get("update_id"), int):
            return web.Response(text="Not an update", status=400)
        try:
            update = Update.model_validate(raw, context={"bot": bot})
        except (ValidationError, RecursionError):
            log.info("a posted Telegram update could not be read")
            return web.Response(text="Not an update", status=400)
        # Answered once handled: what it changed is committed, its replies in the outbox.
        await self.dispatcher.feed_webhook_update(bot, update, **self.data)
        return web.json_response({})
