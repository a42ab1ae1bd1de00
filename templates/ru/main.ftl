# Тексты бота на русском. Один ключ — один текст. Параметры в { $фигурных } скобках
# подставляет бот; разметка: <b>, <i>, <code>. Ключи и параметры в ru/ и en/ должны совпадать.

## Главное меню и общие ответы

start =
    Здравствуйте!
    Это официальный бот администрации для обращений граждан.
    Здесь можно подать обращение, следить за его статусом и получить ответ прямо в этом чате.
    Обращения рассматриваются в соответствии с 59-ФЗ: ответ — в течение 30 дней со дня регистрации.
fallback = Я не понял сообщение. Выберите действие в меню или наберите /help.
unknown-command = Такой команды нет. Выберите действие в меню или наберите /help.
button-stale = Эта кнопка устарела или недоступна. Ничего не изменено.
operators-only = Эта команда доступна только операторам.
private-only = Обращения подаются и просматриваются только в личных сообщениях с ботом — напишите ему напрямую.
nothing-to-cancel = Отменять нечего.
cancelled = Действие отменено.
error-internal = Извините, что-то пошло не так. Попробуйте ещё раз чуть позже. Код ошибки: { $code }.

## Кнопки (не длиннее 40 знаков)

btn-new = 📝 Подать обращение
btn-my = 📂 Мои обращения
btn-help = ❓ Помощь
btn-cancel = ✖ Отменить
btn-raw = { $label }
btn-skip = Пропустить
btn-done = ✔ Готово
btn-send = ✔ Отправить
btn-edit = ✏ Изменить
btn-back = ← Назад
btn-edit-topic = Тему
btn-edit-text = Текст
btn-edit-photos = Фото
btn-edit-location = Место
btn-appeal = № { $number }
btn-take = Взять в работу
btn-answer = Ответить

## Подача обращения

appeal-ask-topic = <b>Новое обращение.</b> Шаг { $step } из { $steps }: выберите тему.
appeal-topic-use-buttons = Выберите тему кнопкой ниже.
appeal-ask-text =
    Тема: { $topic }.
    Шаг { $step } из { $steps }: опишите проблему одним сообщением (от { $min } до { $max } знаков). Укажите, что случилось и где.
appeal-text-expected = Нужен текст обращения. Пожалуйста, напишите его сообщением.
appeal-text-too-short = Слишком коротко: { $length } из минимум { $min } знаков. Опишите проблему подробнее.
appeal-text-too-long = Слишком длинно: { $length } знаков при пределе { $max }. Сократите текст и отправьте снова.
appeal-ask-photos = Шаг { $step } из { $steps }: при желании приложите фото или документы — PDF, Word, Excel (до { $max }). Когда закончите — нажмите «Готово», или «Пропустить».
appeal-photo-expected = Пришлите фото или документ, или нажмите «Пропустить».
appeal-photo-added = Файл добавлен ({ $count } из { $max }). Пришлите ещё или нажмите «Готово».
appeal-photo-limit = Приложено максимальное число файлов: { $max }.
appeal-ask-location = Шаг { $step } из { $steps }: { $channel ->
        [tg] отправьте геопозицию (скрепка → «Геопозиция»)
        [vk] отправьте своё местоположение через скрепку
        [max] отправьте своё местоположение через скрепку
        [console] отправьте геопозицию командой /geo широта долгота (например, /geo 55.75 37.61)
       *[other] отправьте геопозицию
    } или напишите адрес. Можно пропустить.
appeal-location-expected = Отправьте геопозицию или напишите адрес текстом, либо нажмите «Пропустить».
appeal-address-too-long = Адрес слишком длинный (предел { $max } знаков). Напишите его короче.
appeal-summary-title = <b>Проверьте обращение</b>
appeal-publish-off = 🌐 На публичной странице результатов будут видны только тема, статус, даты, отдел и примерное место (квадрат около километра) — ни текста, ни вас.
appeal-publish-on = 🌐 Текст будет опубликован на странице результатов так (без имён, цифр и контактов): «{ $text }»
btn-publish-on = 🌐 Опубликовать текст без личных данных
btn-publish-off = 🌐 Не публиковать текст
appeal-summary-question = Всё верно? Отправить обращение?
appeal-confirm-use-buttons = Пожалуйста, выберите действие кнопкой.
appeal-edit-what = Что изменить?
appeal-cancelled = Обращение не отправлено, черновик удалён.
appeal-draft-pending = У вас есть неотправленное обращение.
    Тема: { $topic }
    Текст: { $text }
    Продолжить его — или начать новое (этот черновик будет удалён)?
btn-draft-resume = Продолжить это обращение
btn-draft-restart = 🗑 Начать новое
appeal-kept-aside = 📝 Обращение, которое вы начали, не отправлено и сохранено: вернуться к нему — /new.
appeal-draft-incomplete = В черновике не хватает данных. Давайте заполним его заново, начиная с темы.
appeal-registered =
    ✅ Обращение зарегистрировано.
    Номер: <b>{ $number }</b> от { $date }.
    Ответ будет дан не позднее <b>{ $due }</b> (в течение { $days } { $days ->
        [one] дня
       *[other] дней
    } по 59-ФЗ). О каждом изменении статуса мы сообщим здесь.

## Строки карточки обращения

line-topic = Тема: { $topic }
line-text = Текст: { $text }
line-photos = Файлы: { $count }
line-address = Адрес: { $address }
line-coordinates = Геопозиция: { $lat }, { $lon }
line-no-place = Место: не указано
line-published = 🌐 Опубликовано с согласия автора: «{ $text }». Снять с публичной страницы: /unpublish { $number }
line-channel = Канал: { $channel ->
        [tg] Telegram
        [vk] ВКонтакте
        [max] MAX
       *[other] консоль
    }
line-answer = <b>Ответ { $n } от { $date }:</b> { $answer }
line-rating = Оценка гражданина: { $score } из 5 — { $reason }
line-rating-good = Оценка гражданина: { $score } из 5
line-rating-comment = Комментарий: { $comment }

status-new = Зарегистрировано
status-in-progress = В работе
status-answered = Дан ответ
status-closed = Закрыто

## Мои обращения

my-empty = У вас пока нет обращений. Подать первое — кнопка ниже или /new.
my-header = <b>Ваши обращения</b> (показано { $shown } из { $total }). Нажмите на номер, чтобы открыть.
appeal-line = { $urgent ->
        [yes] ⚡{" "}
       *[no] {""}
    }№ { $number } от { $date } · { $topic } · { $status } · срок { $due }{ $overdue ->
        [yes] {" "}· просрочено
       *[no] {""}
    }
appeal-card = <b>Обращение № { $number }</b> от { $date }
    Статус: { $status }
    Срок ответа: { $due }
history-title = <b>История:</b>
history-line = { $when } — { $action }
history-create = зарегистрировано
history-take = взято в работу
history-answer = дан ответ
history-close = закрыто
history-unpublish = текст снят с публичной страницы

## Операторы

staff-new-appeal =
    <b>Новое обращение № { $number }</b>
    От: { $name } ({ $channel ->
        [tg] Telegram
        [vk] ВКонтакте
        [max] MAX
       *[other] консоль
    }), { $date }
    Срок ответа: { $due }
queue-empty = Открытых обращений нет.
queue-header = <b>Открытые обращения</b>: { $shown } из { $total }, сначала самые старые.
op-appeal-not-found = Обращение { $ref } не найдено.
op-transition-refused = Обращение № { $number } в статусе «{ $status }»: { $action } сейчас нельзя. Ничего не изменено.
action-create = зарегистрировать
action-take = взять в работу
action-answer = ответить
action-close = закрыть
op-usage-take = Укажите номер: /take N
op-usage-reply = Укажите номер и текст ответа: /reply N текст
op-usage-close = Укажите номер: /close N
op-usage-unpublish = Укажите номер: /unpublish N — снять опубликованный текст обращения N с публичной страницы и из Open311.
op-taken = Вы взяли в работу обращение № { $number }.
op-reply-prompt = Напишите ответ на обращение № { $number } одним сообщением (до { $max } знаков). /cancel — отменить.
op-reply-text-expected = Нужен текст ответа. Напишите его сообщением или /cancel.
op-answer-too-long = Ответ слишком длинный: { $length } знаков при пределе { $max }.
op-answered = Ответ на обращение № { $number } отправлен гражданину.
op-closed = Обращение № { $number } закрыто.
op-unpublished = Текст обращения № { $number } снят с публичной страницы и из Open311 (страница обновится в течение нескольких минут). Автору придёт уведомление.
op-unpublish-none = Текст обращения № { $number } не опубликован: снимать нечего.

## Уведомления гражданину

citizen-appeal-taken = Ваше обращение № { $number } взято в работу.
citizen-answer = <b>Ответ на ваше обращение № { $number }</b>
citizen-answer-body = { $answer }
citizen-appeal-closed = Ваше обращение № { $number } закрыто. Спасибо, что обратились.
citizen-unpublished = Текст вашего обращения № { $number } снят с публичной страницы результатов. Само обращение рассматривается как прежде.

## Меню команд Telegram (не длиннее 256 знаков)

cmd-start = Главное меню
cmd-new = Подать обращение
cmd-my = Мои обращения
cmd-help = Помощь
cmd-cancel = Отменить текущее действие
cmd-queue = Очередь открытых обращений
cmd-take = Взять обращение в работу: /take N
cmd-reply = Ответить: /reply N текст
cmd-close = Закрыть обращение: /close N

## Консоль

console-welcome =
    Консольный режим: вы говорите с ботом как житель ({ $identity }).
    Кнопки пронумерованы — наберите номер, чтобы нажать.
    Роли: /as operator — администратор (все права), /as head — руководитель отдела,
    /as clerk — оператор отдела, /as officer — ответственный за антикоррупцию, /as citizen — снова житель.
    /photo [подпись] — приложить фото, /file имя.pdf [подпись] — приложить документ,
    /geo ШИРОТА ДОЛГОТА — геопозиция, /quit — выход.
    Несколько строк одним сообщением (варианты опроса, ответ): строка """, затем текст, затем снова """.
    Журнал работы бота пишется в { $log }.
console-web = Страница результатов и Open311 — в браузере: { $address }
console-empty = Пустая строка — ничего не отправлено. Напишите текст или номер кнопки; /help — что умеет бот, /quit — выход.
console-paste = Вводите строки; закончите строкой """.
console-as = Теперь вы: { $identity }.
console-unknown-identity = Неизвестная роль. Доступно: { $known }.
console-to = ── сообщение для { $identity } ──
console-geo-usage = Формат: /geo 55.75 37.61
console-card = ── карточка обращения (в мессенджере она обновляется на месте) ──
console-bye = До свидания.
console-qr = QR-код сохранён: { $path }
console-file = Файл сохранён: { $path }

## Отделы и роли

line-department = Ответственный: { $department }
op-not-your-department = Обращение № { $number } ведёт { $department }; вам оно недоступно. Ничего не изменено.
op-usage-assign =
    Укажите номер и отдел: /assign N отдел. Отделы:
    { $departments }
op-unknown-department =
    Такого отдела нет. Отделы:
    { $departments }
op-assign-not-allowed = Передать обращение № { $number } может администратор или руководитель отдела, который его ведёт.
op-assign-same = Обращение № { $number } уже ведёт { $department }.
op-assigned = Обращение № { $number } передано: { $department }.
citizen-appeal-assigned = Ваше обращение № { $number } передано для рассмотрения: { $department }.
op-usage-history = Укажите номер: /history N
history-header = <b>История обращения № { $number }</b>
history-staff-line = { $when } — { $action } — { $who }
history-staff-line-note = { $when } — { $action } — { $who } ({ $note })
history-assign = передано в другой отдел
action-assign = передать в другой отдел
admins-only = Эта команда доступна только администраторам.
staff-usage =
    Управление сотрудниками:
    /operator add tg:ID отдел [operator|head] — добавить в отдел оператором или руководителем
    /operator add tg:ID admin|anticorruption — администратор или ответственный за антикоррупцию
    /operator remove tg:ID [отдел] — убрать из отдела или из всех ролей
    /operators — список
    Человек указывается как tg:ID, vk:ID или max:ID — мессенджер и номер.
    Отделы:
    { $departments }
staff-added = { $person }: { $role }.
staff-removed = { $person }: снято ролей — { $count }.
staff-configured-admin = { $person } — администратор из настройки ADMINS; эту роль меняют в конфигурации.
staff-header = <b>Сотрудники</b>
staff-line = { $person } — { $role }
role-admin = администратор
role-head = руководитель: { $department }
role-operator = оператор: { $department }
role-anticorruption = ответственный за противодействие коррупции
role-configured = администратор (ADMINS)
cmd-assign = Передать обращение в другой отдел
cmd-history = История обращения: /history N
cmd-opendata = Открытые данные: сводные показатели
cmd-report = Отчёт за неделю, месяц или квартал
cmd-usage = Как пользуются ботом

## Сроки (59-ФЗ)

appeal-fast-track = ⚡ Обращение рассмотрят в ускоренном порядке.
extend-usage = Формат: /extend N дней причина (не больше { $max } дней, причину сообщим гражданину).
extend-too-long = Продлить можно не больше чем на { $max } дней.
extend-reason-too-long = Причина слишком длинная (предел { $max } знаков).
extend-not-allowed = Продлить срок обращения № { $number } может администратор или руководитель отдела.
extend-once = Срок обращения № { $number } уже продлевался (сейчас — до { $due }); 59-ФЗ разрешает продлить один раз.
extend-done = Срок обращения № { $number } продлён до { $due }; гражданин уведомлён.
citizen-extended =
    Срок рассмотрения вашего обращения № { $number } продлён до { $due } (ч. 2 ст. 12 59-ФЗ).
    Причина: { $reason }
overdue-ping = ⏰ Просрочено обращение № { $number } ({ $topic }, { $department }): срок ответа истёк { $due }.
overdue-summary = ⏰ Срок ответа истёк сразу у { $count } { $count ->
        [one] обращения
       *[other] обращений
    }. Старейшие первыми:
overdue-summary-more = …и ещё { $more }. Все открытые обращения — /queue.
digest-header = <b>Сводка по срокам на { $date }</b>: просрочено — { $overdue }, срок в ближайшие { $days } дн. — { $soon }.
history-extend = срок продлён
history-overdue = срок ответа истёк
action-extend = продлить срок
action-overdue = отметить просрочку
cmd-extend = Продлить срок: /extend N дней причина

## Оценка ответа

rate-ask = Оцените, пожалуйста, ответ: 1 — совсем не помог, 5 — вопрос решён.
rate-button = { $score }
rate-thanks = Спасибо за оценку { $score }! Обращение № { $number } закрыто.
rate-reopened = Жаль, что ответ не помог. Обращение № { $number } возобновлено, руководитель отдела уведомлён.
rate-ask-reason = Что было не так? Выберите причину или напишите своими словами.
rate-reason-not_solved = Проблема не решена
rate-reason-not_to_the_point = Ответ не по существу
rate-reason-formal = Формальная отписка
rate-reason-late = Ответили слишком поздно
rate-reason-rude = Некорректный тон
rate-no-reason = причина не указана
rate-reason-thanks = Спасибо, причина передана руководителю. Мы вернёмся с ответом по обращению № { $number }.
rate-refused = Оценку этого ответа по обращению № { $number } поставить уже нельзя: она есть, или обращение изменилось.
rate-reason-text-expected = Напишите причину текстом или выберите её кнопкой.
rate-reason-too-long = Слишком длинно (предел { $max } знаков).
escalation-low-rating = ⚠ Низкая оценка ({ $score } из 5) ответа по обращению № { $number } ({ $department }). Обращение возобновлено.
escalation-reason = Причина низкой оценки ({ $score } из 5) по обращению № { $number }: { $reason }
history-reopen = возобновлено после низкой оценки
action-reopen = возобновить
satisfaction-header = <b>Удовлетворённость ответами по отделам</b>
satisfaction-line = { $department }: средняя оценка { $average }, оценок — { $count }, низких (1–2) — { $low }
satisfaction-empty = Оценок пока нет.

## Уточнение

ask-usage = Формат: /ask N вопрос гражданину
ask-too-long = Слишком длинно (предел { $max } знаков).
ask-sent = Вопрос по обращению № { $number } отправлен гражданину; статус — «нужна информация».
citizen-question =
    По вашему обращению № { $number } у нас вопрос:
    { $question }
    Нажмите «Ответить на вопрос» или просто напишите ответ (можно с фото).
btn-reply-question = Ответить на вопрос
clarify-not-waiting = По обращению № { $number } сейчас нет вопроса, ожидающего ответа.
clarify-finish-draft-first = Сначала завершите или отмените черновик нового обращения (/cancel), затем ответьте на вопрос.
clarify-prompt = Напишите ответ на вопрос по обращению № { $number } (можно приложить фото).
clarify-expected = Нужен текст или фото. Напишите ответ на вопрос.
clarify-thanks = Спасибо! Ответ приложен к обращению № { $number }, оператор уведомлён.
clarify-received = Гражданин ответил на вопрос по обращению № { $number } (фото: { $photos }):
    { $text }
status-needs-info = Нужна информация
history-ask = задан вопрос гражданину
history-clarify = гражданин ответил на вопрос
action-ask = задать вопрос
action-clarify = принять ответ гражданина
line-question = Вопрос ({ $date }): { $text }
line-reply = Ответ гражданина ({ $date }, фото: { $photos }): { $text }
cmd-ask = Задать вопрос гражданину: /ask N текст

## Шаблонные ответы

btn-template = Шаблон: { $tpl }
btn-send-template = ✔ Отправить как есть
template-unknown =
    Шаблона #{ $tpl } нет. Для темы «{ $topic }» подходят:
    { $fitting }
template-wrong-topic =
    Шаблон #{ $tpl } не подходит к теме «{ $topic }». Подходят:
    { $fitting }
template-unknown-topic =
    Неизвестная тема. Темы:
    { $topics }
templates-empty = Шаблонов нет.
templates-header = <b>Шаблоны ответов</b>
templates-line = <b>{ $title }</b> — #{ $tpl } ({ $topics }): { $preview }
templates-any-topic = любая тема
templates-usage = Ответить по шаблону: /reply N #ключ [дополнение]. Добавить или изменить: /template set #ключ темы [Название |] текст
template-deleted = Шаблон #{ $tpl }, созданный в боте, удалён (если такой есть в файле — действует он).
template-not-in-bot = Шаблона #{ $tpl }, созданного в боте, нет; шаблоны из файла меняют в templates/replies.toml.
template-usage =
    /template set #ключ темы [Название |] текст — добавить или изменить шаблон (темы через запятую или *; название — на кнопке)
    /template delete #ключ — удалить шаблон, созданный в боте
template-bad-key = Ключ шаблона: латинские буквы, цифры и «_», до 32 знаков.
template-invalid = Шаблон не сохранён: { $problems }. Можно использовать: { $allowed }
template-saved = Шаблон #{ $tpl } сохранён.
template-preview = <b>Ответ на обращение № { $number } по шаблону «{ $title }» (#{ $tpl }):</b>
template-preview-hint = Нажмите «Отправить как есть» или напишите дополнение — оно будет добавлено в конце. /cancel — отменить.
cmd-templates = Шаблоны ответов

## Сообщения о коррупции

btn-corruption = 🛡 Сообщить о коррупции
ac-intro =
    <b>Сообщение о коррупции.</b> Опишите, что произошло: кто, где, когда (не меньше { $min } знаков).
    По умолчанию сообщение анонимно: ответственный за противодействие коррупции не увидит ни имени, ни аккаунта.
ac-length = Нужно от { $min } до { $max } знаков, сейчас { $length }.
ac-ask-contact = Сообщение останется анонимным, или вы разрешаете связаться с вами по поводу него?
ac-choose = Выберите вариант кнопкой.
btn-ac-anonymous = Отправить анонимно
btn-ac-contact = Можно связаться со мной
ac-cancelled = Сообщение не отправлено.
ac-registered-anonymous = Сообщение зарегистрировано под номером АК-{ $number }. Оно анонимно: мы не знаем, кто его отправил, поэтому ответить не сможем.
ac-registered-contact = Сообщение зарегистрировано под номером АК-{ $number }. Ответственный за противодействие коррупции свяжется с вами здесь.
ac-card = <b>Сообщение о коррупции АК-{ $number }</b> от { $date }
ac-card-anonymous = Автор: анонимно
ac-card-contact = Автор разрешил связаться: { $name } ({ $account })
ac-card-answer = Ответ: { $answer }
anticorruption-only = Эта команда доступна только ответственному за противодействие коррупции.
ac-list-empty = Сообщений о коррупции нет.
ac-reply-usage = Формат: /ac_reply N текст
ac-reply-anonymous = Сообщение АК-{ $number } анонимное: ответить автору нельзя.
ac-reply-sent = Ответ на сообщение АК-{ $number } отправлен.
ac-citizen-answer = <b>Ответ на ваше сообщение о коррупции АК-{ $number }</b>
cmd-corruption = Сообщить о коррупции

## Похожие обращения и объединение

similar-header = <b>Похожие открытые обращения:</b>
similar-hint = Если это ваша проблема, можно не подавать новое, а следить за уже поданным: вы будете получать все новости по нему.
btn-follow = Следить за № { $number }
follow-closed = Это обращение уже закрыто; подайте своё.
follow-done = Вы будете получать новости по обращению № { $number }. Своё обращение не отправлено.
follower-news = <i>Новости по обращению, за которым вы следите:</i>
merge-usage = Формат: /merge N M — обращение M (дубликат) объединить с обращением N.
merge-same = Нельзя объединить обращение с самим собой.
merge-done = Обращение № { $duplicate } объединено с № { $main }; его автор будет получать новости по № { $main }.
citizen-merged = Ваше обращение № { $duplicate } объединено с обращением № { $main } о той же проблеме. Ответ и все новости по № { $main } придут вам сюда.
history-merge = объединено с другим обращением
history-absorb = к обращению присоединён дубликат
action-merge = объединить
action-absorb = присоединить дубликат
cmd-merge = Объединить дубликаты: /merge N M

## Файлы

file-type-refused = Такой файл не принимается. Можно приложить фото или документ: { $types } (до { $max } МБ).
file-too-large = Файл слишком большой: можно до { $max } МБ.
op-files-not-delivered = Гражданин пишет из другого мессенджера ({ $channel ->
        [tg] Telegram
        [vk] ВКонтакте
        [max] MAX
       *[other] консоль
    }): текст ответа отправлен, а вложения ({ $count }) туда не дойдут.

## Живая карточка обращения

card-title = <b>Обращение № { $number }</b> · { $status }
card-due = Срок ответа: { $due }{ $extended ->
        [yes] {" "}(продлён)
       *[no] {""}
    }
card-now-new = Ждёт оператора.
card-now-in-progress = Рассматривается.
card-now-needs-info = Нужен ваш ответ на вопрос оператора.
card-now-answered = Дан ответ. Оцените его, пожалуйста.
card-now-closed = Рассмотрение завершено.
btn-card-open = Подробнее

## Темы в чате сотрудников и дополнения гражданина
# Название темы форума (до 128 знаков, без разметки).
thread-title = № { $number } · { $topic } · { $status }
btn-add-to-appeal = Дополнить обращение
clarify-add-prompt = Напишите, что добавить к обращению № { $number } (можно приложить фото или документ).
clarify-add-thanks = Дополнение приложено к обращению № { $number }, сотрудники уведомлены.
clarify-add-closed = Обращение № { $number } уже рассмотрено, дополнить его нельзя. Если вопрос остался, подайте новое обращение.
clarify-add-received = Гражданин дополнил обращение № { $number } (файлов: { $photos }):
    { $text }
history-add = гражданин дополнил обращение
action-add = дополнить обращение
line-addition = Дополнение гражданина ({ $date }, файлов: { $photos }): { $text }

## Частые вопросы, информация, предложения, язык, доступность
btn-faq = ❓ Частые вопросы
btn-info = ℹ️ Информация
btn-propose = 💡 Предложить улучшение
cmd-faq = Частые вопросы
cmd-info = Контакты и порядок работы
cmd-propose = Предложить улучшение
cmd-lang = Язык / Language
cmd-access = Режим доступности
faq-categories = <b>Частые вопросы.</b> Выберите раздел — или просто напишите свой вопрос.
faq-category = <b>{ $category }</b>
faq-list-line = { $n }. { $question }
btn-faq-more = Ещё вопросы
btn-faq-categories = ← Все разделы
btn-faq-back = ← { $category }
btn-faq-file = 📝 Не нашли ответ? Подать обращение
faq-answer =
    <b>{ $question }</b>
    { $answer }
faq-code = <i>Код ответа для /faq_set и /faq_delete: { $code }</i>
faq-rate-prompt = Насколько полезен ответ? 1 — бесполезен, 5 — очень полезен.
faq-rated = Спасибо! Ваша оценка: { $score }.
faq-rated-again = Оценка изменена: { $score }.
faq-found = Возможно, ответ уже есть:
faq-found-hint = Нажмите номер вопроса. Если ответа нет, подайте обращение.
faq-nothing-found = Готового ответа не нашлось. Подайте обращение — его рассмотрят в течение 30 дней — или выберите действие в меню.
voice-please-text = Голосовые сообщения бот, к сожалению, не распознаёт. Пожалуйста, напишите текстом.
deflect-title = Это ответ на ваш вопрос?
deflect-hint = Нажмите номер, чтобы прочитать ответ. Если он не помог, продолжите обращение — ваш текст сохранён.
btn-deflect-back = ← К предложенным ответам
btn-deflect-continue = Нет, продолжить обращение
deflect-use-buttons = Выберите ответ по номеру или нажмите «Нет, продолжить обращение».
faqstats-title = <b>Частые вопросы</b>: просмотров { $views }, оценённых ответов { $ratings }.
faqstats-popular = <b>Самые просматриваемые</b>
faqstats-lowest = <b>С самой низкой оценкой</b>
faqstats-unanswered = <b>Частые вопросы без ответа</b>
faqstats-line = { $question } — просмотров: { $views }, оценка: { $average } ({ $count })
faqstats-unanswered-line = { $count } × { $text }
faqstats-none = —
faq-set-usage = Формат: /faq_set код раздел ru|en Вопрос? | Ответ. Код — латиница, цифры, «_».
faq-unknown-category =
    Нет такого раздела. Разделы:
    { $categories }
faq-set-too-long = Слишком длинно: вопрос — до { $question } знаков, ответ — до { $answer }.
faq-set-added = Ответ «{ $code }» ({ $locale }) добавлен и сразу доступен в поиске.
faq-set-changed = Ответ «{ $code }» ({ $locale }) изменён.
faq-delete-usage = Формат: /faq_delete код
faq-delete-none = Ответ «{ $code }» не добавлялся и не менялся в боте. Ответы из файла правятся в templates/faq.toml.
faq-made-in-bot =
    Добавлены или изменены в боте:
    { $made }
faq-delete-file = Изменения ответа «{ $code }» из бота удалены; действует вариант из файла.
faq-deleted = Ответ «{ $code }» удалён.
faq-reload-failed =
    Файлы не перечитаны: в них ошибка. Работает прежнее содержимое.
    { $error }
faq-reloaded = Файлы перечитаны: ответов { $entries }, разделов { $categories }, информационных разделов { $sections }.
info-title = <b>Информация.</b> Выберите раздел:
info-section =
    <b>{ $title }</b>
    { $text }
btn-info-back = ← Все разделы
proposal-prompt = Напишите ваше предложение: как улучшить бот, сайт или открытость администрации (не меньше { $min } знаков). /cancel — отменить.
proposal-length = Нужно от { $min } до { $max } знаков, сейчас { $length }. Напишите ещё раз или /cancel.
proposal-thanks = Спасибо! Предложение № { $number } передано сотрудникам, ответ придёт сюда.
proposal-received =
    <b>Предложение № { $number }</b>
    { $text }
    Ответить: /proposal_reply { $number } текст
proposals-empty = Предложений пока нет.
proposals-title = <b>Последние предложения</b>
proposals-line = № { $number } от { $date } { $answered ->
        [yes] (отвечено)
       *[no] (ждёт ответа)
    }: { $text }
proposal-reply-usage = Формат: /proposal_reply N текст ответа
proposal-not-found = Предложения № { $number } нет.
proposal-already-answered = На предложение № { $number } уже ответили.
proposal-answered = Ответ на предложение № { $number } отправлен.
proposal-answer =
    <b>Ответ на ваше предложение № { $number }</b>
    { $text }
lang-choose = Выберите язык / Choose the language:
lang-set = Язык: русский.
access-on = Режим доступности включён: без эмодзи, а кнопки дублируются списком — можно отправить номер. Выключить: /access.
access-off = Режим доступности выключен.
access-choices = Варианты (отправьте номер):
access-choice = { $n }. { $label }
deeplink-unknown = Ссылка, по которой вы пришли, никуда не ведёт: возможно, в ней опечатка или раздел убран. Вот главное меню.
pos-note = Обращение здесь рассматривается как любое другое, но мессенджер не подтверждает вашу личность; если нужно официально зарегистрированное обращение от вашего имени (547-ФЗ), подайте его через Госуслуги.
btn-pos = Подать через Госуслуги
qr-usage =
    Формат: /qr цель. Цели: new (подать обращение), faq, info, faq-код ответа (код показан под ответом FAQ), а также:
    { $targets }
qr-caption = Ссылка и QR-код для «{ $target }»:
cmd-faqstats = Статистика частых вопросов
cmd-proposals = Предложения граждан
cmd-qr = Ссылка и QR-код: /qr цель

## Опросы и анкеты
cmd-polls = Опросы
polls-none = Сейчас нет открытых опросов для вас. Мы сообщим, когда появится новый.
polls-title = <b>Открытые опросы</b> — нажмите номер:
polls-line = { $n }. { $title } — вопросов: { $questions }, до { $until }{ $progress ->
        [done] {" "}(вы ответили)
        [started] {" "}(начат)
       *[new] {""}
    }
btn-poll-take = 📊 Пройти опрос
poll-closed = Опрос «{ $title }» закрыт, ответы больше не принимаются.
poll-not-for-you = Этот опрос проводится для другой аудитории.
poll-try-again = Не получилось начать опрос, нажмите кнопку ещё раз.
poll-intro =
    <b>{ $title }</b>
    { $description }
    Вопросов: { $questions }. Принимаем ответы до { $until }. { $anonymous ->
        [yes] Опрос анонимный: в итогах не будет видно, кто как ответил.
       *[no] Опрос именной: организаторы увидят ваше имя рядом с ответами.
    }
poll-resume = Продолжаем опрос «{ $title }» с того места, где вы остановились.
btn-poll-change = ✏️ Изменить ответы
poll-already-done = Вы уже ответили на опрос «{ $title }». Повторный ответ не принимается.
poll-already-done-change = Вы уже ответили на опрос «{ $title }». До закрытия опроса ответы можно изменить.
poll-question = <b>Вопрос { $n } из { $total }</b>
    { $text }
poll-text-prompt = Напишите ответ одним сообщением (не больше { $max } знаков).
poll-option-chosen = ✓ { $label }
btn-poll-done = Готово ➡️
poll-multi-hint = Отметьте один или несколько вариантов и нажмите «Готово».
poll-scale-hint = Оценка от 1 до { $top }.
poll-question-passed = Этот вопрос уже позади. Текущий вопрос:
poll-thanks = Спасибо! Ваши ответы на опрос «{ $title }» приняты.{ $change ->
        [yes] { " " }До { $until } их можно изменить через /polls.
       *[no] {""}
    }{ $share ->
        [yes] { " " }Итоги придут сюда после закрытия опроса.
       *[no] {""}
    }
poll-choose-one = Отметьте хотя бы один вариант.
poll-text-only = Ответьте текстом.
poll-text-too-long = Ответ слишком длинный: { $length } знаков, можно не больше { $max }. Сократите, пожалуйста.
poll-announce =
    📊 <b>Новый опрос: { $title }</b>
    { $description }
    Вопросов: { $questions }. Ответы принимаются до { $until }.
poll-reminder = ⏰ Опрос «{ $title }» закрывается { $until }. Вы ещё не ответили — это займёт пару минут.
poll-results-header =
    <b>Итоги опроса № { $number } «{ $title }»</b> ({ $status ->
        [closed] закрыт
       *[open] идёт
    })
    Ответили: { $respondents } из { $audience } ({ $rate }%)
poll-results-question = {""}
    <b>{ $n }. { $text }</b> (ответов: { $answered })
poll-results-option = • { $option } — { $count } ({ $percent }%)
poll-results-mean = Среднее: { $mean }
poll-results-text = • «{ $text }»
poll-results-more = … и ещё { $count } — в файле
poll-results-for-you = Опрос «{ $title }» закрыт. Спасибо за участие! Итоги:
poll-closed-staff = Опрос № { $number } закрыт.
cmd-poll_new = Новый опрос
cmd-poll_list = Опросы: список
cmd-poll_results = Итоги опроса: /poll_results N
poll-usage = Формат: /{ $command } N (номер опроса)
poll-template-unknown =
    Шаблона «{ $code }» нет. Есть:
    { $known }
poll-new-title = Новый опрос. Отправьте его название (до { $max } знаков) — или выберите готовый шаблон. /cancel — отменить.
poll-new-question = Вопрос { $n }: отправьте текст вопроса (до { $max } знаков).
poll-new-kind = Какой это вопрос?
btn-kind-single = Один вариант
btn-kind-multi = Несколько вариантов
btn-kind-scale5 = Шкала 1–5
btn-kind-scale10 = Шкала 1–10
btn-kind-text = Свободный ответ
poll-new-options = Отправьте варианты ответа, каждый с новой строки: от { $min } до { $max }, каждый не длиннее { $length } знаков.
poll-question-added = Вопрос добавлен (всего: { $count }).
btn-poll-more = ➕ Ещё вопрос
btn-poll-finish = ✅ Готово, к настройкам
poll-use-buttons = Выберите вариант кнопкой.
poll-builder-text-only = Отправьте текст.
poll-too-long = Слишком длинно: { $length } знаков, можно не больше { $max }.
poll-draft =
    <b>Черновик опроса № { $number }: { $title }</b>
    Анонимный: { $anonymous ->
        [yes] да
       *[no] нет
    }
    Аудитория: { $audience_kind ->
        [all] все подписчики бота
        [groups] участники групп: { $audience }
       *[other] писавшие по теме «{ $audience }»
    }
    Можно изменить ответ: { $change ->
        [yes] да
       *[no] нет
    }
    Итоги участникам: { $share ->
        [yes] да
       *[no] нет
    }
    Открытие: { $opens ->
        [now] сразу после публикации
       *[other] { $opens }
    }
    Закрытие: { $closes }
poll-draft-question = { $n }. [{ $kind ->
        [single] один вариант
        [multi] несколько вариантов
        [scale5] шкала 1–5
        [scale10] шкала 1–10
       *[text] свободный ответ
    }] { $text }
poll-draft-hint = Кнопки меняют настройки. Время можно задать текстом: «с 25.11.2026 10:00» или «до 01.12.2026 18:00».
btn-poll-anonymous = Анонимность
btn-poll-audience = Аудитория
audience-pick = Кому: { $audience_kind ->
        [all] все пользователи бота
        [subscribers] все подписчики (участники любой группы)
        [groups] участники групп: { $audience }
       *[other] писавшие по теме «{ $audience }»
    }. Отметьте группы (можно несколько), или выберите всех, или тех, кто писал по теме.
btn-audience-all = { $on ->
        [yes] ✔{" "}
       *[no] {""}
    }{ $who ->
        [subscribers] Все подписчики
       *[all] Все пользователи бота
    }
btn-audience-group = { $on ->
        [yes] ✔ Группа: { $name }
       *[no] Группа: { $name }
    }
btn-audience-topic = { $on ->
        [yes] ✔ Писали по теме: { $name }
       *[no] Писали по теме: { $name }
    }
btn-audience-more = Ещё ({ $page } из { $pages }) →
btn-audience-card = ← К черновику
audience-wrote-on = писавшие по теме «{ $topic }»
btn-poll-allow-change = Изменение ответа
btn-poll-share = Итоги участникам
btn-poll-days = Срок: 1/3/7/14/30 дней
btn-poll-publish = 🚀 Опубликовать
btn-poll-delete = 🗑 Удалить черновик
poll-deleted = Черновик опроса № { $number } удалён.
poll-when-usage = Не понял время. Напишите «с ДД.ММ.ГГГГ ЧЧ:ММ» (открытие) или «до ДД.ММ.ГГГГ ЧЧ:ММ» (закрытие).
poll-closes-too-early = Время закрытия уже прошло или раньше открытия. Измените срок.
poll-scheduled = Опрос № { $number } откроется { $opens }: тогда аудитория получит приглашение.
poll-published = Опрос № { $number } открыт. Приглашение отправлено: { $told }. Итоги: /poll_results { $number }
poll-not-draft = Опрос № { $number } не черновик: его настройки уже не меняются.
poll-list-empty = Опросов пока нет. Создать: /poll_new
poll-list-title = <b>Опросы</b>
poll-list-line = № { $number } { $title } — { $status ->
        [draft] черновик
        [scheduled] запланирован
        [open] идёт
       *[closed] закрыт
    }, ответили { $respondents }, закрытие { $closes }{ $status ->
        [draft] {""}; изменить: /poll_edit { $number }
        [open] {""}; итоги: /poll_results { $number }, закрыть: /poll_close { $number }
        [closed] {""}; итоги: /poll_results { $number }
       *[other] {""}
    }
poll-not-found = Опроса № { $number } нет (или это черновик).
poll-not-open = Опрос № { $number } сейчас не идёт.

## Общественные обсуждения
cmd-discussions = Общественные обсуждения
cmd-discussion_new = Новое общественное обсуждение
cmd-decide = Решение по замечанию: /decide N accept|partly|reject причина
disc-new-title = Новое общественное обсуждение. Отправьте название проекта документа (до { $max } знаков). /cancel — отменить.
disc-new-summary = Кратко опишите проект: что меняется и для кого (до { $max } знаков).
disc-new-document = Пришлите проект документом (файлом) или ссылкой https://…, либо нажмите «Пропустить».
disc-new-sections = Перечислите разделы проекта, к которым можно оставить замечания, — каждый с новой строки (до { $max }, каждый до { $length } знаков), или нажмите «Пропустить».
disc-draft =
    <b>Черновик обсуждения № { $number }: { $title }</b>
    Разделов: { $sections }. Документ: { $document ->
        [yes] приложен
       *[no] нет
    }
    Аудитория: { $audience_kind ->
        [all] все подписчики бота
        [groups] участники групп: { $audience }
       *[other] писавшие по теме «{ $audience }»
    }
    Открытие: { $opens ->
        [now] сразу после публикации
       *[other] { $opens }
    }
    Приём замечаний до: { $closes }
    Время открытия и окончания можно написать: «с 25.11.2026 10:00», «до 10.12.2026 18:00».
btn-disc-days = Срок: 7/14/30 дней
disc-scheduled = Обсуждение № { $number } откроется { $opens }: тогда аудитория получит приглашение.
disc-deleted = Черновик обсуждения № { $number } удалён.
disc-published = Обсуждение № { $number } открыто. Приглашение отправлено: { $told }. Замечания: /comments { $number }
disc-announce =
    🗣 <b>Общественное обсуждение: { $title }</b>
    { $summary }
    Замечания и предложения принимаются до { $until }.
btn-disc-open = Прочитать и высказаться
disc-none = Сейчас нет открытых общественных обсуждений.
disc-list-title = <b>Общественные обсуждения</b> — нажмите номер:
disc-line = { $n }. { $title } — до { $until }
disc-closed = Обсуждение «{ $title }» завершено, замечания больше не принимаются.
disc-card =
    <b>Проект № { $number }: { $title }</b>
    { $summary }
    Документ: { $link }
    Замечания принимаются до { $until }.
disc-card-sections = Разделы: { $sections }
btn-disc-comment = 💬 Оставить замечание
btn-disc-whole = К проекту в целом
disc-choose-section = К какому разделу ваше замечание?
disc-comment-prompt = Напишите замечание или предложение{ $has_section ->
        [no] {""}
       *[yes] { " " }к разделу «{ $section }»
    } одним сообщением (от { $min } до { $max } знаков).
disc-comment-length = Замечание должно быть текстом от { $min } до { $max } знаков (сейчас { $length }).
disc-comment-thanks = Спасибо! Замечание № { $number } принято. Решение по нему придёт сюда.
disc-comment-staff =
    Замечание № { $number } к обсуждению № { $discussion } «{ $title }», раздел: { $section }
    { $text }
    Решение: /decide { $number } accept|partly|reject причина
disc-decide-usage = Формат: /decide N accept|partly|reject причина (для partly и reject причина обязательна).
disc-comment-not-found = Замечания № { $number } нет.
disc-not-found = Обсуждения № { $number } нет.
disc-not-open = Обсуждение № { $number } не идёт: решения и закрытие недоступны.
disc-decided = Решение по замечанию № { $number } записано: { $decision ->
        [accepted] учтено
        [partly] учтено частично
       *[rejected] отклонено
    }.
disc-decision-for-you = По вашему замечанию № { $number } к проекту «{ $title }» принято решение: { $decision ->
        [accepted] учтено
        [partly] учтено частично
       *[rejected] отклонено
    }.{ $has_reason ->
        [no] {""}
       *[yes] { " " }Обоснование: { $reason }
    }
disc-comments-title = <b>Замечания к обсуждению № { $number }</b> (всего { $count }):
disc-comment-line = № { $number } [{ $section }] { $decision ->
        [accepted] учтено
        [partly] учтено частично
        [rejected] отклонено
       *[none] без решения
    }: «{ $text }»{ $has_reason ->
        [no] {""}
       *[yes] { " " }— { $reason }
    }
disc-summary =
    <b>Итоги общественного обсуждения № { $number } «{ $title }»</b>
    Период: { $opened } — { $closed }
    Замечаний и предложений: { $comments } от участников: { $people }
    Учтено: { $accepted }, учтено частично: { $partly }, отклонено: { $rejected }, без решения: { $undecided }
disc-summary-section = Раздел «{ $section }»: { $count } (учтено { $accepted }, частично { $partly }, отклонено { $rejected })

## Референтные группы

cmd-groups = Группы и рассылки
groups-intro =
    <b>Референтные группы</b>
    Участники групп получают рассылки администрации: приглашения на общественные обсуждения, новости, пресс-релизы. Вступая в группу, вы даёте согласие на получение её рассылок; выйти можно в любой момент — здесь или кнопкой под любой рассылкой.
groups-line = { $n }. { $name }{ $code }{ $open ->
        [no] {" "}(по заявке)
       *[yes] {""}
    } — { $status ->
        [member] вы в группе
        [pending] заявка на рассмотрении
       *[none] не состоите
    }
groups-mailings-off = Сейчас вы отказались от всех рассылок: их не будет, даже если вы состоите в группах.
btn-mailings-on = Снова получать рассылки
mailings-on = Рассылки включены: вы будете получать рассылки групп, в которых состоите.
group-unknown = Группы «{ $code }» нет.
btn-group-join = { $open ->
        [no] Подать заявку
       *[yes] Вступить и получать рассылки
    }
btn-group-leave = { $status ->
        [pending] Отозвать заявку
       *[member] Выйти из группы
    }
group-card =
    <b>{ $name }</b>
    { $description }
    <i>Для кого:</i> { $who }
    { $open ->
        [no] Вступление по заявке: её рассматривает оператор.
       *[yes] Вступление свободное.
    }
    { $status ->
        [member] Вы в группе.
        [pending] Ваша заявка на рассмотрении.
       *[none] Вступая, вы соглашаетесь получать рассылки этой группы (152-ФЗ). Отказаться можно в любой момент.
    }
group-joined = Вы в группе «{ $name }». Рассылки группы будут приходить в этот чат; выйти можно через /groups или кнопкой под рассылкой.
group-requested = Заявка на вступление в группу «{ $name }» отправлена. Мы сообщим, когда оператор её рассмотрит.
group-request-staff = Новая заявка в группу «{ $name }»: { $who }.
btn-group-requests = Заявки в группы
group-not-member = Вы не состоите в группе «{ $name }». Ничего не изменено.
group-left = Вы вышли из группы «{ $name }». Её рассылки больше не придут.
group-usage = { $missing ->
        [yes] Укажите группу
       *[other] Группы «{ $code }» нет
    }. Формат: /{ $command } код … Группы:
    { $groups }
group-archived = {" "}(в архиве)
group-new-usage = Формат: /group_new код open|closed Название | Описание | Для кого. Код — латинские буквы, цифры и «_».
group-exists = Группа с кодом «{ $code }» уже есть.
group-created = Группа «{ $name }» ({ $code }) создана.
group-set-usage = Формат: /group_set код open|closed|archive|restore
group-changed = Группа { $code }: { $what ->
        [open] теперь вступление свободное
        [closed] теперь вступление по заявке
        [archive] перенесена в архив
       *[restore] восстановлена
    }.
group-members = <b>{ $name }</b>: участников { $members }, заявок { $pending }. Показаны первые { $shown }:
group-member-line = • { $who } — с { $since } ({ $consent ->
        [operator] добавлен оператором
       *[self] вступил сам
    })
group-add-usage = Формат: /group_add код tg:ID vk:ID max:ID … — до { $limit } человек за раз; можно вставить список, по одному в строке.
group-added = Группа «{ $name }»: добавлено { $added }, уже были в группе { $already }.
group-remove-usage = Формат: /group_remove код tg:ID vk:ID max:ID …
group-removed = Группа «{ $name }»: исключено { $removed }.
group-requests-none = Заявок на вступление нет.
group-request = Заявка в группу «{ $name }»: { $who }, { $since }.
btn-group-approve = ✔ Принять
btn-group-decline = ✖ Отклонить
group-request-gone = Эта заявка уже рассмотрена или отозвана. Ничего не изменено.
group-decided = { $approved ->
        [yes] Заявка принята
       *[no] Заявка отклонена
    }: { $who }.
group-request-answer = { $approved ->
        [yes] Ваша заявка в группу «{ $name }» принята. Рассылки группы будут приходить в этот чат.
       *[no] Ваша заявка в группу «{ $name }» отклонена. Если это ошибка, напишите нам через /propose.
    }

## Рассылки

cmd-mailing_new = Новая рассылка
cmd-group_requests = Заявки в группы
cmd-mailings = Рассылки
mailing-usage = Формат: /{ $command } N — номер рассылки из /mailings.
mailing-template-unknown =
    Шаблона «{ $code }» нет. Есть:
    { $known }
mailing-new =
    <b>Новая рассылка</b>
    Пришлите текст (до { $max } знаков). Можно приложить одно фото или документ с подписью — подпись станет текстом. Дальше — аудитория, ссылки, время и предпросмотр. /cancel — отменить.
mailing-new-template = <b>Рассылка по шаблону «{ $title }»</b>. Ниже заготовка: скопируйте её, заполните и пришлите (до { $max } знаков). /cancel — отменить.
mailing-template-text = { $text }
mailing-one-file = К рассылке можно приложить одно фото или один документ.
mailing-text-needed = Пришлите текст рассылки (до { $max } знаков); к фото или документу — подписью.
mailing-too-long = Слишком длинно: { $length } знаков при пределе { $max }.
mailing-draft =
    <b>Черновик рассылки № { $number }</b>
    Кому: { $audience ->
        [subscribers] все подписчики (участники любых групп)
        [all] все пользователи бота
       *[other] { $audience }
    }
    Кнопки «Приду / Не смогу»: { $rsvp ->
        [yes] да
       *[no] нет
    }
    Ссылок: { $links }
    Файл: { $file ->
        [none] нет
        [tg] есть (увидят получатели в Telegram)
        [vk] есть (увидят получатели во ВКонтакте)
        [max] есть (увидят получатели в MAX)
       *[other] есть
    }
    Когда: { $when ->
        [now] сразу после отправки
       *[other] { $when }
    }
    Повтор: { $repeat ->
        [day] каждый день
        [week] каждую неделю
        [month] каждый месяц
       *[none] нет
    }
mailing-max-reach = В MAX получат: { $reached }{ $left_out ->
        [0] .
       *[other] , не получат: { $left_out } — { $why ->
            [off] рассылки в MAX отключены настройкой MAX_MAILINGS.
           *[consent] правила MAX разрешают рассылки только тем, кто согласился на них, вступив в референтную группу (/groups).
        }
    }
mailing-draft-hint = Чтобы добавить ссылку, пришлите «Название | https://…» (до { $max }). Чтобы назначить время — «25.11.2026 10:00», отменить время — «сейчас». Кнопка «Предпросмотр» покажет рассылку так, как её увидят получатели.
mailing-paid = Платная рассылка Telegram (до 1000 сообщений в секунду, 0,1 ⭐ за сообщение): { $on ->
        [yes] да
       *[no] нет
    }. Получателей в Telegram: { $recipients }, стоимость: { $stars } ⭐. Лимит на рассылку: { $mailing_cap } ⭐, осталось на этот месяц: { $month_left } ⭐.{ $over ->
        [mailing] {" "}Платной эта рассылка не уйдёт: дороже лимита на рассылку.
        [month] {" "}Платной эта рассылка не уйдёт: в месячном лимите не хватает звёзд.
       *[none] {""}
    }
mailing-paid-off = Платные рассылки в этом развёртывании не включены (TELEGRAM_PAID_BROADCAST).
mailing-paid-over = Рассылка № { $number } не отправлена: платной она стоила бы { $stars } ⭐, а { $over ->
        [mailing] лимит на одну рассылку — { $mailing_cap } ⭐
       *[month] в месячном лимите осталось { $month_left } ⭐
    }. Отключите «Платно» на карточке (уйдёт с обычной скоростью) или выберите аудиторию меньше.
mailing-paid-dropped = Рассылка № { $number } уходит с обычной скоростью, не платной: { $over ->
        [mailing] { $stars } ⭐ — больше лимита на одну рассылку.
        [month] на { $stars } ⭐ не хватает месячного лимита.
       *[off] платные рассылки отключены в настройках.
    }
btn-mailing-paid = { $on ->
        [yes] ✔ ⚡ Платно, быстро
       *[no] ⚡ Платно, быстро
    }
btn-mailing-audience = 👥 Аудитория
btn-mailing-rsvp = { $on ->
        [yes] ✔ Приду / Не смогу
       *[no] Приду / Не смогу
    }
btn-mailing-repeat = 🔁 Повтор
btn-mailing-preview = 👁 Предпросмотр
btn-mailing-send = { $later ->
        [yes] ✔ Запланировать
       *[no] ✔ Отправить
    }
btn-mailing-delete = 🗑 Удалить черновик
btn-mailing-unlink = Убрать ссылки
mailing-links-full = Ссылок уже { $max } — больше не поместится.
mailing-card-usage = Не понял. Пришлите ссылку «Название | https://…» (до { $max }), время «25.11.2026 10:00» или «сейчас» — или нажмите кнопку на карточке.
mailing-time-past = Это время уже прошло. Укажите будущее или «сейчас».
mailing-deleted = Черновик рассылки № { $number } удалён.
mailing-scheduled = Рассылка № { $number } запланирована на { $when }{ $repeat ->
        [day] , затем каждый день
        [week] , затем каждую неделю
        [month] , затем каждый месяц
       *[none] {""}
    }. /mailings — список, /mailing_cancel { $number } — отменить.
mailing-started = Рассылка № { $number }: получателей { $total }. { $total ->
        [0] Отправлять некому.
       *[other] Отправка началась, ход будет виден ниже.
    }
mailing-missed = Рассылка № { $number } на { $when } не отправлена: бот был недоступен, а с того времени прошло слишком много. { $number } больше не будет отправлена в это время.
mailing-late = Рассылка № { $number } на { $when } отправляется с опозданием: бот был недоступен в назначенное время.
mailing-unknown = Рассылки № { $number } нет.
mailing-cannot = Рассылку № { $number } нельзя { $action ->
        [pause] приостановить
        [resume] возобновить
       *[cancel] отменить
    }: она { $status ->
        [sending] отправляется
        [scheduled] запланирована
        [paused] приостановлена
        [done] уже отправлена
        [cancelled] отменена
       *[missed] пропущена
    }. Ничего не изменено.
mailing-controlled = Рассылка № { $number } { $action ->
        [pause] приостановлена. /mailing_resume { $number } — продолжить.
        [resume] возобновлена.
       *[cancel] отменена. Уже отправленное не отозвать.
    }
mailings-none = Рассылок ещё не было.
mailings-header = <b>Рассылки</b> (последние):
mailings-line = № { $number } · { $status ->
        [sending] отправляется
        [scheduled] запланирована
        [paused] на паузе
        [done] отправлена
        [cancelled] отменена
       *[missed] пропущена
    } · { $when }{ $repeat ->
        [day] {" "}· каждый день
        [week] {" "}· каждую неделю
        [month] {" "}· каждый месяц
       *[none] {""}
    } · { $audience ->
        [subscribers] все подписчики
        [all] все пользователи
       *[other] { $audience }
    }
    { $text }
    Доставлено { $sent } из { $total }, недоступны { $blocked }, ошибки { $failed }{ $rsvp ->
        [yes] ; придут { $coming }, не смогут { $declined }
       *[no] {""}
    }
mailings-stopped = Вы отказались от всех рассылок. Включить снова — /groups.
mailing-preview-button = Это предпросмотр: у получателей кнопка сработает.
mailing-left = { $count ->
        [0] Вы уже не состоите в группах этой рассылки.
       *[other] Вы вышли из групп: { $groups }. Их рассылки больше не придут.
    } Чтобы не получать никаких рассылок, нажмите кнопку ниже.
mailing-rsvp-thanks = Спасибо! Отметили: { $coming ->
        [yes] вы придёте.
       *[no] вы не сможете прийти.
    } Передумаете — нажмите другую кнопку.
mailing-text = { $text }
mailing-footer = { $count ->
        [0] <i>Рассылка администрации.</i>
       *[other] <i>Рассылка для участников группы { $groups }.</i>
    }
btn-rsvp-yes = ✔ Приду
btn-rsvp-no = ✖ Не смогу
btn-mailing-leave = Выйти из группы
btn-mailings-stop = Не получать рассылки
btn-mailing-pause = ⏸ Пауза
btn-mailing-cancel = ✖ Отменить
mailing-progress = <b>Рассылка № { $number }</b>{ $final ->
        [yes] {" "}— завершена
       *[no] {""}
    }
    Отправлено { $sent } из { $total }; недоступны { $blocked }, ошибки { $failed }, отписались { $skipped }.
    { $final ->
        [yes] Готово.
       *[no] Скорость { $rate } в секунду, осталось около { $left } с.
    }
mailing-summary =
    <b>Итоги рассылки № { $number }</b>
    Получателей: { $total }. Доставлено: { $sent }. Недоступны (заблокировали бота): { $blocked }. Ошибки: { $failed }. Отписались во время рассылки: { $skipped }.{ $rsvp ->
        [yes] {" "}Ответы на приглашение: придут { $coming }, не смогут { $declined }; новые ответы — в /mailings.
       *[no] {""}
    }{ $paid ->
        [yes] {" "}Платная рассылка: потрачено { $stars } ⭐.
       *[no] {""}
    }

## Отчёты

report-header = <b>Отчёт за { $kind ->
        [week] неделю
        [month] месяц
       *[quarter] квартал
    } { $start } — { $end }{ $sofar ->
        [yes] {" "}(текущий период, на этот момент)
       *[no] {""}
    }</b>{ $scope ->
        [all] {""}
       *[one] {" "}· { $department }
    }
report-no-data = За этот период данных нет: обращений не поступало, сроки не истекали, оценок не было (в прошлом периоде поступило { $before }).{ $sofar ->
        [yes] {""}
       *[no] {" "}Текущий период: /report { $kind } now.
    }
report-speed-none = Ответов за период не было — времени до ответа нет.
report-volume = Поступило: { $received } (в прошлом периоде { $received_before }), дан первый ответ: { $answered }, закрыто: { $closed }, возвращено в работу: { $reopened }
report-deadlines = Срок ответа истёк у { $due }, из них просрочено { $overdue }; в срок: { $on_time }
report-speed = Время до ответа: медиана { $median } ч, 90% — не дольше { $p90 } ч
report-satisfaction = Оценок: { $ratings }, средняя { $average }, низких (1–2): { $low }
report-topics-header = <b>Топ проблем</b>
report-topic = { $n }. { $topic }: { $count } { $trend ->
        [up] ↑ (было { $before })
        [down] ↓ (было { $before })
        [new] (новое)
       *[same] (было { $before })
    }
report-departments-header = <b>Отделы</b> (поступило · отвечено · в срок · медиана, ч · оценка · полнота)
report-department = { $department }: { $received } · { $answered } · { $on_time } · { $median } · { $average } · { $complete }
report-overdue-header = <b>Просрочено: { $count }</b>
report-overdue = № { $number }, срок { $due }, { $department }, { $topic }, исполнитель: { $executor }, место: { $place }
report-usage = Формат: /report week|month|quarter [отдел] [now] — за последнюю завершённую неделю, месяц или квартал; с now — за текущий, до этого момента.
report-unknown-department =
    Отдела «{ $department }» нет. Отделы:
    { $departments }
report-not-allowed = Отчёты доступны администраторам и руководителям отделов.
report-not-your-department = Вы можете смотреть отчёты только своего отдела.

## Использование бота

usage-header = <b>Использование бота с { $start } по { $end }</b>
usage-empty = За эти дни ботом не пользовались.
usage-channel = <b>{ $channel ->
        [tg] Telegram
        [vk] ВКонтакте
        [max] MAX
       *[console] Консоль
    }</b>: команд и нажатий — { $total }
usage-command = { $name ->
        [unknown] непонятные команды
       *[other] /{ $name }
    } — { $count }
usage-section = { $section ->
        [appeal] обращения
        [my] мои обращения
        [rating] оценки ответов
        [clarify] уточнения
        [faq] частые вопросы
        [info] информация
        [language] язык
        [corruption] сообщения о коррупции
        [polls] опросы
        [discussions] обсуждения
        [groups] референтные группы
        [mailing] рассылки
        [proposal] предложения
        [help] справка
        [mydata] мои данные
        [staff] работа сотрудников
        [stale] устаревшие или чужие кнопки
       *[other] { $section }
    } — { $count }
usage-funnel = <b>{ $flow ->
        [appeal] Обращение
        [proposal] Предложение
       *[corruption] Сообщение о коррупции
    }</b>, сколько дошли до шага:
usage-step = · { $step ->
        [topic] тема
        [text] текст
        [photos] фото
        [location] место
        [confirm] проверка
        [contact] контакты
       *[done] отправлено
    }: { $count } ({ $share }%)
usage-usage = Формат: /usage week|month — за последние 7 или 30 дней.
usage-not-allowed = Статистика использования доступна администраторам.

## Открытые данные

opendata-header = <b>Открытые данные на { $date }</b>
    Сводные показатели без персональных данных, CSV (UTF-8) и JSON с паспортами наборов — в архиве.
opendata-set = · { $title }: строк — { $rows }

## Персональные данные (152-ФЗ)

mydata-member-member = участник
mydata-member-pending = заявка ждёт одобрения
mydata-summary = <b>Что бот хранит о вас</b>
    Имя: { $name }, с { $since }
    Обращений: { $appeals }, предложений: { $proposals }, комментариев к обсуждениям: { $comments }, ответов на опросы: { $polls }, референтных групп: { $groups }
    Всё это целиком — в файле. Удалить данные: /forget
    Вопросы, на которые в разделе «Частые вопросы» не нашлось ответа, хранятся только как набор слов — без цифр и имён и не связанными с вами.
    Публично (страница результатов, Open311) видны только тема, статус, даты, отдел и примерное место ваших обращений; текст — только если вы согласились, без имён, цифр и контактов.
forget-confirm = Удалить ваши персональные данные? Имя, тексты обращений, адреса, фото, предложения, комментарии и членство в референтных группах будут стёрты безвозвратно; в статистике останутся только обезличенные числа. После этого бот не сможет писать вам об этих обращениях.
btn-forget-yes = Удалить мои данные
btn-forget-no = Не удалять
forget-kept = Хорошо, ничего не удалено.
forget-done = Ваши персональные данные удалены. Если напишете снова, бот встретит вас как нового собеседника.
forget-pending = Сначала нужно ответить на ваши обращения: № { $numbers } — по закону (59-ФЗ) администрация обязана их рассмотреть. Когда ответ будет дан, данные можно удалить командой /forget.
history-access-header = <b>Доступ сотрудников к обращению</b>
history-access-line = { $when } — { $who }, { $via }
cmd-mydata = Какие мои данные хранятся
cmd-forget = Удалить мои данные
flood-notice = Вы отправляете сообщения слишком часто. Подождите немного: последние сообщения не обработаны, отправьте их ещё раз через минуту.

## Delivery through the outbox: what operators are told once a message reached (or could not)
op-answer-undelivered = ⚠️ Ответ на обращение № { $number } не доставлен гражданину: { $reason }. Ответ сохранён в обращении; свяжитесь с гражданином другим способом (/history { $number }).
op-answer-delayed = Ответ на обращение № { $number } пока не доставлен ({ $reason }). Бот повторяет попытки и сообщит, когда гражданин его получит.
ask-undelivered = ⚠️ Вопрос по обращению № { $number } не доставлен гражданину: { $reason }.
proposal-undelivered = ⚠️ Ответ на предложение № { $number } не доставлен: { $reason }.
ac-reply-undelivered = ⚠️ Ответ на сообщение АК-{ $number } не доставлен: { $reason }.
message-delayed = Сообщение пока не доставлено ({ $reason }). Бот повторяет попытки и сообщит о результате.
history-undelivered = сообщение не доставлено: { $reason }
undelivered-reason = { $reason ->
    [blocked] собеседник заблокировал бота или не разрешил ему писать
    [gone] чат не найден
    [timeout] мессенджер не принимал сообщение { $detail } ч
    [unavailable] мессенджер временно недоступен
    [busy] мессенджер просит подождать: слишком много сообщений
   *[other] мессенджер отказал: { $detail }
}

## Справка (/help): заголовок на каждую роль и строка на каждую команду из реестра (handlers/registry.py)

help-title-everyone = <b>Что умеет бот</b>
help-title-operators = <b>Команды оператора</b>
help-title-heads = <b>Руководителям отделов</b>
help-title-admins = <b>Команды администратора</b>
help-title-officers = <b>Противодействие коррупции</b>
help-part-operators = <i>Обращения</i>
help-part-faq = <i>Частые вопросы</i>
help-part-proposals = <i>Предложения граждан</i>
help-part-deeplinks = <i>Ссылки и QR-коды</i>
help-part-poll_builder = <i>Опросы</i>
help-part-discussions = <i>Общественные обсуждения</i>
help-part-mailings = <i>Рассылки</i>
help-part-groups = <i>Референтные группы</i>
help-part-usage = <i>Использование бота</i>
help-part-staff = <i>Сотрудники</i>
help-part-ratings = <i>Удовлетворённость</i>
about-start = /start — главное меню
about-new = /new — подать обращение
about-my = /my — мои обращения и их статус
about-queue = /queue — открытые обращения, сначала самые старые
about-take = /take N — взять обращение N в работу
about-reply = /reply N текст — ответить на обращение N; /reply N #ключ [дополнение] — ответить по шаблону
about-templates = /templates [тема] — шаблоны ответов
about-ask = /ask N вопрос — задать вопрос гражданину
about-close = /close N — закрыть обращение N после ответа
about-unpublish = /unpublish N — снять опубликованный текст обращения с публичной страницы
about-assign = /assign N отдел — передать обращение в другой отдел
about-merge = /merge N M — объединить дубликат M с обращением N
about-history = /history N — полная история обращения
about-extend = /extend N дней причина — продлить срок (один раз, до 30 дней)
about-template = /template set #ключ темы [Название |] текст — добавить или изменить шаблон; /template delete #ключ — удалить
about-faq = /faq — частые вопросы; можно просто написать вопрос своими словами
about-faqstats = /faqstats — просмотры и полезность ответов FAQ, вопросы без ответа
about-faq_set = /faq_set код раздел ru|en Вопрос | Ответ — добавить или изменить ответ FAQ
about-faq_delete = /faq_delete код — удалить ответ FAQ
about-faq_reload = /faq_reload — перечитать файлы FAQ
about-info = /info — контакты, приём граждан, справочный телефон, порядок рассмотрения
about-propose = /propose — предложить улучшение
about-proposals = /proposals — предложения граждан
about-proposal_reply = /proposal_reply N текст — ответить на предложение
about-qr = /qr цель — ссылка и QR-код: faq-код, info-код, topic-тема, new, faq, info
about-polls = /polls — опросы и анкеты
about-poll_new = /poll_new [шаблон] — новый опрос
about-poll_list = /poll_list — опросы
about-poll_results = /poll_results N — итоги с диаграммой, XLSX и CSV
about-poll_close = /poll_close N — закрыть опрос
about-poll_edit = /poll_edit N — изменить опрос, пока он не опубликован
about-discussions = /discussions — общественные обсуждения проектов документов
about-discussion_new = /discussion_new — новое общественное обсуждение
about-decide = /decide N accept|partly|reject причина — решение по замечанию
about-comments = /comments N — замечания к обсуждению
about-discussion_close = /discussion_close N — завершить обсуждение с итогами
about-mailing_new = /mailing_new [шаблон] — рассылка: текст, аудитория, ссылки, «Приду / Не смогу», время или повтор, предпросмотр
about-mailings = /mailings — рассылки с цифрами доставки
about-mailing_pause = /mailing_pause N — приостановить рассылку
about-mailing_resume = /mailing_resume N — продолжить рассылку
about-mailing_cancel = /mailing_cancel N — отменить рассылку
about-groups = /groups — референтные группы и рассылки: вступить, выйти, отказаться от рассылок
about-group_requests = /group_requests — заявки на вступление в группы
about-group_new = /group_new код open|closed Название | Описание | Для кого — новая группа
about-group_set = /group_set код open|closed|archive|restore — изменить группу
about-group_members = /group_members код — участники группы
about-group_add = /group_add код tg:ID vk:ID max:ID … — добавить участников или импортировать список
about-group_remove = /group_remove код tg:ID vk:ID max:ID … — исключить участников
about-corruption = /corruption — сообщить о коррупции (анонимно)
about-ac_list = /ac_list — последние сообщения о коррупции
about-ac_reply = /ac_reply N текст — ответить автору, если он разрешил связаться
about-opendata = /opendata — открытые данные: сводные показатели в CSV и JSON
about-report = /report week|month|quarter [отдел] [now] — отчёт с графиком и таблицей; now — текущий период до этого момента
about-usage = /usage week|month — как пользуются ботом: разделы, команды, где бросают заполнение
about-mydata = /mydata — какие ваши данные хранятся
about-forget = /forget — удалить ваши данные
about-lang = /lang [ru|en] — язык (Русский / English)
about-access = /access — режим доступности: без эмодзи, кнопки списком с номерами
about-operator = /operator add tg:ID (vk:ID, max:ID) отдел [operator|head] — в отдел; /operator add tg:ID admin|anticorruption — администратор или антикоррупция; /operator remove tg:ID [отдел] — снять роль
about-operators = /operators — сотрудники и их роли
about-satisfaction = /satisfaction — удовлетворённость ответами по отделам
about-help = /help — эта справка
about-cancel = /cancel — отменить текущее действие
