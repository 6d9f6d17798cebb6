"""Related stories: ranked by shared companies and technologies, weighted by relevance,
rarity and recency. An inverted index keeps it fast for tens of thousands of stories, and
the result is kept on disk: a story edited without a change to its tags or date reuses it.
"""

from __future__ import annotations

import gc
import heapq
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from operator import itemgetter
from pathlib import Path
from typing import Any

from newsarchive.core.digests import digest
from newsarchive.core.parallel import fork_map
from newsarchive.core.posts import relevance_entries
from newsarchive.core.state import StateFile
from newsarchive.site.render import plan_of

# For each term, only the stories nearest in time are compared (``WINDOW`` on each
# side): recency weighs in anyway, and it keeps the work per story bounded however
# many stories a common term ("5G") has.
WINDOW = 60
# From this many stories the ranking is shared among the build's workers (forked).
PARALLEL_FROM = 2000
CACHE_VERSION = 1
HALF_LIFE_DAYS = 365.0
_DECAY_PER_DAY = math.log(2) / HALF_LIFE_DAYS


@dataclass(frozen=True)
class Story:
    """What relatedness needs of a story: its terms with their relevance, and its date."""

    key: int
    terms: dict[str, float]
    date: datetime


def tie_proof(score: float) -> float:
    """``score`` to 9 decimals: scores equal but for the order of their sums' rounding are equal,
    so ties fall to the story's place (newer first), not to floating-point noise."""
    return round(score, 9)


@dataclass(frozen=True)
class _Index:
    """The inverted index `related` ranks from: each term's stories in date order, each
    story's place in them, each posting's weight (relevance times the term's rarity), days."""

    stories: Sequence[Story]
    postings: dict[str, list[int]]
    places: list[dict[str, int]]
    weighted: dict[str, list[float]]
    days: list[float]


def _index(stories: Sequence[Story]) -> _Index:
    postings: dict[str, list[int]] = defaultdict(list)
    places: list[dict[str, int]] = []  # per story: its position in each of its terms' postings
    for index, story in enumerate(stories):
        places.append({term: len(postings[term]) for term in story.terms})
        for term in story.terms:
            postings[term].append(index)
    weighted = {
        term: [stories[i].terms[term] * math.log(1 + len(stories) / len(ids)) for i in ids]
        for term, ids in postings.items()
    }
    days = [story.date.timestamp() / 86400 for story in stories]
    return _Index(stories, dict(postings), places, weighted, days)


def _ranked(index: _Index, limit: int, positions: Sequence[int]) -> dict[int, list[int]]:
    """The related stories of the stories at ``positions`` (by key)."""
    stories, postings, weighted, days = index.stories, index.postings, index.weighted, index.days
    result: dict[int, list[int]] = {}
    for position in positions:
        story = stories[position]
        scores: dict[int, float] = {}
        get = scores.get
        for term, weight in story.terms.items():
            at = index.places[position][term]
            low, high = max(0, at - WINDOW), at + WINDOW + 1
            for other, other_weight in zip(postings[term][low:high], weighted[term][low:high], strict=True):
                scores[other] = get(other, 0.0) + weight * other_weight
        scores.pop(position, None)
        ranked = _best(scores, days, days[position], limit)
        result[story.key] = [stories[-negative].key for _, negative in ranked]
    return result


# Below the limit-th best final score by more than this, a shared-term score cannot reach it
# once decayed: decay never raises a score, and `tie_proof` moves one by at most 5e-10.
_OUT_OF_REACH = 1e-8


def _best(scores: dict[int, float], days: list[float], day: float, limit: int) -> list[tuple[float, int]]:
    """The ``limit`` best (final score, -position) of the candidates, best first: what
    ``heapq.nlargest`` gives over every candidate's decayed score, but decaying them in the
    order of their shared-term scores and stopping at the first that cannot reach the best
    ``limit`` (of a few hundred candidates a story has, a few dozen are decayed)."""
    if limit <= 0:
        return []
    best: list[tuple[float, int]] = []  # a min-heap: best[0] is the limit-th best so far
    for other, score in sorted(scores.items(), key=itemgetter(1), reverse=True):
        if len(best) == limit and score < best[0][0] - _OUT_OF_REACH:
            break
        final = (tie_proof(score * math.exp(-abs(day - days[other]) * _DECAY_PER_DAY)), -other)
        if len(best) < limit:
            heapq.heappush(best, final)
        elif final > best[0]:
            heapq.heapreplace(best, final)
    return sorted(best, reverse=True)


def _ranked_in_a_child(index: _Index, limit: int, positions: Sequence[int]) -> dict[int, list[int]]:
    gc.disable()  # a forked child: collections would only copy the parent's pages
    return _ranked(index, limit, positions)


def related(stories: Sequence[Story], limit: int = 5, workers: int = 1) -> dict[int, list[int]]:
    """For each story, up to ``limit`` others, best first, ranked on ``workers`` cores.

    A story scores, for each term it shares, the product of both stories' relevance and
    the term's rarity; the sum halves for every HALF_LIFE_DAYS between the two stories.
    ``stories`` must be in date order (either direction); neighbours in the list are
    neighbours in time.
    """
    index = _index(stories)
    positions = range(len(stories))
    if workers > 1 and len(stories) >= PARALLEL_FROM:
        rank = partial(_ranked_in_a_child, index, limit)
        shares = fork_map(rank, positions, workers, "ranking related stories")
    else:
        shares = [_ranked(index, limit, positions)]
    found = {key: others for share in shares for key, others in share.items()}
    return {story.key: found[story.key] for story in stories}


def related_cached(
    stories: Sequence[Story], cache_file: Path, limit: int = 5, workers: int = 1
) -> dict[int, list[int]]:
    """``related(stories)``, read from ``cache_file`` when it was made from the same stories.

    The key covers every story's terms, relevance and date in order, and this module's
    code, so any change that could move a ranking computes it again.
    """
    key = _inputs_key(stories, limit)
    state = StateFile(cache_file, CACHE_VERSION, "related-stories cache")
    saved = state.load(key)
    if isinstance(saved, list) and len(saved) == len(stories):
        try:
            return {
                story.key: [stories[i].key for i in others]
                for story, others in zip(stories, saved, strict=True)
            }
        except (IndexError, TypeError):
            pass  # no usable cache: compute
    ranked = related(stories, limit, workers)
    positions = {story.key: index for index, story in enumerate(stories)}
    state.save([[positions[other] for other in ranked[story.key]] for story in stories], key)
    return ranked


def _inputs_key(stories: Sequence[Story], limit: int) -> str:
    """Every story's terms, relevance and date in order, the limit and this module's code."""
    lines = (
        f"{story.date.isoformat()} "
        + ",".join(f"{term}={weight!r}" for term, weight in sorted(story.terms.items()))
        for story in stories
    )
    return digest(Path(__file__).read_bytes(), str(limit), *lines)


def link_stories(generator: Any) -> None:
    """Previous/next story by date, and related stories, for every story page (related
    stories are kept beside Pelican's content cache between builds)."""
    plan = plan_of(generator.settings)
    link_neighbours(generator.articles, related_cache(generator.settings), plan.workers if plan else 1)


def related_cache(settings: dict[str, Any]) -> Path | None:
    """Where related stories are kept between builds: beside Pelican's content cache."""
    if not settings.get("CACHE_CONTENT"):
        return None
    return Path(settings["CACHE_PATH"]) / "newsarchive-related.json"


# The scores of a story's Relevance line, by name, kept on the story (and with it in
# Pelican's content cache) once read: `remember_relevance`.
_SCORES = "_newsarchive_relevance_scores"


def remember_relevance(generator: Any) -> None:
    """Read each story's Relevance line once per story read, before Pelican saves its
    content cache (which then keeps the scores with the story). A hand-written post tagged
    by this build (`newsarchive.site.plugin.autotag`) is read every build: its line is the
    gazetteer's of the day."""
    for article in generator.articles:
        if getattr(article, "autotagged", ()) or not hasattr(article, _SCORES):
            setattr(article, _SCORES, relevance_scores(article))


def relevance_scores(article: Any) -> dict[str, float]:
    """The post's Relevance line as scores by casefolded name (1 where none is given)."""
    entries = relevance_entries(str(article.metadata.get("relevance", "")))
    return {e.name.casefold(): e.score or 1.0 for kind_entries in entries.values() for e in kind_entries}


def relevance_weights(article: Any) -> dict[str, float]:
    """Tagged terms with their scores from the post's Relevance line (1 when unknown)."""
    scores = getattr(article, _SCORES, None)
    if scores is None:
        scores = relevance_scores(article)
    terms = [*getattr(article, "companies", []), *getattr(article, "technologies", [])]
    return {f"{type(t).__name__}:{t.slug}": scores.get(t.name.casefold(), 1.0) for t in terms}


def link_neighbours(articles: list[Any], cache_file: Path | None = None, workers: int = 1) -> None:
    """Previous/next story by date, and related stories, for every story page."""
    stories = [Story(index, relevance_weights(a), a.date) for index, a in enumerate(articles)]
    ranked = (
        related_cached(stories, cache_file, workers=workers)
        if cache_file
        else related(stories, workers=workers)
    )
    for index, article in enumerate(articles):
        article.related_stories = [articles[i] for i in ranked[index]]
        # articles are newest first: the next story is the newer one
        article.newer_story = articles[index - 1] if index > 0 else None
        article.older_story = articles[index + 1] if index + 1 < len(articles) else None
