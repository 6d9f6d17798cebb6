"""Helpers shared by the layout parsers."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from newsarchive.ingest.furniture import FurnitureRules

STAGE = "parse"
MAX_TITLE_CHARS = 300
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = re.compile(r"[\u200b-\u200d\u2060\ufeff]")
_CONTROLS = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")
_NAME_WORD = re.compile(r"^(?:[A-Z][\w'’.-]*|[a-z]{1,3}|[A-Z]\.)$")


def clean_line(line: str) -> str:
    """Strip control and zero-width characters and collapse runs of spaces."""
    if line.isascii() and line.isprintable():  # most lines: only spaces to collapse
        return " ".join(line.split())
    return clean_any_line(line)


def clean_any_line(line: str) -> str:
    """`clean_line` for any line: normalised (NFC), and every kind of space collapsed."""
    line = unicodedata.normalize("NFC", line)
    line = _INVISIBLE.sub("", line)
    return _SPACES.sub(" ", _CONTROLS.sub("", line)).strip()


def nonempty_lines(lines: list[str]) -> list[str]:
    cleaned = (clean_line(line) for line in lines)
    return [line for line in cleaned if line]


def looks_like_name(text: str) -> bool:
    """A person's name: two to five words, capitalised, no sentence punctuation."""
    words = text.split()
    if not 2 <= len(words) <= 5 or len(text) > 60 or text.endswith((".", ":", "?", "!")):
        return False
    return all(_NAME_WORD.match(word) for word in words) and words[0][0].isupper()


@dataclass(frozen=True)
class Byline:
    author: str
    role: str = ""
    publication: str = ""


def parse_byline(line: str, rules: FurnitureRules, require_prefix: bool = False) -> Byline | None:
    """Split "Name, Role, Special to Publication" (or "By Name") into its parts.

    ``require_prefix`` demands the "By" where the line could as well be a sentence
    ("Last Saturday, the team...") rather than a byline slot in a page header.
    """
    prefixed = rules.byline_prefix.match(line)
    if require_prefix and not prefixed:
        return None
    text = line[prefixed.end() :] if prefixed else line
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts or not looks_like_name(parts[0]):
        return None
    if len(parts) == 1 and not prefixed:
        return None
    publication = ""
    if len(parts) > 1:
        match = rules.byline_publication.fullmatch(parts[-1])
        if match:
            publication = match["publication"].strip()
            parts = parts[:-1]
    return Byline(author=parts[0], role=", ".join(parts[1:]), publication=publication)


def story_body(lines: list[str], rules: FurnitureRules, author: str) -> tuple[list[str], int]:
    """Body paragraphs up to the first furniture line, and the index where they stopped."""
    body: list[str] = []
    for index, line in enumerate(lines):
        if rules.ends_story(line) or rules.is_sign_off(line, author):
            return body, index
        if not rules.is_dropped(line):
            body.append(line)
    return body, len(lines)


def check_title(title: str) -> str | None:
    """Why ``title`` cannot be a headline, or None when it can."""
    if len(title) > MAX_TITLE_CHARS:
        return f"first line is {len(title)} characters long; not a headline"
    if not any(char.isalnum() for char in title):
        return "first line has no letters or digits; not a headline"
    return None
