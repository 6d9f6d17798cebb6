"""Which stories an import has already seen, and how a new one relates to them.

The ledger decides, for each story in input order, whether it is a duplicate (the same
file byte for byte, the same story with other whitespace or furniture, or a story already
imported earlier) and which earlier stories it is a near-identical revision of. It works
on digests and word shingles only: tests give it values, not files.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.core.models import Article

NEAR_IDENTICAL = 0.9  # share of word 4-grams two revisions of one story have in common

Shingles = frozenset[int]


_INVISIBLE = re.compile(r"[\u00ad\u200b-\u200d\u2060\ufeff]")


def story_words(text: str) -> list[str]:
    """The words of ``text`` as stories are compared: case-folded, zero-width characters aside."""
    return _INVISIBLE.sub("", text).casefold().split()


def story_digest(article: Article) -> str:
    """Identity of a story's text, blind to whitespace, case, zero-width characters and
    page furniture (the same story from a page and from a text export is one)."""
    words = story_words(" ".join([article.title, *article.body_paragraphs]))
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:20]


def shingles(article: Article) -> Shingles:
    """Hashed word 4-grams of the body: two revisions of one story share nearly all."""
    words = [word.encode("utf-8") for word in " ".join(article.body_paragraphs).casefold().split()]
    if len(words) < 4:  # one gram, however short (none of an empty body: the empty one)
        return frozenset([zlib.crc32(b" ".join(words))])
    # each gram is the UTF-8 of its four words joined by a space; the loop runs in C
    grams = map(b" ".join, zip(words, words[1:], words[2:], words[3:], strict=False))
    return frozenset(map(zlib.crc32, grams))


def overlap(first: Shingles, second: Shingles) -> float:
    return len(first & second) / len(first | second) if first or second else 1.0


def folded_title(title: str) -> str:
    return " ".join(title.casefold().split())


@dataclass
class DuplicateLedger:
    """What this import has seen so far (see the module docstring).

    ``known`` maps story digests to the sources of posts already in content/.
    ``read_shingles`` reads the shingles of a source this import did not read (the
    journal let it pass unchanged), only when a story with its headline comes along.
    """

    known: dict[str, str] = field(default_factory=dict)
    read_shingles: Callable[[Path], Shingles] = lambda path: frozenset()
    stories: dict[str, str] = field(default_factory=dict)  # story digest -> first source
    files: dict[str, str] = field(default_factory=dict)  # file hash -> first source
    in_batch: set[str] = field(default_factory=set)
    # folded title -> earlier sources with it: their shingles (packed: an import of a large
    # web archive keeps one set per story), or the path to read them from
    by_title: dict[str, list[tuple[str, bytes | Path]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.stories = {**self.known, **self.stories}

    def duplicate_of(self, key: str, digest: str, file_hash: str) -> str | None:
        """Note source ``key``; say what it duplicates ("duplicate of X (how)"), or None."""
        first = self.stories.setdefault(digest, key)
        first_file = self.files.setdefault(file_hash, key)
        self.in_batch.add(key)
        if first == key:
            return None
        if first_file == first:
            how = "identical file"
        elif first not in self.in_batch:
            how = "imported earlier"
        else:
            how = "same story, different whitespace or furniture"
        return f"duplicate of {first} ({how})"

    def note_unread(self, key: str, digest: str, file_hash: str, title: str, path: Path) -> None:
        """A source the journal let pass: it counts as seen, as when it was read."""
        self.in_batch.add(key)
        self.stories.setdefault(digest, key)
        self.files.setdefault(file_hash, key)
        self.by_title.setdefault(title, []).append((key, path))

    def revisions(self, key: str, title: str, words: Shingles) -> list[tuple[str, float]]:
        """Earlier stories with the same headline and nearly the same text, with the share.

        Such pairs are usually a story and its copy-edited revision. Both are kept (which
        one is final cannot be known); the user decides by deleting one source.
        """
        same_title = self.by_title.setdefault(folded_title(title), [])
        near = []
        for other, earlier in same_title:
            theirs = unpacked(earlier) if not isinstance(earlier, Path) else self.read_shingles(earlier)
            shared = overlap(words, theirs)
            if shared >= NEAR_IDENTICAL:
                near.append((other, shared))
        same_title.append((key, packed(words)))
        return near


def packed(words: Shingles) -> bytes:
    """Shingles as 4 bytes each (a frozenset of ints takes ten times that)."""
    return array("I", sorted(words)).tobytes()


def unpacked(data: bytes) -> Shingles:
    words = array("I")
    words.frombytes(data)
    return frozenset(words)


def near_identical_warning(other: str, shared: float) -> str:
    return (
        f"near-identical to {other} ({100 * shared:.0f}% of its text); both kept: "
        "delete one source if they are the same story"
    )
