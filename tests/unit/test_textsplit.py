from __future__ import annotations

import re

import pytest

from bot.i18n import to_plain
from bot.textsplit import split_html


def test_short_text_is_one_piece() -> None:
    assert split_html("<b>Привет</b>", 4096) == ["<b>Привет</b>"]


def test_cuts_at_line_breaks_and_keeps_every_character() -> None:
    lines = [f"Строка номер {i} с текстом" for i in range(400)]
    text = "\n".join(lines)
    pieces = split_html(text, 1000)
    assert len(pieces) > 1
    assert all(len(piece) <= 1000 for piece in pieces)
    assert "\n".join(pieces) == text


def test_open_tags_are_closed_and_reopened() -> None:
    text = "<b>" + "слово " * 400 + "</b>"
    pieces = split_html(text, 500)
    assert len(pieces) > 1
    for piece in pieces:
        assert len(piece) <= 500
        assert piece.startswith("<b>")
        assert piece.endswith("</b>")
    assert " ".join(to_plain(p) for p in pieces).split() == to_plain(text).split()


def test_entities_and_tags_are_never_cut() -> None:
    text = "&lt;&amp;&gt;" * 500
    for limit in (7, 10, 33, 100):
        pieces = split_html(text, limit)
        assert "".join(pieces) == text
        for piece in pieces:
            assert re.fullmatch(r"(&lt;|&amp;|&gt;)+", piece)


def test_a_word_longer_than_the_limit_is_cut_hard() -> None:
    pieces = split_html("я" * 250, 100)
    assert [len(p) for p in pieces] == [100, 100, 50]


@pytest.mark.parametrize("limit", [50, 64, 333])
def test_links_keep_their_tags(limit: int) -> None:
    text = 'Смотрите <a href="https://example.org/x">официальный сайт администрации</a>. ' * 20
    for piece in split_html(text, limit):
        assert piece.count("<a ") == piece.count("</a>")
