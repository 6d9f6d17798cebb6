"""A theme without newsarchive's templates shows a story's companies and technologies where
it shows its tags: after its own tags, each linking to the term's page. (Pelican has grouped
the tags by then, so no tag page is made for them: the term pages are.)"""

from __future__ import annotations

from typing import Any

from newsarchive.site.plugin.settings import has_own_templates
from newsarchive.site.plugin.terms import TAXONOMIES

_TERM_CLASSES = tuple(taxonomy.wrapper for taxonomy in TAXONOMIES.values())


def own_tags_only(generator: Any) -> None:
    """Take the terms a previous build appended off every story's tags, before Pelican groups
    them (Pelican's content cache keeps stories as plugins left them)."""
    for article in generator.articles:
        tags = getattr(article, "tags", None)
        if tags and any(isinstance(tag, _TERM_CLASSES) for tag in tags):
            article.tags = [tag for tag in tags if not isinstance(tag, _TERM_CLASSES)]


def terms_as_tags(generator: Any) -> None:
    """Append every story's tagged terms to its tags, when the theme has no templates of ours."""
    if has_own_templates(generator.settings):
        return
    for article in generator.articles:
        terms = [term for taxonomy in TAXONOMIES.values() for term in getattr(article, taxonomy.key, [])]
        if terms:
            article.tags = [*getattr(article, "tags", []), *terms]
