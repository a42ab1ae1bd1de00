"""The hand-off to Госуслуги (547-ФЗ): with POS_FORM_URL set, whoever needs an identified,
formally registered appeal is offered the administration's form, in /info, in the FAQ and at
the summary step; without it, nothing is shown."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.appeals.topics import TopicCatalog
from tests.helpers.flows import APPEAL_TEXT, Clock, make_core
from tests.helpers.harness import Harness, Person
from tests.helpers.settings import make_settings

FORM = "https://pos.gosuslugi.ru/form/?op=12345"
NOTE = "мессенджер не подтверждает вашу личность"


async def _to_summary(citizen: Person) -> str:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(APPEAL_TEXT)
    await citizen.press("Пропустить")
    shown = await citizen.press("Пропустить")
    return shown[0].text


async def test_the_form_is_offered_where_an_identified_appeal_may_be_needed(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer, clock: Clock
) -> None:
    harness = Harness(make_core(engine, topics, clock, pos_url=FORM), renderer)
    citizen = harness.person("501")
    info = (await citizen.say("/info"))[0]
    assert NOTE in info.text and info.links == {"Подать через Госуслуги": FORM}
    answer = (await citizen.say("/start faq-pos"))[0]
    assert answer.text.startswith("Что такое Платформа обратной связи")
    assert NOTE in answer.text and answer.links == {"Подать через Госуслуги": FORM}
    unrelated = (await citizen.say("/start faq-deadline"))[0]
    assert NOTE not in unrelated.text and unrelated.links == {}

    summary = await _to_summary(citizen)
    assert NOTE in summary and "547-ФЗ" in summary
    assert citizen.last.links == {"Подать через Госуслуги": FORM}
    # The other ways from the summary are unchanged: sending here still registers it.
    shown = await citizen.press("Отправить")
    assert "Обращение зарегистрировано." in shown[0].text


async def test_without_the_setting_nothing_is_shown(harness: Harness, citizen: Person) -> None:
    info = (await citizen.say("/info"))[0]
    assert NOTE not in info.text and info.links == {}
    assert NOTE not in (await citizen.say("/start faq-pos"))[0].text
    assert NOTE not in await _to_summary(citizen)
    assert citizen.last.links == {}


@pytest.mark.parametrize(
    "url",
    ["http://pos.gosuslugi.ru/form/?op=1", "https://evil.example/form", "pos.gosuslugi.ru"],
)
def test_only_an_https_address_on_gosuslugi_is_accepted(url: str) -> None:
    with pytest.raises(ValidationError, match=r"gosuslugi\.ru"):
        make_settings(pos_form_url=url)
    assert make_settings(pos_form_url=FORM).core().pos_url == FORM
