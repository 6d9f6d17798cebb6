"""Companies the gazetteer does not list, found by how a story writes them.

A story names many firms no gazetteer will ever hold: "Confifi Hotel Holdings, a small Sri
Lankan tourism firm", "merchant bank Hambro Magan", "U.S. Games Systems, Inc.". A run of
capitalised words is taken for a company when a legal suffix ends it, when an appositive
says what kind of firm it is, or when a company word stands right before it; the words are
data (``data/unlisted.yaml``) and none names a company. What is found is an `Entity` that
is in no data file: tagged like any company, shown under the name as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import ahocorasick

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.core.models import Kind
from newsarchive.core.slugs import pelican_slug
from newsarchive.gazetteer.entities import Entity, Gazetteer

WINDOW = 160  # characters searched beside a pattern's fixed words (a name runs up to 5 words)
APPOSITIVE = 1  # the number of the pattern whose fixed words are ", a " and ", an "
CUED = 2  # the number of the pattern whose name follows its fixed word
_JOINERS = ("&", "of", "de", "and")
_CONTINUES = re.compile(r"\s+[A-Z]")  # a capitalised word right after a run: the run was cut
_CUT = re.compile(r"[A-Z][\w'’&+-]*[+/&-]?\s*$")
_DESCRIBES = re.compile(r"-[a-z]")  # "US-registered", "California-based": a description, not a name
_WORD = r"(?:(?:[A-Z]\.){2,}|[A-Z][\w'’&-]*|\d+[A-Za-z]*|&)"  # no full stop: a name ends a sentence


@dataclass(frozen=True)
class UnlistedRules:
    """The schema of ``data/unlisted.yaml``."""

    legal_suffixes: tuple[str, ...]
    dropped_suffixes: frozenset[str]
    appositive_heads: tuple[str, ...]
    appositive_after: tuple[str, ...]
    cues_before: tuple[str, ...]
    not_in_names: frozenset[str]
    public_words: tuple[str, ...]
    max_words: int
    places: frozenset[str] = frozenset()  # country names (data/countries.yaml): never a company

    @cached_property
    def patterns(self) -> tuple[re.Pattern[str], ...]:
        """The three ways a story shows a name is a company, each with a ``name`` group."""
        run = rf"{_WORD}(?:\s+(?:(?:of|de|and)\s+(?=[A-Z]))?{_WORD}){{0,{self.max_words - 1}}}"
        suffixes = _alternatives(self.legal_suffixes)
        heads, after = _alternatives(self.appositive_heads), _alternatives(self.appositive_after)
        adjectives = r"(?:[\w'’-]+\s+){0,4}?"
        return (
            re.compile(
                rf"(?<![\w.+/&-])(?P<name>{run}),?\s+(?P<suffix>{suffixes})(?![\w])(?!\s+(?:[A-Z]|for\b|of\b|de\b))"
            ),
            re.compile(
                rf"(?<![\w.+/&-])(?P<name>{run}),\s+an?\s+{adjectives}(?:{heads})(?=[,.;]|\s+(?:{after})\b)"
            ),
            re.compile(rf"\b(?:{_alternatives(self.cues_before)})\s+(?P<cued>{run})"),
        )

    @cached_property
    def triggers(self) -> Any:
        """Every pattern's fixed words (suffixes, ", a ", cue words) in one Aho-Corasick automaton,
        each with its pattern's number: one pass in C finds where a pattern could match."""
        automaton = ahocorasick.Automaton()
        groups = (self.legal_suffixes, (", a ", ", an "), tuple(cue.split()[0] for cue in self.cues_before))
        for number, words in enumerate(groups):
            for word in words:
                key = word if number == APPOSITIVE else " " + word  # a word after a space: fewer hits
                automaton.add_word(key, (number, len(key) - (number != APPOSITIVE)))
        automaton.make_automaton()
        return automaton

    @cached_property
    def heads(self) -> re.Pattern[str]:
        return re.compile(rf"\b(?:{_alternatives(self.appositive_heads)})\b")

    def windows(self, text: str) -> dict[int, tuple[int, int]]:
        """Per pattern that could match, the part of ``text`` around its fixed words."""
        found: dict[int, tuple[int, int]] = {}
        for end, (number, length) in self.triggers.iter(text):
            if number == APPOSITIVE:
                if not self.heads.search(text, end, end + 60):
                    continue  # ", a" with no kind of firm after it
            elif not _whole(text, end - length + 1, end + 1):
                continue  # "SA" in "USA", "Co" in "Corn"
            low, high = found.get(number, (end, end))
            found[number] = (min(low, end), max(high, end))
        before = {n: (max(0, low - WINDOW), min(len(text), high + 16)) for n, (low, high) in found.items()}
        if APPOSITIVE in found:  # the name, then ", a ... firm"
            low, high = found[APPOSITIVE]
            before[APPOSITIVE] = (max(0, low - WINDOW), min(len(text), high + 80))
        if CUED in found:  # the name follows the cue word
            low, high = found[CUED]
            before[CUED] = (max(0, low - 40), min(len(text), high + WINDOW))
        return before

    def names(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, name shown) of every unlisted company ``text`` writes, each span once."""
        seen: set[int] = set()
        for number, (low, high) in sorted(self.windows(text).items()):
            pattern = self.patterns[number]
            for match in pattern.finditer(text, low, high):
                for found in self._cued_list(match) if number == CUED else [self._trimmed(match)]:
                    if found and found[0] not in seen:
                        seen.add(found[0])
                        yield found

    def _cued_list(self, match: re.Match[str]) -> list[tuple[int, int, str] | None]:
        """A cue before several names joined by "and" names each ("state construction
        companies Adhi Karya and Semen Gresik"): the last through `_trimmed`, the others here."""
        run, start = match.group("cued"), match.start("cued")
        parts = run.split(" and ")
        found: list[tuple[int, int, str] | None] = []
        offset = 0
        for part in parts[:-1]:
            words = self._name_words(part.split(), False)
            if part.split()[0] in self.not_in_names:
                break
            name = " ".join(words)
            if words and (len(words) > 1 or _distinctive(words[0])) and self._fit(words, name):
                at = start + offset + part.index(words[0])
                found.append((at, at + len(name), name))
            offset += len(part) + len(" and ")
        return [*found, self._trimmed(match)]

    def _trimmed(self, match: re.Match[str]) -> tuple[int, int, str] | None:
        """The name without leading sentence words, and with its suffix unless it is dropped;
        None when nothing fit for a company is left."""
        group = "cued" if match.groupdict().get("cued") else "name"
        start, end = match.span(group)
        if _CUT.search(match.string[max(0, start - 40) : start]):
            return None  # a longer name was cut ("Springer Science+Business Media B.V.")
        suffix = match.groupdict().get("suffix") or ""
        written = match.group(group).split()
        words = self._name_words(list(written), bool(suffix))
        if group == "cued" and (written[0] in self.not_in_names or _CONTINUES.match(match.string, end)):
            return None  # "tech firms The EC says": the cue is not right before; a run cut short
        if not words or (group == "cued" and len(words) == 1 and not _distinctive(words[0])):
            return None  # "company Steel": one plain word after a cue is too often not a name
        start = match.start(group) + match.group(group).index(words[0])
        name = " ".join(words)
        if suffix and suffix not in self.dropped_suffixes:
            name, end = f"{name} {suffix}", match.end("suffix")
        return (start, end, name) if self._fit(words, name) else None

    def _name_words(self, words: list[str], suffixed: bool) -> list[str]:
        """The words of a run that are the name: after the last "and" (none when a suffix
        follows: "Arduino SRL and Arduino LLC" is two names), without sentence words before."""
        if "and" in words:
            if suffixed:
                return []
            words = words[len(words) - words[::-1].index("and") :]  # "X Association and Pointsec, a firm"
        while words and (
            words[0] in self.not_in_names or words[0] in _JOINERS or _DESCRIBES.search(words[0])
        ):
            words.pop(0)
        while words and words[-1] in _JOINERS:
            words.pop()
        return words

    def _fit(self, words: list[str], name: str) -> bool:
        """No possessive or description inside, not a lone number, a country or a public body."""
        if any(word.endswith(("'s", "’s")) or _DESCRIBES.search(word) for word in words):
            return False
        if (len(words) == 1 and words[0].isdigit()) or name in self.places:
            return False
        return not any(word in self.not_in_names for word in words) and not self._public(name)

    def _public(self, name: str) -> bool:
        return bool(self.public_words) and self._public_words.search(name) is not None

    @cached_property
    def _public_words(self) -> re.Pattern[str]:
        """Any of ``public_words`` as a whole word, in one pattern compiled once."""
        return re.compile(rf"\b(?:{'|'.join(re.escape(word) for word in self.public_words)})\b")


def _whole(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole word."""
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


def _distinctive(word: str) -> bool:
    """A one-word name that is no ordinary word: a capital or digit inside ("PayPerAction")."""
    return any(char.isupper() or char.isdigit() for char in word[1:])


def _alternatives(words: tuple[str, ...]) -> str:
    ordered = sorted(words, key=len, reverse=True)
    return "|".join(re.escape(word).replace(r"\ ", r"\s+") for word in ordered)


@cache
def unlisted_entity(name: str) -> Entity:
    """The company a name found by these rules stands for: in no data file, slug from its name."""
    return Entity(kind=Kind.COMPANY, slug=pelican_slug(name), name=name)


@cache
def load_unlisted(path: Path | None = None) -> UnlistedRules:
    """The rules in ``path`` (default: the bundled file), checked once."""
    rules: UnlistedRules = load_data(path or data_path("gazetteer", "unlisted.yaml"), UnlistedRules)
    countries = load_data(data_path("gazetteer", "countries.yaml"), dict[str, str], strings_only=True)
    return replace(rules, places=frozenset(countries.values()))


def unlisted_hits(
    rules: UnlistedRules, gazetteer: Gazetteer, text: str, taken: list[tuple[int, int]]
) -> list[tuple[int, int, Entity]]:
    """The unlisted companies of ``text`` outside the spans ``taken`` by gazetteer hits and
    sources, and not a name the gazetteer knows (its own rules decide those)."""
    found: list[tuple[int, int, Entity]] = []
    for start, end, name in rules.names(text):
        if any(start < span_end and end > span_start for span_start, span_end in taken):
            continue
        if gazetteer.resolve(Kind.COMPANY, name) or gazetteer.resolve(Kind.TECHNOLOGY, name):
            continue
        if _known_forms(gazetteer).near(name):
            continue
        found.append((start, end, unlisted_entity(name)))
    return found


TYPO_MIN = 8  # a name this long differing from a known one by a letter is that name misspelt
_LEGAL_ENDINGS = ("Corporation", "Corp", "Company", "Co", "Group", "Holdings", "Holding", "Limited")


@dataclass(frozen=True)
class KnownForms:
    """The gazetteer's company names and aliases (casefolded), indexed for `near`."""

    long_forms: dict[str, tuple[str, ...]]  # forms of `TYPO_MIN` letters or more, by first three
    heads: frozenset[str]  # the first words of a many-word form ("warner" of "Warner Bros")
    tails: frozenset[str]  # its last two or more words ("three gorges" of "China Three Gorges")

    def near(self, name: str) -> bool:
        """Whether ``name`` is a known company written otherwise, not a new one: misspelt by a
        letter ("DaimlerChrylser"), the first words of a longer known name ("Warner Inc" of
        Warner Bros or Warner Music: which one cannot be told), or a known name's last words
        with a legal ending ("Three Gorges Corporation" of China Three Gorges)."""
        folded = name.casefold()
        if folded in self.heads:
            return True
        words = name.split()
        if len(words) > 2 and words[-1] in _LEGAL_ENDINGS and " ".join(words[:-1]).casefold() in self.tails:
            return True
        if len(folded) < TYPO_MIN:
            return False
        return any(one_letter_apart(folded, form) for form in self.long_forms.get(folded[:3], ()))


def one_letter_apart(one: str, other: str) -> bool:
    """Whether two different spellings differ by one letter added, dropped, changed, or two
    neighbours swapped."""
    if one == other or abs(len(one) - len(other)) > 1:
        return False
    start = 0
    while start < min(len(one), len(other)) and one[start] == other[start]:
        start += 1
    a, b = one[start:], other[start:]
    return a[1:] == b[1:] or a[1:] == b or a == b[1:] or (a[:2] == b[1::-1] and a[2:] == b[2:])


_KNOWN: dict[int, tuple[Gazetteer, KnownForms]] = {}


def _known_forms(gazetteer: Gazetteer) -> KnownForms:
    """`KnownForms` of ``gazetteer``, made at its first use."""
    kept = _KNOWN.get(id(gazetteer))
    if kept is not None and kept[0] is gazetteer:
        return kept[1]
    forms = {
        form.casefold() for entity in gazetteer.of_kind(Kind.COMPANY) for form, _, _ in entity.surface_forms()
    }
    by_start: dict[str, list[str]] = {}
    for form in forms:
        if len(form) >= TYPO_MIN:
            by_start.setdefault(form[:3], []).append(form)
    many = [form.split() for form in forms if " " in form]
    known = KnownForms(
        {start: tuple(group) for start, group in by_start.items()},
        frozenset(" ".join(words[:n]) for words in many for n in range(1, len(words))) - forms,
        frozenset(" ".join(words[n:]) for words in many for n in range(1, len(words) - 1)) - forms,
    )
    _KNOWN[id(gazetteer)] = (gazetteer, known)
    return known
