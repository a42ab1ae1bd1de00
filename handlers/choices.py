"""The codes a staff command takes, listed with the names people know them by.

A command that needs a code (a department, a topic, a group, a template) answers a missing or
wrong one with this list, one entry a line: «Жилищный отдел — housing_dept», so that a code is
never something staff must find in a file."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.context import Work

MARK = "• "


def listing(entries: Iterable[tuple[str, str]]) -> str:
    """``(code, name)`` pairs as lines «name — code»; a name that is the code shows once."""
    lines = [
        f"{MARK}{name} — {code}" if name and name != code else f"{MARK}{code}"
        for code, name in entries
    ]
    return "\n".join(lines) or "—"


def departments(work: Work) -> str:
    return listing((d.code, d.name(work.locale)) for d in work.departments)


def topics(work: Work, *extra: tuple[str, str]) -> str:
    return listing([*extra, *((t.code, t.name(work.locale)) for t in work.topics)])
