"""Stories whose post file is unchanged since the last build take their URL, output file
and post digest from the story cache instead of formatting and reading them again (see
`newsarchive.site.story_cache`); the others have them formatted once, right after reading;
every story's facts are kept for the next build."""

from __future__ import annotations

import logging
from typing import Any

from pelican.generators import ArticlesGenerator

from newsarchive.site.pelican_compat import fix_save_as, fix_url, release_save_as
from newsarchive.site.render import plan_of
from newsarchive.site.story_cache import know_source

log = logging.getLogger(__name__)


def use_known_facts(generator: ArticlesGenerator) -> None:
    """Right after reading: the cached URL, output file and digest of every unchanged post."""
    plan = plan_of(generator.settings)
    if plan is None or plan.stories is None:
        return
    for article in generator.articles:
        facts = plan.stories.facts(str(article.source_path))
        if facts is not None:
            fix_url(article, facts.url)
            fix_save_as(article, facts.save_as)
            know_source(article, facts.source)
        else:  # formatted once here, not at each of the build's many uses (a fifth of a cold build)
            fix_url(article, article.url)
            fix_save_as(article, article.save_as)


def learn_stories(generator: ArticlesGenerator) -> None:
    """Once the URLs are fixed: keep every story's facts for the next build. Stories written
    to one file (Pelican warns of their slug) get Pelican's own handling back: its writer
    allows a fixed output file to be written over."""
    plan = plan_of(generator.settings)
    if plan is None or plan.stories is None:
        return
    by_file: dict[str, list[Any]] = {}
    for article in generator.articles:
        plan.stories.learn(article)
        by_file.setdefault(str(article.save_as), []).append(article)
    for file, articles in by_file.items():
        if len(articles) > 1:
            log.warning(
                "%s are all written to %s: give all but one another Slug",
                ", ".join(str(article.source_path) for article in articles),
                file,
            )
            for article in articles:
                release_save_as(article)
