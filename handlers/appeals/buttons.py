"""The buttons a citizen presses on their own appeals: its card, its question, its answer."""

from __future__ import annotations

from handlers.payloads import ID, KEY, SCORE, Payload

OPEN_MINE = Payload("my", ID)  # my:<appeal>: the appeal's card
ANSWER_QUESTION = Payload("q", ID)  # q:<appeal>: answer the operator's question
ADD_TO = Payload("add", ID)  # add:<appeal>: add text or files to an open appeal
RATE = Payload("r", ID, ID, SCORE)  # r:<appeal>:<answer>:<1-5>
REASON = Payload("rr", ID, ID, KEY)  # rr:<appeal>:<answer>:<why the rating is low>
