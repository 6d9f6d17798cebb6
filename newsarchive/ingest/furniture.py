"""Page-furniture rules, loaded from ``data/furniture.yaml`` (patterns match whole lines,
in any case)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsarchive.core.datafiles import data_path, load_data


@dataclass(frozen=True)
class FurnitureRules:
    read_time: re.Pattern[str]
    byline_publication: re.Pattern[str]
    byline_prefix: re.Pattern[str]
    end_of_story: tuple[re.Pattern[str], ...]
    sign_off: re.Pattern[str]
    drop_lines: tuple[re.Pattern[str], ...]
    bio_stop: tuple[re.Pattern[str], ...] = ()
    promo_blocks: tuple[re.Pattern[str], ...] = ()
    author_bios: tuple[re.Pattern[str], ...] = ()

    def is_promo(self, block: str) -> bool:
        """Whether a whole block of a page's extracted body is a widget addressing the reader
        (a newsletter or app invitation), not the story."""
        return _any_full(self.promo_blocks, block)

    def is_author_bio(self, block: str) -> bool:
        """Whether a whole block of a page's extracted body is the author's bio left at its end
        ("X is a reporter for ... Follow him on Twitter"), not the story."""
        return _any_full(self.author_bios, block)

    def ends_story(self, line: str) -> bool:
        return _any_full(self.end_of_story, line)

    def is_dropped(self, line: str) -> bool:
        return _any_full(self.drop_lines, line)

    def ends_bio(self, line: str) -> bool:
        return self.ends_story(line) or _any_full(self.bio_stop, line)

    def is_sign_off(self, line: str, author: str) -> bool:
        match = self.sign_off.fullmatch(line.strip())
        return bool(match and author and match["author"].strip().lower() == author.lower())

    def read_minutes(self, line: str) -> int | None:
        match = self.read_time.fullmatch(line.strip())
        return int(match["minutes"]) if match else None


def _any_full(patterns: tuple[re.Pattern[str], ...], line: str) -> bool:
    stripped = line.strip()
    return any(p.fullmatch(stripped) for p in patterns)


@cache
def load_rules(path: Path | None = None) -> FurnitureRules:
    """The rules in ``path`` (default: the bundled ``data/furniture.yaml``), checked once."""
    rules: FurnitureRules = load_data(path or data_path("ingest", "furniture.yaml"), FurnitureRules)
    return rules
