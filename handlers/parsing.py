"""Parsing what people type and what buttons carry. Everything here distrusts its input."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Telegram allows 64 bytes of callback data; VK 255. Our payloads stay far below both.
MAX_PAYLOAD = 64

_COMMAND = re.compile(r"^/([A-Za-z_]{1,32})(?:@[A-Za-z0-9_]{1,64})?(?:\s+(.*))?$", re.DOTALL)
_APPEAL_REF = re.compile(r"^(?:№\s*)?(?:(\d{4})-)?0*(\d{1,9})$")
_PAYLOAD = re.compile(r"^[A-Za-z0-9_:.\-]{1,64}$")


@dataclass(frozen=True, slots=True)
class Command:
    name: str
    args: str


def parse_command(text: str) -> Command | None:
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    return Command(match.group(1).lower(), (match.group(2) or "").strip())


@dataclass(frozen=True, slots=True)
class AppealRef:
    appeal_id: int
    year: int | None


def parse_appeal_ref(token: str) -> AppealRef | None:
    """``42``, ``2026-00042`` or ``№42``: the id, and the year when given."""
    match = _APPEAL_REF.fullmatch(token.strip())
    if match is None:
        return None
    year = int(match.group(1)) if match.group(1) else None
    appeal_id = int(match.group(2))
    return AppealRef(appeal_id, year) if appeal_id > 0 else None


def split_ref_and_text(args: str) -> tuple[AppealRef | None, str]:
    """``42 some text`` -> (ref 42, "some text"); the text keeps its line breaks."""
    head, _, rest = args.strip().partition(" ")
    if "\n" in head:
        head, _, extra = head.partition("\n")
        rest = extra + (" " + rest if rest else "")
    return parse_appeal_ref(head), rest.strip()


def payload_parts(payload: str) -> list[str] | None:
    """A button payload split on ':'; ``None`` when it is not one of ours."""
    if len(payload.encode()) > MAX_PAYLOAD or not _PAYLOAD.fullmatch(payload):
        return None
    return payload.split(":")


# What carries no meaning a person sees: control characters (line breaks and tabs aside),
# format characters (zero-width spaces and joiners, word joiner, BOM, direction marks, soft
# hyphen, tags) and the blank fillers used to look like text (Hangul fillers, Braille blank).
# tests/unit/test_parsing.py checks that every Cc and Cf code point is here.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891"
    "\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f"
    "\u115f\u1160\u3164\uffa0\u2800]"
)


def visible(text: str) -> str:
    """The text without what no one can see: every length limit counts what is left."""
    return _INVISIBLE.sub("", text)


def fold(text: str) -> str:
    """Text for comparing: lower case, "ё" as "е"."""
    return text.lower().replace("ё", "е")


def parse_int(value: str) -> int | None:
    return int(value) if value.isdigit() and len(value) <= 9 else None
