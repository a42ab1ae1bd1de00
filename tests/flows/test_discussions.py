"""A public discussion from publication to the summary report, through the conversation core."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.helpers.flows import OPERATOR_ID, Clock
from tests.helpers.harness import Harness, Person

STALE = "Эта кнопка устарела или недоступна. Ничего не изменено."

SEED_GROUPS = True  # the discussions' audiences name groups


async def test_a_discussion_from_publication_to_summary(
    harness: Harness, citizen: Person, operator: Person, clock: Clock
) -> None:
    expert = harness.person("888", name="Ольга Эксперт")
    outsider = harness.person("999")
    await outsider.say("/start")
    for person in (citizen, expert):  # the discussion is for this reference group
        await person.say("/groups")
        await person.press("Общественные")
        await person.press("Вступить")
    await operator.say("/discussion_new")
    await operator.say("Правила благоустройства территории города")
    shown = await operator.say("Новые требования к содержанию дворов и вывозу снега.")
    assert shown[0].text.startswith("Пришлите проект документом")
    shown = await operator.document("pravila.pdf")
    assert shown[0].text.startswith("Перечислите разделы проекта")
    shown = await operator.say("1. Общие положения\n2. Уборка снега\n3. Детские площадки")
    card = shown[0].text
    number = int(card.split("№ ")[1].split(":")[0])
    assert "Разделов: 3. Документ: приложен" in card
    # The audience from a list: two groups ticked, then back to the card.
    await operator.press("Аудитория")
    await operator.press("Группа: Общественные")
    shown = await operator.press("Группа: Журналисты")
    assert shown[0].text.startswith(
        "Кому: участники групп: Общественные организации, Журналисты и СМИ."
    )
    assert "✔ Группа: Журналисты и СМИ" in [label for label, _ in shown[0].buttons]
    shown = await operator.press("К черновику")
    assert "Аудитория: участники групп: Общественные организации, Журналисты и СМИ" in shown[0].text
    shown = await operator.say("с 03.03.2026 10:00")
    assert "Открытие: 03.03.2026 10:00" in shown[0].text
    assert "Приём замечаний до: 17.03.2026 10:00" in shown[0].text
    shown = await operator.press("Опубликовать")
    assert (
        shown[-1].text
        == f"Обсуждение № {number} откроется 03.03.2026 10:00: тогда аудитория получит приглашение."
    )
    shown = await citizen.send_payload(f"dc:o:{number}")
    assert shown[0].text == STALE  # not open yet

    # The clock opens it; the invitations go through the mailer, to the group only, once.
    clock.now = clock.now.replace(day=3, hour=7, minute=1)
    assert await harness.deliver_all(await harness.core.run_job("polls")) == []
    await harness.send_mailings()
    assert await harness.core.run_job("polls") == []
    await harness.send_mailings()
    invitations = [s for s in harness.inbox[citizen.chat] if "Общественное обсуждение" in s.text]
    assert len(invitations) == 1
    assert invitations[0].text.startswith("🗣 Общественное обсуждение: Правила благоустройства")
    assert not any("Общественное обсуждение" in s.text for s in harness.inbox[outsider.chat])

    shown = await citizen.press("Прочитать и высказаться")
    assert "Разделы: 1. Общие положения; 2. Уборка снега; 3. Детские площадки" in shown[0].text
    assert shown[0].photos == ("doc-pravila.pdf",)  # the document, on its own platform
    await citizen.press("Оставить замечание")
    shown = await citizen.press("Уборка снега")
    assert "к разделу «2. Уборка снега»" in shown[0].text
    assert (await citizen.say("Коротко"))[0].text.startswith("Замечание должно быть текстом")
    shown = await citizen.say("Вывозить снег со дворов в течение суток после снегопада")
    assert shown[0].text.startswith("Спасибо! Замечание № ")
    first = int(shown[0].text.split("№ ")[1].split(" ")[0])
    staff = harness.inbox[operator.chat][-1].text
    assert staff.startswith(f"Замечание № {first} к обсуждению № {number}")
    await expert.send_payload(f"dc:c:{number}")
    await expert.press("в целом")
    await expert.say("Добавить общественный контроль за исполнением правил")
    second = first + 1

    # Decisions: a reason is required unless the comment is accepted.
    assert (await operator.say(f"/decide {first} reject"))[0].text.startswith("Формат: /decide")
    shown = await operator.say(f"/decide {first} partly Срок — 48 часов, как в СП 82.13330")
    assert shown[0].text == f"Решение по замечанию № {first} записано: учтено частично."
    told = citizen.last.text
    assert told.startswith(f"По вашему замечанию № {first} к проекту «Правила благоустройства")
    assert "учтено частично. Обоснование: Срок — 48 часов" in told
    await operator.say(f"/decide {second} accept")
    assert (await citizen.say(f"/decide {second} reject нет"))[0].text == (
        "Эта команда доступна только операторам."
    )
    listing = (await operator.say(f"/comments {number}"))[0].text
    assert f"№ {second} [-] учтено: «Добавить общественный контроль" in listing

    # The end of the period: the scheduler closes it and sends the report to everyone,
    # each in their language (the expert reads English).
    await expert.say("/lang en")
    clock.advance(days=15)
    closed = await harness.deliver_all(await harness.core.run_job("polls"))
    assert sorted(s.chat.chat_id for s in closed) == sorted([OPERATOR_ID, "501", "888"])
    report = closed[0]
    assert f"Итоги общественного обсуждения № {number}" in report.text
    assert "Замечаний и предложений: 2 от участников: 2" in report.text
    assert "Учтено: 1, учтено частично: 1, отклонено: 0, без решения: 0" in report.text
    assert "Раздел «2. Уборка снега»: 1 (учтено 0, частично 1, отклонено 0)" in report.text
    book = load_workbook(io.BytesIO(report.uploads[f"discussion-{number}.xlsx"]))
    rows = list(book["Замечания"].iter_rows(values_only=True))
    assert rows[2][1:5] == (
        "2. Уборка снега",
        "Вывозить снег со дворов в течение суток после снегопада",
        "учтено частично",
        "Срок — 48 часов, как в СП 82.13330",
    )
    assert all(citizen.name not in str(cell) for row in rows for cell in row)
    english = next(s for s in closed if s.chat.chat_id == "888")
    book = load_workbook(io.BytesIO(english.uploads[f"discussion-{number}.xlsx"]))
    assert book.sheetnames == ["Comments"]
    rows = list(book["Comments"].iter_rows(values_only=True))
    assert (
        rows[0][0] == f"Public discussion No. {number}: Правила благоустройства территории города"
    )
    assert rows[1] == ("No.", "Section", "Comment or proposal", "Decision", "Reason", "Date")
    assert (rows[2][3], rows[3][1:4]) == (
        "partly accepted",
        ("as a whole", "Добавить общественный контроль за исполнением правил", "accepted"),
    )
    assert await harness.core.run_job("polls") == []
    # After the end: comments and decisions are refused.
    shown = await citizen.send_payload(f"dc:c:{number}")
    assert shown[0].text.endswith("завершено, замечания больше не принимаются.")
    assert (await operator.say(f"/decide {first} accept"))[0].text.startswith(
        f"Обсуждение № {number} не идёт"
    )
    ended = (
        "Обсуждение «Правила благоустройства территории города» завершено, "
        "замечания больше не принимаются."
    )
    for forged, expected in (
        (f"dc:s:{number}:99", ended),
        ("dc:o:999", STALE),
        ("dc:zz", STALE),
        ("pd:pub:999", "Эта команда доступна только операторам."),
    ):
        assert (await citizen.send_payload(forged))[0].text == expected, forged
    assert (await operator.send_payload("pd:pub:999"))[0].text == STALE
