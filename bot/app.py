"""The composition root: settings -> database -> core -> channels, and a clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import gc
import logging
import signal
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.config import CONSOLE_CLERK, CONSOLE_HEAD, CONSOLE_OFFICER, Settings
from bot.console.channel import CONSOLE_LOG, ConsoleChannel
from bot.delivery import Channel, Deliverer, Policy
from bot.i18n import Renderer, TemplateError
from bot.mailer import Mailer
from bot.metrics import Metrics
from bot.outbox_store import DatabaseOutbox
from bot.pacing import Pacer
from bot.public.site import PublicSite
from bot.retry import Fatal
from bot.scheduler import ReportTimes, Scheduler
from bot.webhook import WebhookServer
from handlers.appeals.departments import DepartmentCatalog
from handlers.appeals.topics import TopicCatalog
from handlers.appeals.urgency import Urgency
from handlers.contracts import Platform
from handlers.core import ConversationCore
from handlers.engagement import groups
from handlers.engagement.group_catalog import GroupCatalog
from handlers.engagement.poll_templates import PollTemplates
from handlers.faq.faq_library import FaqLibrary
from handlers.features import REGISTRY
from handlers.outgoing import outbox
from handlers.reports.opendata import field_names
from handlers.reports.opendata_catalog import OpenDataCatalog
from handlers.staff.replies import ReplyBook
from handlers.staff.replies import load as load_replies
from storage import migrate
from storage.database import create_engine, create_session_factory
from storage.models import Role, StaffMember
from storage.uow import UnitOfWork

if TYPE_CHECKING:
    from redis.asyncio import Redis

log = logging.getLogger(__name__)
STOP_TIMEOUT = 10.0
LOOPBACK = ("127.0.0.1", "localhost", "::1")


@dataclass
class App:
    settings: Settings
    engine: AsyncEngine
    renderer: Renderer
    core: ConversationCore
    deliverer: Deliverer
    channels: list[Channel]
    scheduler: Scheduler
    mailer: Mailer
    outbox: DatabaseOutbox
    # Webhook mode: the HTTP server the channels are attached to.
    webserver: WebhookServer | None = None
    # METRICS_PORT: /health and /metrics on a port of their own.
    monitor: WebhookServer | None = None
    # The public results page and Open311, and the server of their own when there is no
    # webhook server to share.
    site: PublicSite | None = None
    public: WebhookServer | None = None


@dataclass(frozen=True)
class Texts:
    renderer: Renderer
    topics: TopicCatalog
    departments: DepartmentCatalog
    urgency: Urgency
    replies: ReplyBook
    faq: FaqLibrary
    polls: PollTemplates
    groups: GroupCatalog
    opendata: OpenDataCatalog


def load_texts(settings: Settings) -> Texts:
    """Every file in templates/ is checked here, before anything starts."""
    folder, locales = settings.templates_dir, settings.locales
    renderer = Renderer.load(
        folder, locales, settings.default_locale, cache=data_dir(settings) / "cache"
    )
    missing = sorted(REGISTRY.texts_needed() - renderer.keys(settings.default_locale))
    if missing:
        # A command declared without its /help line or menu description.
        raise TemplateError(f"templates/{settings.default_locale}: missing {missing}")
    topics = TopicCatalog.load(folder / "topics.toml", locales)
    departments = DepartmentCatalog.load(folder / "departments.toml", locales, topics)
    urgency = Urgency.load(folder / "urgent.toml", topics)
    replies = load_replies(folder / "replies.toml", topics)
    faq = FaqLibrary(folder / "faq.toml", folder / "info.toml", locales)
    polls = PollTemplates.load(folder / "polls", locales, {t.code for t in topics})
    catalog = GroupCatalog.load(folder, locales, {t.code for t in topics})
    opendata = OpenDataCatalog.load(folder, field_names())
    return Texts(renderer, topics, departments, urgency, replies, faq, polls, catalog, opendata)


class WebhookConfigError(ValueError):
    """Webhook mode asked for without what it needs."""


def _check_webhook(settings: Settings) -> None:
    missing = []
    if not (settings.telegram_bot_token or settings.vk_group_token or settings.max_bot_token):
        missing.append("TELEGRAM_BOT_TOKEN, VK_GROUP_TOKEN or MAX_BOT_TOKEN")
    if settings.telegram_bot_token and not (settings.webhook_base_url and settings.webhook_secret):
        missing.append("WEBHOOK_BASE_URL and WEBHOOK_SECRET (Telegram)")
    if settings.vk_group_token and not (
        settings.vk_callback_confirmation and settings.vk_callback_secret
    ):
        missing.append("VK_CALLBACK_CONFIRMATION and VK_CALLBACK_SECRET (VK)")
    if settings.max_bot_token and not (settings.webhook_base_url and settings.max_webhook_secret):
        missing.append("WEBHOOK_BASE_URL and MAX_WEBHOOK_SECRET (MAX)")
    if missing:
        raise WebhookConfigError("webhook mode needs " + "; ".join(missing))
    url = urlsplit(settings.webhook_base_url)
    # VK alone needs no address of ours (its callback server is set in the community).
    if settings.webhook_base_url and url.scheme != "https" and url.hostname not in LOOPBACK:
        # The platforms post personal data there: over HTTPS only (plain HTTP is for a
        # benchmark or a proxy on this machine).
        raise WebhookConfigError("WEBHOOK_BASE_URL must be an https:// address")


async def _seed(session_factory: async_sessionmaker[AsyncSession], texts: Texts) -> None:
    """The reference groups of templates/ into the database. Instances starting together may
    both write a new one: the one that comes second finds it there when it looks again."""
    for attempt in range(2):
        try:
            async with UnitOfWork(session_factory) as uow:
                await groups.seed(uow, texts.groups)
                await uow.commit()
            return
        except IntegrityError:
            if attempt:
                raise


async def _seed_console_staff(
    session_factory: async_sessionmaker[AsyncSession], departments: DepartmentCatalog
) -> None:
    """The console demo's staff, so that `/as head`, `/as clerk` and `/as officer` try each
    role (the operator is an admin by configuration). Idempotent: put() updates a row."""
    first = next(iter(departments), None)
    roles = [(CONSOLE_OFFICER, "", Role.ANTICORRUPTION)]
    if first is not None:
        roles += [(CONSOLE_HEAD, first.code, Role.HEAD), (CONSOLE_CLERK, first.code, Role.OPERATOR)]
    async with UnitOfWork(session_factory) as uow:
        for identity, department, role in roles:
            await uow.staff.put(
                StaffMember(
                    platform=Platform.CONSOLE.value,
                    external_id=identity,
                    department=department,
                    role=role,
                )
            )
        await uow.commit()


def _shared_pacers(
    redis: Redis, settings: Settings, rates: dict[Platform, float]
) -> dict[Platform, Pacer]:
    """One pacer per token, its schedule in Redis: every instance keeps the limit together."""
    from bot.shared_pacing import SharedPacer

    tokens = {
        Platform.TELEGRAM: settings.telegram_bot_token,
        Platform.VK: settings.vk_group_token,
        Platform.MAX: settings.max_bot_token,
    }
    pacers: dict[Platform, Pacer] = {}
    for platform, rate in rates.items():
        token = tokens[platform]
        pacers[platform] = SharedPacer(
            redis, token.get_secret_value() if token else platform.value, rate
        )
    return pacers


def _paid_pacer(settings: Settings, redis: Redis | None) -> Pacer:
    """Telegram's paid broadcasts' pace, shared through Redis by several instances."""
    rate = settings.telegram_paid_rate
    if redis is None:
        return Pacer(rate)
    from bot.shared_pacing import SharedPacer

    token = settings.telegram_bot_token.get_secret_value() if settings.telegram_bot_token else ""
    return SharedPacer(redis, f"{token}:paid", rate)


async def _after_start(core: ConversationCore) -> None:
    await asyncio.to_thread(_warm_up, core)
    settle_memory()


def _warm_up(core: ConversationCore) -> None:
    """The morphology dictionaries, the urgent phrases' forms and the FAQ's search index:
    work the start leaves until the bot answers, done in a thread meanwhile."""
    try:
        _ = core.settings.urgency.phrases, core.faq.search
    except Exception:  # the first use builds them again and reports what is wrong
        log.exception("warming up failed")


def data_dir(settings: Settings) -> Path:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        return Path(url.database).parent
    return Path("data")


def console_log(settings: Settings) -> Path:
    """Where the console demo logs: beside its database, out of the chat."""
    return data_dir(settings) / CONSOLE_LOG


@contextlib.asynccontextmanager
async def build(
    settings: Settings,
    *,
    console: bool,
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    webhook: bool = False,
    web_only: bool = False,
) -> AsyncIterator[App]:
    """``web_only``: the public page and Open311 alone (``python -m bot web``), no channel."""
    texts = load_texts(settings)
    renderer = texts.renderer
    engine = create_engine(settings.database_url)
    closing = contextlib.AsyncExitStack()
    try:
        await migrate.upgrade(engine)
        session_factory = create_session_factory(engine)
        await _seed(session_factory, texts)
        if console:
            await _seed_console_staff(session_factory, texts.departments)
        core = ConversationCore(
            session_factory,
            settings.core(
                console=console,
                urgency=texts.urgency,
                replies=texts.replies,
                polls=texts.polls,
                groups=texts.groups,
                opendata=texts.opendata,
                words=renderer,
            ),
            texts.topics,
            texts.departments,
            texts.faq,
            clock,
        )
        rates = {
            Platform.TELEGRAM: settings.mailing_rate_telegram,
            Platform.VK: settings.mailing_rate_vk,
            Platform.MAX: settings.mailing_rate_max,
        }
        pacers = None
        shared: Redis | None = None
        if settings.redis_url is not None:
            # Imported here: only a deployment of several instances needs Redis.
            from redis.asyncio import Redis

            shared = Redis.from_url(settings.redis_url.get_secret_value())
            closing.push_async_callback(shared.aclose)
            pacers = _shared_pacers(shared, settings, rates)
        # Unique per process: a restarted instance does not mistake another live instance's
        # rows for its own.
        holder = outbox.Holder(uuid.uuid4().hex, timedelta(seconds=settings.outbox_lease_seconds))
        core.holder = holder
        store = DatabaseOutbox(core, holder, clock=clock)
        deliverer = Deliverer(
            store,
            rates=rates,
            pacers=pacers,
            policy=Policy(
                request_timeout=settings.outbox_request_timeout_seconds,
                give_up=timedelta(hours=settings.outbox_give_up_hours),
                renew_every=settings.outbox_lease_seconds / 3,
            ),
            clock=clock,
        )
        if settings.telegram_paid_broadcast and settings.telegram_bot_token is not None:
            deliverer.paid_pacer = _paid_pacer(settings, shared)
        channels: list[Channel] = []
        webserver = None
        monitor = None
        timeout = settings.webhook_timeout_seconds
        if webhook:
            _check_webhook(settings)
            webserver = WebhookServer(settings.webhook_host, settings.webhook_port, timeout=timeout)
        if settings.metrics_port is not None and not console:
            monitor = WebhookServer(settings.webhook_host, settings.metrics_port, timeout=timeout)
        if webserver is not None or monitor is not None:
            token = settings.metrics_token.get_secret_value() if settings.metrics_token else None
            metrics = Metrics(engine, max_age=settings.health_outbox_max_age_seconds, token=token)
            core.on_handled = metrics.handled
            deliverer.on_outcome = metrics.delivered
            deliverer.on_delay = metrics.delayed
            for server in (webserver, monitor):
                if server is not None:
                    server.health = metrics.health
            # Where it is scraped: its own port when it has one.
            (monitor or webserver).app.router.add_get("/metrics", metrics.endpoint)  # type: ignore[union-attr]
        site = public = None
        if settings.public_web:
            site = PublicSite(
                core,
                renderer,
                publisher=settings.opendata_publisher,
                contact=settings.opendata_email,
                base_url=settings.public_base_url,
                rate=settings.public_rate,
            )
            if webserver is not None and not web_only:
                site.attach(webserver.app)
            else:
                public = WebhookServer(
                    settings.public_web_host,
                    settings.public_web_port,
                    timeout=timeout,
                    name="public page and Open311",
                )
                site.attach(public.app)
        if console and not web_only:
            channels.append(
                ConsoleChannel(
                    core=core,
                    renderer=renderer,
                    deliverer=deliverer,
                    locale=settings.default_locale,
                    data_dir=data_dir(settings),
                    web=public,
                )
            )
        if not console and not web_only and settings.telegram_bot_token:
            from bot.telegram.channel import TelegramChannel

            telegram = TelegramChannel(
                token=settings.telegram_bot_token.get_secret_value(),
                api_url=settings.telegram_api_url,
                request_timeout=settings.outbox_request_timeout_seconds,
                core=core,
                renderer=renderer,
                deliverer=deliverer,
                operator_ids=tuple(
                    int(ref.chat_id) for ref in settings.admins if ref.platform is Platform.TELEGRAM
                ),
                webhook=(
                    settings.webhook_base_url.rstrip("/") + "/telegram",
                    settings.webhook_secret.get_secret_value(),
                )
                if webhook and settings.webhook_secret is not None
                else None,
            )
            channels.append(telegram)
            if webhook and webserver is not None:
                telegram.attach(webserver)
        if not console and not web_only and settings.vk_group_token:
            from bot.vk.channel import VkChannel

            vk = VkChannel(
                token=settings.vk_group_token.get_secret_value(),
                group_id=settings.vk_group_id,
                api_url=settings.vk_api_url,
                core=core,
                renderer=renderer,
                deliverer=deliverer,
                state_dir=data_dir(settings),
                callback=(
                    settings.vk_callback_confirmation,
                    settings.vk_callback_secret.get_secret_value(),
                )
                if webhook and settings.vk_callback_secret is not None
                else None,
            )
            channels.append(vk)
            if webhook and webserver is not None:
                vk.attach(webserver)
        if not console and not web_only and settings.max_bot_token:
            from bot.max.channel import MaxChannel

            max_channel = MaxChannel(
                token=settings.max_bot_token.get_secret_value(),
                api_url=settings.max_api_url,
                request_timeout=settings.outbox_request_timeout_seconds,
                core=core,
                renderer=renderer,
                deliverer=deliverer,
                state_dir=data_dir(settings),
                webhook=(
                    settings.webhook_base_url.rstrip("/") + "/max",
                    settings.max_webhook_secret.get_secret_value(),
                )
                if webhook and settings.max_webhook_secret is not None
                else None,
            )
            channels.append(max_channel)
            if webhook and webserver is not None:
                max_channel.attach(webserver)
        for channel in channels:
            deliverer.register(channel)
        if channels:
            # Lists of buttons are paged to fit the channel that shows the fewest.
            fewest = min(channel.capabilities.buttons_total for channel in channels)
            core.settings = dataclasses.replace(core.settings, buttons_max=fewest)
        scheduler = Scheduler(
            core,
            deliverer,
            zone=ZoneInfo(settings.timezone),
            digest_at=settings.digest_time,
            overdue_every=timedelta(minutes=settings.overdue_check_minutes),
            polls_every=timedelta(seconds=settings.poll_check_seconds),
            mailings_every=timedelta(seconds=settings.mailing_check_seconds),
            reports=ReportTimes(
                weekday=settings.report_weekly_day,
                weekly_at=settings.report_weekly_time,
                monthday=settings.report_monthly_day,
                monthly_at=settings.report_monthly_time,
            ),
            clock=clock,
        )
        mailer = Mailer(
            session_factory,
            deliverer,
            holder=holder,
            chunk=settings.mailing_chunk,
            lease=settings.mailing_lease_seconds,
            clock=clock,
        )
        core.on_mailing = mailer.wake
        yield App(
            settings,
            engine,
            renderer,
            core,
            deliverer,
            channels,
            scheduler,
            mailer,
            store,
            webserver,
            monitor,
            site,
            public,
        )
    finally:
        await closing.aclose()
        await engine.dispose()


def settle_memory() -> None:
    """What start-up built (the libraries, catalogues, templates) lives as long as the process:
    out of the collector's full passes, which walked it all and stalled every conversation for
    60-270 ms each time (bench/inbound.py)."""
    gc.collect()
    gc.freeze()


async def serve_web(app: App) -> None:
    """Only the public page and Open311 (``python -m bot web``), until SIGTERM/SIGINT."""
    if app.public is None or app.site is None:
        raise Fatal("PUBLIC_WEB is off: there is nothing to serve")
    await app.public.start()
    figures = asyncio.create_task(app.site.warm())
    try:
        with _stopped_by_signals() as stop:
            await stop.wait()
    finally:
        figures.cancel()
        await asyncio.gather(figures, return_exceptions=True)
        await app.public.stop()
        await app.site.close()


@contextlib.contextmanager
def _stopped_by_signals() -> Iterator[asyncio.Event]:
    """An event SIGTERM and SIGINT set while inside (the handlers are taken off after)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        yield stop
    finally:
        for sig in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(sig)


async def serve(app: App) -> None:
    """Run every channel until one ends (the console on /quit) or SIGTERM/SIGINT arrives."""
    with _stopped_by_signals() as stop:
        for server in (app.webserver, app.monitor):
            if server is not None:
                # Listening before Telegram is told where to post.
                await server.start()
        if app.public is not None:
            try:
                await app.public.start()
            except OSError as exc:
                # The page is a window on the figures; the conversations go on without it.
                log.error(
                    "the public page could not listen on %s:%s (%s): set PUBLIC_WEB_PORT to a "
                    "free port, or PUBLIC_WEB=false",
                    app.settings.public_web_host,
                    app.settings.public_web_port,
                    exc.strerror or exc,
                )
        if app.engine.dialect.name == "sqlite":
            # SQLite is one instance: what an earlier process held is sent now, not once its
            # lease runs out.
            await app.outbox.take_over()
        # What the outbox holds that nobody sends (after a crash: what it left unsent).
        sender = asyncio.create_task(app.deliverer.run(), name="outbox")
        tasks = {
            asyncio.create_task(channel.run(), name=type(channel).__name__): channel
            for channel in app.channels
        }
        stopper = asyncio.create_task(stop.wait())
        # Mailings in progress (after a crash: the ones it interrupted) go on from where they were.
        mailer = asyncio.create_task(app.mailer.run(), name="mailer")
        names = ", ".join(channel.platform.value for channel in app.channels)
        log.info("started: %s", names)
        # What the first appeal or FAQ question would otherwise wait for, and the collector's
        # pass over what start-up built: once answering began, not before.
        warm = asyncio.create_task(_after_start(app.core), name="warm-up")
        figures = asyncio.create_task(app.site.warm() if app.site else asyncio.sleep(0))
        failure: BaseException | None = None
        try:
            await app.scheduler.start()
            done, _ = await asyncio.wait({*tasks, stopper}, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not stopper and not task.cancelled() and task.exception():
                    failure = task.exception()
                    if isinstance(failure, Fatal):
                        log.error("%s: %s", task.get_name(), failure)
                    else:
                        log.error(
                            "channel %s stopped with an error", task.get_name(), exc_info=failure
                        )
        finally:
            log.info("shutting down")
            await app.scheduler.stop()
            await app.mailer.stop()
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(mailer, STOP_TIMEOUT)
            for channel in app.channels:
                with contextlib.suppress(Exception):
                    await channel.stop()
            pending = [task for task in tasks if not task.done()]
            if pending:
                _, still = await asyncio.wait(pending, timeout=STOP_TIMEOUT)
                for task in still:
                    task.cancel()
                await asyncio.gather(*still, return_exceptions=True)
            stopper.cancel()
            await asyncio.gather(warm, return_exceptions=True)  # a thread: it ends on its own
            figures.cancel()
            await asyncio.gather(figures, return_exceptions=True)
            for server in (app.webserver, app.monitor, app.public):
                if server is not None:
                    await server.stop()
            if app.site is not None:
                await app.site.close()
            # What is being sent finishes; what is left stays in the outbox for the next start.
            await app.deliverer.stop()
            sender.cancel()
            await asyncio.gather(sender, return_exceptions=True)
            # The usage counted since the scheduler's last write (no update comes in now).
            await app.core.flush_usage()
    if failure is not None:
        # A channel that died (a refused token) ends the process with a non-zero code, so
        # that its supervisor sees it.
        raise failure if isinstance(failure, Fatal) else Fatal(str(failure) or repr(failure))
