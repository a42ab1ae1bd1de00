"""Typed flow drafts: what a flow keeps between a person's messages, as a model instead of a
dict. The conversation row stores it as JSON; loading is forgiving, so a draft saved by an
earlier version of the bot still loads after an upgrade (parts it lacks take their defaults,
parts no longer known are dropped; ``upgrade`` carries a renamed or re-shaped part over), and a
draft that cannot be read at all starts afresh rather than trapping the person."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field, ValidationError

log = logging.getLogger(__name__)


class Draft(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, validate_assignment=True)

    VERSION: ClassVar[int] = 1
    version: int = Field(default=1, alias="v")
    # The steps of this run of the flow already counted (usage analytics; see Context).
    steps_seen: list[str] = Field(default_factory=list, alias="_steps")

    @classmethod
    def upgrade(cls, data: dict[str, Any]) -> dict[str, Any]:
        """A draft of an earlier version, brought to this one (nothing to do at version 1)."""
        return data

    @classmethod
    def load(cls, data: Mapping[str, Any]) -> Self:
        raw = dict(data)
        if raw.get("v", 1) < cls.VERSION:
            raw = cls.upgrade(raw)
        raw["v"] = cls.VERSION
        try:
            return cls.model_validate(raw)
        except ValidationError as exc:
            # No text of the person in the log: the fields that failed, not their values.
            fields = sorted({".".join(map(str, e["loc"])) for e in exc.errors()})
            log.warning("a %s draft could not be read (%s); it starts afresh", cls.__name__, fields)
            return cls()

    def dump(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, mode="json")
