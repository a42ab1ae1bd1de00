"""Keyboards laid out within a channel's limits: the feature's layout when it fits, and no
button lost while the channel can show them all."""

from __future__ import annotations

import json
import logging

import pytest

from bot.capabilities import lay_out
from bot.telegram.channel import CAPABILITIES as TELEGRAM
from bot.vk.channel import CAPABILITIES as VK
from handlers.contracts import Button, Keyboard, Text


def _buttons(n: int) -> list[Button]:
    return [Button(Text("btn-raw", {"label": str(i)}), f"x:{i}") for i in range(n)]


def _payloads(rows: tuple[tuple[Button, ...], ...]) -> list[list[str]]:
    return [[b.payload for b in row] for row in rows]


def test_a_layout_that_fits_is_kept() -> None:
    keyboard = Keyboard.grid(_buttons(7), width=3)
    assert lay_out(keyboard, VK) == keyboard.rows
    assert lay_out(keyboard, TELEGRAM) == keyboard.rows
    assert lay_out(None, VK) == ()


def test_too_many_rows_are_put_side_by_side_on_vk() -> None:
    keyboard = Keyboard.column(*_buttons(9))
    rows = lay_out(keyboard, VK)
    assert len(rows) <= VK.button_rows
    assert [p for row in _payloads(rows) for p in row] == [f"x:{i}" for i in range(9)]
    assert lay_out(keyboard, TELEGRAM) == keyboard.rows  # Telegram shows nine rows


def test_a_row_too_wide_is_wrapped() -> None:
    rows = lay_out(Keyboard((tuple(_buttons(7)),)), VK)
    assert _payloads(rows) == [[f"x:{i}" for i in range(5)], ["x:5", "x:6"]]


def test_past_the_total_the_last_are_left_out_and_logged(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        rows = lay_out(Keyboard.grid(_buttons(12), width=2), VK)
    assert [p for row in _payloads(rows) for p in row] == [f"x:{i}" for i in range(10)]
    assert "12 buttons" in caplog.text


def test_the_vk_adapter_sends_the_laid_out_keyboard(vk_keyboard_json: str) -> None:
    sent = json.loads(vk_keyboard_json)
    assert sent["inline"] is True
    labels = [button["action"]["label"] for row in sent["buttons"] for button in row]
    assert labels == [str(i) for i in range(8)]
    assert len(sent["buttons"]) <= VK.button_rows


@pytest.fixture
def vk_keyboard_json(renderer: object) -> str:
    from bot.vk.channel import VkChannel

    channel = VkChannel.__new__(VkChannel)  # only the keyboard is under test: no API, no core
    channel._renderer = renderer  # type: ignore[assignment]
    made = channel._keyboard(lay_out(Keyboard.column(*_buttons(8)), VK), "ru")
    assert made is not None
    return made
