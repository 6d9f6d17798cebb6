"""Senses: which entry a weak or ambiguous technology word stands for, decided by its context.

A technology entry may carry ``senses``: rules, tried in order, each for some of the
entry's own forms. The first rule whose conditions all hold decides what a mention of one
of those forms (or of its word forms, `newsarchive.gazetteer.wordforms`) means:

    senses:
      - forms: [mobile phone]              # which of this entry's forms the rule governs
        followed_by: [operator, network]   # the next word is one of these
        means: mobile-networks             # the mention counts for that entry instead
      - forms: [satellite]
        story_has: [moon, planet, Saturn]  # one of these words is somewhere in the story
        story_lacks: [broadband, TV]       # and none of these is
        means: nothing                     # the mention does not count at all

Conditions (a rule has at least one; all must hold): ``story_has``, ``story_lacks``,
``followed_by``, ``not_followed_by`` (the next word is none of these, or there is none; an
abbreviation in brackets between is read past: "mobile (3G) networks" is followed by "networks"),
``preceded_by`` (the word just before). Words match whole, in any case.
``means`` is a technology slug, or ``nothing``. A mention no rule decides keeps its entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from newsarchive.core.errors import GazetteerError
from newsarchive.gazetteer.wordforms import word_forms

NOTHING = "nothing"
_LATIN = "A-Za-z0-9\u00c0-\u024f"


@dataclass(frozen=True)
class SenseRule:
    """One rule of a technology's ``senses`` (see the module docstring)."""

    forms: tuple[str, ...]
    means: str
    story_has: tuple[str, ...] = ()
    story_lacks: tuple[str, ...] = ()
    followed_by: tuple[str, ...] = ()
    preceded_by: tuple[str, ...] = ()
    not_followed_by: tuple[str, ...] = ()

    def check(self, own_forms: set[str], where: str) -> None:
        """The rule governs forms its entry has, and has a condition."""
        if not self.forms or not self.means.strip():
            raise GazetteerError(f"{where}: a sense needs forms and means")
        unknown = [form for form in self.forms if form not in own_forms]
        if unknown:
            raise GazetteerError(f"{where}: sense forms {unknown} are not forms of this entry")
        if not (
            self.story_has or self.story_lacks or self.followed_by or self.not_followed_by or self.preceded_by
        ):
            raise GazetteerError(
                f"{where}: a sense needs story_has, story_lacks, followed_by, not_followed_by or preceded_by"
            )


@cache
def governed(rule: SenseRule) -> frozenset[str]:
    """The lowercased written forms a rule applies to: its forms and their word forms."""
    found = set()
    for form in rule.forms:
        found |= {form.lower()} | {variant.lower() for variant in word_forms(form, weak=False)}
    return frozenset(found)


@cache
def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![{_LATIN}])(?:{alternatives})(?![{_LATIN}])", re.IGNORECASE)


@cache
def _next_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"[\s-]+(?:\([^()\s]{{1,12}}\)\s+)?(?:{_words(words).pattern})", re.IGNORECASE)


@cache
def _previous_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?:{_words(words).pattern})[\s-]+$", re.IGNORECASE)


class SenseReader:
    """Decides senses for one story; remembers which story words it has looked for."""

    def __init__(self, story: str):
        self.story = story
        self._present: dict[tuple[str, ...], bool] = {}

    def _has(self, words: tuple[str, ...]) -> bool:
        if words not in self._present:
            self._present[words] = bool(_words(words).search(self.story))
        return self._present[words]

    def meaning(
        self, rules: tuple[SenseRule, ...], written: str, text: str, start: int, end: int
    ) -> str | None:
        """The slug the first fitting rule gives a mention ``text[start:end]``, or None if none fits."""
        lowered = written.lower()
        for rule in rules:
            if lowered in governed(rule) and self._fits(rule, text, start, end):
                return rule.means
        return None

    def _fits(self, rule: SenseRule, text: str, start: int, end: int) -> bool:
        if rule.story_has and not self._has(rule.story_has):
            return False
        if rule.story_lacks and self._has(rule.story_lacks):
            return False
        if rule.followed_by and not _next_word(rule.followed_by).match(text, end):
            return False
        if rule.not_followed_by and _next_word(rule.not_followed_by).match(text, end):
            return False
        before = text[max(0, start - 60) : start]
        return not (rule.preceded_by and not _previous_word(rule.preceded_by).search(before))
