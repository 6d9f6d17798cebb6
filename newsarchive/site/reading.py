"""Pelican's Markdown conversion of posts, done for all of them at once on every core.

Pelican converts posts one at a time as its articles generator reads them. At the first
post it has to read (one its reader cache does not hold), `convert_all` converts every
such post in forked workers; `ParallelMarkdownReader` then hands Pelican each converted
post instead of converting it again. The conversion is exactly Pelican's (its Markdown
settings, a fresh Markdown instance per post), or the fast converter's where the post is in
the importer's Markdown subset (`newsarchive.site.fast_markdown`, proven equal in tests);
metadata is still processed by Pelican's reader in the main process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from markdown import Markdown  # type: ignore[import-untyped]
from pelican.readers import MarkdownReader
from pelican.utils import file_suffix, pelican_open

from newsarchive.core.parallel import fork_map
from newsarchive.site.fast_markdown import applies, convert_post
from newsarchive.site.pelican_compat import Converted, PreconvertedMarkdownReader, is_cached, supported
from newsarchive.site.render import plan_of

# Below this many posts to convert, forking costs more than it saves.
MIN_POSTS = 50


class ParallelMarkdownReader(PreconvertedMarkdownReader):
    """Pelican's Markdown reader, taking the posts `convert_all` converted for this build."""

    def preconverted(self, source_path: str) -> Converted | None:
        plan = plan_of(self.settings)
        done = plan.converted.pop(source_path, None) if plan is not None else None
        if done is None and applies(self.settings["MARKDOWN"]):
            with pelican_open(source_path) as text:
                done = convert_post(text, self.settings["FORMATTED_FIELDS"])
        return done


def readers_setting(settings: dict[str, Any]) -> None:
    """Make ParallelMarkdownReader Pelican's reader for every Markdown extension."""
    if not supported():
        return
    readers = settings.setdefault("READERS", {})
    for extension in MarkdownReader.file_extensions:
        readers.setdefault(extension, ParallelMarkdownReader)


def convert_all(generator: Any) -> None:
    """Convert, on all cores, every post the articles generator is about to read."""
    plan = plan_of(generator.settings)
    if plan is None or plan.converted_all or plan.workers <= 1 or not supported():
        return
    plan.converted_all = True
    if _few_unknown_posts(plan):
        return
    settings = generator.settings
    paths = [
        path
        for path in _post_paths(generator)
        if file_suffix(path) in MarkdownReader.file_extensions and not is_cached(generator, path)
    ]
    if len(paths) < MIN_POSTS:
        return
    markdown_settings = settings["MARKDOWN"]
    formatted_fields = settings["FORMATTED_FIELDS"]

    def convert(share: Sequence[str]) -> list[tuple[str, Converted]]:
        return [(path, _convert(path, markdown_settings, formatted_fields)) for path in share]

    for converted in fork_map(convert, paths, plan.workers, "reading posts"):
        plan.converted.update(converted)


def _few_unknown_posts(plan: Any) -> bool:
    """Whether the build's walk of the content folder found fewer posts than are worth forking
    for that the last build did not read as they are (no second walk to find them then)."""
    if plan.content is None or plan.stories is None or not plan.stories.known:
        return False
    unknown = plan.stories.unknown(plan.content)
    return len([path for path in unknown if file_suffix(path) in MarkdownReader.file_extensions]) < MIN_POSTS


def _post_paths(generator: Any) -> list[str]:
    settings = generator.settings
    found = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    return [os.path.abspath(os.path.join(generator.path, name)) for name in found]


def _convert(path: str, markdown_settings: dict[str, Any], formatted_fields: list[str]) -> Converted:
    """What Pelican's MarkdownReader computes of a post, done the same way (by the fast
    converter when the post is in the importer's subset)."""
    with pelican_open(path) as text:
        fast = convert_post(text, formatted_fields) if applies(markdown_settings) else None
        if fast is not None:
            return fast
        markdown = Markdown(**markdown_settings)
        content = markdown.convert(text)
    meta: dict[str, list[str]] = dict(getattr(markdown, "Meta", {}))
    markdown.preprocessors.deregister("meta")
    formatted = {}
    for name, value in meta.items():
        if name.lower() in formatted_fields:
            text = "\n".join(value)
            markdown.reset()
            formatted[text] = markdown.convert(text)
    return content, meta, formatted
