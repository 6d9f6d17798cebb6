"""One container item (or a saved page with a fetch sidecar) made into its story.

The item's bytes are decoded as a saved page's are; an HTML body goes through the HTML
layout (trafilatura), a text body through the text layouts; what the container states
(title, author, date) fills what the page itself does not say; the container's URL and
capture time become the story's provenance.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from lxml import html as lxml_html

from newsarchive.core.models import Article, Rejection, paragraphs
from newsarchive.ingest.containers import HTML, SUMMARY, Fields, Item, is_sidecar
from newsarchive.ingest.layouts import parse_html, parse_text
from newsarchive.ingest.layouts.common import clean_line
from newsarchive.ingest.layouts.htmlmeta import PageMetadata, parse_published
from newsarchive.ingest.sources import decode

STAGE = "read"
_SUMMARY_BLOCKS = ("p", "li", "blockquote", "h1", "h2", "h3", "h4", "pre")


def stated(fields: Fields) -> PageMetadata:
    return PageMetadata(
        title=fields.title,
        author=fields.author,
        published=fields.published,
        deck=fields.deck,
        publication=fields.publication,
        url=fields.url,
    )


def parse_item(item: Item, key: str, max_bytes: int) -> Article | Rejection:
    """The story an item holds, or why it cannot be one."""
    path = Path(key)
    if len(item.data) > max_bytes:
        return Rejection(path, STAGE, f"item is {len(item.data):,} bytes, over the {max_bytes:,}-byte limit")
    raw = decode(path, item.data, item.charset)
    if isinstance(raw, Rejection):
        return replace(raw, reason=raw.reason.replace("file", "item"))
    if item.kind == SUMMARY:
        article: Article | Rejection = summary_article(path, raw.text, item.fields)
    elif item.kind == HTML:
        article = parse_html(raw, stated(item.fields))
    else:
        article = parse_text(raw, stated(item.fields))
    if isinstance(article, Rejection):
        return article
    article = with_fields(article, item.fields)
    return replace(article, warnings=(*article.warnings, *item.warnings))


def with_fields(article: Article, fields: Fields) -> Article:
    """The container's provenance on the story; its date and byline where the story has none."""
    return replace(
        article,
        source_url=fields.url or article.source_url,
        captured=fields.captured or article.captured,
        published=article.published or fields.published,
        author=article.author or clean_line(fields.author),
        publication=article.publication or clean_line(fields.publication),
    )


def summary_article(path: Path, text: str, fields: Fields) -> Article | Rejection:
    """A feed item's summary (HTML or text) as a story marked ``summary_only``."""
    title = clean_line(fields.title)
    if not title:
        return Rejection(path, "parse", "the item has neither a title nor a body")
    body = [line for line in (clean_line(p) for p in summary_paragraphs(text)) if line]
    if not body:
        body = [title]
    return Article(
        title=title,
        deck="",
        body=paragraphs(*body),
        source_path=path,
        summary_only=True,
        layout="summary",
    )


def summary_paragraphs(text: str) -> list[str]:
    """The paragraphs of a short HTML or text summary (no extraction: it is all story)."""
    if "<" not in text:
        return text.split("\n\n")
    try:
        tree = lxml_html.fragment_fromstring(text, create_parent="div")
    except (ValueError, TypeError):
        return [text]
    found = [element.text_content() for element in tree.iter(*_SUMMARY_BLOCKS)]
    return found or [tree.text_content()]


# -- fetched pages ---------------------------------------------------------------------


def sidecar_of(page: Path) -> Path:
    return page.with_name(page.name + ".json")


def read_sidecar(page: Path) -> Fields | None:
    """The provenance a fetch saved beside ``page`` (``page.html.json``: its final URL and
    fetch time), or None when there is none or it is unreadable."""
    if is_sidecar(page):
        return None
    sidecar = sidecar_of(page)
    try:
        if not sidecar.is_file():
            return None
        data = json.loads(sidecar.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    url = str(data.get("url") or data.get("requested") or "")
    return Fields(
        url=url if url.startswith(("http://", "https://")) else "", captured=iso_time(data.get("fetched"))
    )


def iso_time(value: object) -> datetime | None:
    """An ISO 8601 (or other dated) time; a time without an offset is taken as UTC."""
    if not isinstance(value, str) or not value.strip():
        return None
    parsed = parse_published(value.strip())
    if parsed is None:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
