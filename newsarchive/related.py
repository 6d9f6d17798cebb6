"""Related stories: ranked by shared companies and technologies, weighted by relevance,
rarity and recency. An inverted index keeps it fast for tens of thousands of stories, and
the result is kept on disk: a story edited without a change to its tags or date reuses it.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import math
import os
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

# For each term, only the stories nearest in time are compared (``WINDOW`` on each
# side): recency weighs in anyway, and it keeps the work per story bounded however
# many stories a common term ("5G") has.
WINDOW = 60
HALF_LIFE_DAYS = 365.0
_DECAY_PER_DAY = math.log(2) / HALF_LIFE_DAYS


@dataclass(frozen=True)
class Story:
    """What relatedness needs of a story: its terms with their relevance, and its date."""

    key: int
    terms: dict[str, float]
    date: datetime


def related(stories: Sequence[Story], limit: int = 5) -> dict[int, list[int]]:
    """For each story, up to ``limit`` others, best first.

    A story scores, for each term it shares, the product of both stories' relevance and
    the term's rarity; the sum halves for every HALF_LIFE_DAYS between the two stories.
    ``stories`` must be in date order (either direction); neighbours in the list are
    neighbours in time.
    """
    postings: dict[str, list[int]] = defaultdict(list)
    places: list[dict[str, int]] = []  # per story: its position in each of its terms' postings
    for index, story in enumerate(stories):
        places.append({term: len(postings[term]) for term in story.terms})
        for term in story.terms:
            postings[term].append(index)
    # Aligned with each posting: the member's relevance times the term's rarity.
    weighted = {
        term: [stories[i].terms[term] * math.log(1 + len(stories) / len(ids)) for i in ids]
        for term, ids in postings.items()
    }
    days = [story.date.timestamp() / 86400 for story in stories]
    result: dict[int, list[int]] = {}
    for index, story in enumerate(stories):
        scores: dict[int, float] = {}
        get = scores.get
        for term, weight in story.terms.items():
            at = places[index][term]
            low, high = max(0, at - WINDOW), at + WINDOW + 1
            for other, other_weight in zip(postings[term][low:high], weighted[term][low:high], strict=True):
                scores[other] = get(other, 0.0) + weight * other_weight
        scores.pop(index, None)
        day = days[index]
        ranked = heapq.nlargest(
            limit,
            ((score * math.exp(-abs(day - days[o]) * _DECAY_PER_DAY), -o) for o, score in scores.items()),
        )
        result[story.key] = [stories[-negative].key for _, negative in ranked]
    return result


def related_cached(stories: Sequence[Story], cache_file: Path, limit: int = 5) -> dict[int, list[int]]:
    """``related(stories)``, read from ``cache_file`` when it was made from the same stories.

    The key covers every story's terms, relevance and date in order, and this module's
    code, so any change that could move a ranking computes it again.
    """
    key = _inputs_key(stories, limit)
    try:
        saved = json.loads(cache_file.read_text(encoding="utf-8"))
        if saved.get("key") == key:
            return {
                story.key: [stories[i].key for i in others]
                for story, others in zip(stories, saved["related"], strict=True)
            }
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no usable cache: compute
    ranked = related(stories, limit)
    positions = {story.key: index for index, story in enumerate(stories)}
    listed = [[positions[other] for other in ranked[story.key]] for story in stories]
    _write_atomically(cache_file, json.dumps({"key": key, "related": listed}, separators=(",", ":")))
    return ranked


def _inputs_key(stories: Sequence[Story], limit: int) -> str:
    digest = hashlib.sha256(Path(__file__).read_bytes())
    digest.update(f"{limit}\n".encode())
    for story in stories:
        terms = ",".join(f"{term}={weight!r}" for term, weight in sorted(story.terms.items()))
        digest.update(f"{story.date.isoformat()} {terms}\n".encode())
    return digest.hexdigest()


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
