# Тексты внутри файлов, которые бот составляет сам: таблицы отчётов, графики, итоги опросов
# и обсуждений. Файл пишется на языке того, кто его получает.

## Отчёт за период (/report): листы таблицы, столбцы, подписи графика
report-sheet-summary = Итоги
report-sheet-topics = Темы
report-sheet-departments = Отделы
report-sheet-overdue = Просроченные
report-col-indicator = Показатель
report-col-value = Значение
report-col-previous = Предыдущий период
report-row-received = Поступило
report-row-answered = Отвечено
report-row-closed = Закрыто
report-row-due = Срок истёк
report-row-overdue = Просрочено
report-row-on-time-share = Доля в срок
report-row-median = Медиана ответа, ч
report-row-p90 = 90-й процентиль, ч
report-row-ratings = Оценок
report-row-average = Средняя оценка
report-row-low-share = Доля низких оценок
report-row-reopened = Возвращено в работу
report-col-topic = Тема
report-col-appeals = Обращений
report-col-department = Отдел
report-col-on-time = В срок
report-col-reopened = Возвращено
report-col-completeness = Полнота
report-col-number = Номер
report-col-due = Срок
report-col-executor = Исполнитель
report-col-place = Место
report-col-answered-at = Ответ дан
report-chart-before = ранее
report-chart-period = период
report-chart-appeals = Обращения
report-chart-topics = Топ тем
report-chart-no-topics = Обращений за период нет

## Итоги опроса: таблица и CSV
poll-file-summary = Итоги
poll-file-answers = Ответы
poll-file-respondent = Респондент
poll-file-completed = Завершено
poll-file-question = Вопрос
poll-file-option = Вариант
poll-file-count = Ответов
poll-file-percent = %
poll-file-free-text = свободный ответ

## Итоги общественного обсуждения: таблица замечаний
disc-file-sheet = Замечания
disc-file-title = Общественное обсуждение № { $number }: { $title }
disc-file-number = №
disc-file-section = Раздел
disc-file-comment = Замечание или предложение
disc-file-decision = Решение
disc-file-reason = Обоснование
disc-file-date = Дата
disc-file-whole = в целом
disc-file-decided = { $decision ->
        [accepted] учтено
        [partly] учтено частично
        [rejected] отклонено
       *[none] без решения
    }

## Что остаётся на месте стёртого по /forget текста (пишется на основном языке бота)
erased-marker = [удалено по просьбе гражданина]
