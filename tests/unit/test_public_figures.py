"""The public page's privacy rules, each on its own: what an author's published text keeps,
how small cells are merged or hidden, how coarse a published place is, and how Open311's
filters are read."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from handlers.appeals.public_text import HIDDEN, publishable
from handlers.reports.open311 import MAX_RANGE, Open311Error, grid_centre, parse_query, request_id
from handlers.reports.public_stats import department_rows, topic_rows
from storage.models import AppealStatus
from storage.repositories.reports import DepartmentRow

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2026, 4, 15, 9, 0, tzinfo=UTC)
KNOWN = {"housing", "roads"}


@pytest.mark.parametrize(
    ("text", "kept", "hidden"),
    [
        (
            "Меня зовут Анна Смирнова, телефон +7 (912) 345-67-89. Яма на дороге у школы.",
            ["Меня зовут", "Яма на дороге у школы."],
            ["Анна", "Смирнова", "912", "345", "67-89"],
        ),
        (
            "Во дворе дома 7 по улице Садовой прорвало трубу, кв. 12",
            ["Во дворе дома", "по улице Садовой прорвало трубу"],
            [" 7 ", "12"],
        ),
        (
            "Пишите на olga.k@mail.ru или в https://vk.com/id123 и @olga_k",
            ["Пишите на", "или в"],
            ["olga", "vk.com", "id123"],
        ),
        (
            "Сосед Кшепшицюльский шумит по ночам. Прошу принять меры.",
            ["Сосед", "шумит по ночам. Прошу принять меры."],
            ["Кшепшицюльский"],  # a surname the dictionary does not know, capitalised
        ),
        (
            "Иванов Пётр Сергеевич просит починить крышу",
            ["просит починить крышу"],
            ["Иванов", "Пётр", "Сергеевич"],
        ),
    ],
)
def test_a_published_text_keeps_the_problem_and_loses_the_person(
    text: str, kept: list[str], hidden: list[str]
) -> None:
    public = publishable(text)
    for part in kept:
        assert part in public, public
    for part in hidden:
        assert part not in public, public
    assert HIDDEN in public
    assert HIDDEN + " " + HIDDEN not in public  # a run of marks reads as one


def test_a_text_with_nothing_personal_is_published_as_written() -> None:
    text = "Не работает светофор на перекрёстке у рынка. Прошу починить."
    assert publishable(text) == text


def test_topics_under_the_threshold_are_merged_and_a_small_merged_split_hidden() -> None:
    counts = [
        ("housing", "new", 4),
        ("housing", "in_progress", 2),
        ("housing", "closed", 9),
        ("roads", "answered", 7),
        ("roads", "new", 1),  # one appeal in a cell: roads goes to "other topics"
        ("energy", "closed", 2),
    ]
    rows = topic_rows(counts, 5)
    assert [(r.topic, r.total, r.counts) for r in rows] == [
        ("housing", 15, (6, 0, 9)),
        (None, 10, None),  # 1 open, 7 answered, 2 closed: the split would show a 1 and a 2
    ]
    # Every group of the merged row big enough: it is split.
    rows = topic_rows([("roads", "new", 3), ("energy", "new", 4), ("waste", "closed", 9)], 5)
    assert [(r.topic, r.counts) for r in rows] == [("waste", (0, 0, 9)), (None, (7, 0, 0))]


def test_departments_under_the_threshold_are_merged_and_their_median_left_out() -> None:
    def row(code: str, due: int, on_time: int, answered: int) -> DepartmentRow:
        return DepartmentRow(code, 0, answered, due, on_time, 10.0, 0, None, 0)

    rows = department_rows([row("a", 10, 9, 12), row("b", 3, 1, 2), row("c", 2, 2, 4)], 5)
    assert [(r.department, r.due, r.on_time_share, r.answered, r.median_hours) for r in rows] == [
        ("a", 10, 0.9, 12, 10.0),
        (None, 5, 0.6, 6, None),
    ]
    rows = department_rows([row("a", 10, 9, 12), row("b", 1, 1, 1)], 5)
    assert rows[-1].department is None and rows[-1].on_time_share is None  # 1 due: hidden


def test_a_place_is_published_as_the_centre_of_its_square() -> None:
    exact = (55.75123, 37.61789)
    centre = grid_centre(*exact, 1000)
    assert centre != exact
    # Within half a square of the point, in metres.
    north = (centre[0] - exact[0]) * 111_320
    east = (centre[1] - exact[1]) * 111_320 * math.cos(math.radians(centre[0]))
    assert abs(north) <= 500 and abs(east) <= 501
    # Every point of the same square gives the same centre: nothing finer can be read.
    assert grid_centre(*centre, 1000) == centre
    for north, east in ((400, 400), (-400, 400), (400, -400), (-400, -400)):
        near = (
            centre[0] + north / 111_320,
            centre[1] + east / (111_320 * math.cos(math.radians(centre[0]))),
        )
        assert grid_centre(*near, 1000) == centre
    # A kilometre away: the next square.
    assert grid_centre(centre[0] + 1000 / 111_320, centre[1], 1000) != centre


def test_open311_dates_default_to_the_last_90_days() -> None:
    query = parse_query({}, KNOWN, NOW, MSK)
    assert query.end - query.start == MAX_RANGE and query.end > NOW
    query = parse_query({"start_date": "2026-04-01"}, KNOWN, NOW, MSK)
    assert query.start == datetime(2026, 4, 1, tzinfo=MSK) and query.end - query.start == MAX_RANGE
    query = parse_query({"end_date": "2026-04-10"}, KNOWN, NOW, MSK)
    assert query.end == datetime(2026, 4, 11, tzinfo=MSK)  # a bare end date includes the day
    query = parse_query(
        {"start_date": "2026-04-01T00:00:00Z", "end_date": "2026-04-02T12:00:00+03:00"},
        KNOWN,
        NOW,
        MSK,
    )
    assert query.start == datetime(2026, 4, 1, tzinfo=UTC)
    assert query.end == datetime(2026, 4, 2, 9, tzinfo=UTC)
    query = parse_query({"status": "open,closed", "service_code": "roads"}, KNOWN, NOW, MSK)
    assert set(query.statuses) == set(AppealStatus) and query.services == ("roads",)


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"service_code": "roads,parking"}, 404),
        ({"start_date": "2026-02-30"}, 400),
        ({"start_date": "2026-01-01", "end_date": "2026-04-02"}, 400),
        ({"start_date": "2026-04-02", "end_date": "2026-04-02T00:00:00+03:00"}, 400),
        ({"status": "open,pending"}, 400),
        ({"service_request_id": "2026-00001,x"}, 400),
    ],
)
def test_open311_bad_filters_are_refused(params: dict[str, str], code: int) -> None:
    with pytest.raises(Open311Error) as refused:
        parse_query(params, KNOWN, NOW, MSK)
    assert refused.value.code == code


def test_open311_ids_are_registration_numbers() -> None:
    assert request_id("2026-00042") == (2026, 42)
    assert request_id("42") == (None, 42)
    assert request_id("2026-0004x") is None and request_id("../1") is None
    query = parse_query({"service_request_id": "2026-00001, 7", "status": "bad"}, KNOWN, NOW, MSK)
    assert query.ids == ((2026, 1), (None, 7))  # other parameters are then ignored
    assert NOW - timedelta(days=1) < query.start <= NOW
