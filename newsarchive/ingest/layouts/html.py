"""Saved web pages: the article body from trafilatura, the fields from the page's metadata.

trafilatura finds the article among the page's furniture; its body keeps paragraphs,
headings, block quotes, lists and code, which become typed blocks. Title, author, date,
deck, site name and canonical URL come first from the page's own metadata
(:mod:`htmlmeta`), then from trafilatura's guesses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from newsarchive.core.models import Article, Block, BlockStyle, RawDocument, Rejection
from newsarchive.ingest.furniture import FurnitureRules, load_rules

from .common import STAGE, check_title, clean_line
from .htmlmeta import PageMetadata, parse_html, parse_published, read_metadata, squash

LAYOUT = "html"
_BLOCK_TAGS = frozenset({"p", "head", "quote", "list", "table", "code", "div"})
# Chosen by measurement on the readability test pages (see tests/eval and the README).
EXTRACTION_OPTIONS: dict[str, Any] = {
    "favor_precision": False,
    "favor_recall": False,
    "fast": True,
    "include_comments": False,
    "include_tables": True,
    "include_images": False,
    "include_links": False,
    "deduplicate": False,  # True keeps a process-wide cache: a later page loses text seen earlier
}
_HTML_START = re.compile(r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|\?xml)", re.I | re.S)


def matches(raw: RawDocument) -> bool:
    suffixes = [s.lower() for s in raw.path.suffixes]
    return bool({".html", ".htm", ".xhtml"} & set(suffixes)) or bool(_HTML_START.match(raw.text[:2048]))


def parse(raw: RawDocument, stated: PageMetadata | None = None) -> Article | Rejection:
    """The story of a saved page; ``stated`` is what a container says of it (a feed item's
    title, author and date), used where the page's own metadata is silent."""
    # trafilatura takes a quarter of a second to import: only pages that need it pay that.
    from trafilatura import bare_extraction
    from trafilatura.settings import Document

    try:
        tree = parse_html(raw.text)
    except (ValueError, TypeError) as error:
        return Rejection(raw.path, STAGE, f"not a readable HTML page: {error}")
    meta = read_metadata(tree)
    whole_page = _is_whole_page(tree)
    if stated is not None and not whole_page:  # a fragment: what the container says comes first
        meta = _filled(stated, meta)
    if not meta.title or not meta.published or not meta.author:
        meta = _with_trafilatura_metadata(meta, tree)
    if stated is not None and whole_page:  # a whole page is read as it would be on its own
        meta = _filled(meta, stated)
    # trafilatura prunes the tree it is given: the metadata is read before this point.
    document = bare_extraction(tree, with_metadata=False, output_format="python", **EXTRACTION_OPTIONS)
    if not isinstance(document, Document) or document.body is None:
        return Rejection(raw.path, STAGE, "no article text found on the page")
    title = clean_line(meta.title)
    if not title:
        return Rejection(raw.path, STAGE, "the page has no title")
    problem = check_title(title)
    if problem:
        return Rejection(raw.path, STAGE, problem.replace("first line", "title"))
    furniture = load_rules()
    body = tuple(b for b in _without_repeats(blocks(document.body), title) if not furniture.is_promo(b.text))
    body, bio = _without_bio(body, furniture)
    if not body:
        return Rejection(raw.path, STAGE, "no article text found on the page")
    return Article(
        title=title,
        deck=_deck(meta.deck, body),
        author=clean_line(meta.author),
        publication=clean_line(meta.publication),
        published=meta.published,
        source_url=meta.url,
        body=body,
        source_path=raw.path,
        layout=LAYOUT,
        author_bio=bio,
    )


def _without_bio(body: tuple[Block, ...], furniture: FurnitureRules) -> tuple[tuple[Block, ...], str]:
    """The body without the author's bio at its end (`FurnitureRules.is_author_bio`), and the bio."""
    end = len(body)
    while end > 1 and furniture.is_author_bio(body[end - 1].text):
        end -= 1
    return body[:end], "\n\n".join(block.text for block in body[end:])


def _with_trafilatura_metadata(meta: PageMetadata, tree: Any) -> PageMetadata:
    """Fill what the page's own metadata lacks with trafilatura's guesses (slower)."""
    from trafilatura.metadata import extract_metadata

    guessed = extract_metadata(tree)
    return replace(
        meta,
        title=meta.title or guessed.title or "",
        author=meta.author or guessed.author or "",
        published=meta.published or parse_published(guessed.date or ""),
        deck=meta.deck or guessed.description or "",
        publication=meta.publication or guessed.sitename or "",
        url=meta.url or _web_url(guessed.url or ""),
    )


def _is_whole_page(tree: Any) -> bool:
    """A whole saved page (with a head that states a title or metadata), not a fragment."""
    head = tree.find("head") if tree.tag == "html" else None
    return head is not None and any(child.tag in ("title", "meta") for child in head)


def _filled(meta: PageMetadata, stated: PageMetadata) -> PageMetadata:
    """``meta`` with each empty field taken from ``stated``."""
    return PageMetadata(
        title=meta.title or stated.title,
        author=meta.author or stated.author,
        published=meta.published or stated.published,
        deck=meta.deck or stated.deck,
        publication=meta.publication or stated.publication,
        url=meta.url or stated.url,
    )


def _web_url(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else ""


def _deck(description: str, body: tuple[Block, ...]) -> str:
    """The page's description, unless it merely repeats the start of the story."""
    deck = clean_line(description)
    stem = deck.rstrip(".…").removesuffix("...").strip().casefold()
    if not stem or body[0].text.casefold().startswith(stem[: max(20, len(stem) - 3)]):
        return ""
    return deck


def _text(element: Any) -> str:
    for line_break in element.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    return squash("".join(element.itertext()))


def blocks(element: Any) -> Iterator[Block]:
    """Typed blocks from trafilatura's body tree (p, head, quote, list, table, code)."""
    for child in element:
        tag = child.tag
        if tag == "p":
            yield Block(_text(child))
        elif tag == "head":
            yield Block(_text(child), BlockStyle.HEADING)
        elif tag == "quote":
            if any(grandchild.tag in _BLOCK_TAGS for grandchild in child):
                yield from (_quoted(block) for block in blocks(child))
            else:
                yield Block(_text(child), BlockStyle.QUOTE)
        elif tag == "list":
            style = BlockStyle.NUMBERED if child.get("rend") == "ol" else BlockStyle.BULLET
            yield from (Block(_text(item), style) for item in child if item.tag == "item")
        elif tag == "table":
            for row in child.iter("row"):
                yield Block(" · ".join(_text(cell) for cell in row if _text(cell)))
        elif tag == "code":
            yield Block("".join(child.itertext()), BlockStyle.CODE)
        elif tag == "div":
            yield from blocks(child)


def _quoted(block: Block) -> Block:
    return Block(block.text, BlockStyle.QUOTE) if block.style is BlockStyle.PARAGRAPH else block


def _without_repeats(found: Iterator[Block], title: str) -> Iterator[Block]:
    """Drop empty blocks, a heading that repeats the headline, and repeated blocks."""
    seen: set[str] = set()
    for block in found:
        key = block.text.strip().casefold()
        if not key or key in seen or (block.style is BlockStyle.HEADING and key == title.casefold()):
            continue
        seen.add(key)
        yield block
