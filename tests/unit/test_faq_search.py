"""Search quality: questions as people type them (other words, word forms, typos) must find
the answer that fits among the first three."""

from __future__ import annotations

import pytest

from handlers.faq.faq_catalog import FaqCatalog
from handlers.faq.faq_search import FaqSearch
from tests.helpers.settings import LOCALES, TEMPLATES

# (what a citizen types, the entry that answers it). None of these is copied from the file.
PARAPHRASES_RU = [
    ("как мне оставить жалобу через этого бота", "how_to_file"),
    ("хочу написать обращение в администрацию города", "how_to_file"),
    ("что будет с моей заявкой после того как я её отправил", "what_next"),
    ("где посмотреть, на каком этапе моё обращение", "status"),
    ("можно прикрепить фотографию ямы?", "attachments"),
    ("забыла указать номер подъезда в обращении, как добавить", "add_to_appeal"),
    ("сколько дней рассматривают обращения граждан", "deadline"),
    ("почему продлили срок ответа на мою жалобу", "extension"),
    ("прошло больше месяца а ответа так и нет", "overdue"),
    ("мою жалобу переслали в другое ведомство, почему", "redirected"),
    ("ответ меня не устроил, что теперь", "rate_answer"),
    ("можно ли пожаловаться не называя своего имени", "anonymous_appeal"),
    ("в какие дни глава принимает жителей", "reception_hours"),
    ("как попасть на приём к главе администрации", "reception_booking"),
    ("какие документы взять на личный прием", "reception_documents"),
    ("телефон справочной администрации", "reference_phone"),
    ("как получить муниципальную услугу через интернет", "gosuslugi"),
    ("как подтвердить учетную запись госуслуг", "gosuslugi_account"),
    ("где скачать открытые данные администрации", "open_data"),
    ("чиновник требует взятку что делать", "report_corruption"),
    ("не узнают ли, что это я сообщил о взяточнике", "corruption_anonymity"),
    ("как поучаствовать в публичных слушаниях по проекту", "public_discussions"),
    ("я журналист, как получать пресс-релизы", "press"),
    ("у меня есть идея как улучшить бот", "proposal"),
    ("в квартире холодные батареи уже неделю", "topic_housing"),
    ("во дворе неделю не вывозят мусорные контейнеры", "topic_waste"),
    ("на улице не горят фонари", "topic_energy"),
    ("не могу получить место в детском саду", "topic_education"),
    ("нет талонов к терапевту в поликлинике", "topic_health"),
    ("на дороге огромная яма, куда сообщить", "topic_roads"),
    ("автобус номер 5 не приходит по расписанию", "topic_transport"),
    ("не пришло пособие, куда обратиться", "topic_social"),
    ("кто видит мои персональные данные", "personal_data"),
    ("как переключить бота на английский", "language"),
    ("режим для слабовидящих", "accessible_mode"),
    # Typos and clipped words.
    ("скока ждать атвета на обращение", "deadline"),
    ("не вывазят мусар", "topic_waste"),
    ("какой закон регулирует рассмотрение обращений", "laws"),
    ("как запросить информацию у администрации по 8-фз", "information_request"),
    ("жители дома хотят вместе подать одно обращение", "collective_appeal"),
]

PARAPHRASES_EN = [
    ("how can I send a complaint with this bot", "how_to_file"),
    ("how many days until my appeal is answered", "deadline"),
    ("there is a pothole on my street", "topic_roads"),
    ("someone asked me for a bribe", "report_corruption"),
    ("the bins in our yard are overflowing", "topic_waste"),
    ("who can see my personal data", "personal_data"),
]

UNRELATED = [
    "какая завтра погода",
    "привет",
    "купить билеты в кино",
    "расскажи анекдот",
    "хочу заказать пиццу",
    "спасибо",
    "what is the weather",
]


@pytest.fixture(scope="module")
def search() -> FaqSearch:
    catalog = FaqCatalog.load(
        TEMPLATES / "faq.toml",
        TEMPLATES / "info.toml",
        LOCALES,
    )
    return FaqSearch(catalog, LOCALES)


def top3_share(search: FaqSearch, cases: list[tuple[str, str]], locale: str) -> float:
    misses = [
        (query, expected, [h.code for h in search.found(query, locale)])
        for query, expected in cases
        if expected not in [h.code for h in search.found(query, locale)]
    ]
    for miss in misses:
        print("miss:", miss)  # shown by pytest when the share falls short
    return 1 - len(misses) / len(cases)


def test_russian_paraphrases_find_their_answer_in_the_top_three(search: FaqSearch) -> None:
    assert len(PARAPHRASES_RU) >= 30
    assert top3_share(search, PARAPHRASES_RU, "ru") >= 0.9


def test_english_paraphrases_find_their_answer(search: FaqSearch) -> None:
    assert top3_share(search, PARAPHRASES_EN, "en") >= 0.9


@pytest.mark.parametrize("query", UNRELATED)
def test_unrelated_questions_find_nothing(search: FaqSearch, query: str) -> None:
    assert search.found(query, "ru") == []


def test_a_question_typed_in_russian_by_an_english_reader(search: FaqSearch) -> None:
    assert search.found("сколько ждать ответа на обращение", "en")[0].code == "deadline"
