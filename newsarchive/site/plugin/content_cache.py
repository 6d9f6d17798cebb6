"""Stories and pages from Pelican's generator-level content cache get this run's settings
and context before anything formats their URLs or links (see
`newsarchive.site.pelican_compat.rebind`); a build of other settings never loads them (see
`newsarchive.site.story_cache.own_content_cache`)."""

from __future__ import annotations

from typing import Any

from newsarchive.site.pelican_compat import rebind

# The generators' lists of contents (Pelican's content cache holds every kind).
_STORIES = (
    "articles",
    "translations",
    "hidden_articles",
    "hidden_translations",
    "drafts",
    "drafts_translations",
)
_PAGES = ("pages", "translations", "hidden_pages", "hidden_translations", "draft_pages", "draft_translations")


def rebind_stories(generator: Any) -> None:
    """Right after reading, before the plugin or Pelican formats a story's URL."""
    _rebind(generator, _STORIES)


def rebind_pages(generator: Any) -> None:
    """Once the pages are read (Pelican formats their URLs when it writes them)."""
    _rebind(generator, _PAGES)


def _rebind(generator: Any, kinds: tuple[str, ...]) -> None:
    for kind in kinds:
        for content in getattr(generator, kind, ()) or ():
            rebind(content, generator)
