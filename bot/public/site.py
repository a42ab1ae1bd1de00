"""The public routes on the bot's aiohttp server:

    /                                   the results page (?lang=en for English)
    /opendata/list.csv, /opendata/...   the open datasets the page links to (recomputed daily)
    /open311/discovery.(json|xml)       Open311 GeoReport v2: discovery,
    /open311/v2/services.(json|xml)     the topics as services,
    /open311/v2/requests.(json|xml)     the appeals as requests (service_code, status,
                                        start_date, end_date, service_request_id),
    /open311/v2/requests/{id}.(json|xml) and one of them.

Everything is computed at most once a minute per instance (the open datasets once a day) and
then served as ready bytes: a crowd of readers costs one computation, and the citizens'
conversations do not wait for it (the figures are read without the writer's turn)."""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import time
from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from aiohttp import web

from bot.i18n import Renderer, to_plain
from bot.pacing import Pacer
from bot.public import open311_format as fmt
from bot.public.fresh import Fresh, FreshByKey
from bot.public.page import OpenDataLink, PageContext, render, unavailable
from bot.retry import Quiet
from bot.webhook import BOUNDS_ITSELF
from handlers.context import Work
from handlers.contracts import Text
from handlers.core import ConversationCore
from handlers.reports import open311, opendata, public_stats
from handlers.reports.open311 import Open311Error, ServiceRequest

log = logging.getLogger(__name__)

MAX_AGE = 60.0  # seconds a computed figure is served before it is computed again
DAY = 24 * 3600.0
# The page has no script and loads nothing from elsewhere: nothing else may run in it.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
        "frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": f"public, max-age={int(MAX_AGE)}",
}
# The API is read by dashboards on other sites.
API_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": f"public, max-age={int(MAX_AGE)}",
}
# Readers served a second at most, per instance, and how many may wait for their turn.
RATE = 1000.0
QUEUE = 500
MAX_WAIT = 2.0  # seconds
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
QUERY_PARAMS = ("service_request_id", "service_code", "status", "start_date", "end_date")


@dataclass(frozen=True, slots=True)
class Ready:
    """A body ready to send, with its entity tag."""

    body: bytes
    etag: str
    status: int = 200

    @classmethod
    def of(cls, body: bytes, status: int = 200) -> Ready:
        return cls(body, '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"', status)


class PublicSite:
    def __init__(
        self,
        core: ConversationCore,
        renderer: Renderer,
        *,
        publisher: str,
        contact: str = "",
        base_url: str = "",
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
        rate: float = RATE,
        queue: int = QUEUE,
    ) -> None:
        """``base_url``: the page's public address (PUBLIC_BASE_URL), for the absolute links
        of discovery; never taken from a request's Host, which anyone can set."""
        self._core = core
        self._renderer = renderer
        self._publisher = publisher
        self._contact = contact
        self._base = base_url.rstrip("/")
        self._pacer = Pacer(rate)
        # No reader waits longer than MAX_WAIT for its turn (nor holds up a stop for longer).
        self._queue = max(1, min(queue, int(rate * MAX_WAIT)))
        self._waiting = 0
        # A failure is said once a minute, not once per reader.
        self._quiet = Quiet(log)
        self._locales = renderer.locales
        self._default = renderer.default
        self._stats: Fresh[public_stats.PublicStats] = Fresh(self._compute_stats, max_age, clock)
        # The page in each language, rendered once per computation of the figures.
        self._pages: dict[tuple[int, str], Ready] = {}
        self._api: FreshByKey[Ready] = FreshByKey(self._compute_api, max_age, clock=clock)
        self._opendata: FreshByKey[dict[str, bytes]] = FreshByKey(
            self._compute_opendata, DAY, 2, clock
        )

    # --- wiring ---------------------------------------------------------------------------

    def attach(self, app: web.Application) -> None:
        routes = (
            ("/", self._page),
            ("/opendata/{path:.+}", self._opendata_file),
            ("/open311/discovery.{fmt:json|xml}", self._discovery),
            ("/open311/v2/discovery.{fmt:json|xml}", self._discovery),
            ("/open311/v2/services.{fmt:json|xml}", self._services),
            ("/open311/v2/requests.{fmt:json|xml}", self._requests),
            ("/open311/v2/requests/{id}.{fmt:json|xml}", self._request),
        )
        for path, handler in routes:
            app.router.add_get(path, self._paced(handler))

    def _paced(self, handler: Handler) -> Handler:
        """Readers are served at most ``rate`` requests a second, evenly: the event loop
        they share with the citizens' conversations is never theirs alone. Past ``queue``
        waiting, a reader is told to come back (503)."""

        async def paced(request: web.Request) -> web.StreamResponse:
            if self._waiting >= self._queue:
                return web.Response(status=503, text="busy", headers={"Retry-After": "1"})
            self._waiting += 1
            try:
                async with self._pacer:
                    pass
            finally:
                self._waiting -= 1
            return await handler(request)

        setattr(paced, BOUNDS_ITSELF, True)
        return paced

    async def warm(self) -> None:
        """The figures computed once at start, so the first reader does not wait for them."""
        try:
            await self._stats.get()
        except Exception:
            log.warning("the public page's figures could not be computed at start", exc_info=True)

    async def close(self) -> None:
        await self._stats.close()
        await self._api.close()
        await self._opendata.close()

    @property
    def computations(self) -> int:
        """How many times the page's figures were computed (tests, the benchmark)."""
        return self._stats.computations

    # --- the page -------------------------------------------------------------------------

    async def _compute_stats(self) -> public_stats.PublicStats:
        return await self._core.read(public_stats.compute)

    def _locale(self, request: web.Request) -> str:
        asked = request.query.get("lang", "")
        return asked if asked in self._locales else self._default

    async def _page(self, request: web.Request) -> web.StreamResponse:
        locale = self._locale(request)
        try:
            stats = await self._stats.get()
        except Exception as exc:
            self._quiet.warning("page", "the public page's figures not computed: %s", _said(exc))
            return web.Response(
                text=unavailable(self._renderer, locale),
                status=503,
                content_type="text/html",
                headers={"Retry-After": "60"},
            )
        key = (id(stats), locale)
        ready = self._pages.get(key)
        if ready is None:
            ready = Ready.of(self._render(stats, locale).encode("utf-8"))
            # Only the current figures' pages are kept.
            self._pages = {k: v for k, v in self._pages.items() if k[0] == id(stats)}
            self._pages[key] = ready
        return _send(request, ready, "text/html", PAGE_HEADERS)

    def _render(self, stats: public_stats.PublicStats, locale: str) -> str:
        settings = self._core.settings
        catalog, publisher = settings.opendata, settings.publisher
        stamp = stats.computed_at.astimezone(settings.timezone).strftime("%Y%m%d")
        links = []
        for code in opendata.FIELDS:
            if code not in catalog.passports:
                continue
            passport = catalog.passports[code]
            ident = opendata.identifier(publisher, code)
            data = f"/opendata/{ident}/data-{stamp}-structure-{passport.structure}"
            links.append(
                OpenDataLink(
                    passport.title, f"/opendata/{ident}/meta.csv", data + ".csv", data + ".json"
                )
            )
        others = [code for code in self._locales if code != locale]
        other = others[0] if others else locale
        context = PageContext(
            renderer=self._renderer,
            topics=self._core.topics,
            departments=self._core.departments,
            zone=settings.timezone,
            publisher=self._publisher,
            grid_m=settings.public_grid_m,
            open311_url=f"{self._base}/open311/discovery.json",
            opendata_list="/opendata/list.csv",
            opendata=tuple(links),
        )
        address = "/" if other == self._default else f"/?lang={other}"
        return render(context, stats, locale, (other, address))

    # --- open data ------------------------------------------------------------------------

    async def _compute_opendata(self, day: Hashable) -> dict[str, bytes]:
        # The same day's sets as /opendata sends: computed once a day in this process.
        return (await self._core.read(opendata.todays)).paths

    async def _opendata_file(self, request: web.Request) -> web.StreamResponse:
        today = self._core.now().astimezone(self._core.settings.timezone).date()
        try:
            files = await self._opendata.get(today)
        except Exception as exc:
            self._quiet.warning("opendata", "the open datasets not computed: %s", _said(exc))
            raise web.HTTPServiceUnavailable(headers={"Retry-After": "60"}) from None
        body = files.get(request.match_info["path"])
        if body is None:
            raise web.HTTPNotFound()
        kind = mimetypes.guess_type(request.match_info["path"])[0] or "application/octet-stream"
        return web.Response(body=body, content_type=kind, charset="utf-8", headers=API_HEADERS)

    # --- Open311 --------------------------------------------------------------------------

    async def _compute_api(self, key: Hashable) -> Ready:
        kind, form, locale, params = cast(tuple[str, str, str, Any], key)
        if kind == "services":
            return Ready.of(fmt.listing(form, "services", "service", self._services_rows(locale)))

        async def read(work: Work) -> list[ServiceRequest]:
            if kind == "one":
                found = await open311.one(work, params)
                return [found] if found is not None else []
            query = open311.parse_query(
                dict(params), self._known(), work.now, self._core.settings.timezone
            )
            return await open311.requests(work, query)

        found = await self._core.read(read)
        if kind == "one" and not found:
            # Kept like any answer: asking for ids that do not exist costs no more.
            return Ready.of(fmt.errors(form, 404, "service_request_id not found"), 404)
        rows = [self._request_row(request, locale) for request in found]
        return Ready.of(fmt.listing(form, "service_requests", "request", rows))

    def _known(self) -> set[str]:
        return {topic.code for topic in self._core.topics}

    def _services_rows(self, locale: str) -> list[dict[str, Any]]:
        core = self._core
        rows = []
        for topic in core.topics:
            name = topic.name(locale)
            rows.append(
                {
                    "service_code": topic.code,
                    "service_name": name,
                    "description": self._word(locale, "web-service-description", topic=name),
                    "metadata": False,
                    "type": "realtime",
                    "keywords": "",
                    "group": core.departments.name(core.departments.for_topic(topic.code), locale),
                }
            )
        return rows

    def _word(self, locale: str, key: str, **params: object) -> str:
        return to_plain(self._renderer.render_one(locale, Text(key, params)))

    def _request_row(self, request: ServiceRequest, locale: str) -> dict[str, Any]:
        zone = self._core.settings.timezone
        core = self._core
        status_key = "status-" + request.status.value.replace("_", "-")
        return {
            "service_request_id": request.number,
            "status": "open" if request.open else "closed",
            "status_notes": self._word(locale, status_key),
            "service_name": core.topics.name(request.service_code, locale),
            "service_code": request.service_code,
            "description": request.description,
            "agency_responsible": core.departments.name(request.department, locale),
            "service_notice": None,
            "requested_datetime": _iso(request.requested, zone),
            "updated_datetime": _iso(request.updated, zone),
            "expected_datetime": _iso(request.expected, zone),
            "address": None,
            "address_id": None,
            "zipcode": None,
            "lat": request.latitude,
            "long": request.longitude,
            "media_url": None,
        }

    def _api_locale(self, request: web.Request) -> str:
        asked = request.query.get("locale", "")[:2]
        return asked if asked in self._locales else self._default

    async def _answer(
        self, request: web.Request, key: tuple[Any, ...], check: Callable[[], object] | None = None
    ) -> web.StreamResponse:
        form = request.match_info["fmt"]
        try:
            if check is not None:
                check()  # a bad query is refused before anything is computed or kept
            ready = await self._api.get(key)
        except Open311Error as error:
            return web.Response(
                body=fmt.errors(form, error.code, error.description),
                status=error.code,
                content_type=fmt.CONTENT_TYPES[form],
                charset="utf-8",
                headers=API_HEADERS,
            )
        except Exception as exc:
            self._quiet.warning("open311", "an Open311 answer not computed: %s", _said(exc))
            return web.Response(
                body=fmt.errors(form, 503, "temporarily unavailable"),
                status=503,
                content_type=fmt.CONTENT_TYPES[form],
                charset="utf-8",
                headers={**API_HEADERS, "Retry-After": "60"},
            )
        return _send(request, ready, fmt.CONTENT_TYPES[form], API_HEADERS)

    async def _services(self, request: web.Request) -> web.StreamResponse:
        form = request.match_info["fmt"]
        return await self._answer(request, ("services", form, self._api_locale(request), ""))

    async def _requests(self, request: web.Request) -> web.StreamResponse:
        form = request.match_info["fmt"]
        params = tuple((name, request.query.get(name, "")[:2000]) for name in QUERY_PARAMS)
        key = ("requests", form, self._api_locale(request), params)

        def check() -> None:
            core = self._core
            open311.parse_query(dict(params), self._known(), core.now(), core.settings.timezone)

        return await self._answer(request, key, check)

    async def _request(self, request: web.Request) -> web.StreamResponse:
        form = request.match_info["fmt"]
        wanted = request.match_info["id"][:40]

        def check() -> None:
            if open311.request_id(wanted) is None:
                raise Open311Error(404, "service_request_id not found")

        return await self._answer(request, ("one", form, self._api_locale(request), wanted), check)

    async def _discovery(self, request: web.Request) -> web.StreamResponse:
        form = request.match_info["fmt"]
        base = f"{self._base}/open311/v2"
        document = {
            "changeset": open311.CHANGESET,
            "contact": self._contact or self._publisher,
            "key_service": "",
            "endpoints": [
                {
                    "specification": open311.SPECIFICATION,
                    "url": base,
                    "changeset": open311.CHANGESET,
                    "type": "production",
                    "formats": list(fmt.CONTENT_TYPES.values()),
                }
            ],
        }
        ready = Ready.of(fmt.discovery(form, document))
        return _send(request, ready, fmt.CONTENT_TYPES[form], API_HEADERS)


def _said(exc: BaseException) -> str:
    """An error in a line: the figures' queries carry dates and codes, nothing personal."""
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _iso(moment: datetime, zone: Any) -> str:
    return moment.astimezone(zone).isoformat(timespec="seconds")


def _send(
    request: web.Request, ready: Ready, content_type: str, headers: dict[str, str]
) -> web.StreamResponse:
    if ready.etag in request.headers.get("If-None-Match", ""):
        return web.Response(status=304, headers={**headers, "ETag": ready.etag})
    return web.Response(
        body=ready.body,
        status=ready.status,
        content_type=content_type,
        charset="utf-8",
        headers={**headers, "ETag": ready.etag},
    )
