"""TaggedArticle <-> Pelican Markdown post text. Pure functions, no I/O.

Whatever a source says stays text. Metadata values are single lines written only
in the header block; the body is escaped so that Markdown and HTML in it are shown,
not interpreted: "<script>" stays visible text, a leading "#" is not a heading,
"Title: x" in the body is a sentence (Python-Markdown reads metadata only before the
first blank line, and every value is one line).
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

from .dates import format_date
from .models import Block, BlockStyle, Kind, TaggedArticle, TermScore

WORDS_PER_MINUTE = 230
FINGERPRINT_KEY = "Fingerprint"
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]])")
_BLOCK_START = re.compile(r"^(#|[-+]|\d+\.)")
_WHITESPACE = re.compile(r"\s+")
# Control characters: Python-Markdown uses STX/ETX internally, and none belong in prose.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_META_LINE = re.compile(r"^(?P<key>[A-Za-z0-9_-]+):[ \t]*(?P<value>.*)$")


def clean_text(text: str) -> str:
    """The text as a post keeps it: one line, no control characters, spaces collapsed."""
    return _WHITESPACE.sub(" ", _CONTROL.sub("", text)).strip()


def escape_paragraph(text: str) -> str:
    """Markdown source that renders as exactly ``clean_text(text)`` in one paragraph."""
    text = clean_text(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    if _BLOCK_START.match(text):
        text = "\\" + text if text[0] in "#+-" else _escape_block_marker(text)
    return text


def _escape_block_marker(text: str) -> str:
    """Escape an ordered-list marker ("1. ") by escaping its dot."""
    match = re.match(r"^(\d+)\.", text)
    return f"{match[1]}\\.{text[match.end() :]}" if match else text


def names(terms: tuple[TermScore, ...]) -> str:
    return ", ".join(term.name for term in terms)


def relevance(tagged: TaggedArticle) -> str:
    terms = tagged.companies + tagged.technologies
    return "; ".join(f"{term.name}={term.score:g}" for term in terms)


def read_minutes(tagged: TaggedArticle) -> int:
    article = tagged.article
    if article.read_minutes:
        return article.read_minutes
    words = sum(len(p.split()) for p in article.body_paragraphs)
    return max(1, math.ceil(words / WORDS_PER_MINUTE))


def metadata(tagged: TaggedArticle, slug: str, source: str, digest: str = "") -> list[tuple[str, str]]:
    """The post's header fields, in a stable order; empty values are left out."""
    article = tagged.article
    summary = article.deck or article.body_paragraphs[0]
    published = format_date(article.published) if article.published else ""
    fields = [
        ("Title", article.title),
        ("Date", published),
        ("Date_Estimated", "yes" if article.date_estimated else ""),
        ("Author", article.author),
        ("Role", article.role),
        ("Publication", article.publication),
        ("Deck", article.deck),
        ("Summary", escape_paragraph(summary)),
        ("Slug", slug),
        ("Companies", names(tagged.tagged(Kind.COMPANY))),
        ("Technologies", names(tagged.tagged(Kind.TECHNOLOGY))),
        ("Companies_Mentioned", names(tagged.also_mentioned(Kind.COMPANY))),
        ("Technologies_Mentioned", names(tagged.also_mentioned(Kind.TECHNOLOGY))),
        ("Relevance", relevance(tagged)),
        ("Minutes", str(read_minutes(tagged))),
        ("Bio", article.author_bio),
        ("Source", source),
        ("Source_URL", article.source_url),
        ("Digest", digest),
    ]
    return [(key, clean_text(value)) for key, value in fields if clean_text(value)]


def fingerprint(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def render_post(
    tagged: TaggedArticle, slug: str, source: str, digest: str = "", body: str | None = None
) -> str:
    """The post's full text, ending with a fingerprint that detects hand edits.

    ``digest`` identifies the story's text, so a later import spots a duplicate of it;
    ``body`` is the body's Markdown when it was already rendered (by a worker process).
    """
    header = "".join(f"{key}: {value}\n" for key, value in metadata(tagged, slug, source, digest))
    markdown = render_body(tagged.article.body) if body is None else body
    text = f"{header}\n{markdown}\n"
    return _with_fingerprint(text)


_MARKERS = {
    BlockStyle.PARAGRAPH: "",
    BlockStyle.HEADING: "## ",
    BlockStyle.QUOTE: "> ",
    BlockStyle.BULLET: "- ",
    BlockStyle.NUMBERED: "1. ",
    BlockStyle.CODE: "",
}
_LIST_STYLES = (BlockStyle.BULLET, BlockStyle.NUMBERED)
_LIST_BREAK = "\n\n<!-- -->"


def _code(text: str) -> str:
    """An indented code block: shown verbatim (Markdown escapes it), line breaks kept."""
    lines = [_CONTROL.sub("", line).replace("\t", "    ").rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(f"    {line}" if line else "" for line in lines)


def render_body(blocks: tuple[Block, ...]) -> str:
    """Markdown for the body: blank lines between blocks, list items of one list together."""
    parts: list[str] = []
    previous: BlockStyle | None = None
    for block in blocks:
        text = _code(block.text) if block.style is BlockStyle.CODE else escape_paragraph(block.text)
        if not text:
            continue
        line = _MARKERS[block.style] + text
        same_list = block.style in _LIST_STYLES and block.style is previous
        if not same_list and previous in _LIST_STYLES and block.style in _LIST_STYLES:
            parts.append(_LIST_BREAK)  # else Markdown would merge a list into the one before
        parts.append(("\n" if same_list else "\n\n") + line if parts else line)
        previous = block.style
    return "".join(parts)


def _with_fingerprint(text: str) -> str:
    header, _, body = text.partition("\n\n")
    return f"{header}\n{FINGERPRINT_KEY}: {fingerprint(text)}\n\n{body}"


@dataclass(frozen=True)
class ParsedPost:
    metadata: dict[str, str]
    body: str
    edited: bool

    def get(self, key: str) -> str:
        return self.metadata.get(key.lower(), "")


def parse_post(text: str) -> ParsedPost:
    """Read a post's header. ``edited`` is True unless its fingerprint still matches."""
    header, _, body = text.partition("\n\n")
    fields: dict[str, str] = {}
    kept_lines: list[str] = []
    recorded = ""
    for line in header.split("\n"):
        match = _META_LINE.match(line)
        if match and match["key"] == FINGERPRINT_KEY:
            recorded = match["value"].strip()
            continue
        kept_lines.append(line)
        if match:
            fields.setdefault(match["key"].lower(), match["value"].strip())
    original = "\n".join(kept_lines) + "\n\n" + body
    return ParsedPost(fields, body, edited=not recorded or fingerprint(original) != recorded)
