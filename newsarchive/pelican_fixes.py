"""Linear-time stand-ins for Pelican internals that grow quadratically with an archive.

Each keeps Pelican's behaviour exactly (tests/test_pelican_fixes.py compares them with
Pelican's own on the same articles); only the amount of work changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pelican.generators import ArticlesGenerator

_PATCHED = "_newsarchive_linear"

PeriodBuilder = Callable[[Any, list[Any], list[Any], dict[str, Any]], dict[str, list[dict[str, Any]]]]


def linear_period_archives(build: PeriodBuilder) -> PeriodBuilder:
    """Pelican's period archives, with each period's ``articles`` found in one pass.

    Pelican fills them with ``[a for a in articles if a in dates]``, a list scan per
    article per period: at 10,000 stories over ten years, about 5 s of every build.
    Articles have identity equality, so a lookup by ``id`` gives the same lists in the
    same order.
    """

    def build_linearly(
        generator: Any, sorted_articles: list[Any], articles: list[Any], settings: dict[str, Any]
    ) -> dict[str, list[dict[str, Any]]]:
        archives = build(generator, sorted_articles, [], settings)
        for periods in archives.values():
            period_of = {id(article): period for period in periods for article in period["dates"]}
            for period in periods:
                period["articles"] = []
            for article in articles:
                if (found := period_of.get(id(article))) is not None:
                    found["articles"].append(article)
        return archives

    setattr(build_linearly, _PATCHED, build)
    return build_linearly


class MembershipList(list[Any]):
    """A list of articles whose ``in`` is a set lookup instead of a scan.

    Pelican finds the stories of each category and author page (category pages too,
    though we write none) with ``[a for a in self.dates if a in articles]``: for the one
    category of 10,000 stories that is 50 million comparisons, every build. Articles
    have identity equality, so looking them up by ``id`` answers the same. The list is
    made once the generator has its articles and is not changed afterwards.
    """

    def __init__(self, items: list[Any]):
        super().__init__(items)
        self._ids = {id(item) for item in items}

    def __contains__(self, item: object) -> bool:
        return id(item) in self._ids


def fast_membership(generator: ArticlesGenerator) -> None:
    """Give the generator's category and author groups `MembershipList`s, in place (the
    template context holds the same lists)."""
    for groups in (generator.categories, generator.authors):
        groups[:] = [(name, MembershipList(articles)) for name, articles in groups]


def install() -> None:
    """Put the stand-ins in place (once, however many times Pelican registers plugins)."""
    current = ArticlesGenerator._build_period_archives
    if not hasattr(current, _PATCHED):
        ArticlesGenerator._build_period_archives = linear_period_archives(current)


def pelicans_own_period_archives() -> PeriodBuilder:
    """Pelican's unpatched method (for the test that compares the two)."""
    current = ArticlesGenerator._build_period_archives
    return getattr(current, _PATCHED, current)  # type: ignore[no-any-return]
