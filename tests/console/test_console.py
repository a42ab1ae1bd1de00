"""The console demo as a new user meets it: `python -m bot` with no tokens, typed input."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

FILE_AND_ANSWER = """\
/new
1
Во дворе дома 7 по улице Гагарина прорвало трубу, вода заливает подвал
/photo
1
ул. Гагарина, 7
1
/as operator
/queue
1
/reply 1 Аварийная бригада устранила прорыв, подвал откачан.
/as citizen
/my
1
/quit
"""


def bot_env(tmp_path: Path) -> dict[str, str]:
    """The machine's environment without the bot's own settings, and a fresh database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TELEGRAM_", "VK_", "DATABASE_", "ADMINS", "STAFF_"))
    }
    env["DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'data' / 'bot.db'}"
    return env


def run_bot(tmp_path: Path, script: str, *args: str, stdin_file: bool = False) -> str:
    path = tmp_path / "script.txt"
    path.write_text(script, encoding="utf-8")
    with path.open(encoding="utf-8") as script_file:
        done = subprocess.run(
            [sys.executable, "-m", "bot", *args],
            # A pipe, as from a terminal, or a regular file (`< script.txt`).
            input=None if stdin_file else script,
            stdin=script_file if stdin_file else None,
            capture_output=True,
            text=True,
            env=bot_env(tmp_path),
            cwd=tmp_path,  # an empty folder: no developer's .env is read
            timeout=120,
            check=False,
        )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_whole_loop_in_one_terminal(tmp_path: Path) -> None:
    out = run_bot(tmp_path, FILE_AND_ANSWER)
    assert "Консольный режим" in out
    assert "[1] ЖКХ" in out
    assert "Файл добавлен (1 из 5)" in out
    assert "Обращение зарегистрировано." in out
    # The operator's copy is shown under a header while the citizen is typing.
    assert "── сообщение для operator ──" in out
    assert "Новое обращение №" in out
    assert "Теперь вы: operator." in out
    assert "Открытые обращения: 1 из 1" in out
    assert "Вы взяли в работу обращение" in out
    assert "── сообщение для citizen ──" in out
    assert "Аварийная бригада устранила прорыв, подвал откачан." in out
    my = out.split("Теперь вы: citizen.")[1]
    assert "Дан ответ" in my
    assert "Ответ 1 от " in my
    assert "Аварийная бригада устранила прорыв" in my
    assert "— взято в работу" in my
    assert out.rstrip().endswith("До свидания.")


def test_input_from_a_file_works_too(tmp_path: Path) -> None:
    out = run_bot(tmp_path, FILE_AND_ANSWER, "console", stdin_file=True)
    assert "Аварийная бригада устранила прорыв" in out


def test_a_draft_survives_a_restart(tmp_path: Path) -> None:
    first = run_bot(tmp_path, "/new\n6\nНа перекрёстке Ленина и Мира не работает светофор\n/quit\n")
    assert "Шаг 3 из 4" in first
    # A new process: the draft waits at the photo step; "Пропустить" is still button 1.
    second = run_bot(tmp_path, "/photo\n1\n1\n1\n/quit\n")
    assert "Файл добавлен (1 из 5)" in second
    assert "Тема: Дороги" in second
    assert "Текст: На перекрёстке Ленина и Мира не работает светофор" in second
    assert "Обращение зарегистрировано." in second


def test_migrate_command(tmp_path: Path) -> None:
    env_db = tmp_path / "data" / "bot.db"
    run_bot(tmp_path, "", "migrate")
    assert env_db.exists()


def test_sigterm_stops_the_bot_cleanly(tmp_path: Path) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "console"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=bot_env(tmp_path),
        cwd=tmp_path,
    )
    assert process.stdout is not None
    assert "Консольный режим" in process.stdout.readline()
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=15)
    assert process.returncode == 0, err
    assert "До свидания." in out
    assert "Traceback" not in err


FAQ_AND_INFO = """\
/faq
1
1
5
не вывазят мусар во дворе
1
где купить билеты на футбольный матч
/info
2
/propose
Добавьте, пожалуйста, запись на личный приём через бот
/start faq-deadline
/access
3
/lang
2
/faq
/as operator
/faqstats
/proposals
/qr topic-roads
/as citizen

/quit
"""


def test_faq_information_proposals_and_a_qr_code_in_the_terminal(tmp_path: Path) -> None:
    out = run_bot(tmp_path, FAQ_AND_INFO)
    # Browsing: a section by number, an answer by number, a usefulness rating.
    assert "[1] Подача обращения" in out
    assert "Нажмите «Подать обращение» или отправьте /new." in out
    assert "Спасибо! Ваша оценка: 5." in out
    # A question in one's own words, with typos, finds the answer; "1" opens it.
    found = out.split("Возможно, ответ уже есть:\n1. Что делать, если не вывозят мусор?")[1]
    assert "\nЧто делать, если не вывозят мусор?\nВыберите тему «Твёрдые" in found
    assert "Готового ответа не нашлось." in found  # the football tickets
    # The information section on reception hours.
    assert "Приём граждан\nГлава: первый и третий вторник месяца" in out
    assert "Предложение № 1 передано сотрудникам" in out
    # A deep link as from a QR code on a stand.
    assert "В какой срок дают ответ на обращение?\nПо 59-ФЗ" in out
    # The accessible mode lists every set of buttons with numbers; "3" opens the FAQ.
    accessible = out.split("Режим доступности включён")[1]
    assert "Варианты (отправьте номер):\n1. Подать обращение" in accessible
    assert "Частые вопросы. Выберите раздел — или просто напишите свой вопрос.\n" in accessible
    assert "Варианты (отправьте номер):\n1. Подача обращения" in accessible
    # English after /lang.
    assert "Options (send the number):\n1. Filing an appeal" in accessible
    # The operator's side: statistics with the unanswered question, proposals, a QR code.
    operator = out.split("Теперь вы: operator.")[1]
    assert "Что делать, если не вывозят мусор? — просмотров: 1" in operator
    assert "1 × купить билет футбольный матч" in operator  # its words, not as typed
    assert "№ 1 от " in operator and "запись на личный приём через бот" in operator
    picture = tmp_path / "data" / "qr-topic-roads.png"
    assert f"QR-код сохранён: {picture}" in operator
    assert picture.read_bytes().startswith(b"\x89PNG")
    # The terminal's own lines speak each person's language: the citizen chose English.
    back = out.split("You are now: citizen.")[1]
    assert "An empty line: nothing was sent." in back and back.rstrip().endswith("Goodbye.")


POLL = """\
/start
/as operator
/poll_new egov_satisfaction
6
/as citizen
/polls
1
1
4
2
3
7
9
Больше понятных инструкций
/polls
1
/as operator
/poll_results 1
/quit
"""


def test_a_survey_by_typed_numbers_and_its_results_as_files(tmp_path: Path) -> None:
    out = run_bot(tmp_path, POLL)
    assert "Опрос № 1 открыт. Приглашение отправлено: 1." in out
    assert "Вопрос 1 из 5" in out and "Вопрос 5 из 5" in out
    assert "  [2] ✓ Непонятная форма заявления" in out
    assert "Спасибо! Ваши ответы на опрос" in out
    assert "Повторный ответ не принимается." in out
    results = out.split("Теперь вы: operator.")[-1]
    assert "Ответили: 1 из 1 (100%)" in results
    assert "• Непонятная форма заявления — 1 (100%)" in results
    assert "Среднее: 9.0" in results
    for name in ("poll-1.png", "poll-1.xlsx", "poll-1.csv"):
        assert f"Файл сохранён: {tmp_path / 'data' / name}" in results
    assert (tmp_path / "data" / "poll-1.png").read_bytes().startswith(b"\x89PNG")


def test_a_survey_started_one_day_is_finished_after_a_restart(tmp_path: Path) -> None:
    first = run_bot(
        tmp_path,
        "/start\n/as operator\n/poll_new egov_satisfaction\n6\n"
        "/as citizen\n/polls\n1\n1\n4\n/quit\n",
    )
    assert "Вопрос 3 из 5" in first
    # A new process: the citizen goes on from question 3.
    second = run_bot(tmp_path, "/polls\n1\n6\n7\n10\nВсё устраивает, спасибо\n/polls\n/quit\n")
    assert "(начат)" in second
    assert "Продолжаем опрос «Удовлетворённость" in second
    assert "Вопрос 3 из 5" in second and "Вопрос 1 из 5" not in second
    assert "Спасибо! Ваши ответы на опрос" in second
    assert "(вы ответили)" in second


MAILING = """\
/groups
5
1
/as operator
/mailing_new
Встреча с жителями в четверг в 18:00
5
/mailings
/as citizen
/groups
/quit
"""


def test_a_mailing_to_a_reference_group_in_the_console(tmp_path: Path) -> None:
    out = run_bot(tmp_path, MAILING)
    assert "Вы в группе «Жители»" in out
    assert "Рассылка № 1: получателей 1. Отправка началась" in out
    # The citizen's copy (under a header while the operator types), with the way to stop.
    assert "Встреча с жителями в четверг в 18:00\nРассылка администрации.\n" in out
    assert "[1] Не получать рассылки" in out
    assert "5. Жители — вы в группе" in out
    assert "Итоги рассылки № 1" in out and "Доставлено: 1." in out


def test_usage_counted_before_a_restart_is_still_counted(tmp_path: Path) -> None:
    # Counts are written every few seconds and on the way out, not in each update.
    run_bot(tmp_path, "/new\n/cancel\n/quit\n")
    out = run_bot(tmp_path, "/as operator\n/usage\n/quit\n")
    assert "/new — 1" in out
    assert "/cancel — 1" in out


RATED_LOW = """\
/new
1
Во дворе дома 7 не вывозят мусор уже вторую неделю подряд
1
1
1
/as operator
/reply 1 Мусор вывезли.
/as citizen
2
1
/quit
"""


def test_numbers_press_what_was_just_read_and_run_on_through_a_card(tmp_path: Path) -> None:
    """After a low rating the reasons come first, then the live card: "1" is the first reason
    (the card's buttons are numbered on from 6), not the card's "Дополнить обращение"."""
    out = run_bot(tmp_path, RATED_LOW)
    after = out.split("Теперь вы: citizen.")[1]
    assert "  [1] Проблема не решена" in after
    assert "  [6] Дополнить обращение" in after
    assert "Причина низкой оценки (2 из 5) по обращению № 2026-00001: Проблема не решена" in after
    assert "Пришлите, что добавить" not in after


CHOICE_POLL = '''\
/start
/as operator
/poll_new
Как вы добираетесь до работы?
Чем вы пользуетесь чаще всего?
1
"""
Автобус
Трамвай
Пешком
"""
2
6
/as citizen
1
2
/quit
'''


def test_a_choice_poll_built_by_hand_with_its_options_on_several_lines(tmp_path: Path) -> None:
    out = run_bot(tmp_path, CHOICE_POLL)
    assert "Несколько строк одним сообщением" in out  # the welcome says how
    assert "Вопрос добавлен (всего: 1)." in out
    assert "Опрос № 1 открыт. Приглашение отправлено: 1." in out
    citizen = out.split("Теперь вы: citizen.")[1]
    assert "  [1] Автобус\n  [2] Трамвай\n  [3] Пешком" in citizen
    assert "Спасибо! Ваши ответы на опрос" in citizen


WRONG_TURNS = """\

/new
1
Во дворе дома 7 по улице Гагарина прорвало трубу, вода заливает подвал
1
/quit
"""


def test_an_empty_line_is_answered_the_location_step_speaks_of_the_console_and_the_log_is_a_file(
    tmp_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        input=WRONG_TURNS,
        capture_output=True,
        text=True,
        env={**bot_env(tmp_path), "LOG_LEVEL": "INFO"},
        cwd=tmp_path,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Пустая строка — ничего не отправлено." in out
    # The terminal has no paperclip: the step says how to give a location here.
    assert "отправьте геопозицию командой /geo широта долгота" in out
    assert "скрепка" not in out
    # Log lines go to the data folder's console.log, said in the welcome, not into the chat.
    log = tmp_path / "data" / "console.log"
    assert f"Журнал работы бота пишется в {log.relative_to(tmp_path)}" in out or str(log) in out
    assert "starting the console demo" in log.read_text(encoding="utf-8")
    assert "INFO" not in done.stderr and "INFO" not in out


def test_every_role_can_be_tried_and_help_lists_what_it_allows(tmp_path: Path) -> None:
    """/as head, /as clerk and /as officer are staff of their own role from the start."""
    out = run_bot(
        tmp_path,
        "/corruption\n1\n/as officer\n/help\n/ac_list\n/as clerk\n/help\n/report\n"
        "/as head\n/help\n/operators\n/quit\n",
    )
    officer, clerk, head = (
        out.split(f"Теперь вы: {who}.")[1].split("Теперь вы:")[0]
        for who in ("officer", "clerk", "head")
    )
    assert "Противодействие коррупции" in officer
    assert "/ac_reply N текст" in officer
    assert "Команды оператора" not in officer
    assert "доступна только ответственному" not in officer  # /ac_list ran
    # The clerk handles appeals, parted by feature, and may not see reports or staff.
    assert "Команды оператора" in clerk and "<i>" not in clerk
    assert "Опросы" in clerk and "/poll_edit N" in clerk
    assert "Руководителям отделов" not in clerk
    assert "Команды администратора" not in clerk
    # The head also gets reports; /operators is for admins.
    assert "Руководителям отделов" in head and "/report week" in head
    assert "Команды администратора" not in head


# --- the results page beside the console, alone, and on a taken port -----------------------


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=20) as response:  # noqa: S310 - our own server
        return response.status, response.read().decode("utf-8")


def _start(tmp_path: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**bot_env(tmp_path), "PUBLIC_WEB_PORT": "0", **env},
        cwd=tmp_path,
    )


def test_the_page_beside_the_console_at_the_address_it_prints(tmp_path: Path) -> None:
    process = _start(tmp_path)
    assert process.stdout is not None and process.stdin is not None
    address = ""
    for _ in range(20):
        line = process.stdout.readline()
        found = re.search(r"в браузере: (http://127\.0\.0\.1:\d+/)", line)
        if found:
            address = found.group(1)
            break
    assert address, "the welcome names the page's address"
    status, page = _get(address)
    assert status == 200 and "Обращения граждан: результаты" in page
    status, body = _get(address + "open311/v2/services.json")
    assert status == 200 and json.loads(body)[0]["service_code"] == "housing"
    _, err = process.communicate("/quit\n", timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_python_m_bot_web_serves_the_page_alone(tmp_path: Path) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = _start(tmp_path, "web", PUBLIC_WEB_PORT=str(port))
    try:
        for _ in range(100):
            try:
                status, page = _get(f"http://127.0.0.1:{port}/?lang=en")
                break
            except OSError:
                if process.poll() is not None:
                    raise AssertionError(process.communicate()[1]) from None
                time.sleep(0.2)
        assert status == 200 and '<html lang="en">' in page
        status, body = _get(f"http://127.0.0.1:{port}/open311/discovery.json")
        assert status == 200 and json.loads(body)["endpoints"][0]["url"].endswith("/open311/v2")
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "Traceback" not in err


def test_a_taken_port_costs_the_page_not_the_conversations(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        process = _start(tmp_path, "console", PUBLIC_WEB_PORT=str(port))
        out, err = process.communicate("/new\n/quit\n", timeout=60)
    assert process.returncode == 0, err
    assert "Шаг 1 из 4" in out or "Новое обращение" in out
    assert "в браузере" not in out  # no address that answers nothing
    log = (tmp_path / "data" / "console.log").read_text("utf-8")
    assert "the public page could not listen" in log and "PUBLIC_WEB_PORT" in log
