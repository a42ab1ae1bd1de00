"""Open data (roadmap 000, 2.1–2.8 and 3.4): aggregate figures on appeals, deadlines,
satisfaction, public polls and the reference groups, as CSV (UTF-8) and JSON with a passport
and a structure, laid out after the Russian methodological recommendations (version 3.0):

    list.csv                                  the register of the sets
    <inn>-<code>/meta.csv, meta.json          the passport
    <inn>-<code>/structure-<version>.csv|json the fields, described in Russian and English
    <inn>-<code>/data-<date>-structure-<version>.csv|json

Only counts and our own catalogue texts go in: never a name, a contact, a text a citizen wrote
or anything else that could point to a person (152-ФЗ). Months are complete calendar months in
the administration's time zone."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from handlers.context import Context, Work
from handlers.contracts import Text, Upload
from handlers.engagement.poll_results import tally
from handlers.registry import Command, Feature
from handlers.reports.opendata_catalog import OpenDataCatalog, Passport, Publisher
from storage.models import QuestionKind
from storage.repositories.reports import Period

STANDARD = "http://opendata.gosmonitor.ru/standard/3.0"
Value = str | int | float | bool | None
Row = dict[str, Value]

# Each set's fields and their formats, in order; their descriptions are in the templates.
FIELDS: dict[str, tuple[tuple[str, str], ...]] = {
    "appeals": (
        ("month", "string"),
        ("topic_code", "string"),
        ("topic", "string"),
        ("status", "string"),
        ("count", "integer"),
    ),
    "deadlines": (
        ("month", "string"),
        ("department_code", "string"),
        ("department", "string"),
        ("due", "integer"),
        ("on_time", "integer"),
        ("overdue", "integer"),
        ("on_time_percent", "number"),
        ("answered", "integer"),
        ("median_hours", "number"),
    ),
    "satisfaction": (
        ("month", "string"),
        ("department_code", "string"),
        ("department", "string"),
        ("ratings", "integer"),
        ("average_score", "number"),
        ("reopened", "integer"),
        ("completeness_percent", "number"),
    ),
    "polls": (
        ("poll_id", "integer"),
        ("poll", "string"),
        ("closed", "date"),
        ("respondents", "integer"),
        ("question_no", "integer"),
        ("question", "string"),
        ("option_no", "integer"),
        ("option", "string"),
        ("votes", "integer"),
    ),
    "groups": (
        ("code", "string"),
        ("name", "string"),
        ("description", "string"),
        ("who", "string"),
        ("open", "boolean"),
        ("members", "integer"),
    ),
}
PUBLIC_LOCALE = "ru"  # the published sets are in Russian


def field_names() -> dict[str, tuple[str, ...]]:
    return {code: tuple(name for name, _ in fields) for code, fields in FIELDS.items()}


def complete_months(first: datetime | None, now: datetime, zone: tzinfo) -> list[date]:
    """The first day of every month from ``first``'s to the last one that has ended."""
    if first is None:
        return []
    month = first.astimezone(zone).date().replace(day=1)
    current = now.astimezone(zone).date().replace(day=1)
    months = []
    while month < current:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _bounds(month: date, zone: tzinfo) -> tuple[datetime, datetime]:
    after = (month + timedelta(days=32)).replace(day=1)
    start, end = (datetime.combine(d, time(), zone).astimezone(UTC) for d in (month, after))
    return start, end


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _percent(value: float | None) -> float | None:
    return None if value is None else round(100 * value, 1)


async def collect(work: Work) -> dict[str, list[Row]]:
    """Every set's rows, computed in SQL month by month (the indexes of the reports serve)."""
    zone, locale = work.settings.timezone, PUBLIC_LOCALE
    first = await work.uow.opendata.first_appeal_at()
    data: dict[str, list[Row]] = {code: [] for code in FIELDS}
    for month in complete_months(first, work.now, zone):
        start, end = _bounds(month, zone)
        label = month.strftime("%Y-%m")
        for topic, status, count in await work.uow.opendata.appeals_by_topic_and_status(start, end):
            data["appeals"].append(
                {
                    "month": label,
                    "topic_code": topic,
                    "topic": work.topics.name(topic, locale),
                    "status": status,
                    "count": count,
                }
            )
        for d in await work.uow.reports.departments(Period(start, end, None, zone)):
            where = {
                "month": label,
                "department_code": d.department,
                "department": work.departments.name(d.department, locale),
            }
            if d.due or d.answered:
                data["deadlines"].append(
                    where
                    | {
                        "due": d.due,
                        "on_time": d.on_time,
                        "overdue": d.due - d.on_time,
                        "on_time_percent": _percent(d.on_time_share),
                        "answered": d.answered,
                        "median_hours": _round(d.median_hours, 1),
                    }
                )
            if d.ratings or d.answered:
                data["satisfaction"].append(
                    where
                    | {
                        "ratings": d.ratings,
                        "average_score": _round(d.satisfaction, 2),
                        "reopened": d.reopened,
                        "completeness_percent": _percent(d.completeness),
                    }
                )
    for poll in await work.uow.opendata.public_polls():
        result = await tally(work, poll)
        closed = (poll.closed_at or poll.closes_at).astimezone(zone).date().isoformat()
        for number, question in enumerate(result.questions, start=1):
            if question.question.kind is QuestionKind.TEXT:
                continue  # free answers are a person's own words: never published
            for option, (label, votes) in enumerate(
                zip(question.labels, question.counts, strict=True), start=1
            ):
                data["polls"].append(
                    {
                        "poll_id": poll.id,
                        "poll": poll.title,
                        "closed": closed,
                        "respondents": result.respondents,
                        "question_no": number,
                        "question": question.question.text,
                        "option_no": option,
                        "option": label,
                        "votes": votes,
                    }
                )
    for group, members in await work.uow.opendata.groups_with_members():
        data["groups"].append(
            {
                "code": group.code,
                "name": group.name.get(locale) or next(iter(group.name.values()), group.code),
                "description": group.description.get(locale, ""),
                "who": group.who.get(locale, ""),
                "open": group.open,
                "members": members,
            }
        )
    return data


def _csv(header: Iterable[str], rows: Iterable[Iterable[Value]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            "" if v is None else ("true" if v is True else "false" if v is False else v)
            for v in row
        )
    return buffer.getvalue().encode("utf-8")


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, indent=1).encode("utf-8")


def identifier(publisher: Publisher, code: str) -> str:
    return f"{publisher.inn}-{code}"


def _link(publisher: Publisher, path: str) -> str:
    return f"{publisher.base_url.rstrip('/')}/{path}" if publisher.base_url else path


def _passport(
    passport: Passport, publisher: Publisher, stamp: date, versions: list[str], provenance: str
) -> list[tuple[str, str]]:
    ident = identifier(publisher, passport.code)
    created = min(v.split("-")[1] for v in versions)
    valid = (stamp.replace(day=1) + timedelta(days=32)).replace(day=1)  # updated monthly
    return [
        ("standardversion", STANDARD),
        ("identifier", ident),
        ("title", passport.title),
        ("description", passport.description),
        ("creator", publisher.name),
        ("created", created),
        ("modified", stamp.strftime("%Y%m%d")),
        ("subject", passport.subject),
        ("format", "csv"),
        *((v, _link(publisher, f"{ident}/{v}.csv")) for v in versions),
        (
            f"structure-{passport.structure}",
            _link(publisher, f"{ident}/structure-{passport.structure}.csv"),
        ),
        ("publishername", publisher.contact or publisher.name),
        ("publisherphone", publisher.phone),
        ("publishermbox", publisher.email),
        ("valid", valid.strftime("%Y%m%d")),
        ("provenance", provenance),
    ]


def files(
    catalog: OpenDataCatalog,
    publisher: Publisher,
    data: Mapping[str, list[Row]],
    stamp: date,
    earlier: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, bytes]:
    """Every file of the export by its path. ``earlier``: the names (``data-…-structure-…``)
    of each set's versions already published, kept and listed in its passport."""
    out: dict[str, bytes] = {}
    register = []
    for code, fields in FIELDS.items():
        passport = catalog.passports[code]
        ident = identifier(publisher, code)
        version = f"data-{stamp.strftime('%Y%m%d')}-structure-{passport.structure}"
        versions = sorted({*(earlier or {}).get(code, ()), version})
        names = [name for name, _ in fields]
        rows = data[code]
        out[f"{ident}/{version}.csv"] = _csv(names, ([row[n] for n in names] for row in rows))
        out[f"{ident}/{version}.json"] = _json(rows)
        described = [
            (name, passport.fields[name].en, passport.fields[name].ru, kind)
            for name, kind in fields
        ]
        structure = f"{ident}/structure-{passport.structure}"
        out[f"{structure}.csv"] = _csv(
            ("field name", "english description", "russian description", "format"), described
        )
        out[f"{structure}.json"] = _json(
            [dict(zip(("name", "en", "ru", "format"), d, strict=True)) for d in described]
        )
        meta = _passport(passport, publisher, stamp, versions, catalog.provenance)
        out[f"{ident}/meta.csv"] = _csv(("property", "value"), meta)
        out[f"{ident}/meta.json"] = _json(dict(meta))
        register.append(("", ident, passport.title, _link(publisher, f"{ident}/meta.csv"), "csv"))
    out["list.csv"] = _csv(("property", "title", "value", "format"), [row[1:] for row in register])
    return out


def archive(paths: Mapping[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path, content in sorted(paths.items()):
            bundle.writestr(path, content)
    return buffer.getvalue()


def _today(work: Work) -> date:
    return work.now.astimezone(work.settings.timezone).date()


async def export(
    work: Work, earlier: Mapping[str, Iterable[str]] | None = None
) -> tuple[dict[str, int], dict[str, bytes]]:
    """Each set's row count, and every file of the export by its path."""
    data = await collect(work)
    paths = files(work.settings.opendata, work.settings.publisher, data, _today(work), earlier)
    return {code: len(rows) for code, rows in data.items()}, paths


@dataclass(frozen=True, slots=True)
class Today:
    counts: dict[str, int]  # rows in each set
    paths: dict[str, bytes]  # every file by its path
    bundle: bytes  # the same as one ZIP


async def todays(work: Work) -> Today:
    """Today's sets. They are public, so anyone may ask (``/opendata``, the public page's
    links); on a big database they take seconds to compute, so each process computes them
    once a day, and a crowd asking at once waits for that one computation."""
    stamp = _today(work)
    key = f"opendata:{stamp.isoformat()}"
    lock = work.memo.setdefault("opendata:lock", asyncio.Lock())
    async with lock:
        if key not in work.memo:
            counts, paths = await export(work)
            work.memo.pop(work.memo.get("opendata:key", ""), None)  # yesterday's goes
            work.memo["opendata:key"] = key
            work.memo[key] = Today(counts, paths, archive(paths))
    found: Today = work.memo[key]
    return found


async def command(ctx: Context) -> None:
    """``/opendata``: the sets as one ZIP."""
    stamp = _today(ctx)
    today = await todays(ctx)
    lines = [Text("opendata-header", {"date": stamp.strftime("%d.%m.%Y")})]
    for code in FIELDS:
        title = ctx.settings.opendata.passports[code].title
        lines.append(Text("opendata-set", {"title": title, "rows": today.counts[code]}))
    ctx.reply_texts(
        tuple(lines),
        uploads=(Upload(f"opendata-{stamp.strftime('%Y%m%d')}.zip", today.bundle),),
    )


FEATURE = Feature(
    "opendata", commands=(Command("opendata", lambda ctx, _: command(ctx), in_menu=True),)
)
