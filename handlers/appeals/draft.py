"""The appeal being filed, step by step: topic, text, files, place."""

from __future__ import annotations

import secrets
from typing import Any

from pydantic import Field

from handlers.drafts import Draft


def _nonce() -> str:
    return secrets.token_hex(3)


class AppealDraft(Draft):
    # Every button of the flow carries it: a button from an earlier draft is stale.
    nonce: str = Field(default_factory=_nonce)
    topic: str | None = None
    text: str | None = None
    files: list[dict[str, Any]] = Field(default_factory=list)  # Attachment.to_dict() each
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    # Changing one part from the summary: the summary comes back after it.
    editing: bool = False
    # FAQ answers were offered after the text (once per draft).
    deflected: bool = False
    # The similar open appeals shown on the summary: only these may be followed.
    similar: list[int] = Field(default_factory=list)
    # The author agreed to publish the text without personal data (the summary's button).
    publish: bool = False


class AboutAppeal(Draft):
    """A step about one appeal: a clarification or an addition being written."""

    appeal_id: int = 0


class StaffReply(AboutAppeal):
    """An operator's answer being written, from a template (its key) or not."""

    template: str | None = None


class RatingReason(AboutAppeal):
    """Why an answer was rated low, being written."""

    answer: int = 0
