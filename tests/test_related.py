"""Related stories: what a reader expects of the ranking, and the fast version against a
plain one written the obvious way."""

from __future__ import annotations

import heapq
import math
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsarchive.site.plugin.related
from newsarchive.site.plugin.related import (
    HALF_LIFE_DAYS,
    PARALLEL_FROM,
    WINDOW,
    Story,
    related,
    related_cached,
    tie_proof,
)

DAY0 = datetime(2020, 1, 1)


def stories_of(*terms: dict[str, float], days_apart: float = 1.0) -> list[Story]:
    """Stories newest first, ``days_apart`` from each other."""
    return [Story(i, t, DAY0 - timedelta(days=i * days_apart)) for i, t in enumerate(terms)]


def plainly_related(stories: list[Story], limit: int = 5) -> dict[int, list[int]]:
    """The ranking as documented, computed pair by pair."""
    counts: dict[str, int] = {}
    for story in stories:
        for term in story.terms:
            counts[term] = counts.get(term, 0) + 1
    result = {}
    for index, story in enumerate(stories):
        scored = []
        for other_index, other in enumerate(stories):
            score = 0.0
            for term in story.terms.keys() & other.terms.keys():
                posting = [i for i, s in enumerate(stories) if term in s.terms]
                if other_index != index and abs(posting.index(other_index) - posting.index(index)) <= WINDOW:
                    rarity = math.log(1 + len(stories) / counts[term])
                    score += story.terms[term] * other.terms[term] * rarity
            if score:
                days = abs(story.date - other.date).total_seconds() / 86400
                scored.append((tie_proof(score * 0.5 ** (days / HALF_LIFE_DAYS)), -other_index))
        scored.sort(reverse=True)
        result[story.key] = [stories[-negative].key for _, negative in scored[:limit]]
    return result


def test_more_shared_terms_rank_first() -> None:
    stories = stories_of({"nec": 1, "5g": 1}, {"nec": 1}, {"nec": 1, "5g": 1}, {"toyota": 1})
    assert related(stories)[0] == [2, 1]


def test_a_story_is_never_its_own_relation_and_unrelated_stories_are_left_out() -> None:
    stories = stories_of({"nec": 1}, {"nec": 1}, {"toyota": 1})
    ranked = related(stories)
    assert ranked == {0: [1], 1: [0], 2: []}


def test_rarer_shared_terms_weigh_more() -> None:
    common = [{"5g": 1.0} for _ in range(20)]
    stories = stories_of({"5g": 1, "iown": 1}, {"5g": 1}, {"iown": 1}, *common)
    assert related(stories)[0][0] == 2


def test_recent_stories_rank_above_old_ones_with_the_same_terms() -> None:
    stories = stories_of({"nec": 1}, {"nec": 1}, {"nec": 1}, days_apart=400)
    ranked = related(stories)
    assert ranked[0] == [1, 2]
    assert ranked[1] == [0, 2]  # as recent either way: the newer one first


def test_relevance_weighs_in_and_the_limit_holds() -> None:
    stories = stories_of({"nec": 1}, *({"nec": 0.2} for _ in range(3)), {"nec": 0.9})
    ranked = related(stories, limit=2)
    assert ranked[0] == [4, 1]
    assert max(len(others) for others in ranked.values()) == 2


terms = st.dictionaries(st.sampled_from(["a", "b", "c", "d", "e"]), st.sampled_from([0.5, 1.0]), max_size=3)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(terms, st.integers(0, 3)), max_size=30))
def test_the_fast_ranking_is_the_plain_one(entries: list[tuple[dict[str, float], int]]) -> None:
    day = DAY0
    stories = []
    for index, (story_terms, gap) in enumerate(entries):
        day -= timedelta(days=gap)
        stories.append(Story(index, story_terms, day))
    assert related(stories) == plainly_related(stories)


def test_the_window_bounds_the_comparison() -> None:
    stories = stories_of(*({"5g": 1.0} for _ in range(2 * WINDOW + 10)))
    assert related(stories) == plainly_related(stories)


def test_a_second_build_with_the_same_stories_reads_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stories = stories_of({"nec": 1, "5g": 1}, {"nec": 1}, {"5g": 0.5}, {"nec": 1})
    cache = tmp_path / "cache" / "related.json"
    first = related_cached(stories, cache)
    assert first == related(stories) and cache.is_file()

    def fail(*args: object) -> None:
        raise AssertionError("computed again")

    monkeypatch.setattr(newsarchive.site.plugin.related, "related", fail)
    assert related_cached(stories, cache) == first


def test_a_changed_tag_or_date_computes_again(tmp_path: Path) -> None:
    cache = tmp_path / "related.json"
    stories = stories_of({"nec": 1}, {"nec": 1}, {"toyota": 1})
    related_cached(stories, cache)
    retagged = [*stories[:2], Story(2, {"nec": 1.0}, stories[2].date)]
    assert related_cached(retagged, cache) == related(retagged) != related(stories)
    redated = [stories[0], stories[1], Story(2, {"nec": 1.0}, stories[2].date - timedelta(days=900))]
    assert related_cached(redated, cache) == related(redated)


def test_a_damaged_cache_is_computed_again(tmp_path: Path) -> None:
    cache = tmp_path / "related.json"
    cache.write_text('{"key": ', encoding="utf-8")
    stories = stories_of({"nec": 1}, {"nec": 1})
    assert related_cached(stories, cache) == {0: [1], 1: [0]}


def test_the_ranking_shared_among_workers_is_the_ranking_in_one_process() -> None:
    """From PARALLEL_FROM stories the ranking is split among forked workers: the same result."""
    terms = [f"Company:c{n}" for n in range(40)]
    stories = [
        Story(
            key,
            {terms[(key * 7) % 40]: 1.0, terms[(key * 11 + 3) % 40]: 0.5},
            datetime(2020, 1, 1 + key % 28),
        )
        for key in range(PARALLEL_FROM + 10)
    ]
    stories.sort(key=lambda story: story.date)
    assert related(stories, workers=2) == related(stories, workers=1)
    assert list(related(stories, workers=2)) == [story.key for story in stories]


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.integers(0, 60),
        st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0, 3.0]).map(lambda s: s * math.log(1 + 40 / 7)),
        max_size=40,
    ),
    st.lists(st.integers(0, 3000), min_size=61, max_size=61),
    st.integers(0, 8),
)
def test_the_best_candidates_are_the_decayed_scores_largest(
    scores: dict[int, float], day_list: list[int], limit: int
) -> None:
    """Decaying candidates best shared-term score first and stopping at the first that cannot
    reach the best few gives what ranking every decayed candidate does, ties and all."""
    from newsarchive.site.plugin.related import _DECAY_PER_DAY, _best

    days = [float(day) for day in day_list]
    everything = heapq.nlargest(
        limit,
        (
            (tie_proof(score * math.exp(-abs(days[0] - days[o]) * _DECAY_PER_DAY)), -o)
            for o, score in scores.items()
        ),
    )
    assert _best(scores, days, days[0], limit) == everything
