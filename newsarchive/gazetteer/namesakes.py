"""People, clubs, events and longer names that share a company's name.

"Harriet Harman" is a person, not Harman; "Racing Santander" a club, not the bank; the
"Heineken Cup" an event, not the brewer; the "Golden Globe" an award, not Globe Telecom.
The rules in ``data/namesakes.yaml`` look only at the words right before and after a
company name found in a story (see that file for what each field means); none names a
company, so they carry to names the gazetteer will only know later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.core.errors import ConfigError


@dataclass(frozen=True)
class NamesakeRule:
    """One rule of ``data/namesakes.yaml``."""

    name: str
    means: str
    before: frozenset[str] = frozenset()
    after: frozenset[str] = frozenset()
    before_initial: bool = False
    before_capitalised: bool = False
    before_words: frozenset[str] = frozenset()
    hyphen_joined: bool = False
    ends_name: bool = False
    ambiguous_only: bool = False
    reach: int = 1
    numbers_between: bool = False
    sectors: frozenset[str] = frozenset()
    name_ends: frozenset[str] = frozenset()
    before_phrases: tuple[str, ...] = ()
    between_capitalised: bool = False


@dataclass(frozen=True)
class LineUp:
    """What makes a paragraph a line-up (a team sheet, a squad, a list of results): at least
    ``min_items`` items between commas or semicolons, ``min_words`` words, and no lowercase word
    but ``function_words``. Every name in it is a person, a club or a place."""

    min_items: int
    min_words: int
    function_words: frozenset[str] = frozenset()

    def holds(self, text: str) -> bool:
        if text.count(",") + text.count(";") + 1 < self.min_items:
            return False
        count = 0
        for match in _WORDS.finditer(text):
            word = match.group()
            if word[0].islower() and word not in self.function_words:
                return False  # a sentence: most paragraphs stop at their first few words
            count += 1
        return count >= self.min_words


_WORDS = re.compile(r"[A-Za-z][\w'’-]*")


@dataclass(frozen=True)
class NamesakeRules:
    """The schema of ``data/namesakes.yaml``."""

    rules: tuple[NamesakeRule, ...]
    not_part_of_names: frozenset[str] = frozenset()
    line_up: LineUp | None = None

    def line_up_paragraph(self, text: str) -> bool:
        """Whether a paragraph is a line-up (`LineUp`): no company or technology in it counts."""
        return self.line_up is not None and self.line_up.holds(text)

    def rule_for(
        self, text: str, start: int, end: int, ambiguous: bool, sector: str = ""
    ) -> NamesakeRule | None:
        """The first rule by which the name at ``text[start:end]`` (of a company of ``sector``)
        is not the company, if any."""
        before = _word_before(text, start)
        lower_before = _lower_word_before(text, start)
        after, after_two, next_word = _words_after(text, end)
        for rule in self.rules:
            if (rule.ambiguous_only and not ambiguous) or (rule.sectors and sector not in rule.sectors):
                continue
            if rule.name_ends and text[start:end].rsplit(None, 1)[-1] not in rule.name_ends:
                continue
            if rule.before_phrases and text[max(0, start - 30) : start].endswith(_phrases(rule)):
                return rule
            if rule.between_capitalised and _between_capitalised(before, text, end, self.not_part_of_names):
                return rule
            if before and _before_fits(rule, before, self.not_part_of_names):
                return rule
            if lower_before and lower_before in rule.before_words:
                return rule
            if rule.hyphen_joined and _HYPHEN_JOINED.search(text[max(0, start - 30) : start]):
                return rule
            if rule.numbers_between and _after_number(text, end) in rule.after:
                return rule
            if rule.after and (after in rule.after or after_two in rule.after):
                following = next_word if after in rule.after else ""
                if not rule.ends_name or not _continues_name(following):
                    return rule
            if rule.reach > 1 and rule.after and _reaches(text, end, rule):
                return rule
        return None


MEANINGS = ("person", "club", "event", "place", "name")
# What a rule may show an ambiguous or short name to be for the whole story (one sense per
# story: `newsarchive.gazetteer.tagging`): a person or a longer name, not an event or club that a
# sponsor or a town's company may also be named beside.
ONE_SENSE = frozenset({"person", "name"})
ABBREVIATION_MAX = 3
_BEFORE = re.compile(r"(?:^|(?P<stop>[.!?:;\"“”]\s*)|\s)(?P<word>[A-Z][\w'’-]*\.?)\s+$")
_AFTER = re.compile(r"^(?:'s|’s)?\s+(?P<one>[A-Za-z][\w-]*)(?:\s+(?P<two>\w[\w-]*))?(?:\s+(?P<next>\w+))?")
_INITIAL = re.compile(r"^[B-HJ-Z]\.?$")
_LOWER_BEFORE = re.compile(r"(?:^|[^\w'’-])(?P<word>[a-z][\w'’-]*),?\s+$")
_HYPHEN_JOINED = re.compile(r"(?:^|[^\w'’-])[A-Z][\w'’]*-$")


_CAPITALISED_NEXT = re.compile(r"[ \t]+(?P<word>[A-Z][a-z][\w'’-]*)")


def _between_capitalised(before: WordBefore | None, text: str, end: int, not_names: frozenset[str]) -> bool:
    """Whether a name stands between two capitalised words that are no article, month or other
    of ``not_names``, the first even at a sentence's start ("Courteney Cox Arquette"): the
    middle of a longer name."""
    if before is None or before.word in not_names or before.word.endswith(("'s", "’s", ".")):
        return False
    after = _CAPITALISED_NEXT.match(text, end)
    return after is not None and after.group("word") not in not_names


@cache
def _phrases(rule: NamesakeRule) -> tuple[str, ...]:
    """A rule's `before_phrases` as they end the text right before a name."""
    return tuple(f"{phrase} " for phrase in rule.before_phrases)


def _lower_word_before(text: str, start: int) -> str:
    """The lowercase word right before a name, a comma allowed between ("his new party,
    Veritas", "CJ van der Linde"), or ""."""
    match = _LOWER_BEFORE.search(text[max(0, start - 40) : start])
    return match.group("word") if match else ""


@dataclass(frozen=True)
class WordBefore:
    """The capitalised word right before a name, and whether it begins a sentence."""

    word: str
    starts_sentence: bool


def _word_before(text: str, start: int) -> WordBefore | None:
    match = _BEFORE.search(text[max(0, start - 40) : start])
    if not match:
        return None
    window_start = max(0, start - 40)
    at_text_start = window_start + match.start("word") == 0
    return WordBefore(match.group("word"), at_text_start or match.group("stop") is not None)


def _words_after(text: str, end: int) -> tuple[str, str, str]:
    """The word after a name, the two words after it, and the word that follows the rule's word."""
    match = _AFTER.match(text[end : end + 60])
    if not match:
        return "", "", ""
    one, two = match.group("one"), match.group("two") or ""
    return one, f"{one} {two}" if two else "", two


_NUMBER_THEN_WORD = re.compile(r"^\s+\d[\d.,]*\s+(?P<word>[A-Za-z][\w-]*)")


def _after_number(text: str, end: int) -> str:
    """The word after a number that follows the name ("Nikkei 225 index": "index"), if any."""
    match = _NUMBER_THEN_WORD.match(text[end : end + 40])
    return match.group("word") if match else ""


def _before_fits(rule: NamesakeRule, before: WordBefore, not_names: frozenset[str]) -> bool:
    """A word with a full stop ends a sentence, unless it is an initial or a short title ("Dr.")."""
    word = before.word.rstrip(".")
    abbreviated = word != before.word
    if word in rule.before and (not abbreviated or len(word) <= ABBREVIATION_MAX):
        return True
    if rule.before_initial and _INITIAL.match(before.word):
        return True
    if word.endswith(("'s", "’s")) or abbreviated:
        return False
    return rule.before_capitalised and not before.starts_sentence and word not in not_names


_CAPITALISED_RUN = re.compile(r"^(?:\s+(?:[A-Z][\w'’-]*|\d+)){1,4}")
_LOWER_WORD = re.compile(r"^\s+([a-z][\w-]*)")


def _reaches(text: str, end: int, rule: NamesakeRule) -> bool:
    """Whether one of the rule's `after` words ends the run of capitalised words that follows
    the name, within `reach` words ("Spar European Indoor Championships")."""
    run = _CAPITALISED_RUN.match(text[end : end + 80])
    if not run:
        return False
    words = run.group(0).split()
    rest = text[end + run.end() :]
    following = rest.lstrip()[:1]
    last = words[min(len(words), rule.reach + 1) - 1]
    if len(words) <= rule.reach + 1 and last in rule.after and not following.isdigit():
        return True
    # a lowercase `after` word closing the run ("the Norwich Union European Indoor trials")
    word = _LOWER_WORD.match(rest)
    return len(words) <= rule.reach and word is not None and word.group(1) in rule.after


def _continues_name(word: str) -> bool:
    """A capitalised word or a number after "Open"/"Series" makes it part of a product name."""
    return bool(word) and (word[0].isupper() or word[0].isdigit())


@cache
def load_namesakes(path: Path | None = None) -> NamesakeRules:
    """The rules in ``path`` (default: the bundled file), checked once."""
    where = path or data_path("gazetteer", "namesakes.yaml")
    rules: NamesakeRules = load_data(where, NamesakeRules)
    for rule in rules.rules:
        if rule.means not in MEANINGS:
            raise ConfigError(f"{where}: rules {rule.name!r}: means must be one of {', '.join(MEANINGS)}")
        looks = [rule.before, rule.after, rule.before_words, rule.before_phrases]
        flags = [rule.before_initial, rule.before_capitalised, rule.hyphen_joined, rule.between_capitalised]
        if not (any(looks) or any(flags)):
            raise ConfigError(f"{where}: rules {rule.name!r}: says nothing to look for")
    return rules
