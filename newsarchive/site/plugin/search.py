"""The search index, started as soon as every story is known (see `newsarchive.site.search`)."""

from __future__ import annotations

from typing import Any

from pelican.generators import ArticlesGenerator

from newsarchive.site.render import plan_of


def start_search_index(generators: list[Any]) -> None:
    """Bring the search records up to date and start Pagefind on them, beside rendering."""
    for generator in generators:
        plan = plan_of(generator.settings)
        if plan is not None and plan.search is not None and isinstance(generator, ArticlesGenerator):
            plan.search.update(generator)
