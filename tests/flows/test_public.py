"""The public results page and the Open311 read API, from a history filed through the real
flow, served by the bot's aiohttp server and read over HTTP: the figures agree with /report,
nothing personal leaks, Open311 answers as the standard says in JSON and XML, with its
filters and errors, and everything is computed at most once a minute."""

from __future__ import annotations

import asyncio
import json
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from bot.public.fresh import Fresh
from bot.public.open311_format import REQUEST_FIELDS, SERVICE_FIELDS
from bot.public.site import PublicSite
from bot.webhook import WebhookServer
from handlers.appeals.topics import TopicCatalog
from tests.helpers.flows import Clock, make_core
from tests.helpers.public_history import EXACT, PERSONAL, POLL, PUBLISHED, file
from tests.helpers.public_site import Site, serving

ISO_WITH_ZONE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


@pytest.fixture
async def site(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> AsyncIterator[Site]:
    async with serving(engine, topics, renderer) as served:
        yield served


async def _renewal(fresh: Fresh[Any]) -> None:
    """Wait for the computation a stale answer started."""
    task = fresh._refresh
    assert task is not None
    await task


def _no_personal_data(text: str) -> None:
    for personal in PERSONAL:
        assert personal not in text, personal


async def test_the_page_shows_the_figures_and_nothing_personal(site: Site) -> None:
    status, page, headers = await site.get("/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "script-src" not in headers["Content-Security-Policy"]  # no script may run
    assert '<html lang="ru">' in page
    _no_personal_data(page)
    assert "Оператор Мария" not in page and "Работы выполнены" not in page
    # The year's headline: eight received, four answered (one late), rated 4.7 of 5.
    year = page.split('id="year"', 1)[1].split("</section>", 1)[0]
    assert re.search(r"Поступило</span><span class=\"v\">8<", year)
    assert re.search(r"Дан ответ</span><span class=\"v\">3<", year)  # by 31 March
    assert "4,7 из 5" in year
    # April so far: seven fell due (the burst pipe was fast-tracked: due in March), and two
    # of them were answered in time.
    month = page.split('id="this-month"', 1)[1].split("</section>", 1)[0]
    assert "29\u00a0%" in month and "из 7 со сроком" in month
    # Topics: housing's five by status (two open, three closed); roads (one open, one
    # answered) and "Другое" (one) have cells under two: merged, and the merged row's split
    # is hidden too (its total would give the hidden cell away).
    topics = page.split('id="topics"', 1)[1].split("</section>", 1)[0]
    housing = topics.split(">ЖКХ<", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'class="num">(\d+)<', housing) == ["2", "0", "3", "5"]
    assert ">Дороги<" not in topics and ">Другое<" not in topics
    other = topics.split(">Другие темы<", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r'class="num">(\d+)<', other) == ["3"] and other.count("мало данных") == 3
    # The public poll: its choices counted, its free answers (a name in one) never shown.
    polls = page.split('id="polls"', 1)[1].split("</section>", 1)[0]
    assert POLL in polls and "участников: 3" in polls
    school = polls.split(">Двор школы<", 1)[1].split("</tr>", 1)[0]
    assert "2 (67\u00a0%)" in school
    assert "Что ещё там нужно?" not in polls
    # The reference groups: two joined one; the others show no count under two.
    groups = page.split('id="groups"', 1)[1].split("</section>", 1)[0]
    assert re.search(r'Общественные[^<]*</th>.*?class="num">2<', groups)
    # The column chart: thirteen months, an accessible name and description.
    assert page.count("<rect ") == 13
    assert 'role="img" aria-labelledby="months-t months-d"' in page
    # The open data it links to is served.
    link = re.search(r'href="(/opendata/[^"]+/meta\.csv)"', page)
    assert link is not None
    status, passport, _ = await site.get(link.group(1))
    assert status == 200 and "standardversion" in passport
    status, listing, _ = await site.get("/opendata/list.csv")
    assert status == 200 and "meta.csv" in listing
    assert (await site.get("/opendata/../../etc/passwd"))[0] == 404


async def test_the_page_in_english(site: Site) -> None:
    status, page, _ = await site.get("/?lang=en")
    assert status == 200 and '<html lang="en">' in page
    assert "Citizens' appeals: results" in page and "Housing" in page
    assert 'href="/"' in page  # the way back to Russian
    _no_personal_data(page)


async def test_the_page_and_report_agree(site: Site) -> None:
    """April so far, as /report month now shows it to an operator."""
    shown = await site.operator.say("/report month now")
    report = "\n".join(s.text for s in shown)
    received = re.search(r"Поступило: (\d+)", report)
    assert received is not None
    stats = await site.site._stats.get()
    assert stats.this_month.received == int(received.group(1))
    answered = re.search(r"дан первый ответ: (\d+)", report)
    assert answered is not None and stats.this_month.answered == int(answered.group(1)) == 1


def _received_this_month(page: str) -> str:
    month = page.split('id="this-month"', 1)[1].split("</section>", 1)[0]
    found = re.search(r'Поступило</span><span class="v">(\d+)<', month)
    assert found is not None
    return found.group(1)


async def test_computed_at_most_once_a_minute(site: Site) -> None:
    for _ in range(5):
        assert (await site.get("/"))[0] == 200
        assert (await site.get("/?lang=en"))[0] == 200
    assert site.site.computations == 1
    assert _received_this_month((await site.get("/"))[1]) == "0"
    # A new appeal within the minute is not on the page yet; a minute later it is.
    await file(site.history.citizens[0], "Дороги", "Яма на тротуаре у остановки, люди спотыкаются")
    site.ticks.now += 30
    assert _received_this_month((await site.get("/"))[1]) == "0"
    assert site.site.computations == 1
    site.ticks.now += 31
    # The last figures are served while the new ones are computed.
    assert _received_this_month((await site.get("/"))[1]) == "0"
    await _renewal(site.site._stats)
    assert site.site.computations == 2
    _, page, headers = await site.get("/")
    assert _received_this_month(page) == "1"
    etag = headers["ETag"]
    async with site.http.get(site.url + "/", headers={"If-None-Match": etag}) as again:
        assert again.status == 304


async def test_open311_services_in_both_formats(site: Site) -> None:
    status, services = await site.json("/open311/v2/services.json")
    assert status == 200 and isinstance(services, list)
    assert [s["service_code"] for s in services][:2] == ["housing", "waste"]
    for service in services:
        assert tuple(service) == SERVICE_FIELDS
        assert service["metadata"] is False and service["type"] == "realtime"
    status, root = await site.xml("/open311/v2/services.xml")
    assert status == 200 and root.tag == "services"
    first = root.find("service")
    assert first is not None and [child.tag for child in first] == list(SERVICE_FIELDS)
    assert first.findtext("service_name") == "ЖКХ" and first.findtext("metadata") == "false"
    _, english = await site.json("/open311/v2/services.json?locale=en")
    assert english[0]["service_name"] == "Housing and utilities"


async def test_open311_requests_publish_only_what_may_be_public(site: Site) -> None:
    window = "start_date=2026-03-01&end_date=2026-04-15"
    status, found = await site.json(f"/open311/v2/requests.json?{window}")
    assert status == 200 and isinstance(found, list) and len(found) == 8
    _no_personal_data(json.dumps(found, ensure_ascii=False))
    by_id = {r["service_request_id"]: r for r in found}
    assert set(by_id) == set(site.history.numbers)
    for request in found:
        assert tuple(request) == REQUEST_FIELDS
        for moment in ("requested_datetime", "updated_datetime", "expected_datetime"):
            assert ISO_WITH_ZONE.match(request[moment]), request[moment]
        assert request["requested_datetime"].endswith("+03:00")  # the administration's zone
        assert request["address"] is None and request["media_url"] is None
    # The one whose author agreed: its text without the number, the name and the phone.
    published = by_id[site.history.published]
    assert published["description"] == PUBLISHED
    assert sum(1 for r in found if r["description"]) == 1
    # An exact place becomes the centre of its square: near, never the point itself.
    first = by_id[site.history.numbers[0]]
    assert (first["lat"], first["long"]) != EXACT
    assert abs(first["lat"] - EXACT[0]) < 0.01 and abs(first["long"] - EXACT[1]) < 0.02
    answered = {r["service_request_id"] for r in found if r["status"] == "closed"}
    assert answered == {site.history.numbers[i] for i in (0, 1, 2, 5)}
    assert by_id[site.history.numbers[0]]["status_notes"] == "Закрыто"  # rated 5: closed
    assert by_id[site.history.numbers[5]]["status_notes"] == "Дан ответ"
    assert by_id[site.history.numbers[0]]["agency_responsible"].startswith("Блок")

    status, root = await site.xml(f"/open311/v2/requests.xml?{window}")
    assert status == 200 and root.tag == "service_requests"
    requests = root.findall("request")
    assert len(requests) == 8 and [c.tag for c in requests[0]] == list(REQUEST_FIELDS)
    _no_personal_data(ET.tostring(root, encoding="unicode"))


async def test_open311_filters(site: Site) -> None:
    window = "start_date=2026-03-01T00:00:00%2B03:00&end_date=2026-04-15T00:00:00Z"
    _, roads = await site.json(f"/open311/v2/requests.json?{window}&service_code=roads")
    assert [r["service_code"] for r in roads] == ["roads", "roads"]
    _, both = await site.json(f"/open311/v2/requests.json?{window}&service_code=roads,other")
    assert len(both) == 3
    _, still_open = await site.json(f"/open311/v2/requests.json?{window}&status=open")
    assert {r["status"] for r in still_open} == {"open"} and len(still_open) == 4
    _, closed = await site.json(f"/open311/v2/requests.json?{window}&status=closed")
    assert len(closed) == 4
    # With no dates: the last 90 days (15 April back to mid-January).
    _, recent = await site.json("/open311/v2/requests.json")
    assert len(recent) == 8
    _, before = await site.json("/open311/v2/requests.json?end_date=2026-02-28")
    assert before == []
    first, second = site.history.numbers[:2]
    _, picked = await site.json(f"/open311/v2/requests.json?service_request_id={first},{second}")
    assert sorted(r["service_request_id"] for r in picked) == [first, second]
    status, one = await site.json(f"/open311/v2/requests/{first}.json")
    assert status == 200 and [r["service_request_id"] for r in one] == [first]
    status, root = await site.xml(f"/open311/v2/requests/{first}.xml")
    assert status == 200 and root.findtext("request/service_request_id") == first


@pytest.mark.parametrize(
    ("query", "code", "says"),
    [
        ("service_code=parking", 404, "unknown service_code"),
        ("start_date=yesterday", 400, "start_date"),
        ("end_date=2026-13-45", 400, "end_date"),
        ("start_date=2026-01-01&end_date=2026-04-15", 400, "90 days"),
        ("start_date=2026-04-10&end_date=2026-04-01", 400, "after"),
        ("status=pending", 400, "open or closed"),
        ("service_request_id=abc", 400, "service_request_id"),
    ],
)
async def test_open311_errors(site: Site, query: str, code: int, says: str) -> None:
    status, errors = await site.json(f"/open311/v2/requests.json?{query}")
    assert status == code
    assert errors == [{"code": code, "description": errors[0]["description"]}]
    assert says in errors[0]["description"]
    status, root = await site.xml(f"/open311/v2/requests.xml?{query}")
    assert status == code and root.tag == "errors"
    assert root.findtext("error/code") == str(code) and says in (
        root.findtext("error/description") or ""
    )


async def test_open311_unknown_request_and_discovery(site: Site) -> None:
    for missing in ("2026-09999", "2025-00001", "nothing"):
        status, errors = await site.json(f"/open311/v2/requests/{missing}.json")
        assert status == 404 and errors[0]["code"] == 404
    status, discovery = await site.json("/open311/discovery.json")
    assert status == 200 and isinstance(discovery, dict)
    endpoint = discovery["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert set(endpoint["formats"]) == {"application/json", "text/xml"}
    status, root = await site.xml("/open311/discovery.xml")
    assert status == 200 and root.tag == "discovery"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == [
        "application/json",
        "text/xml",
    ]


async def test_forget_takes_the_published_text_and_the_place_away(site: Site) -> None:
    alexei = site.history.citizens[1]
    number = site.history.published
    path = f"/open311/v2/requests/{number}.json"
    _, found = await site.json(path)
    assert found[0]["description"] == PUBLISHED and found[0]["lat"] is not None
    # Alexei's open appeals must be answered first (59-ФЗ): answer them.
    for appeal in (5, 8):
        await site.operator.say(f"/reply {appeal} Ответ дан.")
    await alexei.say("/forget")
    await alexei.press("Удалить мои данные")
    # The API's answers are a minute old at most.
    site.ticks.now += 61
    await site.json(path)
    await _renewal(site.site._api._entries[("one", "json", "ru", number)])
    _, found = await site.json(path)
    assert found[0]["description"] is None and found[0]["lat"] is None


async def test_an_operator_takes_a_published_text_off_the_api(site: Site) -> None:
    number = site.history.published
    path = f"/open311/v2/requests/{number}.json"
    _, found = await site.json(path)
    assert found[0]["description"] == PUBLISHED
    await site.operator.say(f"/unpublish {number}")
    site.ticks.now += 61
    await site.json(path)
    await _renewal(site.site._api._entries[("one", "json", "ru", number)])
    _, found = await site.json(path)
    assert found[0]["description"] is None
    assert found[0]["lat"] is not None  # the grid square stays: only the text goes


async def test_a_burst_of_readers_is_paced_and_the_excess_told_to_come_back(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    """Ten readers at once against five a second with room for three to wait: the ones that
    fit are served evenly spaced, the rest told to come back, nothing computed twice."""
    core = make_core(engine, topics, Clock())
    public = PublicSite(core, renderer, publisher="Администрация", rate=5, queue=3)
    server = WebhookServer("127.0.0.1", 0, name="public")
    public.attach(server.app)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:

            async def ask() -> tuple[int, float, str]:
                async with http.get(f"http://127.0.0.1:{server.port}/") as response:
                    await response.read()
                    return (
                        response.status,
                        time.monotonic(),
                        response.headers.get("Retry-After", ""),
                    )

            await public.warm()  # the figures ready: the burst measures the pacing alone
            answers = await asyncio.gather(*(ask() for _ in range(10)))
    finally:
        await public.close()
        await server.stop()
    served = sorted(at for status, at, _ in answers if status == 200)
    refused = [after for status, _, after in answers if status == 503]
    assert len(served) + len(refused) == 10
    assert 3 <= len(served) <= 4 and refused and set(refused) == {"1"}
    assert served[-1] - served[0] >= (len(served) - 1) / 5 - 0.05  # a fifth of a second apart
    assert public.computations == 1


async def test_readers_waiting_their_turn_never_take_the_platforms_slots(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    """In webhook mode the page shares the server with the platforms' posts: over a hundred
    readers waiting (more than the server's 100 slots) and a post still goes through."""
    core = make_core(engine, topics, Clock())
    public = PublicSite(core, renderer, publisher="Администрация", rate=60)
    server = WebhookServer("127.0.0.1", 0, name="webhooks")
    posts: list[str] = []

    async def platform(request: web.Request) -> web.Response:
        posts.append(await request.text())
        return web.Response(text="ok")

    server.app.router.add_post("/telegram", platform)
    public.attach(server.app)
    await server.start()
    base = f"http://127.0.0.1:{server.port}"
    try:
        await public.warm()
        connector = aiohttp.TCPConnector(limit=0)
        async with aiohttp.ClientSession(connector=connector) as readers:
            waiting = [
                asyncio.create_task(readers.get(base + "/open311/v2/services.json"))
                for _ in range(150)
            ]
            for _ in range(100):  # in, and waiting for their turn (two seconds at most)
                if public._waiting > 100:
                    break
                await asyncio.sleep(0.01)
            waiting_then = public._waiting
            async with (
                aiohttp.ClientSession() as telegram,
                telegram.post(base + "/telegram", data="update") as answer,
            ):
                assert answer.status == 200  # not 503 "busy"
            assert waiting_then > 100
            for task in waiting:
                task.cancel()
            await asyncio.gather(*waiting, return_exceptions=True)
    finally:
        await public.close()
        await server.stop()
    assert posts == ["update"]
