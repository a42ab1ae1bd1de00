"""The registry the core routes from: every declared command and main-menu button reaches its
feature, staff commands refuse citizens without changing anything, and a declaration twice is
an error. The lists come from the registry, not from copies kept here."""

from __future__ import annotations

import pytest

from handlers import menu
from handlers.contracts import Text
from handlers.features import CITIZEN_MENU, REGISTRY, STAFF_MENU
from handlers.payloads import Payload
from handlers.registry import Audience, Buttons, Command, Feature, Press, Registry, Steps
from tests.helpers.harness import Harness, Person


def _plain(harness: Harness, key: str) -> str:
    return harness.renderer.render_plain("ru", (Text(key),))


async def _no_flow_started(person: Person, harness: Harness) -> None:
    shown = await person.say("/cancel")
    assert shown[-1].text == _plain(harness, "nothing-to-cancel")


async def test_every_staff_command_refuses_a_citizen_and_changes_nothing(
    harness: Harness, operator: Person
) -> None:
    staff_only = [c.name for c in REGISTRY.commands.values() if c.audience is not Audience.EVERYONE]
    assert len(staff_only) > 30
    queue_before = [s.text for s in await operator.say("/queue")]
    for number, name in enumerate(staff_only):
        citizen = harness.person(str(700 + number))  # a fresh one each time
        shown = await citizen.say(f"/{name} 1 текст")
        assert len(shown) == 1, name
        assert shown[0].text != _plain(harness, "unknown-command"), name
        assert all(p.startswith("m:") for _, p in shown[0].buttons), name
        await _no_flow_started(citizen, harness)
    assert [s.text for s in await operator.say("/queue")] == queue_before


async def test_every_citizen_command_is_answered(harness: Harness, citizen: Person) -> None:
    unexpected = {_plain(harness, "unknown-command"), _plain(harness, "button-stale")}
    for command in REGISTRY.of(Audience.EVERYONE):
        shown = await citizen.say(f"/{command.name}")
        assert shown, command.name
        assert not unexpected & {s.text for s in shown}, command.name
        await citizen.say("/cancel")


async def test_every_main_menu_button_does_what_its_command_does(
    harness: Harness, citizen: Person
) -> None:
    payloads = [b.payload for row in menu.main_keyboard().rows for b in row]
    assert payloads and all(p.startswith("m:") for p in payloads)
    for payload in payloads:
        command = REGISTRY.shortcuts[payload.removeprefix("m:")]
        by_button = [s.text for s in await citizen.send_payload(payload)]
        await citizen.say("/cancel")
        by_command = [s.text for s in await citizen.say(f"/{command.name}")]
        await citizen.say("/cancel")
        assert by_button == by_command, payload


@pytest.mark.parametrize("payload", ["m:nothing", "m", "m:new:extra", "zz:1", "f:1", "op"])
async def test_an_undeclared_or_malformed_payload_is_refused(
    payload: str, harness: Harness, citizen: Person
) -> None:
    shown = await citizen.send_payload(payload)
    assert [s.text for s in shown] == [_plain(harness, "button-stale")]
    await _no_flow_started(citizen, harness)


def test_the_menus_come_from_the_declarations() -> None:
    assert CITIZEN_MENU[0] == "start" and CITIZEN_MENU[-2:] == ("help", "cancel")
    assert STAFF_MENU[: len(CITIZEN_MENU)] == CITIZEN_MENU
    staff_part = STAFF_MENU[len(CITIZEN_MENU) :]
    assert staff_part
    assert all(REGISTRY.commands[n].audience is not Audience.EVERYONE for n in staff_part)
    # Officers' commands are not in the operators' menu; nor are commands left out of menus.
    assert "ac_list" not in STAFF_MENU and "template" not in STAFF_MENU


def test_a_second_declaration_is_an_error() -> None:
    async def nothing(*_: object) -> None:
        return None

    one = Feature("one", commands=(Command("same", lambda ctx, _: None),))
    with pytest.raises(ValueError, match="command 'same'"):
        Registry((one, Feature("two", commands=(Command("same", lambda ctx, _: None),))))
    k = (Press(Payload("k", "x"), nothing),)
    with pytest.raises(ValueError, match="payload kind 'k'"):
        Registry((Feature("a", buttons=(Buttons("k", k), Buttons("k", k))),))
    with pytest.raises(ValueError, match="state 's'"):
        Registry((Feature("a", steps=(Steps({"s"}, nothing), Steps({"s"}, nothing))),))
    with pytest.raises(ValueError, match="main menu"):
        Registry((Feature("a", buttons=(Buttons("m", (Press(Payload("m", "x"), nothing),)),)),))
    with pytest.raises(ValueError, match="declared under kind"):
        Buttons("k", (Press(Payload("other", "x"), nothing),))
    with pytest.raises(ValueError, match="no payloads"):
        Buttons("k", ())


async def test_help_lists_each_command_of_each_role_the_person_has(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    def lines(audience: Audience) -> list[str]:
        return [_plain(harness, f"about-{c.name}") for c in REGISTRY.of(audience)]

    seen = (await citizen.say("/help"))[0].text
    assert all(line in seen for line in lines(Audience.EVERYONE))
    assert _plain(harness, "help-title-operators") not in seen
    assert not any(line in seen for line in lines(Audience.OPERATORS))
    # The harness's operator is a configured admin: operators', heads' and admins' commands,
    # not the anti-corruption officers'.
    seen = (await operator.say("/help"))[0].text
    for audience in (Audience.EVERYONE, Audience.OPERATORS, Audience.HEADS, Audience.ADMINS):
        assert _plain(harness, f"help-title-{audience.value}") in seen
        assert all(line in seen for line in lines(audience))
    assert _plain(harness, "help-title-officers") not in seen


def test_a_declared_payload_is_written_and_read_from_one_declaration() -> None:
    from handlers.payloads import ID, KEY, Payload

    template = Payload("op", "tpl", ID, KEY)
    assert template.encode(42, "thanks") == "op:tpl:42:thanks"
    assert template.parse(["tpl", "42", "thanks"]) == (42, "thanks")
    for forged in (
        ["tpl", "0", "k"],
        ["tpl", "-4", "k"],
        ["tpl", "x", "k"],
        ["tpl", "4"],
        ["take", "4", "k"],
        ["tpl", "4", "k", "more"],
        ["tpl", "4", "bad key"],
    ):
        assert template.parse(forged) is None, forged


@pytest.mark.parametrize(
    "payload", ["op:take:0", "op:take:abc", "op:take:1:2", "op:tpl:1", "op:tsend:1:a b", "op:x:1"]
)
async def test_a_staff_payload_that_does_not_parse_is_refused_in_the_core(
    payload: str, harness: Harness, operator: Person
) -> None:
    shown = await operator.send_payload(payload)
    assert [s.text for s in shown] == [_plain(harness, "button-stale")]


async def test_a_well_formed_staff_payload_still_refuses_a_citizen(
    harness: Harness, citizen: Person
) -> None:
    shown = await citizen.send_payload("op:take:1")
    assert [s.text for s in shown] == [_plain(harness, "operators-only")]
