"""Feeds: RSS 0.9x-2.0, RSS 1.0 (RDF) and Atom, read by feedparser (JSON Feed is an
export format: see `exports` and ``data/exports.yaml``).

An item with full content (``content:encoded``, Atom ``content``, or a description long
enough to be the story) is a story whose HTML goes through the same extraction as a saved
page; an item with only a short summary is imported as a summary, marked as such.

A feed is parsed whole, so it is read only within the container size limit and only when
it holds at most ``MAX_ITEMS`` items; a feed that declares XML entities is refused before
parsing (entity expansion is how a "billion laughs" feed eats memory).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from xml.sax import SAXParseException

from dateutil import parser as dateparser

from newsarchive.ingest.containers import (
    HTML,
    SUMMARY,
    Broken,
    Entry,
    Fields,
    Item,
    Limits,
    Skipped,
    read_whole,
)
from newsarchive.ingest.layouts.htmlmeta import parse_published

MAX_ITEMS = 10_000
# A description at least this long (in words) is the story itself, not a teaser.
FULL_TEXT_WORDS = 150
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ITEM_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")
_TAGS = re.compile(r"<[^>]+>")


def read_feed(path: Path, limits: Limits) -> Iterator[Entry]:
    data = read_whole(path, limits)
    if isinstance(data, Broken):
        yield data
        return
    problem = refused(data)
    if problem:
        yield Broken("", problem)
        return
    import feedparser

    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False)
    if not parsed.get("version") and not parsed.entries:
        if parsed.get("bozo"):
            yield Broken("", f"not a readable feed: {parsed.get('bozo_exception')}")
        else:  # well-formed XML of another kind (a sitemap, a settings file)
            yield Skipped("", "XML, but not an RSS or Atom feed")
        return
    publication = str(parsed.feed.get("title", ""))
    for number, entry in enumerate(parsed.entries, start=1):
        yield item_of(entry, number, publication)
    problem = parsed.get("bozo_exception")
    if isinstance(problem, SAXParseException):  # not mere encoding notes: the XML is broken
        yield Broken("", f"malformed feed, read as far as it goes ({len(parsed.entries)} item(s)): {problem}")


def refused(data: bytes) -> str:
    """Why a feed is not parsed at all ("" when it may be)."""
    if _ENTITY_DECLARATION.search(data, 0, 1 << 20):  # declarations precede the root element
        return "the feed declares XML entities (refused: entity expansion can exhaust memory)"
    count = len(_ITEM_START.findall(data))
    if count > MAX_ITEMS:
        return f"the feed holds {count:,} items, more than the {MAX_ITEMS:,} one feed may hold; split it"
    return ""


def item_of(entry: Any, number: int, publication: str) -> Entry:
    """One feed entry as a story item (full content or summary), or why it is skipped."""
    name = str(entry.get("id") or entry.get("link") or number)
    fields = Fields(
        title=str(entry.get("title", "")),
        author=author_of(entry),
        published=date_of(entry),
        publication=publication,
        url=str(entry.get("link", "")),
    )
    content = full_content(entry)
    if content:
        return Item(name, content.encode("utf-8"), HTML, fields)
    summary = str(entry.get("summary", ""))
    if summary.strip() or fields.title.strip():
        return Item(name, (summary or fields.title).encode("utf-8"), SUMMARY, fields)
    return Skipped(name, "the item has no title, content or summary")


def full_content(entry: Any) -> str:
    """The item's full HTML: its longest content element, else a story-length description."""
    contents = [str(part.get("value", "")) for part in entry.get("content", []) or []]
    longest = max(contents, key=len, default="")
    if longest.strip():
        return longest
    summary = str(entry.get("summary", ""))
    words = len(_TAGS.sub(" ", summary).split())
    return summary if words >= FULL_TEXT_WORDS else ""


def author_of(entry: Any) -> str:
    names = [str(a.get("name", "")) for a in entry.get("authors", []) or [] if a.get("name")]
    return ", ".join(names) or str(entry.get("author", ""))


def date_of(entry: Any) -> datetime | None:
    """The item's publication time as written (its offset kept), else its update time."""
    for key in ("published", "updated", "created"):
        parsed = written_time(str(entry.get(key) or ""))
        if parsed is not None:
            return parsed
    return None


def written_time(value: str) -> datetime | None:
    """An ISO 8601 or RFC 822 time as written, its offset kept; else a dated line."""
    if not value.strip():
        return None
    try:
        return dateparser.isoparse(value.strip())
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return parse_published(value)
