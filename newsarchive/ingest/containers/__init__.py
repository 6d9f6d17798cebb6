"""Source files that hold many stories: feeds, web archives, exports, mailboxes, MHTML.

A container reader streams its items one at a time (memory stays flat with the
container's size). Each item is the bytes of one story's body (HTML or text) and the
fields the container states for it (title, author, date, original URL, capture time);
everything else (decoding, body extraction, dates, tags, duplicates) is the pipeline's, as
for a single saved page. An item that is not a story is :class:`Skipped` with the reason;
a container that breaks part-way ends with a :class:`Broken` entry, after the items read
until then.

Each item has a stable name within its container (a feed item's guid, a WARC record's
URL, a message's Message-ID, else its position), so a container that gains an item
keeps the others' posts: the source key of an item is ``sources/feed.xml#<name>``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

HTML = "html"
TEXT = "text"
SUMMARY = "summary"  # an HTML or text summary, imported as such and marked on the page

# The suffixes a container is known by; the reader is chosen by suffix (see `reader_for`).
FEED_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".rdf"})
JSON_SUFFIXES = frozenset({".json"})
LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARCHIVE_SUFFIXES = frozenset({".warc", ".wacz", ".arc"})
MAIL_SUFFIXES = frozenset({".eml", ".mbox"})
MHTML_SUFFIXES = frozenset({".mhtml", ".mht"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
CONTAINER_SUFFIXES = (
    FEED_SUFFIXES
    | JSON_SUFFIXES
    | LINES_SUFFIXES
    | ARCHIVE_SUFFIXES
    | MAIL_SUFFIXES
    | MHTML_SUFFIXES
    | MARKDOWN_SUFFIXES
)
# A container read whole (a feed, a JSON document, one message) may be this many times the
# size limit of one story: it holds many. Streamed ones (WARC, mbox, JSON Lines) have none.
WHOLE_CONTAINER_FACTOR = 20
_NAME_UNSAFE = re.compile(r"[\s\x00-\x1f]+")
_SCHEME = re.compile(r"\b[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_REPEATED_SLASHES = re.compile(r"/(?:\.?/)+")
MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class Fields:
    """What a container states about an item; empty where it says nothing."""

    title: str = ""
    author: str = ""
    published: datetime | None = None
    deck: str = ""
    publication: str = ""
    url: str = ""  # where the story was published or captured
    captured: datetime | None = None  # when it was captured, fetched or saved


@dataclass(frozen=True)
class Item:
    """One story's body inside a container, with what the container says of it."""

    name: str
    data: bytes
    kind: str  # HTML, TEXT or SUMMARY
    fields: Fields = Fields()
    charset: str = ""  # as declared by the container (an HTTP or MIME header)
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Skipped:
    """An item that is not a story (an image, a redirect, a home page), with the reason."""

    name: str
    reason: str


@dataclass(frozen=True)
class Broken:
    """An item, or the rest of the container, that cannot be read; ``name`` "" is the container."""

    name: str
    reason: str


Entry = Item | Skipped | Broken


@dataclass(frozen=True)
class Limits:
    """How much of a container may be read: ``item_bytes`` per story (the source size
    limit), ``whole_bytes`` for a container that must be read whole."""

    item_bytes: int
    whole_bytes: int = 0

    def __post_init__(self) -> None:
        if not self.whole_bytes:
            object.__setattr__(self, "whole_bytes", self.item_bytes * WHOLE_CONTAINER_FACTOR)


Reader = Callable[[Path, Limits], Iterator[Entry]]


def container_suffix(path: Path) -> str:
    """The suffix that names a container's format: "x.warc.gz" -> ".warc"."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def is_container(path: Path) -> bool:
    return container_suffix(path) in CONTAINER_SUFFIXES and not is_sidecar(path)


def is_sidecar(path: Path) -> bool:
    """``page.html.json`` beside a fetched page: its provenance, never a story."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    return len(suffixes) >= 2 and suffixes[-1] == ".json" and suffixes[-2] in (".html", ".htm")


# Which module of this package reads each suffix, and with which function.
_READERS: dict[str, tuple[str, str]] = {
    **{suffix: ("feeds", "read_feed") for suffix in FEED_SUFFIXES},
    **{suffix: ("exports", "read_json") for suffix in JSON_SUFFIXES},
    **{suffix: ("exports", "read_json_lines") for suffix in LINES_SUFFIXES},
    **{suffix: ("exports", "read_markdown") for suffix in MARKDOWN_SUFFIXES},
    **{suffix: ("webarchive", "read_archive") for suffix in ARCHIVE_SUFFIXES},
    **{suffix: ("mail", "read_mail") for suffix in MAIL_SUFFIXES},
    **{suffix: ("mail", "read_mhtml") for suffix in MHTML_SUFFIXES},
}


def reader_for(path: Path) -> Reader:
    """The reader of ``path``'s format (imported late: each pulls in its own library)."""
    module, function = _READERS[container_suffix(path)]
    reader: Reader = getattr(importlib.import_module(f"{__name__}.{module}"), function)
    return reader


def read_items(path: Path, limits: Limits) -> Iterator[Entry]:
    """Every entry of the container at ``path``, in order, each with a unique name."""
    names = UniqueNames()
    try:
        for entry in reader_for(path)(path, limits):
            if entry.name or isinstance(entry, Item):
                entry = _renamed(entry, names.unique(entry.name))
            yield entry
    except OSError as error:
        yield Broken("", f"cannot read file: {error.strerror or error}")


def _renamed(entry: Entry, name: str) -> Entry:
    from dataclasses import replace

    return replace(entry, name=name)


@dataclass
class UniqueNames:
    """Item names made safe for a source key and unique within their container."""

    seen: dict[str, int] = field(default_factory=dict)
    count: int = 0

    def unique(self, name: str) -> str:
        """``name`` as a report path keeps it: a URL without its scheme ("host/path"),
        no doubled or trailing slashes, at most ``MAX_NAME_CHARS``; else the position."""
        self.count += 1
        name = _REPEATED_SLASHES.sub("/", _SCHEME.sub("", _NAME_UNSAFE.sub(" ", name).strip()))
        name = name.strip("/ ")[:MAX_NAME_CHARS] or str(self.count)
        repeats = self.seen.get(name, 0)
        self.seen[name] = repeats + 1
        return name if not repeats else f"{name}~{repeats + 1}"


def read_whole(path: Path, limits: Limits) -> bytes | Broken:
    """A container that must be read at once, within its size limit (gzip-aware)."""
    import gzip
    import zlib

    limit = limits.whole_bytes
    size = path.stat().st_size
    if size > limit:
        return Broken("", f"file is {size:,} bytes, over the {limit:,}-byte limit for one container")
    if path.suffix.lower() != ".gz":
        return path.read_bytes()
    try:
        with gzip.open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as error:
        return Broken("", f"damaged gzip file: {error}")
    if len(data) > limit:
        return Broken("", f"decompresses to more than the {limit:,}-byte limit")
    return data


def bounded_read(stream: object, limit: int) -> bytes | None:
    """At most ``limit`` bytes of ``stream``; None when it holds more."""
    read = getattr(stream, "read")  # noqa: B009 - any file-like object
    data: bytes = read(limit + 1)
    return None if len(data) > limit else data
