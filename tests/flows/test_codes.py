"""Codes staff commands take are shown beside the names people know, and a missing or wrong
one is answered with the list of valid ones (issue 25, item 7)."""

from __future__ import annotations

from tests.helpers.flows import file_appeal
from tests.helpers.harness import Person

SEED_GROUPS = True  # /group_members needs the groups of templates/groups.toml


async def test_a_missing_or_wrong_department_lists_them_by_name(
    citizen: Person, operator: Person
) -> None:
    await file_appeal(citizen)
    for command in ("/assign 1", "/assign 1 moon", "/operator add tg:5 moon"):
        shown = (await operator.say(command))[0].text
        assert "• Блок «Жилищно-коммунальное хозяйство» — housing" in shown, command
        assert "• Блок «Твёрдые коммунальные отходы» — waste" in shown, command
    shown = (await operator.say("/report week moon"))[0].text
    assert shown.startswith("Отдела «moon» нет. Отделы:\n• Блок")
    # What was listed works.
    assert "передано" in (await operator.say("/assign 1 waste"))[0].text


async def test_groups_show_their_code_to_staff_and_a_wrong_one_lists_them(
    citizen: Person, operator: Person
) -> None:
    assert "[business]" in (await operator.say("/groups"))[0].text
    assert "[business]" not in (await citizen.say("/groups"))[0].text
    await operator.say("/group_set ngo archive")
    for command, opening in (
        ("/group_members", "Укажите группу. Формат: /group_members код"),
        ("/group_members moon", "Группы «moon» нет. Формат: /group_members код"),
        ("/group_add moon tg:5", "Группы «moon» нет. Формат: /group_add код"),
    ):
        shown = (await operator.say(command))[0].text
        assert shown.startswith(opening), shown
        assert "• Предприниматели — business" in shown
        # Archived groups too: `/group_set ngo restore` needs the code.
        assert "• Общественные организации (в архиве) — ngo" in shown
    assert "Предприниматели" in (await operator.say("/group_members business"))[0].text


async def test_poll_templates_and_faq_codes_are_shown(citizen: Person, operator: Person) -> None:
    shown = (await operator.say("/poll_new moon"))[0].text
    assert "Шаблона «moon» нет. Есть:\n• Удовлетворённость электронными госуслугами" in shown
    assert "— egov_satisfaction" in shown
    # An FAQ answer tells staff the code /faq_set and /faq_delete take; citizens don't see it.
    await operator.send_payload("faq:e:how_to_file")
    assert "Код ответа для /faq_set и /faq_delete: how_to_file" in operator.last.text
    await citizen.send_payload("faq:e:how_to_file")
    assert "Код ответа" not in citizen.last.text
    assert "Как подать обращение через бот?" in citizen.last.text


async def test_a_wrong_qr_target_lists_the_targets_by_name(operator: Person) -> None:
    shown = (await operator.say("/qr topic-moon"))[0].text
    assert shown.startswith("Формат: /qr цель.")
    assert "• ЖКХ — topic-housing" in shown
    assert "— info-" in shown
    assert "Ссылка и QR-код" in (await operator.say("/qr topic-housing"))[0].text
