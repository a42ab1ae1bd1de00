from __future__ import annotations

import pytest

from handlers.parsing import (
    AppealRef,
    parse_appeal_ref,
    parse_command,
    payload_parts,
    split_ref_and_text,
)


@pytest.mark.parametrize(
    ("text", "name", "args"),
    [
        ("/start", "start", ""),
        ("/START", "start", ""),
        ("/take@civic_bot 12", "take", "12"),
        ("/reply 5 Первая строка\nвторая", "reply", "5 Первая строка\nвторая"),
        ("  /help  ", "help", ""),
    ],
)
def test_commands(text: str, name: str, args: str) -> None:
    command = parse_command(text)
    assert command is not None
    assert (command.name, command.args) == (name, args)


@pytest.mark.parametrize("text", ["привет", "/", "/ start", "/такой", "start"])
def test_not_commands(text: str) -> None:
    assert parse_command(text) is None


@pytest.mark.parametrize(
    ("token", "ref"),
    [
        ("42", AppealRef(42, None)),
        ("2026-00042", AppealRef(42, 2026)),
        ("№42", AppealRef(42, None)),
        ("№ 7", AppealRef(7, None)),
        ("0", None),
        ("-5", None),
        ("abc", None),
        ("1" * 12, None),
    ],
)
def test_appeal_refs(token: str, ref: AppealRef | None) -> None:
    assert parse_appeal_ref(token) == ref


def test_reply_keeps_line_breaks() -> None:
    ref, text = split_ref_and_text("2026-00003\nСтрока один\nСтрока два")
    assert ref == AppealRef(3, 2026)
    assert text == "Строка один\nСтрока два"


@pytest.mark.parametrize("payload", ["", "x" * 65, "a b", "m:new\n", "я:1", "f:1:<b>"])
def test_payloads_that_are_not_ours(payload: str) -> None:
    assert payload_parts(payload) is None


def test_payload_parts() -> None:
    assert payload_parts("op:take:12") == ["op", "take", "12"]


def test_every_control_and_format_character_is_invisible() -> None:
    import sys
    import unicodedata

    from handlers.parsing import visible

    kept = {"\n", "\t"}
    missed = [
        hex(point)
        for point in range(sys.maxunicode + 1)
        if unicodedata.category(chr(point)) in ("Cc", "Cf")
        and chr(point) not in kept
        and visible(chr(point))
    ]
    assert missed == []
    assert visible("\u200b" * 30) == ""
    assert visible("Нет\u200b воды\u2060\ufeff\nв доме\t7") == "Нет воды\nв доме\t7"
    assert visible("\u3164\u2800") == ""
