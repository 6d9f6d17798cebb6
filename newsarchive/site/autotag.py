"""Tags for hand-written posts: a post with no ``Companies:``/``Technologies:`` lines (nor
the importer's ``Relevance:`` and ``Fingerprint:`` lines) is tagged from the gazetteer when
it is read, the way the importer tags the stories it writes. Pure functions over plain
values, used by the plugin (`newsarchive.site.plugin.autotag`); the export reads text out
of HTML with them too.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import lxml.html

from newsarchive.core.models import Article, Kind, paragraphs
from newsarchive.core.posts import FINGERPRINT_KEY, names, relevance
from newsarchive.gazetteer.entities import Gazetteer
from newsarchive.gazetteer.tagging import tag

# Metadata (lower case, as Pelican keeps it) that shows a post was tagged already, by the
# importer or by a person.
TAG_KEYS = ("companies", "technologies", "companies_mentioned", "technologies_mentioned", "relevance")


def needs_tags(metadata: Mapping[str, object]) -> bool:
    """A hand-written post that names none of its subjects. A post the importer wrote (it
    has a ``Fingerprint:`` line) is left as it is: the importer tagged it already, maybe
    with nothing, and ``newsarchive retag`` applies a changed gazetteer to it."""
    return FINGERPRINT_KEY.lower() not in metadata and not any(key in metadata for key in TAG_KEYS)


def html_blocks(html: str) -> list[str]:
    """The text of each top-level block of an HTML fragment (a post's converted body)."""
    if not html.strip():
        return []
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    blocks = [" ".join(child.text_content().split()) for child in root]
    if root.text and root.text.strip():
        blocks.insert(0, " ".join(root.text.split()))
    return [block for block in blocks if block]


def html_text(html: str) -> str:
    """An HTML fragment's text on one line."""
    return " ".join(html_blocks(html))


def tag_fields(
    title: str, summary: str, blocks: list[str], source: Path, gazetteer: Gazetteer
) -> dict[str, str]:
    """The tag metadata (lower-case keys) the gazetteer gives a post's title, summary and text."""
    deck = summary if summary and (not blocks or summary != blocks[0]) else ""
    article = Article(title=title, body=paragraphs(*blocks), source_path=source, deck=deck)
    tagged = tag(article, gazetteer)
    fields = {
        "companies": names(tagged.tagged(Kind.COMPANY)),
        "technologies": names(tagged.tagged(Kind.TECHNOLOGY)),
        "companies_mentioned": names(tagged.also_mentioned(Kind.COMPANY)),
        "technologies_mentioned": names(tagged.also_mentioned(Kind.TECHNOLOGY)),
        "relevance": relevance(tagged),
    }
    return {key: value for key, value in fields.items() if value}
