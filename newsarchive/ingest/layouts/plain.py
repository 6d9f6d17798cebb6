"""Plain title-first text: the headline on the first line, then paragraphs.

Paragraphs are separated by blank lines; lines inside one are joined (hard-wrapped
text). An optional byline ("By Name, Role") and date line may follow the headline.
"""

from __future__ import annotations

from datetime import datetime

from newsarchive.core.models import Article, RawDocument, Rejection, paragraphs
from newsarchive.ingest.dates import parse_date_line
from newsarchive.ingest.furniture import FurnitureRules

from .common import STAGE, Byline, check_title, clean_line, nonempty_lines, parse_byline, story_body

LAYOUT = "plain"


def text_blocks(lines: list[str]) -> list[str]:
    blocks: list[str] = []
    current: list[str] = []
    for line in lines:
        cleaned = clean_line(line)
        if cleaned:
            current.append(cleaned)
        elif current:
            blocks.append(" ".join(current))
            current = []
    if current:
        blocks.append(" ".join(current))
    return blocks


def parse_with_title(raw: RawDocument, lines: list[str], title: str, author: str) -> Article | Rejection:
    """A text body whose headline (and byline) a container gives apart from it, as exports
    do: paragraphs by blank lines, or by line where the text has no blank lines. The tool
    that exported it already took the story out of its page, so, as with a page's
    extracted HTML, no furniture rule drops lines of it."""
    body = text_blocks(lines) if any(not line.strip() for line in lines) else nonempty_lines(lines)
    if not body:
        return Rejection(raw.path, STAGE, "no story text")
    return Article(title=title, author=author, body=paragraphs(*body), source_path=raw.path, layout=LAYOUT)


def parse(raw: RawDocument, lines: list[str], rules: FurnitureRules) -> Article | Rejection:
    blocks = text_blocks(lines)
    first_line = clean_line(next(line for line in lines if line.strip()))
    problem = check_title(first_line)
    if problem:
        return Rejection(raw.path, STAGE, problem)
    title = first_line
    blocks[0] = blocks[0][len(first_line) :].strip()
    if not blocks[0]:
        blocks.pop(0)

    published: datetime | None = None
    byline: Byline | None = None
    while blocks and len(blocks) > 1:
        head = blocks[0]
        when = parse_date_line(head) if published is None else None
        found = parse_byline(head, rules, require_prefix=True) if byline is None and when is None else None
        if when is None and found is None:
            break
        published = when or published
        byline = found or byline
        blocks.pop(0)

    byline = byline or Byline(author="")
    body, _ = story_body(blocks, rules, byline.author)
    if not body:
        return Rejection(raw.path, STAGE, "no story text: the file holds only a headline")
    return Article(
        title=title,
        author=byline.author,
        role=byline.role,
        publication=byline.publication,
        published=published,
        body=paragraphs(*body),
        source_path=raw.path,
        layout=LAYOUT,
    )
