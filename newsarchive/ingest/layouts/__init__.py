"""Parsers that split a decoded document into an :class:`Article`, one per layout.

``parse_document`` picks the layout per file: HTML for saved web pages (by suffix or by
content); the scraped news-page layout when a reading-time label ("2 Min Read") stands
among the first lines; else plain title-first text.
"""

from __future__ import annotations

from newsarchive.core.models import Article, RawDocument, Rejection
from newsarchive.ingest.furniture import load_rules

from . import html, newspage, plain
from .common import check_title, clean_line
from .htmlmeta import PageMetadata

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


def parse_html(raw: RawDocument, stated: PageMetadata | None = None) -> Article | Rejection:
    """A page (or an HTML fragment) a container holds, with what the container says of it."""
    return html.parse(raw, stated)


def parse_text(raw: RawDocument, stated: PageMetadata) -> Article | Rejection:
    """A text body a container holds: with the headline it gives apart, else title-first."""
    lines = raw.text.split("\n")
    if not stated.title:
        return parse_document(raw)
    problem = check_title(stated.title)
    if problem:
        return Rejection(raw.path, STAGE, problem.replace("first line", "title"))
    return plain.parse_with_title(raw, lines, clean_line(stated.title), clean_line(stated.author))
