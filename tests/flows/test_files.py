"""Photos and documents both ways, with limits on type and size."""

from __future__ import annotations

from handlers.contracts import ChatRef, Platform
from tests.helpers.flows import APPEAL_TEXT, OPERATOR_ID
from tests.helpers.harness import Harness, Person


async def test_documents_with_the_appeal_and_in_the_answer(
    harness: Harness, citizen: Person, operator: Person
) -> None:
    await citizen.say("/new")
    await citizen.press("ЖКХ")
    await citizen.say(APPEAL_TEXT)
    assert "Файл добавлен (1 из 5)" in (await citizen.document("акт осмотра.pdf"))[0].text
    shown = await citizen.document("virus.exe")
    assert shown[0].text.startswith(
        "Такой файл не принимается. Можно приложить фото или документ: .doc"
    )
    shown = await citizen.document("скан.pdf", size=30 * 1024 * 1024)
    assert shown[0].text == "Файл слишком большой: можно до 20 МБ."
    await citizen.photo("photo-1")
    await citizen.press("Готово")
    shown = await citizen.press("Пропустить")
    assert "Файлы: 2" in shown[0].text
    await citizen.press("Отправить")
    announcement = harness.inbox[ChatRef(Platform.TELEGRAM, OPERATOR_ID)][-1]
    assert announcement.photos == ("doc-акт осмотра.pdf", "photo-1")

    await operator.press("Ответить")
    shown = await operator.document("предписание.pdf")
    assert "Нужен текст ответа" in shown[0].text
    await operator.document("предписание.pdf", caption="Управляющей компании выдано предписание.")
    assert operator.last.text == "Ответ на обращение № 2026-00001 отправлен гражданину."
    assert citizen.last.photos == ("doc-предписание.pdf",)
    assert "Управляющей компании выдано предписание." in citizen.last.text


async def test_files_do_not_cross_messengers(harness: Harness, operator: Person) -> None:
    vk_citizen = harness.person("42", platform=Platform.VK)
    await vk_citizen.say("/new")
    await vk_citizen.press("ЖКХ")
    await vk_citizen.say(APPEAL_TEXT)
    await vk_citizen.photo("photo42_456_key")
    await vk_citizen.press("Готово")
    await vk_citizen.press("Пропустить")
    await vk_citizen.press("Отправить")
    # The Telegram operator sees the announcement without the VK photo's reference.
    announcement = harness.inbox[ChatRef(Platform.TELEGRAM, OPERATOR_ID)][-1]
    assert "Файлы: 1" in announcement.text
    assert announcement.photos == ()
    await operator.press("Ответить")
    shown = await operator.document("ответ.pdf", caption="Ответ во вложении и здесь.")
    assert "вложения (1) туда не дойдут" in shown[0].text
    assert vk_citizen.last.photos == ()
    assert "Ответ во вложении и здесь." in vk_citizen.last.text
