"""What each feature declares once, and the core routes from.

A feature module ends with a :class:`Feature`: its commands (who they are for, whether the
messenger's command menu shows them), its buttons (each a typed :class:`Payload` such as
``op:take:<id>`` and what pressing it does; a pressed payload is parsed here, in the core, and
refused when it matches none), the flow states whose input it handles, and its scheduled jobs.
:data:`handlers.features.REGISTRY` gathers them; the core routes commands, buttons and flow
input from it, the Telegram adapter builds its command menus and ``/help`` is built from it, and
the tests read it instead of keeping lists of their own. Two features claiming one command,
payload kind, state or job is an error at import, not a silent override.

Who may run a command is still checked by its handler (each refuses with its own words); the
audience declared here is what the menus and the tests go by, and a test holds the two
together."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from handlers.payloads import Payload

if TYPE_CHECKING:
    from handlers.access import Access
    from handlers.context import Context, Work

# A handler may be a coroutine function or a plain one (most replies need no database).
Outcome = Awaitable[None] | None
CommandRun = Callable[["Context", str], Outcome]  # (ctx, args)
InputRun = Callable[["Context"], Outcome]
Job = Callable[["Work"], Awaitable[None]]
T = TypeVar("T")


class Audience(StrEnum):
    """Whom a command is for, as the menus and /help group them."""

    EVERYONE = "everyone"
    OPERATORS = "operators"  # staff who handle appeals (operators, their heads, admins)
    HEADS = "heads"  # heads of departments, and admins
    ADMINS = "admins"
    OFFICERS = "officers"  # the anti-corruption officers

    def admits(self, access: Access) -> bool:
        """Whether a person with this access is among the audience (for /help and the menus;
        each handler still checks what it needs)."""
        if self is Audience.OPERATORS:
            return access.handles_appeals
        if self is Audience.HEADS:
            return access.admin or bool(access.heads)
        if self is Audience.ADMINS:
            return access.admin
        if self is Audience.OFFICERS:
            return access.anticorruption
        return True


@dataclass(frozen=True)
class Command:
    name: str
    run: CommandRun
    audience: Audience = Audience.EVERYONE
    # Listed in the messenger's command menu (its description is the text ``cmd-<name>``);
    # commands that need arguments to make sense, or are rare, are left out.
    in_menu: bool = False
    # The main menu's button that does the same (``m:<shortcut>``), if there is one.
    shortcut: str | None = None


@dataclass(frozen=True)
class Press:
    """A declared payload and what pressing it does: ``run(ctx, *typed values)``."""

    payload: Payload
    run: Callable[..., Outcome]


@dataclass(frozen=True)
class Buttons:
    """The buttons of one payload kind: each declared payload with what pressing it does. The
    core parses a pressed payload against them and refuses it when none matches."""

    kind: str
    presses: tuple[Press, ...]

    def __post_init__(self) -> None:
        if not self.presses:
            raise ValueError(f"buttons {self.kind!r}: no payloads declared")
        for press in self.presses:
            if press.payload.kind != self.kind:
                raise ValueError(f"{press.payload!r} declared under kind {self.kind!r}")


@dataclass(frozen=True)
class Steps:
    """Flow states whose free input (text, files, a location) ``on_input`` takes."""

    states: Collection[str]
    on_input: InputRun
    # Kept aside, not lost, when the person goes elsewhere while this holds for the flow's
    # data (an appeal whose text is written); ``reminder``, the text that tells them it waits
    # (handlers/aside.py).
    keep_aside: Callable[[Mapping[str, Any]], bool] | None = None
    reminder: str | None = None


@dataclass(frozen=True)
class Feature:
    name: str
    commands: tuple[Command, ...] = ()
    buttons: tuple[Buttons, ...] = ()
    steps: tuple[Steps, ...] = ()
    jobs: Mapping[str, Job] = field(default_factory=dict)


def family(
    names: Iterable[str],
    run: Callable[[Context, str, str], Outcome],
    audience: Audience,
    *,
    menu: Iterable[str] = (),
) -> tuple[Command, ...]:
    """Commands one handler serves by name (``run(ctx, name, args)``), in menu order."""
    shown = frozenset(menu)

    def bound(name: str) -> CommandRun:
        return lambda ctx, args: run(ctx, name, args)

    return tuple(Command(name, bound(name), audience, in_menu=name in shown) for name in names)


async def call(outcome: Outcome) -> None:
    """Runs a handler's outcome whether it was a coroutine or done already."""
    if inspect.isawaitable(outcome):
        await outcome


class Registry:
    def __init__(self, features: Iterable[Feature]) -> None:
        self.features = tuple(features)
        self.commands: dict[str, Command] = {}
        self.shortcuts: dict[str, Command] = {}
        self.buttons: dict[str, Buttons] = {}
        self.states: dict[str, Steps] = {}
        self.jobs: dict[str, Job] = {}
        for feature in self.features:
            for command in feature.commands:
                _claim(self.commands, command.name, command, feature, "command")
                if command.shortcut is not None:
                    _claim(self.shortcuts, command.shortcut, command, feature, "shortcut")
            for buttons in feature.buttons:
                _claim(self.buttons, buttons.kind, buttons, feature, "payload kind")
            for steps in feature.steps:
                for state in steps.states:
                    _claim(self.states, state, steps, feature, "state")
            for name, job in feature.jobs.items():
                _claim(self.jobs, name, job, feature, "job")
        if "m" in self.buttons:
            raise ValueError("payload kind 'm' is the main menu's (declare a shortcut instead)")

    def menu(self, *audiences: Audience) -> tuple[str, ...]:
        """The command menu's entries for these audiences, in declaration order."""
        return tuple(
            command.name
            for command in self.commands.values()
            if command.in_menu and command.audience in audiences
        )

    def of(self, audience: Audience) -> tuple[Command, ...]:
        return tuple(c for c in self.commands.values() if c.audience is audience)

    def sections(self, audience: Audience) -> tuple[tuple[str, tuple[Command, ...]], ...]:
        """The audience's commands by the feature that declares them, in registry order."""
        parts = []
        for feature in self.features:
            commands = tuple(c for c in feature.commands if c.audience is audience)
            if commands:
                parts.append((feature.name, commands))
        return tuple(parts)

    def headed(self, audience: Audience) -> bool:
        """Whether /help heads each feature's part of this audience's commands: staff
        audiences drawn from several features (a citizen's short list reads better flat)."""
        return audience is not Audience.EVERYONE and len(self.sections(audience)) > 1

    def texts_needed(self) -> frozenset[str]:
        """The texts the declarations need: a /help line per command, a title per audience
        (and per feature where the audience's list is headed), and a menu description per
        command in a menu (checked at start-up)."""
        parts = {
            f"help-part-{name}"
            for audience in Audience
            if self.headed(audience)
            for name, _ in self.sections(audience)
        }
        return frozenset(
            {f"about-{name}" for name in self.commands}
            | {f"help-title-{audience.value}" for audience in Audience}
            | {f"cmd-{c.name}" for c in self.commands.values() if c.in_menu}
            | parts
        )


def _claim(table: dict[str, T], key: str, value: T, feature: Feature, what: str) -> None:
    if key in table:
        raise ValueError(f"{what} {key!r} of {feature.name!r} is declared twice")
    table[key] = value
