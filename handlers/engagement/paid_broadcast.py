"""Telegram's paid broadcasts: a mailing marked paid reaches its Telegram recipients at up to
1,000 messages a second instead of 30, for 0.1 Star a message from the bot's balance.

The deployment allows it (off by default) and caps it in Stars per mailing and per calendar
month. The draft's card shows what it would cost and what the budgets leave; a mailing over a
cap is not started paid: sent now, the operator is told and the draft stays; started by the
clock, it goes at the free rate and the author is told why. Starting sets its cost aside
from the month's budget; the summary says what was spent (each message Telegram accepted)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from handlers.contracts import Platform, Text

if TYPE_CHECKING:  # the settings import this module, and the context imports the settings
    from handlers.context import Work
    from storage.models import Mailing

TENTHS_PER_MESSAGE = 1  # 0.1 Star, kept in tenths so sums stay exact
# A message with a file goes as one captioned message when its text fits a caption (1,024
# characters on Telegram, the footer included), else as two: counted as two above this.
CAPTION_ROOM = 800


@dataclass(frozen=True, slots=True)
class PaidBroadcast:
    """The deployment's caps, in whole Stars."""

    stars_per_mailing: int
    stars_per_month: int


@dataclass(frozen=True, slots=True)
class Cost:
    recipients: int  # on Telegram
    tenths: int  # what sending to them costs
    mailing_cap: int  # tenths
    month_left: int  # tenths, before this mailing

    @property
    def over(self) -> str | None:
        """Which cap the cost exceeds: "mailing", "month", or None."""
        if self.tenths > self.mailing_cap:
            return "mailing"
        if self.tenths > self.month_left:
            return "month"
        return None


def stars(tenths: int) -> float:
    return tenths / 10


def messages_each(mailing: Mailing) -> int:
    """Telegram messages one recipient costs."""
    return 2 if mailing.file and len(mailing.text) > CAPTION_ROOM else 1


def month_start(work: Work) -> datetime:
    """The first moment of this calendar month where the administration is."""
    local = work.now.astimezone(work.settings.timezone)
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


async def cost(work: Work, mailing: Mailing, recipients: int | None = None) -> Cost | None:
    """What sending ``mailing`` paid would cost, against the caps; None when the deployment
    does not allow paid broadcasts. ``recipients``: the Telegram recipients once chosen
    (else those the audience reaches now)."""
    caps = work.settings.paid_broadcast
    if caps is None:
        return None
    if recipients is None:
        recipients = await work.uow.mailings.reach_on(
            mailing.audience,
            Platform.TELEGRAM.value,
            except_user=mailing.author_id,
            max_mailings=work.settings.max_mailings,
        )
    used = await work.uow.mailings.paid_used(month_start(work), except_mailing=mailing.id)
    return Cost(
        recipients=recipients,
        tenths=recipients * messages_each(mailing) * TENTHS_PER_MESSAGE,
        mailing_cap=caps.stars_per_mailing * 10,
        month_left=max(0, caps.stars_per_month * 10 - used),
    )


async def card_lines(work: Work, mailing: Mailing) -> tuple[Text, ...]:
    """On the draft's card: paid or not, and what it would cost against the budgets."""
    found = await cost(work, mailing)
    if found is None:
        return ()
    return (
        Text(
            "mailing-paid",
            {
                "on": "yes" if mailing.paid else "no",
                "recipients": found.recipients,
                "stars": stars(found.tenths),
                "mailing_cap": stars(found.mailing_cap),
                "month_left": stars(found.month_left),
                "over": found.over or "none",
            },
        ),
    )


async def refusal(work: Work, mailing: Mailing) -> Text | None:
    """Why this paid mailing may not start paid now (over a cap), or None. Where paid
    broadcasts were switched off since it was marked, it starts and goes free (set_aside
    says so): its card has no button left to unmark it."""
    if not mailing.paid:
        return None
    found = await cost(work, mailing)
    if found is None or found.over is None:
        return None
    return Text(
        "mailing-paid-over",
        {
            "number": mailing.id,
            "over": found.over,
            "stars": stars(found.tenths),
            "mailing_cap": stars(found.mailing_cap),
            "month_left": stars(found.month_left),
        },
    )


async def set_aside(work: Work, mailing: Mailing) -> Text | None:
    """As the mailing starts, its recipients chosen: its cost set aside from the month's
    budget; if it no longer fits (the audience grew, the month's budget went), it goes at the
    free rate and the returned text tells the author why."""
    if not mailing.paid:
        return None
    recipients = await work.uow.mailings.recipients_on(mailing.id, Platform.TELEGRAM.value)
    found = await cost(work, mailing, recipients)
    if found is None or found.over is not None:
        mailing.paid = False
        return Text(
            "mailing-paid-dropped",
            {
                "number": mailing.id,
                "over": found.over if found is not None else "off",
                "stars": stars(found.tenths) if found is not None else 0,
            },
        )
    mailing.paid_reserved = found.tenths
    return None
