"""Web archives: WARC and WARC.gz files (warcio) and WACZ packages (a zip holding WARCs).

Every HTML response is an item with its URL and capture time; other records are skipped
with the reason (CSS, images and scripts; redirects; error statuses; requests, metadata and
the archive's own description are not items at all). Pages that are not articles (a home
page, an index of tags or sections) are skipped by the URL rules of
``data/web_archive.yaml``. Records stream: one page is in memory at a time.

A damaged or truncated archive ends with one reason, after the pages read until then. A
record that expands beyond ``BOMB_RATIO`` times the archive's size on disk (a gzip bomb)
stops the archive: skipping it would mean inflating all of it.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from dateutil import parser as dateparser

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.ingest.containers import HTML, Broken, Entry, Fields, Item, Limits, Skipped, bounded_read

BOMB_RATIO = 200
BOMB_ALLOWANCE = 64 * 1024 * 1024  # what any archive may expand to, whatever its size
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_ITEM_RECORDS = ("response", "resource")


@dataclass(frozen=True)
class ArchiveRules:
    """Which captured pages are not articles (``data/web_archive.yaml``)."""

    not_article_paths: tuple[re.Pattern[str], ...]


@cache
def load_rules(path: Path | None = None) -> ArchiveRules:
    rules: ArchiveRules = load_data(path or data_path("ingest", "web_archive.yaml"), ArchiveRules)
    return rules


def read_archive(path: Path, limits: Limits) -> Iterator[Entry]:
    """Every page of a WARC, WARC.gz or WACZ file."""
    if path.suffix.lower() == ".wacz":
        yield from _read_wacz(path, limits)
        return
    with path.open("rb") as stream:
        yield from read_warc(stream, path.stat().st_size, limits)


def _read_wacz(path: Path, limits: Limits) -> Iterator[Entry]:
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as error:
        yield Broken("", f"not a WACZ (zip) package: {error}")
        return
    with package:
        members = [
            info for info in package.infolist() if re.search(r"\.(?:w?arc)(?:\.gz)?$", info.filename, re.I)
        ]
        if not members:
            yield Broken("", "the WACZ package holds no WARC file under archive/")
        for info in sorted(members, key=lambda i: i.filename):
            with package.open(info) as stream:
                yield from read_warc(stream, info.compress_size, limits, prefix=f"{info.filename}:")


def read_warc(stream: IO[bytes], size: int, limits: Limits, prefix: str = "") -> Iterator[Entry]:
    """The entries of one WARC stream (``size``: its bytes on disk, for the bomb check)."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    budget = BOMB_RATIO * size + BOMB_ALLOWANCE
    expanded = 0
    count = 0
    try:
        for record in ArchiveIterator(stream, no_record_parse=False):
            count += 1
            length = int(record.rec_headers.get_header("Content-Length") or 0)
            expanded += length
            if expanded > budget:
                yield Broken(
                    "",
                    f"record {count} ({prefix}{record_url(record)}) expands the archive past "
                    f"{BOMB_RATIO} times its size (a gzip bomb?); stopped reading",
                )
                return
            entry = entry_of(record, limits, prefix)
            if entry is not None:
                yield entry
            if isinstance(entry, Broken) and "truncated" in entry.reason:
                return
    except (ArchiveLoadFailed, EOFError, OSError, zlib.error, ValueError) as error:
        yield Broken("", f"damaged or truncated archive after {count} record(s): {error}")


def record_url(record: Any) -> str:
    return str(record.rec_headers.get_header("WARC-Target-URI") or "").strip("<>")


def entry_of(record: Any, limits: Limits, prefix: str = "") -> Entry | None:
    """The item a record holds, why it is skipped, or None when it is not an item at all."""
    if record.rec_type not in _ITEM_RECORDS:
        return None
    url = record_url(record)
    name = prefix + (url or str(record.rec_headers.get_header("WARC-Record-ID") or ""))
    http = record.http_headers
    status = http.get_statuscode() if http is not None and record.rec_type == "response" else "200"
    if status and status.startswith("3"):
        return Skipped(name, f"a redirect (HTTP {status}) to {http.get_header('Location') or '?'}")
    if status and status != "200":
        return Skipped(name, f"HTTP status {status}")
    media = content_type(record)
    if media.split(";")[0].strip().lower() not in _HTML_TYPES:
        return Skipped(name, f"not an HTML page ({media.split(';')[0] or 'no content type'})")
    if url and not_an_article(url):
        return Skipped(name, "not an article page (a home page or an index, by its URL)")
    try:
        data = bounded_read(record.content_stream(), limits.item_bytes)
    except (zlib.error, OSError, EOFError, ValueError) as error:
        return Broken(name, f"cannot decode the page: {error}")
    if data is None:
        return Broken(name, f"page is over the {limits.item_bytes:,}-byte limit (once decompressed)")
    if getattr(record.raw_stream, "limit", 0) > 0:  # the record ended before its stated length
        return Broken(name, "the record is cut short: the archive is truncated")
    fields = Fields(url=url, captured=capture_time(record))
    return Item(name, data, HTML, fields, charset=charset_of(media))


def content_type(record: Any) -> str:
    if record.http_headers is not None:
        return str(record.http_headers.get_header("Content-Type") or "")
    return str(record.rec_headers.get_header("Content-Type") or "")


def charset_of(media: str) -> str:
    match = re.search(r"charset=([\w.:-]+)", media, re.I)
    return match[1] if match else ""


def capture_time(record: Any) -> datetime | None:
    value = record.rec_headers.get_header("WARC-Date")
    try:
        return dateparser.isoparse(value) if value else None
    except ValueError:
        return None


def not_an_article(url: str) -> bool:
    """A home page or index page, by the URL rules of ``data/web_archive.yaml``."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return any(pattern.search(path) for pattern in load_rules().not_article_paths)
