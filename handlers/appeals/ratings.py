"""The citizen rates each answer from 1 to 5. A rating of 1-2 reopens the appeal and goes to
the department head, with the reason the citizen gives; 3-5 closes the case."""

from __future__ import annotations

from handlers import menu
from handlers.appeals import buttons as citizen_buttons
from handlers.appeals import views
from handlers.appeals.draft import RatingReason
from handlers.appeals.lifecycle import Action, transition
from handlers.context import Context
from handlers.contracts import Button, Keyboard, Text
from handlers.parsing import parse_int
from handlers.registry import Audience, Buttons, Command, Feature, Press, Steps
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
                    Text("rate-button", {"score": score}),
                    citizen_buttons.RATE.encode(appeal_id, answer_number, score),
                )
                for score in range(1, 6)
            ),
        )
    )


def awaiting(appeal: Appeal) -> AppealAnswer | None:
    """The answer the citizen can rate now: the latest, while the appeal is answered and it
    is not rated yet. Offered wherever the answer is shown (its message, the live card, the
    appeal's details in /my)."""
    latest = appeal.answers[-1] if appeal.answers else None
    if appeal.status is AppealStatus.ANSWERED and latest is not None and latest.rating is None:
        return latest
    return None


def _reasons_keyboard(appeal_id: int, answer_number: int) -> Keyboard:
    return Keyboard.column(
        *(
            Button(
                Text(f"rate-reason-{code}"),
                citizen_buttons.REASON.encode(appeal_id, answer_number, code),
            )
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


async def on_rate(ctx: Context, appeal_id: int, answer_number: int, score: int) -> None:
    """``r:<appeal>:<answer>:<score>``: the stars under an answer."""
    found = await _answer(ctx, str(appeal_id), str(answer_number))
    if found is not None:
        await rate(ctx, *found, score)


async def on_reason(ctx: Context, appeal_id: int, answer_number: int, reason: str) -> None:
    """``rr:<appeal>:<answer>:<reason>``: why a low rating, picked from the list."""
    if reason not in REASONS:
        menu.stale_button(ctx)
        return
    found = await _answer(ctx, str(appeal_id), str(answer_number))
    if found is not None:
        await give_reason(ctx, *found, reason, None)


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
        await transition(ctx, appeal, Action.CLOSE, actor_id=ctx.user.id, note=f"★{score}")
        ctx.reply("rate-thanks", number=appeal.number, score=score)
        return
    await transition(ctx, appeal, Action.REOPEN, actor_id=ctx.user.id, note=f"★{score}")
    ctx.reply_texts(
        (Text("rate-reopened", {"number": appeal.number}), Text("rate-ask-reason")),
        _reasons_keyboard(appeal.id, answer.number),
    )
    await _escalate(ctx, appeal, Text("escalation-low-rating", _facts(ctx, appeal, score)))
    # Free text is taken as the reason too, unless the citizen is in the middle of something.
    if ctx.state is None:
        ctx.set_state(REASON, RatingReason(appeal_id=appeal.id, answer=answer.number))


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
    draft = ctx.draft(RatingReason)
    found = await _answer(ctx, str(draft.appeal_id), str(draft.answer))
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


FEATURE = Feature(
    "ratings",
    commands=(Command("satisfaction", lambda ctx, _: satisfaction(ctx), Audience.ADMINS),),
    buttons=(
        Buttons("r", presses=(Press(citizen_buttons.RATE, on_rate),)),
        Buttons("rr", presses=(Press(citizen_buttons.REASON, on_reason),)),
    ),
    steps=(Steps(frozenset({REASON}), on_reason_text),),
)
