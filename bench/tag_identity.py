"""Tagging output of the real corpora, written once and compared after a change (not a test).

Usage:
    python bench/tag_identity.py --write FILE   # tag every story, write what tag() returns
    python bench/tag_identity.py --check FILE   # tag again, compare with FILE byte for byte

Every BBC story (../shared/corpora/bbc-news, 2,225) and the 91 Readability pages are read as
the importer reads them and tagged; each story gives one line: its path and everything
`tag` returns besides the story itself (mentions with zone, offset and surface; companies and
technologies with name, score, tagged and machine), as ``repr`` so floats are exact. A speed
change must leave the file identical: ``--check`` exits 1 and names the first stories that
differ.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from newsarchive.core.models import Article
from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.gazetteer.tagging import tag
from newsarchive.ingest.importer import read_article

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpora"


def stories() -> Iterator[tuple[str, Article]]:
    """(path relative to the corpora, story) of every readable story, in a fixed order."""
    paths = sorted((SHARED / "bbc-news" / "bbc").rglob("*.txt"))
    paths += sorted((SHARED / "readability-pages").glob("*/source.html"))
    for path in paths:
        article = read_article(path, 10**7)
        if isinstance(article, Article):
            yield str(path.relative_to(SHARED)), article


def lines() -> Iterator[str]:
    gazetteer = load_gazetteer()
    for name, article in stories():
        tagged = tag(article, gazetteer)
        yield f"{name}\t{tagged.mentions!r}\t{tagged.companies!r}\t{tagged.technologies!r}\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--write", type=Path)
    action.add_argument("--check", type=Path)
    options = parser.parse_args()
    if options.write:
        found = list(lines())
        options.write.write_text("".join(found), "utf-8")
        print(f"{len(found)} stories written to {options.write}")
        return 0
    expected = options.check.read_text("utf-8").splitlines(keepends=True)
    found = list(lines())
    differing = [old.split("\t")[0] for old, new in zip(expected, found, strict=False) if old != new]
    if len(expected) != len(found):
        differing.append(f"(story count {len(expected)} -> {len(found)})")
    if differing:
        print(f"{len(differing)} stories differ, first: {', '.join(differing[:5])}")
        return 1
    print(f"identical: {len(found)} stories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
