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


def whole_words(words: tuple[str, ...]) -> str:
    """A pattern (to compile with IGNORECASE) for any of ``words`` as a whole word: no Latin
    letter or digit right before or after it (so in CJK text, anywhere)."""
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return rf"(?<![{_LATIN}])(?:{alternatives})(?![{_LATIN}])"


@cache
def _words(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(whole_words(words), re.IGNORECASE)


@cache
def _next_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"[\s-]+(?:\([^()\s]{{1,12}}\)\s+)?(?:{whole_words(words)})", re.IGNORECASE)


@cache
def _previous_word(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(rf"(?:{whole_words(words)})[\s-]+$", re.IGNORECASE)


_JOINS = re.compile(rf"[{_LATIN}]", re.IGNORECASE)  # a character `whole_words` takes as part of a word
# The characters outside ASCII that the regular expression engine, ignoring case, takes for an
# ASCII letter (dotted İ, dotless ı, long ſ, Kelvin sign), by Unicode's case mappings and `re`'s
# own equivalences; `tests/test_fast_paths.py` checks the list against every code point.
FOLDS_ONTO_ASCII = "\u0130\u0131\u017f\u212a"


class StoryWords:
    """Whether a story has any of some words, whole and in any case, as the pattern of
    `whole_words` finds them, mostly without compiling that pattern (compiling one per entry
    and rule took longer than all the searches): words in ASCII, in a story that holds none of
    `FOLDS_ONTO_ASCII`, are found exactly where the pattern finds them by looking for each
    word's lowercase in the story's lowercase (one substring search in C per word) and
    checking the characters on either side with `_JOINS`, as the pattern's lookarounds do.
    Other words and stories are searched with the compiled pattern. Answers are remembered."""

    def __init__(self, story: str):
        self.story = story
        self._plain = story.isascii() or not any(char in story for char in FOLDS_ONTO_ASCII)
        self._lowered = story.lower() if self._plain else ""  # same length: no İ in it
        self._present: dict[tuple[str, ...], bool] = {}

    def has_any(self, words: tuple[str, ...]) -> bool:
        if words not in self._present:
            if self._plain and all(word and word.isascii() for word in words):
                self._present[words] = any(self._has(word.lower()) for word in words)
            else:
                self._present[words] = bool(_words(words).search(self.story))
        return self._present[words]

    def _has(self, word: str) -> bool:
        story, size = self.story, len(self.story)
        at = self._lowered.find(word)
        while at >= 0:
            end = at + len(word)
            if (at == 0 or not _JOINS.match(story, at - 1)) and (end == size or not _JOINS.match(story, end)):
                return True
            at = self._lowered.find(word, at + 1)
        return False


class SenseReader:
    """Decides senses for one story; remembers which story words it has looked for."""

    def __init__(self, story: str | StoryWords):
        self.words = story if isinstance(story, StoryWords) else StoryWords(story)
        self.story = self.words.story

    def _has(self, words: tuple[str, ...]) -> bool:
        return self.words.has_any(words)

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
