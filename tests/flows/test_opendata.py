"""Open data: the public sets from a known history, checked figure by figure, with their
passports and structures, and not a trace of the people behind the figures."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from bot.opendata_export import export_open_data
from tests.helpers.flows import APPEAL_TEXT, Clock, file_appeal
from tests.helpers.harness import Harness, Person

INN = "0000000000"
SEED_GROUPS = True  # the reference groups are one of the sets


async def _history(harness: Harness, citizen: Person, operator: Person, clock: Clock) -> None:
    """March 2026: two appeals, the first answered in 3 hours, rated 1 (reopened) and answered
    again; a public poll answered by the citizen, free text included. Then it is 5 May."""
    await file_appeal(citizen)
    await file_appeal(citizen, "Во дворе дома 14 не работает уличный фонарь у подъезда")
    clock.advance(hours=3)
    await operator.say("/reply 1 Контейнеры вывезли.")
    await citizen.send_payload("r:1:1:1")
    await operator.say("/reply 1 Вывезли повторно и поставили второй контейнер.")

    await operator.say("/poll_new")
    await operator.say("Где поставить новую детскую площадку?")
    await operator.say("Выберите место")
    await operator.press("Один вариант")
    await operator.say("Сквер на Мира\nДвор школы № 5\nПарк у реки")
    await operator.press("Ещё вопрос")
    await operator.say("Что ещё там нужно?")
    await operator.press("Свободный ответ")
    await operator.press("Готово, к настройкам")
    await operator.press("Опубликовать")
    await harness.send_mailings()
    await citizen.press("Пройти опрос")
    await citizen.press("Двор школы")
    await citizen.say("Качели, пишет Иван Петров из дома 12")
    clock.advance(days=8)
    await harness.deliver_all(await harness.core.run_job("polls"))
    clock.now = clock.now.replace(month=5, day=5)


def _rows(bundle: zipfile.ZipFile, path: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(bundle.read(path).decode("utf-8"))))


async def test_the_sets_from_a_known_history(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    await _history(harness, citizen, operator, clock)
    shown = (await citizen.say("/opendata"))[0]  # public data: anyone may ask
    assert shown.text.startswith("Открытые данные на 05.05.2026")
    assert (
        "· Обращения граждан, поступившие через чат-бот, по темам, месяцам и статусам: строк — 2"
        in shown.text
    )
    bundle = zipfile.ZipFile(io.BytesIO(shown.uploads["opendata-20260505.zip"]))
    version = "data-20260505-structure-20261123"

    register = _rows(bundle, "list.csv")
    assert [r["value"] for r in register] == [
        f"{INN}-{code}/meta.csv"
        for code in ("appeals", "deadlines", "satisfaction", "polls", "groups")
    ]
    appeals = _rows(bundle, f"{INN}-appeals/{version}.csv")
    assert [
        (r["month"], r["topic_code"], r["topic"], r["status"], r["count"]) for r in appeals
    ] == [
        ("2026-03", "housing", "ЖКХ", "answered", "1"),
        ("2026-03", "housing", "ЖКХ", "new", "1"),
    ]
    assert json.loads(bundle.read(f"{INN}-appeals/{version}.json"))[0]["count"] == 1

    deadlines = _rows(bundle, f"{INN}-deadlines/{version}.csv")
    by_month = {r["month"]: r for r in deadlines}
    # March: the first answer in 3 hours; nothing was due yet.
    march = by_month["2026-03"]
    assert (march["due"], march["answered"], march["median_hours"]) == ("0", "1", "3.0")
    assert march["on_time_percent"] == ""  # nothing due: no share, not 0
    # April: both due on 1 April; one answered in time, one never.
    april = by_month["2026-04"]
    assert (april["due"], april["on_time"], april["overdue"], april["on_time_percent"]) == (
        "2",
        "1",
        "1",
        "50.0",
    )
    satisfaction = _rows(bundle, f"{INN}-satisfaction/{version}.csv")
    assert [
        (r["month"], r["ratings"], r["average_score"], r["reopened"], r["completeness_percent"])
        for r in satisfaction
    ] == [("2026-03", "1", "1.0", "1", "0.0")]

    polls = _rows(bundle, f"{INN}-polls/{version}.csv")
    assert [(r["question_no"], r["option"], r["votes"], r["respondents"]) for r in polls] == [
        ("1", "Сквер на Мира", "0", "1"),
        ("1", "Двор школы № 5", "1", "1"),
        ("1", "Парк у реки", "0", "1"),
    ]  # the free-text question is not published
    group_rows = _rows(bundle, f"{INN}-groups/{version}.csv")
    assert {r["code"] for r in group_rows} >= {"business", "journalists"}
    assert {r["open"] for r in group_rows} == {"true", "false"}

    meta = dict(csv.reader(io.StringIO(bundle.read(f"{INN}-appeals/meta.csv").decode())))
    assert meta["identifier"] == f"{INN}-appeals"
    assert meta["standardversion"] == "http://opendata.gosmonitor.ru/standard/3.0"
    assert (meta["created"], meta["modified"], meta["valid"]) == (
        "20260505",
        "20260505",
        "20260601",
    )
    assert meta[version] == f"{INN}-appeals/{version}.csv"
    structure = _rows(bundle, f"{INN}-appeals/structure-20261123.csv")
    assert [(r["field name"], r["format"]) for r in structure][-1] == ("count", "integer")
    assert all(r["russian description"] and r["english description"] for r in structure)

    everything = b"".join(bundle.read(name) for name in bundle.namelist()).decode("utf-8")
    for personal in (
        APPEAL_TEXT,
        "Иван Петров",
        "Качели",
        citizen.name,
        "фонарь",
    ):
        assert personal not in everything

    # Computed once a day: the same archive again, a new one tomorrow.
    again = (await operator.say("/opendata"))[0]
    assert again.uploads == shown.uploads
    clock.advance(days=1)
    assert set((await operator.say("/opendata"))[0].uploads) == {"opendata-20260506.zip"}


async def test_the_export_keeps_earlier_versions(
    harness: Harness,
    citizen: Person,
    operator: Person,
    clock: Clock,
    tmp_path: Path,
) -> None:
    await _history(harness, citizen, operator, clock)
    earlier = tmp_path / f"{INN}-appeals" / "data-20260405-structure-20261123.csv"
    earlier.parent.mkdir()
    earlier.write_text("month,topic_code,topic,status,count\r\n", encoding="utf-8")
    written = await export_open_data(harness.core, tmp_path)
    assert len(written) == 1 + 5 * 6  # the register; per set meta, structure and data, each twice
    assert earlier.exists()
    meta = dict(csv.reader(io.StringIO((earlier.parent / "meta.csv").read_text("utf-8"))))
    assert meta["created"] == "20260405"
    assert "data-20260405-structure-20261123" in meta
    assert "data-20260505-structure-20261123" in meta
    assert {p.suffix for p in written} == {".csv", ".json"}  # no half-written file left
