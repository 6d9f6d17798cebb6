"""Related stories: ranked by shared companies and technologies, weighted by relevance,
rarity and recency. An inverted index keeps it fast for tens of thousands of stories.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

# For each term, only the stories nearest in time are compared (``WINDOW`` on each
# side): recency weighs in anyway, and it keeps the work per story bounded however
# many stories a common term ("5G") has.
WINDOW = 60
HALF_LIFE_DAYS = 365.0


@dataclass(frozen=True)
class Story:
    """What relatedness needs of a story: its terms with their relevance, and its date."""

    key: int
    terms: dict[str, float]
    date: datetime


def related(stories: Sequence[Story], limit: int = 5) -> dict[int, list[int]]:
    """For each story, up to ``limit`` others, best first.

    ``stories`` must be in date order (either direction); neighbours in the list are
    neighbours in time.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    for index, story in enumerate(stories):
        for term in story.terms:
            postings[term].append(index)
    rarity = {term: math.log(1 + len(stories) / len(ids)) for term, ids in postings.items()}
    days = [story.date.timestamp() / 86400 for story in stories]
    result: dict[int, list[int]] = {}
    for index, story in enumerate(stories):
        scores: dict[int, float] = defaultdict(float)
        for term, weight in story.terms.items():
            posting = postings[term]
            at = bisect.bisect_left(posting, index)
            for other in posting[max(0, at - WINDOW) : at + WINDOW + 1]:
                if other != index:
                    scores[other] += weight * stories[other].terms[term] * rarity[term]
        day = days[index]
        ranked = ((score * _decay(abs(day - days[other])), -other) for other, score in scores.items())
        result[story.key] = [stories[-negative].key for _, negative in heapq.nlargest(limit, ranked)]
    return result


def _decay(days_apart: float) -> float:
    """1 for stories from the same day, halving every HALF_LIFE_DAYS apart."""
    return float(0.5 ** (days_apart / HALF_LIFE_DAYS))
