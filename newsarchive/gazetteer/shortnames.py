"""Cued short names: a company written without the generic ending of its name ("Rank" for
Rank Group, "Pinewood" for Pinewood Studios).

A short name is only a candidate: it counts in a story where the story shows, somewhere,
that the name stands for a firm (a cue word before or after it, or its own ending in lower
case). The endings, the words never used alone and the cues are data:
``data/shortnames.yaml``. The same cues also admit an ambiguous company name whose context
words are absent ("retailer Next").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from newsarchive.core.datafiles import data_path, load_data


@dataclass(frozen=True)
class ShortNameRules:
    """The schema of ``data/shortnames.yaml``."""

    generic_endings: tuple[str, ...]
    never_short: frozenset[str]
    min_length: int
    cues_before: tuple[str, ...]
    cues_after: tuple[str, ...]
    source_verbs: frozenset[str] = frozenset()

    def short_form(self, form: str) -> str:
        """``form`` without a generic ending ("Big Food" of "Big Food Group"), or "" if it has
        none or what is left cannot stand alone."""
        for ending in self.generic_endings:
            if form.endswith(" " + ending) or form.endswith(", " + ending):
                short = form[: -len(ending)].rstrip(" ,")
                if len(short) >= self.min_length and short not in self.never_short:
                    return short
        return ""

    def ending_of(self, form: str) -> str:
        """The generic ending ``form`` has ("Studios"), or ""."""
        return next((e for e in self.generic_endings if form.endswith(" " + e)), "")

    def pattern_parts(self, media: bool) -> tuple[str, str]:
        after = tuple(cue for cue in self.cues_after if not (media and cue in self.source_verbs))
        return _alternatives(self.cues_before), _alternatives(after)


def _alternatives(words: tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


@lru_cache(maxsize=8192)
def cue_pattern(rules: ShortNameRules, form: str, ending: str = "", media: bool = False) -> re.Pattern[str]:
    """Where ``form`` stands as a company: after a cue, before one, or before its own ending
    in lower case; for a ``media`` company a verb of reporting after it is no cue."""
    before, after = rules.pattern_parts(media)
    name = re.escape(form)
    own = rf"|{name}\s+{re.escape(ending.lower())}\b" if ending and ending != ending.lower() else ""
    return re.compile(
        rf"(?<![\w-])(?:{before})\s+{name}(?![\w])"
        rf"|(?<![\w-]){name}(?:'s|’s)?\s+(?:{after})\b"
        rf"{own}"
    )


def cued(rules: ShortNameRules, form: str, text: str, ending: str = "", media: bool = False) -> bool:
    """Whether ``text`` shows at least once that ``form`` is the company."""
    return form in text and cue_pattern(rules, form, ending, media).search(text) is not None


@cache
def load_short_names(path: Path | None = None) -> ShortNameRules:
    """The rules in ``path`` (default: the bundled file), checked once."""
    rules: ShortNameRules = load_data(path or data_path("gazetteer", "shortnames.yaml"), ShortNameRules)
    return rules
