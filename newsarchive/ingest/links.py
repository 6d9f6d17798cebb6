"""Lists of links to fetch: URLs given on the command line, or a file of them.

A file is one of: a plain list (one URL a line; blank lines and ``#`` comments skipped), a
browser bookmarks export (the Netscape bookmark file every browser writes) or another HTML
page of links (a read-later service's export), an OPML file
(``url`` of link outlines are pages; ``xmlUrl`` of subscriptions are feeds) or an RSS,
Atom or JSON feed (its items' links are pages). The kind is told from the content, not
the file name. Every URL keeps where it came from ("links.txt:3"), for the report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit, urlunsplit

import feedparser
from lxml import etree
from lxml import html as lxml_html

STAGE = "links"
_DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Link:
    """A URL to fetch (normalised) and where it was found."""

    url: str
    origin: str  # "command line", "links.txt:3", "bookmarks.html" ...


@dataclass(frozen=True)
class LinkList:
    """What a list gave: the pages to fetch, feeds whose items are pages, and the entries
    that are not usable URLs (one line each, naming file and entry)."""

    links: tuple[Link, ...] = ()
    feeds: tuple[Link, ...] = ()
    problems: tuple[str, ...] = ()


def normalize_url(text: str) -> str | None:
    """``text`` as the one spelling of its URL (no fragment, lower-case scheme and host,
    no default port, "/" for an empty path), or None when it is not an http(s) URL."""
    url = urldefrag(text.strip())[0]
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname or any(c.isspace() for c in url):
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    netloc = host if port in (None, _DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def links_from_arguments(urls: list[str]) -> LinkList:
    """URLs given on the command line (a file name among them gets a hint)."""
    given = _collect(((url, "command line") for url in urls), "command line")
    files = [text for text in urls if normalize_url(text) is None and Path(text).is_file()]
    if not files:
        return given
    hint = f"command line: {STAGE}: {', '.join(files)}: a list of links in a file is read with --from FILE"
    return LinkList(given.links, (), (*given.problems, hint))


def read_link_file(path: Path, max_bytes: int) -> LinkList:
    """The links in ``path``, whatever kind of list it is; a file that cannot be read is one
    problem, never an exception."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return LinkList(problems=(f"{path}: {STAGE}: file is {size:,} bytes, over the limit",))
        data = path.read_bytes()
    except OSError as error:
        return LinkList(problems=(f"{path}: {STAGE}: cannot read file: {error.strerror or error}",))
    return links_in(data, path.as_posix())


def links_in(data: bytes, name: str) -> LinkList:
    """The links in a list's bytes (``name`` says where they came from)."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype netscape-bookmark-file", b"<!doctype html", b"<html")) or b"<dl" in head:
        return _bookmarks(data, name)  # also read-later exports (Pocket's) and any page of links
    if b"<opml" in head:
        return _opml(data, name)
    if _is_feed(head, data):
        return _feed_items(data, name)
    return _plain_list(data, name)


def feed_links(data: bytes, name: str) -> LinkList:
    """The item links of a feed fetched from ``name`` (an OPML subscription)."""
    return _feed_items(data, name)


_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:rdf)\b")


def _is_feed(head: bytes, data: bytes) -> bool:
    return bool(_FEED_ROOT.search(head)) or _json_feed(data) is not None


def _json_feed(data: bytes) -> dict[str, Any] | None:
    """A JSON Feed document (jsonfeed.org), which feedparser 6.0 does not read."""
    if data.lstrip()[:1] != b"{":
        return None
    try:
        document = json.loads(data)
    except ValueError:
        return None
    if isinstance(document, dict) and "jsonfeed.org" in str(document.get("version", "")):
        return document
    return None


def _plain_list(data: bytes, name: str) -> LinkList:
    text = data.decode("utf-8", errors="replace")
    entries = []
    for number, line in enumerate(text.splitlines(), start=1):
        entry = line.strip()
        if entry and not entry.startswith("#"):
            entries.append((entry, f"{name}:{number}"))
    return _collect(entries, name)


def _bookmarks(data: bytes, name: str) -> LinkList:
    try:
        document = lxml_html.document_fromstring(data)
    except (etree.ParserError, ValueError) as error:
        return LinkList(problems=(f"{name}: {STAGE}: not a readable bookmarks file: {error}",))
    # An anchor with no href, or one to a place in the same page, links to no page.
    anchors = [a for a in document.iter("a") if not a.get("href", "#").strip().startswith("#")]
    return _collect(((a.get("href", ""), f"{name}: {_label(a.text_content())}") for a in anchors), name)


def _label(text: str) -> str:
    """A bookmark's title, shortened for a report line."""
    words = " ".join(text.split())
    return f'"{words[:60]}"' if words else "(untitled bookmark)"


# No entities expanded, no network, no huge trees: an OPML file from elsewhere is untrusted.
_SAFE_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


def _opml(data: bytes, name: str) -> LinkList:
    try:
        root = etree.fromstring(data, parser=_SAFE_XML)
    except etree.XMLSyntaxError as error:
        return LinkList(problems=(f"{name}: {STAGE}: not well-formed OPML: {error}",))
    pages, feeds = [], []
    for outline in root.iter("outline"):
        title = _label(outline.get("title") or outline.get("text") or "")
        if outline.get("xmlUrl"):
            feeds.append((outline.get("xmlUrl", ""), f"{name}: feed {title}"))
        elif outline.get("url"):
            pages.append((outline.get("url", ""), f"{name}: {title}"))
    found = _collect(pages, name, required=not feeds)
    subscribed = _collect(feeds, name, required=False)
    return LinkList(found.links, subscribed.links, found.problems + subscribed.problems)


def _feed_items(data: bytes, name: str) -> LinkList:
    document = _json_feed(data)
    if document is not None:
        items = document.get("items")
        items = items if isinstance(items, list) else []
        found = (_json_item_url(item) for item in items)
        return _collect(((url, f"{name}: item {n}") for n, url in enumerate(found, start=1)), name)
    parsed = feedparser.parse(data)
    entries = []
    for number, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link") or ""
        entries.append((str(link), f"{name}: item {number}"))
    if not parsed.entries and parsed.get("bozo"):
        reason = parsed.get("bozo_exception") or "no items"
        return LinkList(problems=(f"{name}: {STAGE}: not a readable feed: {reason}",))
    return _collect(entries, name)


def _json_item_url(item: object) -> str:
    if not isinstance(item, dict):
        return ""
    url = item.get("url") or item.get("external_url") or ""
    return url if isinstance(url, str) else ""


def _collect(entries: Iterable[tuple[str, str]], name: str, required: bool = True) -> LinkList:
    """Normalise each (text, origin) entry; the ones that are not http(s) URLs are problems
    (as is finding nothing at all, when ``required``)."""
    links, problems = [], []
    for text, origin in entries:
        url = normalize_url(text) if text else None
        if url is None:
            shown = text.strip()[:80] or "(empty)"
            problems.append(f"{origin}: {STAGE}: not an http(s) URL: {shown}")
        else:
            links.append(Link(url, origin))
    if required and not links and not problems:
        problems.append(f"{name}: {STAGE}: no links found")
    return LinkList(tuple(links), (), tuple(problems))
