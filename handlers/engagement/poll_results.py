"""Poll results: counts and percentages per option, scale averages, free-text answers, the
response rate; as a message, a PNG chart and XLSX and CSV files."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from handlers.context import Work
from handlers.contracts import AttachmentKind, Text, Upload
from storage.models import Poll, PollQuestion, PollResponse, QuestionKind

TEXTS_SHOWN = 5  # free-text answers in the message; all of them are in the files
SCALES = {QuestionKind.SCALE5: 5, QuestionKind.SCALE10: 10}


@dataclass
class QuestionResult:
    question: PollQuestion
    labels: list[str] = field(default_factory=list)
    counts: list[int] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    answered: int = 0
    total: int = 0  # for a scale: the sum, for the mean

    @property
    def mean(self) -> float | None:
        return (
            self.total / self.answered if self.answered and self.question.kind in SCALES else None
        )


@dataclass
class Tally:
    poll: Poll
    respondents: int
    questions: list[QuestionResult]
    responses: list[PollResponse]

    @property
    def rate(self) -> int:
        return (
            round(100 * self.respondents / self.poll.audience_size)
            if self.poll.audience_size
            else 0
        )


def _blank(question: PollQuestion) -> QuestionResult:
    if question.kind in SCALES:
        labels = [str(v) for v in range(1, SCALES[question.kind] + 1)]
    else:
        labels = list(question.options)
    return QuestionResult(question, labels, [0] * len(labels))


async def tally(work: Work, poll: Poll) -> Tally:
    """Only finished responses count: a half-answered survey is not a respondent yet."""
    responses = [r for r in await work.uow.polls.responses(poll.id) if r.completed_at]
    results = {q.id: _blank(q) for q in poll.questions}
    for response in responses:
        for answer in response.answers:
            result = results.get(answer.question_id)
            if result is None:
                continue
            kind = result.question.kind
            if kind is QuestionKind.TEXT and answer.text:
                result.texts.append(answer.text)
            elif kind in SCALES and answer.value is not None:
                result.counts[answer.value - 1] += 1
                result.total += answer.value
            else:
                for choice in answer.choices:
                    if 0 <= choice < len(result.counts):
                        result.counts[choice] += 1
            result.answered += 1
    return Tally(poll, len(responses), [results[q.id] for q in poll.questions], responses)


def _percent(count: int, of: int) -> int:
    return round(100 * count / of) if of else 0


def message(work: Work, result: Tally) -> tuple[Text, ...]:
    poll = result.poll
    texts = [
        Text(
            "poll-results-header",
            {
                "number": poll.id,
                "title": poll.title,
                "status": poll.status.value,
                "respondents": result.respondents,
                "audience": poll.audience_size,
                "rate": result.rate,
            },
        )
    ]
    for n, item in enumerate(result.questions, start=1):
        texts.append(
            Text(
                "poll-results-question",
                {"n": n, "text": item.question.text, "answered": item.answered},
            )
        )
        if item.question.kind is QuestionKind.TEXT:
            texts += [Text("poll-results-text", {"text": t}) for t in item.texts[:TEXTS_SHOWN]]
            if len(item.texts) > TEXTS_SHOWN:
                texts.append(Text("poll-results-more", {"count": len(item.texts) - TEXTS_SHOWN}))
            continue
        for label, count in zip(item.labels, item.counts, strict=True):
            texts.append(
                Text(
                    "poll-results-option",
                    {"option": label, "count": count, "percent": _percent(count, item.answered)},
                )
            )
        if item.mean is not None:
            texts.append(Text("poll-results-mean", {"mean": f"{item.mean:.1f}"}))
    return tuple(texts)


def chart(result: Tally) -> Upload | None:
    """Bars per question with choices or a scale; None when there is nothing to draw."""
    drawn = [q for q in result.questions if q.question.kind is not QuestionKind.TEXT]
    if not drawn:
        return None
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    from matplotlib import pyplot
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    # DejaVu Sans ships with matplotlib and has Cyrillic letters.
    with matplotlib.rc_context({"font.family": "DejaVu Sans", "font.size": 10}):
        figure = Figure(figsize=(8, 2.2 + 2.4 * len(drawn)))
        axes = figure.subplots(len(drawn), 1, squeeze=False)
        for row, item in zip(axes, drawn, strict=True):
            ax = row[0]
            labels = [_wrap(label) for label in item.labels]
            positions = list(range(len(labels)))
            ax.barh(positions, item.counts, color="#2b6cb0")
            ax.set_yticks(positions, labels)
            ax.invert_yaxis()
            ax.set_title(_wrap(item.question.text, 60), loc="left", fontsize=10)
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            for position, count in zip(positions, item.counts, strict=True):
                ax.annotate(
                    f" {count} ({_percent(count, item.answered)}%)",
                    (count, position),
                    va="center",
                    fontsize=9,
                )
            ax.margins(x=0.25)
        figure.suptitle(_wrap(result.poll.title, 70), fontsize=12)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=110)
        pyplot.close("all")
    return Upload(f"poll-{result.poll.id}.png", buffer.getvalue(), AttachmentKind.PHOTO)


def _wrap(text: str, width: int = 28) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def _answer_cells(result: Tally, response: PollResponse) -> list[str | int]:
    by_question = {a.question_id: a for a in response.answers}
    cells: list[str | int] = []
    for item in result.questions:
        answer = by_question.get(item.question.id)
        if answer is None:
            cells.append("")
        elif item.question.kind is QuestionKind.TEXT:
            cells.append(answer.text or "")
        elif item.question.kind in SCALES:
            cells.append(answer.value if answer.value is not None else "")
        else:
            cells.append("; ".join(item.labels[c] for c in answer.choices if c < len(item.labels)))
    return cells


def _respondent(result: Tally, number: int, response: PollResponse) -> str:
    # An anonymous poll shows no one: respondents are numbered, nothing more.
    return str(number) if result.poll.anonymous else response.user.display_name


def _answers_table(work: Work, result: Tally, locale: str) -> list[list[str | int]]:
    rows: list[list[str | int]] = [
        [
            work.word(locale, "poll-file-respondent"),
            work.word(locale, "poll-file-completed"),
            *(q.question.text for q in result.questions),
        ]
    ]
    for number, response in enumerate(result.responses, start=1):
        completed = (
            response.completed_at.isoformat(timespec="minutes") if response.completed_at else ""
        )
        rows.append(
            [_respondent(result, number, response), completed, *_answer_cells(result, response)]
        )
    return rows


def csv_file(work: Work, result: Tally, locale: str) -> Upload:
    """The answers, one row per respondent; UTF-8 with a BOM, so spreadsheets read Cyrillic."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows(_answers_table(work, result, locale))
    return Upload(f"poll-{result.poll.id}.csv", buffer.getvalue().encode("utf-8-sig"))


def xlsx_file(work: Work, result: Tally, locale: str) -> Upload:
    """Two sheets: the summary per option, and the answers of each respondent."""
    from openpyxl import Workbook

    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = work.word(locale, "poll-file-summary")
    summary.append(
        [work.word(locale, f"poll-file-{k}") for k in ("question", "option", "count", "percent")]
    )
    free_text = work.word(locale, "poll-file-free-text")
    for item in result.questions:
        if item.question.kind is QuestionKind.TEXT:
            summary.append([item.question.text, free_text, item.answered, ""])
            continue
        for label, count in zip(item.labels, item.counts, strict=True):
            summary.append([item.question.text, label, count, _percent(count, item.answered)])
    answers = book.create_sheet(work.word(locale, "poll-file-answers"))
    for row in _answers_table(work, result, locale):
        answers.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return Upload(f"poll-{result.poll.id}.xlsx", buffer.getvalue())


def files(work: Work, result: Tally, picture: Upload | None, locale: str) -> tuple[Upload, ...]:
    """What staff get with the results, in their language: the chart, then the XLSX and the
    CSV."""
    return (
        *((picture,) if picture else ()),
        xlsx_file(work, result, locale),
        csv_file(work, result, locale),
    )
