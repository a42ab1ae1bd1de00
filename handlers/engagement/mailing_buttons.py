"""The buttons of mailings: the author's on a draft (mb), the recipients' under a mailing (ml),
the author's on one being sent (mc)."""

from __future__ import annotations

from handlers.payloads import ID, KEY, Payload

FROM_TEMPLATE = Payload("mb", "tpl", KEY)  # mb:tpl:<template>
SEND = Payload("mb", "go", ID)  # mb:go:<mailing>: send now, or at its time
DELETE = Payload("mb", "del", ID)
RSVP = Payload("mb", "s", ID, "rsvp")  # "Приду / Не смогу" under it, or not
REPEAT = Payload("mb", "s", ID, "rep")
UNLINK = Payload("mb", "s", ID, "unlink")
PREVIEW = Payload("mb", "s", ID, "pre")
PAID = Payload("mb", "s", ID, "paid")  # a Telegram paid broadcast, or not
# Choosing who receives it: handlers/engagement/audience_picker.py (mb:s:<mailing>:aud, …).
STOP = Payload("ml", "stop")  # no more mailings for me
LEAVE = Payload("ml", "leave", ID)  # ml:leave:<mailing>: leave the groups it went to
COMING = Payload("ml", "rsvp", ID, "y")
NOT_COMING = Payload("ml", "rsvp", ID, "n")
PAUSE = Payload("mc", "pause", ID)
RESUME = Payload("mc", "resume", ID)
CANCEL = Payload("mc", "cancel", ID)
