"""Typed button payloads: a payload is declared once, as its kind, its fixed words and its typed
parts, and both written (``encode``) and read back (``parse``) from that declaration. A payload
that does not parse (forged, garbled, from an older version) is refused in one place, the
core's, before any feature sees it; what parses arrives as typed values.

    TAKE = Payload("op", "take", ID)         # op:take:42
    TAKE.encode(42)  -> "op:take:42"
    TAKE.parse(["take", "42"]) -> (42,)"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Part:
    """A typed part of a payload: how it is read back (None: not valid)."""

    name: str
    read: Callable[[str], object | None]


def _id(raw: str) -> int | None:
    if not raw.isdigit() or len(raw) > 12:
        return None
    value = int(raw)
    return value if value > 0 else None


_KEY = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_NONCE = re.compile(r"^[0-9a-f]{6}$")


def _page(raw: str) -> int | None:
    return int(raw) if raw.isdigit() and len(raw) <= 4 else None


ID = Part("id", _id)  # a row's id: a positive integer
PAGE = Part("page", _page)  # a page of a list, from 0
INDEX = Part("index", _page)  # a place in a list (an option of a question), from 0
# The draft's nonce a flow's buttons carry: a button from an earlier draft is stale.
NONCE = Part("nonce", lambda raw: raw if _NONCE.fullmatch(raw) else None)
SCORE = Part("score", lambda raw: int(raw) if raw in ("1", "2", "3", "4", "5") else None)
KEY = Part("key", lambda raw: raw if _KEY.fullmatch(raw) else None)  # a template's key, a code


class Payload:
    def __init__(self, kind: str, *shape: str | Part) -> None:
        self.kind = kind
        self.shape = shape

    def encode(self, *values: object) -> str:
        parts = iter(values)
        written = [w if isinstance(w, str) else str(next(parts)) for w in self.shape]
        if next(parts, None) is not None:
            raise ValueError(f"too many values for {self!r}")
        return ":".join((self.kind, *written))

    def parse(self, rest: list[str]) -> tuple[object, ...] | None:
        """The typed values of a payload's parts after its kind; None when it is not this."""
        if len(rest) != len(self.shape):
            return None
        values: list[object] = []
        for raw, expected in zip(rest, self.shape, strict=True):
            if isinstance(expected, str):
                if raw != expected:
                    return None
                continue
            value = expected.read(raw)
            if value is None:
                return None
            values.append(value)
        return tuple(values)

    def __repr__(self) -> str:
        shown = ":".join(w if isinstance(w, str) else f"<{w.name}>" for w in self.shape)
        return f"Payload({self.kind}:{shown})"
