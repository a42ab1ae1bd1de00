"""Publishing an appeal's text: offered at the summary when the public page is served, shown
exactly as it would be published before the citizen agrees, taken back as easily, kept with
the appeal only when agreed, shown in /mydata and gone with /forget."""

from __future__ import annotations

import json

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.i18n import Renderer
from handlers.appeals.topics import TopicCatalog
from tests.helpers.flows import OPERATOR_ID, Clock, make_core
from tests.helpers.harness import Harness, Person

TEXT = "Я Ольга Кузнецова из кв. 12, во дворе дома 5 прорвало трубу, телефон 8-912-345-67-89"
PUBLISHED = "Я […] из кв. […], во дворе дома […] прорвало трубу, телефон […]"
STALE = "Эта кнопка устарела или недоступна. Ничего не изменено."


def _harness(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer, served: bool
) -> Harness:
    return Harness(make_core(engine, topics, Clock(), public_texts=served), renderer)


async def _to_summary(citizen: Person, text: str = TEXT) -> str:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(text)
    await citizen.press("Пропустить")
    return (await citizen.press("Пропустить"))[0].text


async def test_publishing_is_offered_previewed_and_kept_only_when_agreed(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    harness = _harness(engine, topics, renderer, served=True)
    citizen = harness.person("700", name="Ольга Кузнецова")
    summary = await _to_summary(citizen)
    assert "будут видны только тема, статус, даты, отдел и примерное место" in summary
    assert "🌐 Опубликовать текст без личных данных" in [b[0] for b in citizen.last.buttons]
    shown = (await citizen.press("Опубликовать текст"))[0]
    preview = "Текст будет опубликован на странице результатов так (без имён, цифр и контактов)"
    assert f"{preview}: «{PUBLISHED}»" in shown.text
    assert "🌐 Не публиковать текст" in [b[0] for b in shown.buttons]
    # Changed their mind: back to nothing published.
    shown = (await citizen.press("Не публиковать"))[0]
    assert "будут видны только тема" in shown.text
    await citizen.press("Опубликовать текст")
    # The text edited after agreeing: the preview follows it.
    await citizen.press("Изменить")
    await citizen.press("Текст")
    shown = (await citizen.say("Во дворе дома 5 прорвало трубу, звоните Ольге Кузнецовой"))[0]
    assert "«Во дворе дома […] прорвало трубу, звоните […]»" in shown.text
    await citizen.press("Отправить")
    data = json.loads((await citizen.say("/mydata"))[0].uploads["mydata.json"])
    assert data["appeals"][0]["published_text"] == "Во дворе дома […] прорвало трубу, звоните […]"
    assert "Публично (страница результатов, Open311)" in (await citizen.say("/mydata"))[0].text
    # Not agreed: nothing of the text is kept for publishing.
    await _to_summary(citizen, "Во дворе дома 9 не вывозят мусор уже неделю, контейнеры полны")
    await citizen.press("Отправить")
    data = json.loads((await citizen.say("/mydata"))[0].uploads["mydata.json"])
    assert data["appeals"][1]["published_text"] is None


async def test_not_offered_when_nothing_is_published(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    harness = _harness(engine, topics, renderer, served=False)
    citizen = harness.person("701")
    summary = await _to_summary(citizen)
    assert "опубликован" not in summary and "публичной" not in summary
    assert not any("Опубликовать" in label for label, _ in citizen.last.buttons)
    # A forged press of the button that was not offered changes nothing.
    nonce = citizen.last.buttons[0][1].split(":")[1]
    assert (await citizen.send_payload(f"f:{nonce}:pub"))[0].text == STALE
    await citizen.press("Отправить")
    data = json.loads((await citizen.say("/mydata"))[0].uploads["mydata.json"])
    assert data["appeals"][0]["published_text"] is None


async def test_a_stale_publish_button_changes_nothing(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    harness = _harness(engine, topics, renderer, served=True)
    citizen = harness.person("702")
    await _to_summary(citizen)
    old = next(p for label, p in citizen.last.buttons if "Опубликовать" in label)
    await citizen.press("Отправить")
    assert (await citizen.send_payload(old))[0].text == STALE
    data = json.loads((await citizen.say("/mydata"))[0].uploads["mydata.json"])
    assert data["appeals"][0]["published_text"] is None


async def test_staff_see_a_published_text_and_can_take_it_off_the_page(
    engine: AsyncEngine, topics: TopicCatalog, renderer: Renderer
) -> None:
    harness = _harness(engine, topics, renderer, served=True)
    citizen = harness.person("700", name="Ольга Кузнецова")
    operator = harness.person(OPERATOR_ID, name="Оператор")
    await _to_summary(citizen)
    await citizen.press("Опубликовать текст")
    registered = (await citizen.press("Отправить"))[0].text
    number = registered.split("Номер: ")[1].split()[0]
    # The staff's announcement and the appeal's card say what is public, and how to undo it.
    announcement = operator.last.text
    line = f"🌐 Опубликовано с согласия автора: «{PUBLISHED}». Снять с публичной страницы"
    assert f"{line}: /unpublish {number}" in announcement
    assert any(line in shown.text for shown in await operator.say(f"/take {number}"))
    # Not for citizens, not without a number.
    shown = await citizen.say(f"/unpublish {number}")
    assert shown[0].text == "Эта команда доступна только операторам."
    assert (await operator.say("/unpublish"))[0].text.startswith("Укажите номер: /unpublish N")
    shown = await operator.say(f"/unpublish {number}")
    assert shown[0].text.startswith(f"Текст обращения № {number} снят с публичной страницы")
    told = citizen.last.text
    assert told == (
        f"Текст вашего обращения № {number} снят с публичной страницы результатов. "
        "Само обращение рассматривается как прежде."
    )
    data = json.loads((await citizen.say("/mydata"))[0].uploads["mydata.json"])
    assert data["appeals"][0]["published_text"] is None
    history = (await operator.say(f"/history {number}"))[0].text
    assert "текст снят с публичной страницы — Оператор" in history
    shown = await operator.say(f"/unpublish {number}")
    assert shown[0].text == f"Текст обращения № {number} не опубликован: снимать нечего."
