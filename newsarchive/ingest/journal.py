"""What the last import made of each source, so the next one reads only what changed.

`newsarchive build` imports before it builds; at 10,000 sources, reading, parsing and
tagging them all again takes about 25 s on two cores although nothing changed. The
journal (``cache/newsarchive-import.json``, beside Pelican's cache) keeps, per source, the
file's size and time stamp, what became of it, and its post's stamp. A source is taken as
it was when

- the import code, its data (gazetteer, boilerplate lists, layouts) and the tool
  versions are those of the last import, as is the size limit for sources;
- the source file and its post have the stamps the last import left;
- it ended as a post (or was ignored): duplicates and rejected files are always read
  again, since what they depend on (another source, a permission) may have changed.

A container (a feed, a web archive, a mailbox) is taken as it was, all its items at once,
when its bytes did not change and every item's post is as the last import left it; its
items that were skipped or rejected are so again (that depends on the container's bytes
alone), and those that were duplicates are again when the story they duplicate is still
there (else the container is read again).

A reused source is reported as unchanged (or kept-edited), with the warnings its story
had; a warning that it is near-identical to another source is kept only while that source
is still in the batch.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.core.digests import code_digest, digest
from newsarchive.core.models import Status
from newsarchive.core.state import StateFile

log = logging.getLogger(__name__)

JOURNAL_VERSION = 3
REUSABLE = {Status.IMPORTED, Status.UPDATED, Status.UNCHANGED, Status.KEPT_EDITED, Status.IGNORED}
# What an item of an unchanged container may also have been, and be again without reading.
ITEM_REUSABLE = REUSABLE | {Status.SKIPPED, Status.REJECTED, Status.DUPLICATE}
TOOLS = ("pelican", "trafilatura", "charset-normalizer", "pyahocorasick", "markdown", "feedparser", "warcio")

Stamp = tuple[int, int]  # size, mtime_ns


def stamp_of(path: Path) -> Stamp | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_size, stat.st_mtime_ns


def source_stamp(path: Path) -> Stamp | None:
    """A source's stamp, folding in its fetch sidecar (``page.html.json``) when it has one:
    the sidecar's provenance is part of the post."""
    own = stamp_of(path)
    side = stamp_of(path.with_name(path.name + ".json"))
    if own is None or side is None:
        return own
    return own[0] + side[0] + 1, max(own[1], side[1])


@dataclass(frozen=True)
class SourceRecord:
    """One source as the last import left it."""

    stamp: Stamp
    status: Status
    detail: str
    post: str | None = None  # relative to the content folder
    post_stamp: Stamp | None = None
    warnings: tuple[str, ...] = ()  # the story's own (dates, bylines ...)
    near_identical: tuple[tuple[str, float], ...] = ()  # (earlier source, share of text)
    digest: str = ""
    file_hash: str = ""
    title: str = ""  # folded, for the near-identical check

    def to_json(self) -> list[object]:
        return [
            list(self.stamp),
            self.status.value,
            self.detail,
            self.post,
            list(self.post_stamp) if self.post_stamp else None,
            list(self.warnings),
            [list(pair) for pair in self.near_identical],
            self.digest,
            self.file_hash,
            self.title,
        ]

    @classmethod
    def from_json(cls, data: list[object]) -> SourceRecord:
        stamp, status, detail, post, post_stamp, warnings, near, digest, file_hash, title = data
        return cls(
            stamp=_stamp(stamp),
            status=Status(str(status)),
            detail=str(detail),
            post=None if post is None else str(post),
            post_stamp=None if post_stamp is None else _stamp(post_stamp),
            warnings=tuple(str(w) for w in _list(warnings)),
            near_identical=tuple((str(p[0]), float(p[1])) for p in _list(near) if isinstance(p, list)),
            digest=str(digest),
            file_hash=str(file_hash),
            title=str(title),
        )


def _list(value: object) -> list[object]:
    if not isinstance(value, list):
        raise TypeError("expected a list")
    return value


def _stamp(value: object) -> Stamp:
    size, mtime = _list(value)
    return int(str(size)), int(str(mtime))


# The code that decides what a source becomes; the site's code is not in it.
INGEST_CODE = ("core", "gazetteer", "ingest")


def import_code_digest(max_source_bytes: int) -> str:
    """What decides how a source is imported: the import side's code and data, the
    gazetteer, the shared core, tool versions and the size limit."""
    return digest(*code_digest(INGEST_CODE, TOOLS), f"max_source_bytes={max_source_bytes}")


@dataclass
class ImportJournal:
    """The record of each source of the last import (see the module docstring)."""

    state: StateFile
    code: str
    records: dict[str, SourceRecord] = field(default_factory=dict)
    containers: dict[str, list[str]] = field(default_factory=dict)  # container key -> item keys

    @classmethod
    def load(cls, path: Path, code: str) -> ImportJournal:
        """The journal at ``path`` if an import with the same code wrote it, else an empty one."""
        journal = cls(StateFile(path, JOURNAL_VERSION, "import journal"), code)
        saved = journal.state.load(code)
        try:
            if isinstance(saved, dict):
                sources, containers = saved["sources"], saved["containers"]
                journal.records = {key: SourceRecord.from_json(r) for key, r in sources.items()}
                journal.containers = {
                    key: [str(k) for k in _list(items)] for key, items in containers.items()
                }
        except (ValueError, KeyError, TypeError) as error:
            log.info("%s: unreadable import journal (%s); reading every source", path, error)
        return journal

    def reusable(self, key: str, source: Path, content: Path, overwrite_edited: bool) -> SourceRecord | None:
        """The record of ``key`` if the source and its post are as the last import left them."""
        record = self.records.get(key)
        if record is None or record.status not in REUSABLE:
            return None
        if overwrite_edited and record.status is Status.KEPT_EDITED:
            return None
        if source_stamp(source) != record.stamp:
            return None
        if record.post is not None and stamp_of(content / record.post) != record.post_stamp:
            return None
        return record

    def reusable_container(
        self, key: str, source: Path, content: Path, overwrite_edited: bool
    ) -> tuple[tuple[str, SourceRecord], ...] | None:
        """Every item of container ``key`` as the last import left it, or None: read it."""
        items = self.containers.get(key)
        stamp = stamp_of(source)
        if not items or stamp is None:
            return None
        found = []
        for item in items:
            record = self.records.get(item)
            if record is None or record.stamp != stamp or record.status not in ITEM_REUSABLE:
                return None
            if item == key and record.status is Status.REJECTED:  # the container itself broke
                return None
            if overwrite_edited and record.status is Status.KEPT_EDITED:
                return None
            if record.post is not None and stamp_of(content / record.post) != record.post_stamp:
                return None
            found.append((item, record))
        return tuple(found)

    def start_container(self, key: str) -> None:
        """Container ``key`` is read afresh: its items are noted again as they come."""
        for item in self.containers.pop(key, []):
            self.records.pop(item, None)
        self.containers[key] = []

    def note_item(self, container: str, key: str, record: SourceRecord | None) -> None:
        self.containers.setdefault(container, []).append(key)
        self.note(key, record)

    def note(self, key: str, record: SourceRecord | None) -> None:
        """Keep what became of ``key`` (None: nothing to keep, read it again next time)."""
        if record is None:
            self.records.pop(key, None)
        else:
            self.records[key] = record

    def save(self) -> None:
        sources = {key: record.to_json() for key, record in sorted(self.records.items())}
        containers = dict(sorted(self.containers.items()))
        try:
            self.state.save({"sources": sources, "containers": containers}, self.code)
        except OSError as error:  # only time is lost: the next import reads every source
            log.warning("%s: cannot save the import journal: %s", self.state.path, error)
