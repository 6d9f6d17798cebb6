"""The import pipeline: source files -> RawDocument -> Article -> TaggedArticle -> post.

Every input ends in exactly one :class:`Outcome`; one bad file never stops the batch.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from newsarchive.core.config import Config
from newsarchive.core.markdown_text import render_body
from newsarchive.core.models import Article, Outcome, Overrides, Rejection, Status, TaggedArticle
from newsarchive.core.parallel import process_imap
from newsarchive.core.posts import overrides_of, parse_post, render_post
from newsarchive.core.slugs import make_slug
from newsarchive.gazetteer.deals import with_deals
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import apply_overrides, tag
from newsarchive.ingest.containers import (
    Broken,
    Entry,
    Limits,
    Skipped,
    is_container,
    is_sidecar,
    read_items,
)
from newsarchive.ingest.dates import date_from_path
from newsarchive.ingest.duplicates import (
    DuplicateLedger,
    folded_title,
    near_identical_warning,
    packed,
    shingles,
    story_digest,
)
from newsarchive.ingest.items import parse_item, read_sidecar, with_fields
from newsarchive.ingest.journal import (
    ITEM_REUSABLE,
    REUSABLE,
    ImportJournal,
    SourceRecord,
    Stamp,
    import_code_digest,
    source_stamp,
    stamp_of,
)
from newsarchive.ingest.layouts import parse_document
from newsarchive.ingest.report import ImportReport
from newsarchive.ingest.sources import find_sources, is_project_file, read_document
from newsarchive.ingest.store import ContentIndex, read_post_text, write_post

# Called after each input with its outcome, how many inputs are done, and how many in all.
Progress = Callable[[Outcome, int, int], None]


def source_key(path: Path, root: Path) -> str:
    """How a post names its source: relative to the project, with forward slashes."""
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def with_date(article: Article, path: Path) -> Article:
    """Give an undated story a date by the documented rule, with a warning.

    1. the day it was captured or fetched (a web archive's record, a fetch), marked
       ``Date_Estimated: yes`` (it was published then or before), else
    2. a date in the file or folder name ("2020-06-25-story.txt"), else
    3. the file's modification day, marked ``Date_Estimated: yes`` on the post.
    """
    if article.published is not None:
        return article
    if article.captured is not None:
        day = datetime(article.captured.year, article.captured.month, article.captured.day)
        warning = f"no date in the story; using the day it was captured, {day:%Y-%m-%d} (marked estimated)"
        return replace(article, published=day, date_estimated=True, warnings=(*article.warnings, warning))
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
    shingles: bytes  # `packed`: the worker's result crosses to this process as bytes
    slug: str
    text: str  # the post as it reads when placed at ``slug`` with no hand-made tags


def read_article(path: Path, max_bytes: int) -> Article | Rejection:
    """A source file read, decoded and parsed into its story (with its fetch provenance)."""
    raw = read_document(path, max_bytes)
    if isinstance(raw, Rejection):
        return raw
    article = parse_document(raw)
    fetched = read_sidecar(path)
    return with_fields(article, fetched) if fetched and isinstance(article, Article) else article


def prepare(path: Path, key: str, max_bytes: int, gazetteer: Gazetteer) -> Prepared | Outcome:
    """The CPU-heavy, independent part of an import; safe to run in a worker process."""
    if is_project_file(path):
        return Outcome(
            source=Path(key), status=Status.IGNORED, detail="not a story (README, LICENSE or SOURCE file)"
        )
    if is_sidecar(path):
        return Outcome(
            source=Path(key), status=Status.IGNORED, detail="the provenance of a fetched page, not a story"
        )
    raw = read_document(path, max_bytes)
    if isinstance(raw, Rejection):
        return _rejected(key, raw)
    article = parse_document(raw)
    if isinstance(article, Rejection):
        return _rejected(key, article)
    fetched = read_sidecar(path)
    if fetched is not None:
        article = with_fields(article, fetched)
    return finish(path, key, article, raw.data, gazetteer)


def prepare_entry(
    entry: Entry, container: Path, key: str, max_bytes: int, gazetteer: Gazetteer
) -> Prepared | Outcome:
    """One container entry's part of an import (see `prepare`)."""
    if isinstance(entry, Skipped):
        return Outcome(source=Path(key), status=Status.SKIPPED, detail=entry.reason)
    if isinstance(entry, Broken):
        return Outcome(source=Path(key), status=Status.REJECTED, detail=f"read: {entry.reason}")
    article = parse_item(entry, key, max_bytes)
    if isinstance(article, Rejection):
        return _rejected(key, article)
    return finish(container, key, article, entry.data, gazetteer)


def finish(path: Path, key: str, article: Article, data: bytes, gazetteer: Gazetteer) -> Prepared | Outcome:
    """A story read from ``path`` dated, tagged and rendered as its post."""
    try:
        article = with_date(article, path)
    except OSError as error:
        return Outcome(
            source=Path(key), status=Status.REJECTED, detail=f"read: cannot date the file: {error}"
        )
    file_hash = hashlib.sha256(data).hexdigest()
    body = render_body(article.body)
    digest = story_digest(article)
    tagged = with_deals(tag(article, gazetteer), gazetteer)
    slug = make_slug(article.title, fallback=f"story-{digest[:10]}")
    text = render_post(tagged, slug, key, digest, body)
    return Prepared(
        path=path,
        key=key,
        tagged=tagged,
        digest=digest,
        file_hash=file_hash,
        body_markdown=body,
        shingles=packed(shingles(article)),
        slug=slug,
        text=text,
    )


@dataclass(frozen=True)
class Unit:
    """One thing to account for: a source file, one entry of a container being read, or a
    source (``reuse``) or whole container (``items``) taken as the journal has it."""

    path: Path
    key: str
    reuse: SourceRecord | None = None
    items: tuple[tuple[str, SourceRecord], ...] | None = None
    entry: Entry | None = None
    container: str = ""  # the container's key, for an entry


class Importer:
    """Imports a batch of sources into one content folder.

    Reading, parsing and tagging run on all cores for large batches (`prepare`); placing
    and writing posts stay in this process, in input order, so slugs and duplicates are
    decided the same way whatever the number of workers. Its parts: the content index
    (what content/ holds), the duplicate ledger (what this import has seen) and the
    journal (what the last import made of each source).
    """

    PARALLEL_FROM = 64
    PARALLEL_CONTAINER_BYTES = 1 << 20

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
        self.ledger = DuplicateLedger(
            known=dict(self.index.source_of_story), read_shingles=self._read_shingles
        )
        self.all_keys: set[str] = set()  # every source of this import, read or not
        self.near_identical: dict[str, list[tuple[str, float]]] = {}
        self.journal = ImportJournal.load(
            config.cache / "newsarchive-import.json", import_code_digest(config.max_source_bytes)
        )

    def run(self, paths: Iterable[Path], progress: Progress | None = None) -> ImportReport:
        """Import every source under ``paths`` in order; ``progress`` hears of each outcome."""
        files = list(find_sources(paths))
        keys = {path: source_key(path, self.config.root) for path in files}
        containers = {path for path in files if is_container(path) and not is_project_file(path)}
        self.all_keys = set(keys.values())
        for path in containers:
            self.all_keys.update(self.journal.containers.get(keys[path], ()))
        stamps = {path: source_stamp(path) for path in files}  # before reading: a later change shows
        units = self._units(files, keys, containers)
        parallel = len(files) >= self.PARALLEL_FROM or any(
            (stamps[path] or (0, 0))[0] > self.PARALLEL_CONTAINER_BYTES for path in containers
        )
        outcomes: list[Outcome] = []
        number = {path: n for n, path in enumerate(files, start=1)}
        for unit, prepared in process_imap(self._work, units, self.jobs, parallel):
            for outcome in self._settle(unit, prepared, stamps[unit.path]):
                outcomes.append(outcome)
                if progress:
                    progress(outcome, number[unit.path], len(files))
        self.journal.save()
        return ImportReport(tuple(outcomes))

    def _units(self, files: list[Path], keys: dict[Path, str], containers: set[Path]) -> Iterator[Unit]:
        """What to do for each source, in order; a container's items are read as they are needed."""
        content, overwrite = self.config.content, self.overwrite_edited
        for path in files:
            key = keys[path]
            if path not in containers:
                yield Unit(path, key, reuse=self.journal.reusable(key, path, content, overwrite))
                continue
            reused = self.journal.reusable_container(key, path, content, overwrite)
            if reused is not None:
                yield Unit(path, key, items=reused)
                continue
            yield from self._container_units(path, key)

    def _container_units(self, path: Path, key: str) -> Iterator[Unit]:
        self.journal.start_container(key)
        for entry in read_items(path, Limits(self.config.max_source_bytes)):
            yield Unit(path, f"{key}#{entry.name}" if entry.name else key, entry=entry, container=key)

    def _work(self, unit: Unit) -> Prepared | Outcome | None:
        """The worker's part: nothing for a source taken as the journal has it."""
        if unit.reuse is not None or unit.items is not None:
            return None
        limit, gazetteer = self.config.max_source_bytes, self.gazetteer
        if unit.entry is not None:
            return prepare_entry(unit.entry, unit.path, unit.key, limit, gazetteer)
        return prepare(unit.path, unit.key, limit, gazetteer)

    def _settle(self, unit: Unit, prepared: Prepared | Outcome | None, stamp: Stamp | None) -> list[Outcome]:
        """The outcomes of one unit, its posts written and the journal told."""
        if unit.reuse is not None:
            return [self._reuse(unit.key, unit.path, unit.reuse)]
        if unit.items is not None:
            reused = self._reuse_container(unit.path, unit.items)
            if reused is not None:
                return reused
            return self._read_container_now(unit.path, unit.key, stamp)
        assert prepared is not None
        outcome = prepared if isinstance(prepared, Outcome) else self._store(prepared)
        if unit.container:
            record = self._record(
                stamp, outcome, prepared, ITEM_REUSABLE if unit.key != unit.container else set()
            )
            self.journal.note_item(unit.container, unit.key, record)
        else:
            self.journal.note(unit.key, self._record(stamp, outcome, prepared, REUSABLE))
        return [outcome]

    def _read_container_now(self, path: Path, key: str, stamp: Stamp | None) -> list[Outcome]:
        """A container the journal could not vouch for after all, read here and now."""
        outcomes = []
        for unit in self._container_units(path, key):
            outcomes += self._settle(unit, self._work(unit), stamp)
        return outcomes

    def _reuse_container(
        self, path: Path, items: tuple[tuple[str, SourceRecord], ...]
    ) -> list[Outcome] | None:
        """A container's items as the last import left them, or None when a story one of
        them duplicated is gone (the container must then be read again)."""
        own: set[str] = set()
        for _, record in items:
            gone = record.digest not in self.ledger.stories and record.digest not in own
            if record.status is Status.DUPLICATE and gone:
                return None
            own.add(record.digest)
        outcomes = []
        for key, record in items:
            if record.status is Status.DUPLICATE:
                detail = self.ledger.duplicate_of(key, record.digest, record.file_hash) or record.detail
                outcomes.append(Outcome(source=Path(key), status=Status.DUPLICATE, detail=detail))
            elif record.status in (Status.SKIPPED, Status.REJECTED):
                self.ledger.in_batch.add(key)
                outcomes.append(Outcome(source=Path(key), status=record.status, detail=record.detail))
            else:
                outcomes.append(self._reuse(key, path, record))
        return outcomes

    def _read_shingles(self, path: Path) -> frozenset[int]:
        """Shingles of a source the journal let pass unread, read now (a revision check);
        none for an item of a container (reading the container again would cost more)."""
        if is_container(path):
            return frozenset()
        article = read_article(path, self.config.max_source_bytes)
        return frozenset() if isinstance(article, Rejection) else shingles(article)

    def _reuse(self, key: str, path: Path, record: SourceRecord) -> Outcome:
        """A source the last import read, as it was then (see `newsarchive.ingest.journal`)."""
        if record.status is Status.IGNORED:
            self.ledger.in_batch.add(key)
            return Outcome(source=Path(key), status=Status.IGNORED, detail=record.detail)
        self.ledger.note_unread(key, record.digest, record.file_hash, record.title, path)
        status = Status.KEPT_EDITED if record.status is Status.KEPT_EDITED else Status.UNCHANGED
        near = [pair for pair in record.near_identical if pair[0] in self.all_keys]
        return Outcome(
            source=Path(key),
            status=status,
            detail=record.detail if status is Status.KEPT_EDITED else "",
            post=Path(record.post) if record.post else None,
            warnings=(*record.warnings, *(near_identical_warning(*pair) for pair in near)),
        )

    def _record(
        self, stamp: Stamp | None, outcome: Outcome, prepared: Prepared | Outcome, kept: set[Status]
    ) -> SourceRecord | None:
        """What the journal keeps of a source just read (None: read it again next time)."""
        if stamp is None or outcome.status not in kept:
            return None
        if not isinstance(prepared, Prepared):  # ignored, skipped or rejected before it was a story
            return SourceRecord(stamp=stamp, status=outcome.status, detail=outcome.detail)
        post = outcome.post.as_posix() if outcome.post else None
        article = prepared.tagged.article
        return SourceRecord(
            stamp=stamp,
            status=outcome.status,
            detail=outcome.detail,
            post=post,
            post_stamp=stamp_of(self.config.content / post) if post else None,
            warnings=article.warnings,
            near_identical=tuple(self.near_identical.get(prepared.key, ())),
            digest=prepared.digest,
            file_hash=prepared.file_hash,
            title=folded_title(article.title),
        )

    def _post_text(self, prepared: Prepared, relative: Path, current: str | None) -> str:
        """The worker's rendering, unless the slug moved or a person's tags must be kept."""
        overrides = overrides_of(parse_post(current)) if current is not None else Overrides()
        if relative.stem == prepared.slug and overrides == Overrides():
            return prepared.text
        tagged = apply_overrides(prepared.tagged, overrides, self.gazetteer)
        return render_post(tagged, relative.stem, prepared.key, prepared.digest, prepared.body_markdown)

    def _store(self, prepared: Prepared) -> Outcome:
        key, article = prepared.key, prepared.tagged.article
        duplicate = self.ledger.duplicate_of(key, prepared.digest, prepared.file_hash)
        if duplicate:
            return Outcome(source=Path(key), status=Status.DUPLICATE, detail=duplicate)
        assert article.published is not None  # prepare() dates every article
        relative = self.index.place(key, article.published.year, prepared.slug)
        try:
            current = read_post_text(self.config.content, relative)
            text = self._post_text(prepared, relative, current)
            status = write_post(self.config.content, relative, text, self.overwrite_edited, current)
        except (OSError, ValueError) as error:
            return Outcome(source=Path(key), status=Status.REJECTED, detail=f"write: {error}")
        near = self.ledger.revisions(key, article.title, prepared.shingles)
        self.near_identical[key] = near
        return Outcome(
            source=Path(key),
            status=status,
            detail="edited by hand; not overwritten" if status is Status.KEPT_EDITED else "",
            post=relative,
            warnings=(*article.warnings, *(near_identical_warning(*pair) for pair in near)),
        )


def _rejected(key: str, rejection: Rejection) -> Outcome:
    return Outcome(source=Path(key), status=Status.REJECTED, detail=f"{rejection.stage}: {rejection.reason}")


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
