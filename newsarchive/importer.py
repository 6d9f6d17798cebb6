"""The import pipeline: source files -> RawDocument -> Article -> TaggedArticle -> post.

Every input ends in exactly one :class:`Outcome`; one bad file never stops the batch.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from .config import Config
from .dates import date_from_path
from .gazetteer import Gazetteer, load_gazetteer
from .layouts import parse_document
from .models import Article, Outcome, Rejection, Status
from .posts import render_post
from .report import ImportReport
from .sources import find_sources, is_project_file, read_document
from .store import ContentIndex, make_slug, write_post
from .tagging import tag

# Called after each input with its outcome, how many inputs are done, and how many in all.
Progress = Callable[[Outcome, int, int], None]


def source_key(path: Path, root: Path) -> str:
    """How a post names its source: relative to the project, with forward slashes."""
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


def story_digest(article: Article) -> str:
    """Identity of a story's text, blind to whitespace, case and page furniture."""
    words = " ".join([article.title, *article.body_paragraphs]).casefold().split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:20]


def with_date(article: Article, path: Path) -> Article:
    """Give an undated story a date by the documented rule, with a warning.

    1. a date in the file or folder name ("2020-06-25-story.txt"), else
    2. the file's modification day, marked ``Date_Estimated: yes`` on the post.
    """
    if article.published is not None:
        return article
    from_path = date_from_path(path.as_posix())
    if from_path is not None:
        warning = f"no date in the story; using the date in its path, {from_path:%Y-%m-%d}"
        return replace(article, published=from_path, warnings=(*article.warnings, warning))
    modified = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    day = datetime(modified.year, modified.month, modified.day)
    warning = f"no date in the story; using the file's modification day, {day:%Y-%m-%d} (marked estimated)"
    return replace(article, published=day, date_estimated=True, warnings=(*article.warnings, warning))


class Importer:
    """Imports a batch of sources into one content folder."""

    def __init__(self, config: Config, gazetteer: Gazetteer | None = None, overwrite_edited: bool = False):
        self.config = config
        self.gazetteer = gazetteer or load_gazetteer()
        self.overwrite_edited = overwrite_edited
        self.index = ContentIndex.scan(config.content)
        self.seen: dict[str, str] = dict(self.index.source_of_story)

    def run(self, paths: Iterable[Path], progress: Progress | None = None) -> ImportReport:
        files = list(find_sources(paths))
        outcomes = []
        for done, path in enumerate(files, start=1):
            outcome = self.import_one(path)
            outcomes.append(outcome)
            if progress:
                progress(outcome, done, len(files))
        return ImportReport(tuple(outcomes))

    def import_one(self, path: Path) -> Outcome:
        key = source_key(path, self.config.root)
        if is_project_file(path):
            return Outcome(Path(key), Status.IGNORED, "not a story (README, LICENSE or SOURCE file)")
        try:
            return self._import(path, key)
        except (OSError, ValueError) as error:
            return Outcome(Path(key), Status.REJECTED, f"write: {error}")

    def _import(self, path: Path, key: str) -> Outcome:
        raw = read_document(path, self.config.max_source_bytes)
        if isinstance(raw, Rejection):
            return _rejected(key, raw)
        article = parse_document(raw)
        if isinstance(article, Rejection):
            return _rejected(key, article)
        digest = story_digest(article)
        first = self.seen.setdefault(digest, key)
        if first != key:
            return Outcome(Path(key), Status.DUPLICATE, f"duplicate of {first}")
        article = with_date(article, path)
        assert article.published is not None  # with_date always sets one
        tagged = tag(article, self.gazetteer)
        slug = make_slug(article.title, fallback=f"story-{digest[:10]}")
        relative = self.index.place(key, article.published.year, slug)
        text = render_post(tagged, relative.stem, key, digest)
        status = write_post(self.config.content, relative, text, self.overwrite_edited)
        detail = "edited by hand; not overwritten" if status is Status.KEPT_EDITED else ""
        return Outcome(Path(key), status, detail, post=relative, warnings=article.warnings)


def _rejected(key: str, rejection: Rejection) -> Outcome:
    return Outcome(Path(key), Status.REJECTED, f"{rejection.stage}: {rejection.reason}")


def import_sources(
    config: Config,
    paths: Iterable[Path] | None = None,
    overwrite_edited: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import ``paths`` (default: the configured sources folder) into the content folder."""
    importer = Importer(config, overwrite_edited=overwrite_edited)
    return importer.run(list(paths) if paths else [config.sources], progress)
