"""Splitting a long HTML text into messages a platform accepts, without breaking markup."""

from __future__ import annotations

import re

# A tag, an entity, or one character: the units a cut may fall between.
_UNIT = re.compile(r"<[^>]*>|&[#a-zA-Z0-9]+;|.", re.DOTALL)
_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^>]*)?>")
_CLOSE = re.compile(r"</([a-zA-Z][a-zA-Z0-9-]*)\s*>")


def _closing(stack: list[str]) -> str:
    return "".join(f"</{_name(tag)}>" for tag in reversed(stack))


def _name(tag: str) -> str:
    match = _OPEN.fullmatch(tag)
    return match.group(1).lower() if match else ""


def _apply(stack: list[str], unit: str) -> None:
    close = _CLOSE.fullmatch(unit)
    if close:
        name = close.group(1).lower()
        for i in range(len(stack) - 1, -1, -1):
            if _name(stack[i]) == name:
                del stack[i]
                return
    elif _OPEN.fullmatch(unit):
        stack.append(unit)


def split_html(text: str, limit: int) -> list[str]:
    """Pieces of at most ``limit`` characters, cut at a line break, else a space, else anywhere.

    Tags open at a cut are closed at the end of the piece and opened again in the next one,
    and neither a tag nor an entity such as ``&lt;`` is ever cut in two.
    """
    if len(text) <= limit:
        return [text]
    units = _UNIT.findall(text)
    pieces: list[str] = []
    start = 0
    carried: list[str] = []  # tags open where the current piece starts
    while start < len(units):
        stack = list(carried)
        size = len("".join(carried))
        end = start
        # (position after the break unit, stack there) for the last fitting break of each kind
        newline: tuple[int, list[str]] | None = None
        space: tuple[int, list[str]] | None = None
        while end < len(units):
            unit = units[end]
            after = list(stack)
            _apply(after, unit)
            if end > start and size + len(unit) + len(_closing(after)) > limit:
                break
            size += len(unit)
            stack = after
            end += 1
            if unit == "\n":
                newline = (end, list(stack))
            elif unit == " ":
                space = (end, list(stack))
        if end < len(units):
            # A line break is the best place to cut, unless it leaves the piece less than
            # half full while a space later on would not.
            half = start + (end - start) // 2
            use_newline = newline is not None and (newline[0] >= half or space is None)
            cut = newline if use_newline else (space or newline)
            if cut is not None and cut[0] > start:
                end, stack = cut[0], cut[1]
        piece = "".join(carried) + "".join(units[start:end]) + _closing(stack)
        if piece.strip():
            pieces.append(piece.strip("\n "))
        carried = stack
        start = end
    return pieces
