"""Why a message could not be delivered, as the history keeps it and people read it."""

from __future__ import annotations

from handlers.contracts import Text

# The appeal event of a message that could not be delivered; its note is the reason.
UNDELIVERED = "undelivered"


def reason_text(reason: str) -> Text:
    """``code`` or ``code|the platform's own words`` as a person reads it."""
    code, _, detail = reason.partition("|")
    return Text("undelivered-reason", {"reason": code, "detail": detail})
