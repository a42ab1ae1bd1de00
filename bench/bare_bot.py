"""The baseline of bench/inbound.py: a bare aiogram bot that, for every update, does one ORM
insert and sends one reply (with a button), as the simplest bot with a database would.

    TELEGRAM_BOT_TOKEN=… TELEGRAM_API_URL=… DATABASE_URL=… python -m bench.bare_bot

With WEBHOOK_PORT and WEBHOOK_SECRET, updates are posted to 127.0.0.1:WEBHOOK_PORT/telegram
and answered once handled (aiogram's SimpleRequestHandler), as the real bot's webhook does.
"""

from __future__ import annotations

import asyncio
import os
import signal

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Event(Base):
    __tablename__ = "bare_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger)
    text: Mapped[str] = mapped_column(String(4096))


KEYBOARD = InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="Дальше", callback_data="next")]]
)


async def main() -> None:
    url = os.environ["DATABASE_URL"]
    # Its updates run all at once; on SQLite they wait their turn for the file's lock.
    engine = create_async_engine(url, connect_args={"timeout": 30} if "sqlite" in url else {})
    async with engine.begin() as connection:
        await connection.run_sync(Base.metadata.create_all)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    bot = Bot(
        os.environ["TELEGRAM_BOT_TOKEN"],
        session=AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"])),
    )
    dispatcher = Dispatcher()

    async def store(user_id: int, text: str) -> None:
        async with sessions() as session:
            session.add(Event(user_id=user_id, text=text))
            await session.commit()

    @dispatcher.message()
    async def on_message(message: Message) -> None:
        assert message.from_user is not None
        await store(message.from_user.id, message.text or "")
        await message.answer("Принято", reply_markup=KEYBOARD)

    @dispatcher.callback_query()
    async def on_press(query: CallbackQuery) -> None:
        await query.answer()
        await store(query.from_user.id, query.data or "")
        await bot.send_message(query.from_user.id, "Принято", reply_markup=KEYBOARD)

    port = os.environ.get("WEBHOOK_PORT")
    if not port:
        await dispatcher.start_polling(bot, handle_signals=True)
        return
    app = web.Application()
    SimpleRequestHandler(
        dispatcher,
        bot,
        secret_token=os.environ["WEBHOOK_SECRET"],
        handle_in_background=False,
    ).register(app, path="/telegram")
    setup_application(app, dispatcher, bot=bot)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", int(port)).start()
    stop = asyncio.Event()
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, stop.set)
    await stop.wait()
    await runner.cleanup()


if __name__ == "__main__":
    asyncio.run(main())
