"""What the last build knew of each story, kept for the next one.

Pelican formats a story's URL and output file (``save_as``) anew at every access, and the
page keys need a digest of every post file, which means reading it. For a post file whose
size and time stamp are those of the last build, neither can have changed (the build
digest, in the cache's key, holds the settings and code that format them): the build takes
them from here instead. The cost of the formatting and reading then follows the change,
not the archive.

The cache is one versioned state file in Pelican's cache folder (``stories.json``, or
``stories.NAME.json`` for a site built into another folder than output/), saved after
every successful build; a build of other settings, theme or code finds nothing in it.
"""

from __future__ import annotations

import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsarchive.core.digests import digest
from newsarchive.core.state import StateFile
from newsarchive.site.pelican_compat import content_cache_shards, generator_cache_files, reader_cache_files

log = logging.getLogger(__name__)

STORY_CACHE = "stories.json"  # for the site in output/; another output folder has its own
STORY_CACHE_VERSION = 1
# Whose story objects Pelican's generator-level content cache holds (see own_content_cache).
CONTENT_CACHE_DIGEST = "content-cache.digest"


@dataclass(frozen=True)
class StoryFacts:
    """What a build learned of one post file: its stamp, a digest of its bytes, its URL and
    output file."""

    size: int
    mtime_ns: int
    source: str  # digest of the post file's bytes
    url: str
    save_as: str

    def fresh(self, stamp: tuple[int, int]) -> bool:
        """Whether the file (its size and time stamp) is still the one these facts were learned from."""
        return stamp == (self.size, self.mtime_ns)


@dataclass
class StoryCache:
    """The facts the last build kept (``known``), and those this build learns (``learned``)."""

    file: StateFile
    key: str  # the build digest: other settings format other URLs
    known: dict[str, StoryFacts] = field(default_factory=dict)
    learned: dict[str, StoryFacts] = field(default_factory=dict)
    # Each content file's size and time stamp as the build's walk found them (its input
    # signature's): a post is not statted again for its facts.
    stamps: dict[str, tuple[int, int]] = field(default_factory=dict)

    @classmethod
    def load(
        cls, cache_folder: Path, build_digest: str, clean: bool = False, site: str = "output"
    ) -> StoryCache:
        """The cache in ``cache_folder`` for this build of the site folder named ``site``
        (empty for a clean build)."""
        name = STORY_CACHE if site == "output" else f"stories.{site}.json"
        file = StateFile(cache_folder / name, STORY_CACHE_VERSION, "story cache")
        cache = cls(file, build_digest)
        data = None if clean else file.load(build_digest)
        if isinstance(data, dict):
            try:
                cache.known = {path: StoryFacts(*facts) for path, facts in data.items()}
            except TypeError as error:
                log.info("%s: unreadable story cache (%s); reading every story", file.path, error)
        return cache

    def facts(self, source_path: str) -> StoryFacts | None:
        """The last build's facts of the post at ``source_path``, if the file is unchanged."""
        known = self.known.get(source_path)
        if known is None:
            return None
        stamp = self._stamp(source_path)
        return known if stamp is not None and known.fresh(stamp) else None

    def _stamp(self, path: str) -> tuple[int, int] | None:
        """The file's size and time stamp: as the build's walk found it, or now."""
        known = self.stamps.get(path)
        if known is not None:
            return known
        try:
            stat = os.stat(path)
        except OSError:
            return None
        return stat.st_size, stat.st_mtime_ns

    def unknown(self, stamps: dict[str, tuple[int, int]]) -> list[str]:
        """The files of ``stamps`` (path -> size and time stamp) the last build did not read as
        they are now."""
        known = self.known
        return [
            path
            for path, (size, mtime) in stamps.items()
            if (facts := known.get(path)) is None or (facts.size, facts.mtime_ns) != (size, mtime)
        ]

    def learn(self, article: Any) -> None:
        """Keep what this build knows of a story (its URL and output file fixed by now)."""
        path = str(article.source_path)
        known = self.facts(path)
        if known is None or known.url != article.url:
            stamp = self.stamps.get(path)
            if stamp is None:
                stat = os.stat(path)
                stamp = (stat.st_size, stat.st_mtime_ns)
            known = StoryFacts(*stamp, source_digest(article), article.url, article.save_as)
        self.learned[path] = known

    def save(self) -> None:
        """Save what this build learned (the stories gone since are dropped)."""
        data = {
            path: [facts.size, facts.mtime_ns, facts.source, facts.url, facts.save_as]
            for path, facts in sorted(self.learned.items())
        }
        self.file.save(data, self.key)


_SOURCE = "_newsarchive_source_digest"


def source_digest(article: Any) -> str:
    """A digest of the story's post file, read once per build (or taken from the cache)."""
    known: str | None = getattr(article, _SOURCE, None)
    if known is None:
        known = digest(Path(str(article.source_path)).read_bytes())
        setattr(article, _SOURCE, known)
    return known


def know_source(article: Any, source: str) -> None:
    """Give a story the digest of its post file that the cache holds."""
    setattr(article, _SOURCE, source)


def own_content_cache(settings: dict[str, Any], reading_digest: str) -> None:
    """Keep Pelican's generator-level content cache to builds of one reading digest
    (`newsarchive.site.incremental.reading_digest`).

    Pelican checks only each post's time stamp: the story objects it keeps were made with
    the settings, readers and code of the run that made them. A build of another digest
    (settings, theme, code, Pelican) removes them before Pelican runs, so Pelican reads
    every post again. The digest file beside the cache says whose objects it holds; it is
    written before Pelican runs, which rewrites the cache, so a failed run leaves a cache of
    this digest or none. Reader-level cache files that builds of an earlier version left
    (as large as the story objects, never read in this mode) are removed."""
    if not settings.get("CACHE_CONTENT") or settings.get("CONTENT_CACHING_LAYER") != "generator":
        return
    for unused in reader_cache_files(settings):  # left by builds that cached at the reader level
        Path(unused).unlink(missing_ok=True)
    caches = [Path(name) for name in generator_cache_files(settings)]
    marker = caches[0].with_name(CONTENT_CACHE_DIGEST)
    try:
        known = marker.read_text(encoding="utf-8")
    except OSError:
        known = ""
    if known == reading_digest:
        return
    for cache in caches:
        cache.unlink(missing_ok=True)
    shutil.rmtree(content_cache_shards(settings), ignore_errors=True)
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(reading_digest, encoding="utf-8")
