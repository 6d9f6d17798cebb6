"""The linear stand-ins give what Pelican's own code gives."""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from newsarchive.site.pelican_compat import (
    MembershipList,
    fast_membership,
    grouped_translations,
    linear_period_archives,
    pelicans_own_period_archives,
    pelicans_own_translations,
)

PERIOD_SETTINGS = {
    f"{unit}_ARCHIVE_{kind}": f"{unit.lower()}/{{date:%Y%m%d}}/{kind.lower()}"
    for unit in ("YEAR", "MONTH", "DAY")
    for kind in ("SAVE_AS", "URL")
}


@pytest.mark.parametrize("days", [["YEAR", "MONTH", "DAY"], ["YEAR", "MONTH"], ["YEAR"], []])
def test_period_archives_are_pelicans(days: list[str]) -> None:
    settings = {key: (value if key.split("_")[0] in days else "") for key, value in PERIOD_SETTINGS.items()}
    rng = random.Random(7)
    start = datetime(2019, 11, 1)
    articles: list[Any] = [
        SimpleNamespace(date=start + timedelta(hours=rng.randint(0, 24 * 500)), n=n) for n in range(400)
    ]
    articles.sort(key=lambda a: a.date, reverse=True)  # Pelican's article order: newest first
    dates = sorted(articles, key=lambda a: a.date)  # and its archive order
    own = pelicans_own_period_archives()
    expected = own(SimpleNamespace(), dates, articles, settings)
    got = linear_period_archives(own)(SimpleNamespace(), dates, articles, settings)
    assert got == expected
    assert sum(len(p["articles"]) for p in got.get("month", [])) == (400 if "MONTH" in days else 0)


def test_membership_lists_answer_like_lists() -> None:
    items: list[Any] = [SimpleNamespace(n=n) for n in range(5)]
    stranger = SimpleNamespace(n=1)  # equal in value, not the same story
    fast = MembershipList(items[1:4])
    assert fast == items[1:4] and list(fast) == items[1:4]
    assert [item in fast for item in items] == [item in items[1:4] for item in items]
    assert stranger not in fast


def test_category_and_author_groups_get_membership_lists_in_place() -> None:
    first, second = SimpleNamespace(), SimpleNamespace()
    authors: list[Any] = [("Ann", [first]), ("Bo", [first, second])]
    categories: list[Any] = [("News", [first, second])]
    generator: Any = SimpleNamespace(authors=authors, categories=categories)
    fast_membership(generator)
    assert generator.authors is authors and generator.categories is categories
    assert all(isinstance(group, MembershipList) for _, group in (*authors, *categories))
    assert [second in group for _, group in authors] == [False, True]


@pytest.mark.parametrize("translation_id", ["slug", ["slug", "lang"], None])
def test_translations_by_group_are_pelicans(translation_id: Any) -> None:
    """Originals, translations, each story's translations and the order: as Pelican's own
    gives them, over stories sharing slugs, in several languages, some marked translations."""
    rng = random.Random(11)

    def stories() -> list[Any]:
        made = []
        for n in range(300):
            translation = rng.choice(["false", "false", "true"])
            made.append(
                SimpleNamespace(
                    n=n,
                    slug=f"story-{rng.randint(0, 120)}",
                    lang=rng.choice(["en", "en", "ja", "fr"]),
                    metadata={"translation": translation},
                    in_default_lang=False,
                    source_path=f"{n}.md",
                )
            )
        for story in made:
            story.in_default_lang = story.lang == "en"
        return made

    state = rng.getstate()
    theirs = stories()
    rng.setstate(state)
    ours = stories()
    own = pelicans_own_translations()
    expected = own(theirs, translation_id)
    got = grouped_translations(own)(ours, translation_id)
    assert [[story.n for story in part] for part in got] == [[story.n for story in part] for part in expected]
    assert [story.n for story in ours] == [story.n for story in theirs]  # sorted in place alike
    if translation_id:
        assert [[t.n for t in story.translations] for story in ours] == [
            [t.n for t in story.translations] for story in theirs
        ]
