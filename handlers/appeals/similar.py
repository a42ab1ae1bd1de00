"""Similar open appeals: shown before a citizen confirms a new one, so they may follow an
existing appeal instead of filing a duplicate."""

from __future__ import annotations

import math

from rapidfuzz import fuzz

from handlers.appeals.draft import AppealDraft
from handlers.context import Work
from handlers.parsing import fold
from storage.models import Appeal
from storage.repositories.appeals import Candidate

SHOWN = 3
CANDIDATES = 200  # the most recent open appeals of the topic that are compared
EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


async def find(work: Work, draft: AppealDraft, citizen_id: int) -> list[Appeal]:
    """Open appeals of others on the same topic whose text is alike or whose place is near."""
    settings = work.settings
    text = fold(draft.text or "")
    lat, lon = draft.latitude, draft.longitude
    found: list[tuple[bool, float, Candidate]] = []
    for appeal in await work.uow.appeals.open_in_topic(draft.topic or "", CANDIDATES):
        if appeal.citizen_id == citizen_id:
            continue
        score = fuzz.token_set_ratio(text, fold(appeal.text))
        near = (
            lat is not None
            and lon is not None
            and appeal.latitude is not None
            and appeal.longitude is not None
            and distance_m(lat, lon, appeal.latitude, appeal.longitude)
            <= settings.similar_distance_m
        )
        if near or score >= settings.similar_text_score:
            found.append((near, score, appeal))
    found.sort(key=lambda item: (not item[0], -item[1], item[2].id))
    return await work.uow.appeals.listed([appeal.id for _, _, appeal in found[:SHOWN]])
