"""The search index, started as soon as every story is known (see `newsarchive.site.search`)."""

from __future__ import annotations

from typing import Any

from pelican.generators import ArticlesGenerator

from newsarchive.site.render import plan_of
from newsarchive.site.search import shards_of


def start_search_index(generators: list[Any]) -> None:
    """Name the index's shards for the search page; in a newsarchive build, bring the
    search records up to date and start Pagefind on the shards that changed."""
    for generator in generators:
        if not isinstance(generator, ArticlesGenerator):
            continue
        shards = shards_of(generator.articles)
        generator.context["search_shards"] = list(shards)
        plan = plan_of(generator.settings)
        if plan is not None and plan.search is not None:
            plan.search.update(generator, shards)
