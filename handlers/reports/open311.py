"""Open311 GeoReport v2, the read side: the topics as services and the appeals as service
requests, as the standard that city dashboards and civic apps read
(http://wiki.open311.org/GeoReport_v2).

Of an appeal only this is public: its number, topic, status, department, dates and the centre
of the square (``public_grid_m`` on a side) it lies in; its text only when its author agreed
at the summary step, and then without names, numbers and contacts. Never the author, the
address or the exact place. Times are ISO 8601 with the administration's offset."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from handlers.context import Work
from storage.models import AppealStatus, format_number
from storage.repositories.opendata import PublicAppeal

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-02T00:00:00+00:00"  # when the endpoints below last changed
MAX_RANGE = timedelta(days=90)
LIMIT = 1000  # requests in one answer at most, newest first
OPEN = (AppealStatus.NEW, AppealStatus.IN_PROGRESS, AppealStatus.NEEDS_INFO)
CLOSED = (AppealStatus.ANSWERED, AppealStatus.CLOSED)
# A request's id is the appeal's registration number (2026-00042), or its bare id.
_NUMBER = re.compile(r"^(?:(\d{4})-)?0*(\d{1,12})$")
_METRES_PER_DEGREE = 111_320.0


class Open311Error(ValueError):
    """A request the standard answers with an error: 400 (bad parameters) or 404."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass(frozen=True, slots=True)
class Query:
    start: datetime
    end: datetime
    services: tuple[str, ...] = ()
    statuses: tuple[AppealStatus, ...] = ()
    # (year or None, appeal id) of each request asked for by id.
    ids: tuple[tuple[int | None, int], ...] = ()


@dataclass(frozen=True, slots=True)
class ServiceRequest:
    """One appeal as Open311 shows it (names are resolved by the caller's locale)."""

    number: str
    open: bool
    status: AppealStatus
    service_code: str
    department: str
    requested: datetime
    updated: datetime
    expected: datetime
    latitude: float | None
    longitude: float | None
    description: str | None


def _moment(value: str, name: str, zone: tzinfo, *, end: bool) -> datetime:
    """A W3C date-time (the standard's format), or a bare date taken in the administration's
    zone (a bare end date includes that day)."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            moment = datetime.combine(day + timedelta(days=1 if end else 0), time(), zone)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=zone)
    except ValueError:
        raise Open311Error(400, f"{name} is not an ISO 8601 date-time: {value[:40]!r}") from None
    return moment


def _list(params: Mapping[str, str], name: str) -> list[str]:
    return [part.strip() for part in params.get(name, "").split(",") if part.strip()]


def request_id(value: str) -> tuple[int | None, int] | None:
    """(year, appeal id) of a request id (``2026-00042``, or ``42`` with no year); None if it
    is not one."""
    match = _NUMBER.match(value.strip())
    if match is None:
        return None
    return (int(match.group(1)) if match.group(1) else None), int(match.group(2))


def parse_query(params: Mapping[str, str], known: set[str], now: datetime, zone: tzinfo) -> Query:
    """The filters of ``GET requests``, checked: unknown service codes are a 404, a bad date,
    status or a range over 90 days a 400. With no dates: the last 90 days; with one: 90 days
    from it or up to it."""
    ids = _list(params, "service_request_id")
    if ids:  # the standard: other parameters are then ignored
        parsed = [request_id(value) for value in ids[:LIMIT]]
        wanted = tuple(value for value in parsed if value is not None)
        if len(wanted) != len(parsed):
            raise Open311Error(400, "service_request_id must be request ids, comma-separated")
        return Query(now, now, ids=wanted)
    services = _list(params, "service_code")
    unknown = [code for code in services if code not in known]
    if unknown:
        raise Open311Error(404, f"unknown service_code: {', '.join(unknown)[:200]}")
    statuses: list[AppealStatus] = []
    for status in _list(params, "status"):
        if status not in ("open", "closed"):
            raise Open311Error(400, "status must be open or closed")
        statuses.extend(OPEN if status == "open" else CLOSED)
    given_start = params.get("start_date", "").strip()
    given_end = params.get("end_date", "").strip()
    start = _moment(given_start, "start_date", zone, end=False) if given_start else None
    end = _moment(given_end, "end_date", zone, end=True) if given_end else None
    if start is None:
        end = end or now + timedelta(seconds=1)
        start = end - MAX_RANGE
    elif end is None:
        end = start + MAX_RANGE
    if end <= start:
        raise Open311Error(400, "end_date must be after start_date")
    if end - start > MAX_RANGE:
        raise Open311Error(400, "start_date and end_date may be at most 90 days apart")
    return Query(start, end, tuple(services), tuple(dict.fromkeys(statuses)))


def grid_centre(latitude: float, longitude: float, side_m: int) -> tuple[float, float]:
    """The centre of the square of ``side_m`` metres the point lies in: near points share it,
    and nothing finer than the square can be read from it."""
    lat_step = side_m / _METRES_PER_DEGREE
    row = math.floor(latitude / lat_step)
    centre_lat = (row + 0.5) * lat_step
    # Squares keep their width in metres at every latitude of the band.
    lon_step = side_m / (_METRES_PER_DEGREE * max(math.cos(math.radians(centre_lat)), 0.01))
    centre_lon = (math.floor(longitude / lon_step) + 0.5) * lon_step
    return round(centre_lat, 5), round(centre_lon, 5)


def _request(appeal: PublicAppeal, side_m: int) -> ServiceRequest:
    place = (
        grid_centre(appeal.latitude, appeal.longitude, side_m)
        if appeal.latitude is not None and appeal.longitude is not None
        else (None, None)
    )
    moments = [m for m in (appeal.created_at, appeal.answered_at, appeal.closed_at) if m]
    return ServiceRequest(
        number=format_number(appeal.created_at, appeal.id),
        open=appeal.status in OPEN,
        status=appeal.status,
        service_code=appeal.topic,
        department=appeal.department,
        requested=appeal.created_at,
        updated=max(moments),
        expected=appeal.due_at,
        latitude=place[0],
        longitude=place[1],
        description=appeal.public_text,
    )


def _years_match(appeal: PublicAppeal, year: int | None) -> bool:
    return year is None or appeal.created_at.year == year


async def requests(work: Work, query: Query) -> list[ServiceRequest]:
    side = work.settings.public_grid_m
    if query.ids:
        years = dict((appeal_id, year) for year, appeal_id in query.ids)
        found = [
            appeal
            for appeal in await work.uow.opendata.public_appeals_by_id(tuple(years))
            if _years_match(appeal, years[appeal.id])
        ]
    else:
        found = await work.uow.opendata.public_appeals(
            query.start, query.end, topics=query.services, statuses=query.statuses, limit=LIMIT
        )
    return [_request(appeal, side) for appeal in found]


async def one(work: Work, request: str) -> ServiceRequest | None:
    """The request of that id (its year checked when the id carries one)."""
    wanted = request_id(request)
    if wanted is None:
        return None
    found = await requests(work, Query(work.now, work.now, ids=(wanted,)))
    return found[0] if found else None
