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
    club_endings: frozenset[str] = frozenset()
    club_cues: frozenset[str] = frozenset()

    def club(self, form: str) -> bool:
        """Whether a short name is a sports club's name ("Manchester United" of Manchester United
        plc): only a cue of the business (``club_cues``) shows the company; "boss" and "chairman"
        are the club's too."""
        return form.rsplit(None, 1)[-1] in self.club_endings

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

    def patterns(self, media: bool, club: bool = False) -> tuple[re.Pattern[str], re.Pattern[str]]:
        """A cue ending right before a name, and one starting right after it (after an optional
        possessive); for a ``media`` company a verb of reporting after it is no cue, for a
        ``club`` only the cues of the business are."""
        return _cue_patterns(self, media, club)


@lru_cache(maxsize=8)
def _cue_patterns(rules: ShortNameRules, media: bool, club: bool) -> tuple[re.Pattern[str], re.Pattern[str]]:
    after = tuple(cue for cue in rules.cues_after if not (media and cue in rules.source_verbs))
    before = rules.cues_before
    if club:
        after = tuple(cue for cue in after if cue in rules.club_cues)
        before = tuple(cue for cue in before if cue in rules.club_cues)
    return (
        re.compile(rf"(?<![\w-])(?:{_alternatives(before)})\s+$"),
        re.compile(rf"^(?:'s|’s)?\s+(?:{_alternatives(after)})\b"),
    )


def _alternatives(words: tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


WINDOW = 40  # characters looked at on each side of a name for a cue


def cued(
    rules: ShortNameRules, form: str, text: str, ending: str = "", media: bool = False, bare: bool = False
) -> bool:
    """Whether ``text`` shows at least once that ``form`` is the company: a cue before or after
    one of its occurrences, or its own ending in lower case right after it; with ``bare``, only
    at an occurrence that no capitalised word stands right before ("Big Brother's spokeswoman"
    is the show's)."""
    before, after = rules.patterns(media, rules.club(form))
    own = " " + ending.lower() if ending and ending != ending.lower() else ""
    at = text.find(form)
    while at >= 0:
        end = at + len(form)
        if _whole_word(text, at, end) and not (
            bare and _CAPITALISED_BEFORE.search(text, max(0, at - WINDOW), at)
        ):
            following = text[end : end + WINDOW]
            if before.search(text[max(0, at - WINDOW) : at]) or after.match(following):
                return True
            if own and following.startswith(own) and not following[len(own) : len(own) + 1].isalnum():
                return True
        at = text.find(form, end)
    return False


_CAPITALISED_BEFORE = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*[ \t]+$")


def _whole_word(text: str, start: int, end: int) -> bool:
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


@cache
def load_short_names(path: Path | None = None) -> ShortNameRules:
    """The rules in ``path`` (default: the bundled file), checked once."""
    rules: ShortNameRules = load_data(path or data_path("gazetteer", "shortnames.yaml"), ShortNameRules)
    return rules
