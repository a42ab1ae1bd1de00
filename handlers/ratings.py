"""The citizen rates each answer from 1 to 5. A rating of 1-2 reopens the appeal and goes to
the department head, with the reason the citizen gives; 3-5 closes the case."""

from __future__ import annotations

from handlers import menu, views
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.lifecycle import Action, transition
from handlers.parsing import parse_int
from storage.models import AnswerRating, Appeal, AppealAnswer, AppealStatus
from storage.repositories.appeals import LOW_SCORE

REASON = "rate.reason"
LOW = LOW_SCORE  # this score and below reopen the case
REASONS = ("not_solved", "not_to_the_point", "formal", "late", "rude")
COMMENT_MAX = 1000


def keyboard(appeal_id: int, answer_number: int) -> Keyboard:
    return Keyboard(
        (
            tuple(
                Button(
                    Text("rate-button", {"score": score}), f"r:{appeal_id}:{answer_number}:{score}"
                )
                for score in range(1, 6)
            ),
        )
    )


def _reasons_keyboard(appeal_id: int, answer_number: int) -> Keyboard:
    return Keyboard.column(
        *(
            Button(Text(f"rate-reason-{code}"), f"rr:{appeal_id}:{answer_number}:{code}")
            for code in REASONS
        )
    )


async def _answer(
    ctx: Context, appeal_raw: str, number_raw: str
) -> tuple[Appeal, AppealAnswer] | None:
    """The citizen's own appeal and the answer a button names; None (told) otherwise."""
    appeal_id, number = parse_int(appeal_raw), parse_int(number_raw)
    appeal = await ctx.uow.appeals.get(appeal_id, for_update=True) if appeal_id else None
    if appeal is None or appeal.citizen_id != ctx.user.id:
        menu.stale_button(ctx)
        return None
    answer = next((a for a in appeal.answers if a.number == number), None)
    if answer is None:
        menu.stale_button(ctx)
        return None
    return appeal, answer


async def on_button(ctx: Context, kind: str, parts: list[str]) -> None:
    """``r:<appeal>:<answer>:<score>`` and ``rr:<appeal>:<answer>:<reason>``."""
    if len(parts) != 3:
        menu.stale_button(ctx)
        return
    found = await _answer(ctx, parts[0], parts[1])
    if found is None:
        return
    appeal, answer = found
    if kind == "r":
        await rate(ctx, appeal, answer, parse_int(parts[2]))
    elif parts[2] in REASONS:
        await give_reason(ctx, appeal, answer, parts[2], None)
    else:
        menu.stale_button(ctx)


async def rate(ctx: Context, appeal: Appeal, answer: AppealAnswer, score: int | None) -> None:
    if score is None or not 1 <= score <= 5:
        menu.stale_button(ctx)
        return
    latest = appeal.answers[-1]
    if (
        answer.rating is not None
        or answer is not latest
        or appeal.status is not AppealStatus.ANSWERED
    ):
        # Rated already, or the case has moved on since this answer.
        ctx.reply("rate-refused", number=appeal.number)
        return
    answer.rating = AnswerRating(score=score, created_at=ctx.now)
    if score > LOW:
        await transition(
            ctx.uow, appeal, Action.CLOSE, actor_id=ctx.user.id, now=ctx.now, note=f"★{score}"
        )
        ctx.reply("rate-thanks", number=appeal.number, score=score)
        return
    await transition(
        ctx.uow, appeal, Action.REOPEN, actor_id=ctx.user.id, now=ctx.now, note=f"★{score}"
    )
    ctx.reply_texts(
        (Text("rate-reopened", {"number": appeal.number}), Text("rate-ask-reason")),
        _reasons_keyboard(appeal.id, answer.number),
    )
    await _escalate(ctx, appeal, Text("escalation-low-rating", _facts(ctx, appeal, score)))
    # Free text is taken as the reason too, unless the citizen is in the middle of something.
    if ctx.state is None:
        ctx.set_state(REASON, {"appeal_id": appeal.id, "answer": answer.number})


def _facts(ctx: Context, appeal: Appeal, score: int) -> dict[str, object]:
    return {
        "number": appeal.number,
        "score": score,
        "department": ctx.departments.name(appeal.department, ctx.settings.default_locale),
    }


async def give_reason(
    ctx: Context, appeal: Appeal, answer: AppealAnswer, code: str | None, comment: str | None
) -> None:
    rating = answer.rating
    if ctx.state == REASON:
        ctx.clear_state()
    if rating is None or rating.score > LOW or rating.reason or rating.comment:
        ctx.reply("rate-refused", number=appeal.number)
        return
    rating.reason = code
    rating.comment = comment
    reason = Text(f"rate-reason-{code}")
    ctx.reply("rate-reason-thanks", number=appeal.number)
    await _escalate(
        ctx,
        appeal,
        Text(
            "escalation-reason", {**_facts(ctx, appeal, rating.score), "reason": comment or reason}
        ),
    )


async def on_reason_text(ctx: Context) -> None:
    text = ctx.incoming.text.strip()
    if not text:
        ctx.reply("rate-reason-text-expected")
        return
    if len(text) > COMMENT_MAX:
        ctx.reply("rate-reason-too-long", max=COMMENT_MAX)
        return
    found = await _answer(ctx, str(ctx.data.get("appeal_id", "")), str(ctx.data.get("answer", "")))
    if found is None:
        ctx.clear_state()
        return
    await give_reason(ctx, found[0], found[1], None, text)


async def _escalate(ctx: Context, appeal: Appeal, text: Text) -> None:
    """The department head, or the admins where the department has none."""
    for chat in await views.heads_or_admins(ctx, appeal.department):
        ctx.send(
            chat,
            (text,),
            locale=ctx.settings.default_locale,
            keyboard=views.staff_keyboard(appeal),
        )


async def satisfaction(ctx: Context) -> None:
    """``/satisfaction``: average rating per department, for admins."""
    if not ctx.access.admin:
        ctx.reply("admins-only")
        return
    rows = await ctx.uow.appeals.satisfaction_by_department()
    if not rows:
        ctx.reply("satisfaction-empty")
        return
    texts = [Text("satisfaction-header")]
    for department, average, count, low in rows:
        texts.append(
            Text(
                "satisfaction-line",
                {
                    "department": ctx.departments.name(department, ctx.locale),
                    "average": f"{average:.2f}",
                    "count": count,
                    "low": low,
                },
            )
        )
    ctx.reply_texts(tuple(texts))
