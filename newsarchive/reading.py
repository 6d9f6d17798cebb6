"""Pelican's Markdown conversion of posts, done for all of them at once on every core.

Pelican converts posts one at a time as its articles generator reads them. At the first
post it has to read (one its reader cache does not hold), `convert_all` converts every
such post in forked workers; `ParallelMarkdownReader` then hands Pelican each converted
post instead of converting it again. The conversion is exactly Pelican's (its Markdown
settings, a fresh Markdown instance per post); metadata is still processed by Pelican's
reader in the main process.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from markdown import Markdown  # type: ignore[import-untyped]
from pelican.readers import MarkdownReader
from pelican.utils import file_suffix, pelican_open

from .parallel import fork_map
from .render import active_plan

# Below this many posts to convert, forking costs more than it saves.
MIN_POSTS = 50

_Converted = tuple[str, str, dict[str, list[str]], dict[str, str]]  # path, HTML, metadata, formatted
_converted: dict[str, tuple[str, dict[str, list[str]], dict[str, str]]] = {}


class _Formatted:
    """Stands in for the Markdown instance Pelican's ``_parse_metadata`` uses to convert
    formatted fields (the summary): it returns what the worker converted."""

    class _Registry:
        def deregister(self, name: str, strict: bool = True) -> None:
            return None

    def __init__(self, converted: dict[str, str]):
        self.converted = converted
        self.preprocessors = self._Registry()

    def reset(self) -> _Formatted:
        return self

    def convert(self, text: str) -> str:
        return self.converted[text]


class ParallelMarkdownReader(MarkdownReader):  # type: ignore[misc]
    """Pelican's Markdown reader, taking a post converted in advance when there is one."""

    def read(self, source_path: str) -> tuple[str, dict[str, Any]]:
        done = _converted.pop(source_path, None)
        if done is None:
            result: tuple[str, dict[str, Any]] = super().read(source_path)
            return result
        content, meta, formatted = done
        self._source_path = source_path
        self._md = _Formatted(formatted)
        return content, self._parse_metadata(meta)


def readers_setting(settings: dict[str, Any]) -> None:
    """Make ParallelMarkdownReader Pelican's reader for every Markdown extension."""
    readers = settings.setdefault("READERS", {})
    for extension in MarkdownReader.file_extensions:
        readers.setdefault(extension, ParallelMarkdownReader)


def convert_all(generator: Any) -> None:
    """Convert, on all cores, every post the articles generator is about to read."""
    if getattr(generator, "_newsarchive_converted", False):
        return
    generator._newsarchive_converted = True
    _converted.clear()  # what an interrupted earlier build converted is not this build's
    plan = active_plan()
    if plan is None or plan.workers <= 1:
        return
    settings = generator.settings
    paths = [
        path
        for path in _post_paths(generator)
        if file_suffix(path) in MarkdownReader.file_extensions
        and generator.readers.get_cached_data(path, (None, None))[0] is None
    ]
    if len(paths) < MIN_POSTS:
        return
    markdown_settings = settings["MARKDOWN"]
    formatted_fields = settings["FORMATTED_FIELDS"]

    def convert(share: Sequence[str]) -> list[_Converted]:
        return [_convert(path, markdown_settings, formatted_fields) for path in share]

    for converted in fork_map(convert, paths, plan.workers, "reading posts"):
        for path, content, meta, formatted in converted:
            _converted[path] = (content, meta, formatted)


def _post_paths(generator: Any) -> list[str]:
    settings = generator.settings
    found = generator.get_files(settings["ARTICLE_PATHS"], exclude=settings["ARTICLE_EXCLUDES"])
    return [os.path.abspath(os.path.join(generator.path, name)) for name in found]


def _convert(path: str, markdown_settings: dict[str, Any], formatted_fields: list[str]) -> _Converted:
    """What Pelican's MarkdownReader computes of a post, done the same way."""
    markdown = Markdown(**markdown_settings)
    with pelican_open(path) as text:
        content = markdown.convert(text)
    meta: dict[str, list[str]] = dict(getattr(markdown, "Meta", {}))
    markdown.preprocessors.deregister("meta")
    formatted = {}
    for name, value in meta.items():
        if name.lower() in formatted_fields:
            text = "\n".join(value)
            markdown.reset()
            formatted[text] = markdown.convert(text)
    return path, content, meta, formatted
