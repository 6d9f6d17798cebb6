"""Parsers that split a decoded document into an :class:`Article`, one per layout.

``parse_document`` picks the layout per file: HTML for saved web pages (by suffix or by
content); the scraped news-page layout when a reading-time label ("2 Min Read") stands
among the first lines; else plain title-first text.
"""

from __future__ import annotations

from newsarchive.core.models import Article, RawDocument, Rejection
from newsarchive.ingest.furniture import load_rules

from . import html, newspage, plain

STAGE = "parse"


def parse_document(raw: RawDocument) -> Article | Rejection:
    """The story in a decoded source, by the first layout that recognises it, or why none could read it."""
    if html.matches(raw):
        return html.parse(raw)
    rules = load_rules()
    lines = raw.text.split("\n")
    if newspage.matches(lines, rules):
        return newspage.parse(raw, lines, rules)
    return plain.parse(raw, lines, rules)
