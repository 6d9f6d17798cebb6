"""The import pipeline: source files -> RawDocument -> Article -> TaggedArticle -> post.

Every input ends in exactly one :class:`Outcome`; one bad file never stops the batch.
"""

from __future__ import annotations

import hashlib
import multiprocessing as mp
import os
import signal
import zlib
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from newsarchive.core.config import Config
from newsarchive.core.markdown_text import render_body
from newsarchive.core.models import Article, Outcome, Overrides, Rejection, Status, TaggedArticle
from newsarchive.core.posts import overrides_of, parse_post, render_post
from newsarchive.core.slugs import make_slug
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import apply_overrides, tag
from newsarchive.ingest.dates import date_from_path
from newsarchive.ingest.journal import REUSABLE, ImportJournal, SourceRecord, import_code_digest, stamp_of
from newsarchive.ingest.layouts import parse_document
from newsarchive.ingest.report import ImportReport
from newsarchive.ingest.sources import find_sources, is_project_file, read_document
from newsarchive.ingest.store import ContentIndex, read_post_text, write_post

# Called after each input with its outcome, how many inputs are done, and how many in all.
Progress = Callable[[Outcome, int, int], None]


def source_key(path: Path, root: Path) -> str:
    """How a post names its source: relative to the project, with forward slashes."""
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def story_digest(article: Article) -> str:
    """Identity of a story's text, blind to whitespace, case and page furniture."""
    words = " ".join([article.title, *article.body_paragraphs]).casefold().split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:20]


NEAR_IDENTICAL = 0.9


def shingles(article: Article) -> frozenset[int]:
    """Hashed word 4-grams of the body: two revisions of one story share nearly all."""
    words = " ".join(article.body_paragraphs).casefold().split()
    grams = (" ".join(words[i : i + 4]) for i in range(max(1, len(words) - 3)))
    return frozenset(zlib.crc32(gram.encode("utf-8")) for gram in grams)


def overlap(first: frozenset[int], second: frozenset[int]) -> float:
    return len(first & second) / len(first | second) if first or second else 1.0


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


@dataclass(frozen=True)
class Prepared:
    """A source read, parsed and tagged: everything but placing and writing its post."""

    path: Path
    key: str
    tagged: TaggedArticle
    digest: str
    file_hash: str
    body_markdown: str
    shingles: frozenset[int]
    slug: str
    text: str  # the post as it reads when placed at ``slug`` with no hand-made tags


def read_article(path: Path, max_bytes: int) -> Article | Rejection:
    """A source file read, decoded and parsed into its story."""
    raw = read_document(path, max_bytes)
    return raw if isinstance(raw, Rejection) else parse_document(raw)


def prepare(path: Path, key: str, max_bytes: int, gazetteer: Gazetteer) -> Prepared | Outcome:
    """The CPU-heavy, independent part of an import; safe to run in a worker process."""
    if is_project_file(path):
        return Outcome(Path(key), Status.IGNORED, "not a story (README, LICENSE or SOURCE file)")
    raw = read_document(path, max_bytes)
    if isinstance(raw, Rejection):
        return _rejected(key, raw)
    article = parse_document(raw)
    if isinstance(article, Rejection):
        return _rejected(key, article)
    try:
        article = with_date(article, path)
    except OSError as error:
        return Outcome(Path(key), Status.REJECTED, f"read: cannot date the file: {error}")
    file_hash = hashlib.sha256(raw.data).hexdigest()
    body = render_body(article.body)
    digest = story_digest(article)
    tagged = tag(article, gazetteer)
    slug = make_slug(article.title, fallback=f"story-{digest[:10]}")
    text = render_post(tagged, slug, key, digest, body)
    return Prepared(path, key, tagged, digest, file_hash, body, shingles(article), slug, text)


# Worker processes inherit the gazetteer by fork instead of unpickling it per task.
_WORKER_GAZETTEER: Gazetteer | None = None


def _die_with_parent() -> None:
    """Ask Linux to end this worker if the importing process is killed (no orphans)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def _prepare_in_worker(task: tuple[Path, str, int]) -> Prepared | Outcome:
    assert _WORKER_GAZETTEER is not None
    return prepare(*task, _WORKER_GAZETTEER)


class Importer:
    """Imports a batch of sources into one content folder.

    Reading, parsing and tagging run on all cores for large batches; placing and writing
    posts stay in this process, in input order, so slugs and duplicates are decided
    the same way whatever the number of workers.
    """

    PARALLEL_FROM = 64

    def __init__(
        self,
        config: Config,
        gazetteer: Gazetteer | None = None,
        overwrite_edited: bool = False,
        jobs: int = 0,
    ):
        self.config = config
        self.gazetteer = gazetteer or load_gazetteer()
        self.overwrite_edited = overwrite_edited
        self.jobs = jobs or os.cpu_count() or 1
        self.index = ContentIndex.scan(config.content)
        self.seen: dict[str, str] = dict(self.index.source_of_story)
        self.seen_files: dict[str, str] = {}
        self.all_keys: set[str] = set()  # every source of this import, read or not
        self.near_identical: dict[str, list[tuple[str, float]]] = {}
        self.in_batch: set[str] = set()
        # folded title -> earlier sources with it: their shingles, or the path to read them from
        self.by_title: dict[str, list[tuple[str, frozenset[int] | Path]]] = {}
        self.journal = ImportJournal.load(
            config.cache / "newsarchive-import.json", import_code_digest(config.max_source_bytes)
        )

    def run(self, paths: Iterable[Path], progress: Progress | None = None) -> ImportReport:
        files = list(find_sources(paths))
        keys = {path: source_key(path, self.config.root) for path in files}
        self.all_keys = set(keys.values())
        stamps = {path: stamp_of(path) for path in files}  # before reading: a later change shows
        reused = {
            path: record
            for path in files
            if (record := self.journal.reusable(keys[path], path, self.config.content, self.overwrite_edited))
        }
        fresh = iter(self._prepared([path for path in files if path not in reused]))
        outcomes = []
        for done, path in enumerate(files, start=1):
            if path in reused:
                outcome = self._reuse(keys[path], path, reused[path])
            else:
                prepared = next(fresh)
                outcome = prepared if isinstance(prepared, Outcome) else self._store(prepared)
                self._journal(keys[path], stamps[path], outcome, prepared)
            outcomes.append(outcome)
            if progress:
                progress(outcome, done, len(files))
        self.journal.save()
        return ImportReport(tuple(outcomes))

    def _reuse(self, key: str, path: Path, record: SourceRecord) -> Outcome:
        """A source the last import read, as it was then (see `newsarchive.ingest.journal`)."""
        self.in_batch.add(key)
        if record.status is Status.IGNORED:
            return Outcome(Path(key), Status.IGNORED, record.detail)
        self.seen.setdefault(record.digest, key)
        self.seen_files.setdefault(record.file_hash, key)
        self.by_title.setdefault(record.title, []).append((key, path))
        status = Status.KEPT_EDITED if record.status is Status.KEPT_EDITED else Status.UNCHANGED
        near = [pair for pair in record.near_identical if pair[0] in self.all_keys]
        warnings = (*record.warnings, *(_near_identical_warning(*pair) for pair in near))
        detail = record.detail if status is Status.KEPT_EDITED else ""
        post = Path(record.post) if record.post else None
        return Outcome(Path(key), status, detail, post=post, warnings=warnings)

    def _journal(
        self, key: str, stamp: tuple[int, int] | None, outcome: Outcome, prepared: Prepared | Outcome
    ) -> None:
        if stamp is None or outcome.status not in REUSABLE:
            self.journal.note(key, None)
            return
        if not isinstance(prepared, Prepared):  # ignored before reading
            record = SourceRecord(stamp, outcome.status, outcome.detail, None, None, (), (), "", "", "")
            self.journal.note(key, record)
            return
        post = outcome.post.as_posix() if outcome.post else None
        article = prepared.tagged.article
        record = SourceRecord(
            stamp,
            outcome.status,
            outcome.detail,
            post,
            stamp_of(self.config.content / post) if post else None,
            article.warnings,
            tuple(self.near_identical.get(key, ())),
            prepared.digest,
            prepared.file_hash,
            _folded_title(article.title),
        )
        self.journal.note(key, record)

    def _prepared(self, files: list[Path]) -> Iterator[Prepared | Outcome]:
        tasks = [(path, source_key(path, self.config.root), self.config.max_source_bytes) for path in files]
        if self.jobs < 2 or len(tasks) < self.PARALLEL_FROM or "fork" not in mp.get_all_start_methods():
            yield from (prepare(*task, self.gazetteer) for task in tasks)
            return
        global _WORKER_GAZETTEER
        _WORKER_GAZETTEER = self.gazetteer
        context = mp.get_context("fork")
        with ProcessPoolExecutor(self.jobs, mp_context=context, initializer=_die_with_parent) as pool:
            yield from pool.map(_prepare_in_worker, tasks, chunksize=16)

    def _post_text(self, prepared: Prepared, relative: Path, current: str | None) -> str:
        """The worker's rendering, unless the slug moved or a person's tags must be kept."""
        overrides = overrides_of(parse_post(current)) if current is not None else Overrides()
        if relative.stem == prepared.slug and overrides == Overrides():
            return prepared.text
        tagged = apply_overrides(prepared.tagged, overrides, self.gazetteer)
        return render_post(tagged, relative.stem, prepared.key, prepared.digest, prepared.body_markdown)

    def _how(self, first: str, first_file: str) -> str:
        if first_file == first:
            return "identical file"
        if first not in self.in_batch:
            return "imported earlier"
        return "same story, different whitespace or furniture"

    def _store(self, prepared: Prepared) -> Outcome:
        key, article = prepared.key, prepared.tagged.article
        first = self.seen.setdefault(prepared.digest, key)
        first_file = self.seen_files.setdefault(prepared.file_hash, key)
        self.in_batch.add(key)
        if first != key:
            return Outcome(
                Path(key), Status.DUPLICATE, f"duplicate of {first} ({self._how(first, first_file)})"
            )
        assert article.published is not None  # prepare() dates every article
        relative = self.index.place(key, article.published.year, prepared.slug)
        try:
            current = read_post_text(self.config.content, relative)
            text = self._post_text(prepared, relative, current)
            status = write_post(self.config.content, relative, text, self.overwrite_edited, current)
        except (OSError, ValueError) as error:
            return Outcome(Path(key), Status.REJECTED, f"write: {error}")
        detail = "edited by hand; not overwritten" if status is Status.KEPT_EDITED else ""
        near = self._revisions(prepared)
        self.near_identical[key] = near
        warnings = (*article.warnings, *(_near_identical_warning(*pair) for pair in near))
        return Outcome(Path(key), status, detail, post=relative, warnings=warnings)

    def _revisions(self, prepared: Prepared) -> list[tuple[str, float]]:
        """Earlier stories with the same headline and nearly the same text, with the share.

        Such pairs are usually a story and its copy-edited revision. Both are kept (which
        one is final cannot be known); the user decides by deleting one source.
        """
        same_title = self.by_title.setdefault(_folded_title(prepared.tagged.article.title), [])
        near = []
        for other, earlier in same_title:
            shared = overlap(prepared.shingles, _shingles_of(earlier, self.config.max_source_bytes))
            if shared >= NEAR_IDENTICAL:
                near.append((other, shared))
        same_title.append((prepared.key, prepared.shingles))
        return near


def _near_identical_warning(other: str, shared: float) -> str:
    return (
        f"near-identical to {other} ({100 * shared:.0f}% of its text); both kept: "
        "delete one source if they are the same story"
    )


def _folded_title(title: str) -> str:
    return " ".join(title.casefold().split())


def _shingles_of(earlier: frozenset[int] | Path, max_bytes: int) -> frozenset[int]:
    """Shingles of an earlier story; one the journal let pass unread is read now."""
    if not isinstance(earlier, Path):
        return earlier
    article = read_article(earlier, max_bytes)
    return frozenset() if isinstance(article, Rejection) else shingles(article)


def _rejected(key: str, rejection: Rejection) -> Outcome:
    return Outcome(Path(key), Status.REJECTED, f"{rejection.stage}: {rejection.reason}")


def import_sources(
    config: Config,
    paths: Iterable[Path] | None = None,
    overwrite_edited: bool = False,
    progress: Progress | None = None,
    jobs: int = 0,
) -> ImportReport:
    """Import ``paths`` (default: the configured sources folder) into the content folder.

    ``jobs`` worker processes read, parse and tag (0: one per core).
    """
    importer = Importer(config, overwrite_edited=overwrite_edited, jobs=jobs)
    return importer.run(list(paths) if paths else [config.sources], progress)
