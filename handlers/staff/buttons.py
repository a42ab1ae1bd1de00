"""The buttons staff press on an appeal (under its announcement, a template's preview)."""

from __future__ import annotations

from handlers.payloads import ID, KEY, Payload

TAKE = Payload("op", "take", ID)  # op:take:<appeal>
ANSWER = Payload("op", "reply", ID)  # op:reply:<appeal>: the answer is typed next
TEMPLATE = Payload("op", "tpl", ID, KEY)  # op:tpl:<appeal>:<key>: preview a template reply
SEND_TEMPLATE = Payload("op", "tsend", ID, KEY)  # op:tsend:<appeal>:<key>: send it
