"""Hand-written posts tagged from the gazetteer as Pelican reads them (see
`newsarchive.site.autotag`); ``NEWSARCHIVE_TAG_POSTS = False`` turns it off.

Pelican's content cache keeps the story objects it read, with what plugins added to them:
the tags found here are recorded on the story (``autotagged``) and taken off again at the
next build before tagging anew, so a gazetteer or settings change is seen on cached posts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.site.autotag import html_blocks, html_text, needs_tags, tag_fields
from newsarchive.site.incremental import cache_folder
from newsarchive.site.plugin.settings import plugin_options


def tag_posts(generator: Any) -> None:
    """Give every story without tag lines the companies and technologies the gazetteer finds
    in its title, summary and text (before Pelican groups the stories)."""
    for article in generator.articles:
        for key in getattr(article, "autotagged", ()):
            article.metadata.pop(key, None)
        article.autotagged = ()
    if not plugin_options(generator.settings).NEWSARCHIVE_TAG_POSTS:
        return
    untagged = [article for article in generator.articles if needs_tags(article.metadata)]
    if not untagged:
        return
    gazetteer = load_gazetteer(cache_folder=cache_folder(generator.settings))
    for article in untagged:
        summary = html_text(str(article.metadata.get("summary", "")))
        blocks = html_blocks(str(article.content))
        fields = tag_fields(str(article.title), summary, blocks, Path(str(article.source_path)), gazetteer)
        article.metadata.update(fields)
        article.autotagged = tuple(fields)
