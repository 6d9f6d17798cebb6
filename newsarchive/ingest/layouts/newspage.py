"""The scraped news-page layout of the seed story.

Title / deck / byline / date / "N Min Read" / title again / body /
sign-off / "Read more about:" / "About the Author(s)" / bio / subscribe boxes
"""

from __future__ import annotations

from newsarchive.core.models import Article, RawDocument, Rejection, paragraphs
from newsarchive.ingest.dates import parse_date_line
from newsarchive.ingest.furniture import FurnitureRules

from .common import STAGE, Byline, check_title, nonempty_lines, parse_byline, story_body

LAYOUT = "newspage"
HEADER_WINDOW = 12


def matches(lines: list[str], rules: FurnitureRules) -> bool:
    head = nonempty_lines(lines[: HEADER_WINDOW * 4])[:HEADER_WINDOW]
    return any(rules.read_minutes(line) is not None for line in head[1:])


def parse(raw: RawDocument, lines: list[str], rules: FurnitureRules) -> Article | Rejection:
    text_lines = nonempty_lines(lines)
    title = text_lines[0]
    problem = check_title(title)
    if problem:
        return Rejection(raw.path, STAGE, problem)
    read_at = next(i for i, line in enumerate(text_lines) if rules.read_minutes(line) is not None)
    header = text_lines[1:read_at]
    body_start = read_at + 1
    if body_start < len(text_lines) and text_lines[body_start] == title:
        body_start += 1

    published = None
    byline: Byline | None = None
    deck_lines: list[str] = []
    for line in header:
        when = parse_date_line(line) if published is None else None
        if when is not None:
            published = when
            continue
        found = parse_byline(line, rules) if byline is None else None
        if found is not None:
            byline = found
            continue
        deck_lines.append(line)

    byline = byline or Byline(author="")
    rest = text_lines[body_start:]
    body, stop = story_body(rest, rules, byline.author)
    if not body:
        return Rejection(raw.path, STAGE, "no story text after the headline and byline")
    return Article(
        title=title,
        deck=" ".join(deck_lines),
        author=byline.author,
        role=byline.role,
        publication=byline.publication,
        author_bio=_author_bio(rest[stop:], byline, rules),
        published=published,
        read_minutes=rules.read_minutes(text_lines[read_at]),
        body=paragraphs(*body),
        source_path=raw.path,
        layout=LAYOUT,
    )


def _author_bio(furniture: list[str], byline: Byline, rules: FurnitureRules) -> str:
    """The author's bio from the "About the Author(s)" box, without name and role lines."""
    start = next((i for i, line in enumerate(furniture) if line.lower().startswith("about the author")), None)
    if start is None:
        return ""
    known = {byline.author.lower(), byline.role.lower()}
    bio: list[str] = []
    for line in furniture[start + 1 :]:
        if rules.ends_bio(line):
            break
        if line.lower() in known or parse_byline(f"{byline.author}, {line}", rules) == byline:
            continue
        bio.append(line)
    return " ".join(bio).rstrip(" ([{").strip()
