"""Deep links and their QR codes (segno), for stands and official pages."""

from __future__ import annotations

import io

import segno


def png(link: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()


def telegram_link(username: str, target: str) -> str:
    return f"https://t.me/{username}?start={target}"


def vk_link(group_id: int, target: str) -> str:
    return f"https://vk.me/club{group_id}?ref={target}"


def max_link(username: str, target: str) -> str:
    return f"https://max.ru/{username}?start={target}"
