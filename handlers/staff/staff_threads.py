"""Staff forum topics and replies.

In a staff chat with topics (a Telegram supergroup) every appeal gets a topic of its own,
titled with its number, topic and status. What staff write there, or in reply to a bot's
message about an appeal anywhere, is the administration's answer to the citizen; the
citizen's follow-ups are posted there too. A message starting with ``//`` stays among staff.
"""

from __future__ import annotations

import dataclasses

from handlers.appeals import views
from handlers.context import Work
from handlers.contracts import Attachment, ChatRef, Outgoing, Platform, Text
from storage.models import Appeal


def signature(appeal: Appeal) -> str:
    """What the title is made of: a topic is renamed only when this changes."""
    return f"{appeal.status.value}:{appeal.topic}"


async def post(
    work: Work,
    appeal: Appeal,
    texts: tuple[Text, ...],
    *,
    also: tuple[ChatRef, ...] = (),
    files: tuple[Attachment, ...] = (),
) -> None:
    """A follow-up on the appeal for staff, with the buttons to act on it: to ``also`` (e.g.
    the operator who asked) and into the appeal's topic in the staff chats; to the private
    chats of the department's staff when there is neither."""
    chats = list(dict.fromkeys((*also, *work.settings.staff_chats)))
    if not chats:
        chats = await views.staff_chats(work, appeal.department)
    for chat in chats:
        work.send(
            chat,
            texts,
            locale=work.settings.default_locale,
            keyboard=views.staff_keyboard(appeal),
            files=files,
            post_of=appeal.id,
        )


async def place(work: Work) -> None:
    """Put staff messages about an appeal into its topic where it has one, and rename the
    topics of the appeals that moved."""
    threads: dict[int, dict[ChatRef, str]] = {}

    async def threads_of(appeal_id: int) -> dict[ChatRef, str]:
        if appeal_id in work.created:
            return {}
        if appeal_id not in threads:
            rows = await work.uow.posts.threads(appeal_id)
            threads[appeal_id] = {
                ChatRef(Platform(row.platform), row.chat_id): str(row.thread_id) for row in rows
            }
        return threads[appeal_id]

    for index, message in enumerate(work.outgoing):
        if message.post_of is None or message.thread_id is not None:
            continue
        thread_id = (await threads_of(message.post_of)).get(message.chat)
        if thread_id is not None:
            work.outgoing[index] = dataclasses.replace(
                message, thread_id=thread_id, open_thread=None
            )
    for appeal in work.touched.values():
        if appeal.id in work.created:
            continue
        for row in await work.uow.posts.threads(appeal.id):
            if row.title == signature(appeal):
                continue
            row.title = signature(appeal)
            work.outgoing.append(
                Outgoing(
                    ChatRef(Platform(row.platform), row.chat_id),
                    (),
                    locale=work.settings.default_locale,
                    thread_id=row.thread_id,
                    rename_thread=views.thread_title(work, appeal),
                )
            )
