"""Finding gazetteer names in text, in one pass over a story.

Matching rules:

* an alias with any capital letter matches only with exactly those capitals
  ("NEC" never matches "necessary"); an all-lowercase alias matches in any case;
* a one-word CamelCase alias of seven or more characters that starts with a capital
  ("TeliaSonera", "BioWare") also matches with any case after its first letter
  ("Teliasonera", "Bioware"): stories write such names both ways, and the long
  capitalised run is not an ordinary word;
* a Latin alias needs a word boundary on both sides, where only Latin-script letters
  and digits join words, so "NTTとNECは" yields NTT and NEC, while "NECA" and "5GHz"
  yield nothing; aliases in Chinese or Japanese script need no boundary;
* a curly apostrophe matches a straight one ("Christie’s" is "Christie's");
* overlapping hits resolve leftmost-longest ("NTT DoCoMo" is NTT Docomo, not NTT);
* a technology's forms also match their other spellings and inflections ("e-mail",
  "email", "e-mails"; `newsarchive.gazetteer.wordforms`), a company's never;
* ``ambiguous`` aliases ("Orange", "Three") count only when one of the entity's
  ``context`` words appears in the same story;
* a company name ending in a generic word ("Rank Group", "Pinewood Studios") is also
  found without it, as a short name that counts only where the story cues it
  (`newsarchive.gazetteer.shortnames`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import ahocorasick

from newsarchive.core.errors import GazetteerError
from newsarchive.core.models import Kind
from newsarchive.gazetteer.shortnames import ShortNameRules, load_short_names
from newsarchive.gazetteer.wordforms import word_forms

if TYPE_CHECKING:
    from newsarchive.gazetteer.entities import Entity


@dataclass(frozen=True)
class Surface:
    """One way an entity can be written, with how it must match (case, context, strength)."""

    form: str
    entity: Entity
    case_sensitive: bool
    weak: bool
    needs_context: bool
    camel: bool = False
    needs_cue: bool = False  # a short name (`newsarchive.gazetteer.shortnames`): counts only where cued
    cue_ending: str = ""  # the generic ending it was made without ("Studios")


@dataclass(frozen=True)
class Hit:
    """A surface form found in a text, by its offsets."""

    start: int
    end: int
    surface: Surface


class Matcher:
    """Every surface form of the gazetteer in Aho-Corasick automata: lowercase and CamelCase forms
    over folded text, forms with exact capitals (`exact`) over the text as written, so a common
    word that is also a capitalised name ("Next", "Five") costs nothing where it is lowercase."""

    def __init__(self, automaton: Any, exact: Any = None):
        self.automaton = automaton
        self.exact = exact
        self._unpack: Callable[[], tuple[Any, Any]] | None = None

    @classmethod
    def deferred(cls, unpack: Callable[[], tuple[Any, Any]]) -> Matcher:
        """A matcher whose automata ``unpack`` makes at its first scan: a gazetteer read back
        from its pickle for names only (the site's terms) never unpickles them, three
        quarters of the pickle's loading time."""
        matcher = cls(None, None)
        matcher._unpack = unpack
        return matcher

    def __getstate__(self) -> dict[str, Any]:
        self._ready()
        return {"automaton": self.automaton, "exact": self.exact, "_unpack": None}

    def _ready(self) -> None:
        if self._unpack is not None:
            self.automaton, self.exact = self._unpack()
            self._unpack = None

    def scan(self, text: str, allowed: Callable[[Surface], bool] = lambda s: True) -> list[Hit]:
        """Leftmost-longest, boundary- and case-checked hits in ``text``."""
        self._ready()
        candidates: list[Hit] = []
        if "’" in text:
            text = text.replace("’", "'")  # "Christie’s" is "Christie's": one character for another
        if self.automaton is not None:
            self._collect(self.automaton.iter(_fold(text)), text, allowed, candidates)
        if self.exact is not None:
            self._collect(self.exact.iter(text), text, allowed, candidates)
        return _leftmost_longest(candidates)

    @staticmethod
    def _collect(found: Any, text: str, allowed: Callable[[Surface], bool], candidates: list[Hit]) -> None:
        size = len(text)
        for last, surfaces in found:
            if not surfaces:
                continue  # a stop key (see `_automaton`), in a text that holds a NUL
            end = last + 1
            start = end - len(surfaces[0].form)  # one key, one length: the boundary test is done once
            # a word boundary on both sides: no word-joining character on each side of the
            # first character, nor of the last (most of what the automata find fails here)
            if start > 0 and text[start] in _JOINING and text[start - 1] in _JOINING:
                continue
            if end < size and text[end - 1] in _JOINING and text[end] in _JOINING:
                continue
            for surface in surfaces:
                if surface.case_sensitive and not _case_fits(text, start, end, surface):
                    continue
                if allowed(surface):
                    candidates.append(Hit(start, end, surface))


def _case_fits(text: str, start: int, end: int, surface: Surface) -> bool:
    """Exact capitals, or for a long CamelCase form just the same first letter."""
    if text[start:end] == surface.form:
        return True
    return surface.camel and text[start] == surface.form[0]


def _fold(text: str) -> str:
    """Lowercase without changing the length, so offsets stay valid."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lowered
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _joins_words(char: str) -> bool:
    """Latin-script letters and digits join words; CJK text has no spaces to rely on."""
    return char.isalnum() and ord(char) < 0x2E80


_JOINING = frozenset(char for char in map(chr, range(0x2E80)) if _joins_words(char))  # the same, as a set


def _leftmost_longest(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, h.start - h.end))
    chosen: list[Hit] = []
    reached = 0
    for hit in hits:
        if hit.start >= reached:
            chosen.append(hit)
            reached = hit.end
    return chosen


_CAMEL = re.compile(r"^[A-Z][A-Za-z0-9]*[a-z][A-Z][A-Za-z0-9]*$")
CAMEL_MIN_LENGTH = 7


def is_camel(form: str) -> bool:
    """A one-word name with a capital inside ("TeliaSonera"), long enough not to be a word."""
    return len(form) >= CAMEL_MIN_LENGTH and bool(_CAMEL.match(form))


def _surface_key(form: str) -> str:
    """Capitalised forms are distinct by exact spelling; lowercase ones by folded case."""
    return form.casefold() if form == form.lower() else form


def _loose_key(form: str) -> str:
    """The spelling class a CamelCase form also matches: first letter as written, rest any case."""
    return form[0] + form[1:].casefold()


def index_surfaces(
    entities: dict[tuple[Kind, str], Entity],
) -> tuple[Matcher, dict[tuple[Kind, str], Entity]]:
    """A matcher for every surface form of ``entities``, and the entities by folded name;
    an alias claimed by two entities, or a CamelCase form that matches another's, is an
    error."""
    owners: dict[str, Entity] = {}
    by_key: dict[str, list[Surface]] = {}
    names: dict[tuple[Kind, str], Entity] = {}
    spellings: dict[str, list[tuple[str, Entity, bool]]] = {}
    for entity in entities.values():
        for form, weak, needs_context in entity.surface_forms():
            key = _surface_key(form)
            owner = owners.setdefault(key, entity)
            if owner is not entity:
                raise GazetteerError(
                    f"alias {form!r} is claimed by both {owner.kind.value} {owner.slug} "
                    f"and {entity.kind.value} {entity.slug}"
                )
            camel = is_camel(form)
            if form != form.lower():
                spellings.setdefault(_loose_key(form), []).append((form, entity, camel))
            surface = Surface(form, entity, form != form.lower(), weak, needs_context, camel)
            by_key.setdefault(form.lower(), []).append(surface)
            if not weak:
                names.setdefault((entity.kind, form.casefold()), entity)
        # a display name resolves even where it is only a weak word in text ("Websites")
        names.setdefault((entity.kind, entity.name.casefold()), entity)
    _check_loose(spellings)
    _add_word_forms(entities, by_key, names)
    _add_short_names(entities, by_key, owners, names, load_short_names())
    return Matcher(*_automata(by_key)), names


def _add_short_names(
    entities: dict[tuple[Kind, str], Entity],
    by_key: dict[str, list[Surface]],
    owners: dict[str, Entity],
    names: dict[tuple[Kind, str], Entity],
    rules: ShortNameRules,
) -> None:
    """Each company name without its generic ending ("Rank" of "Rank Group"), as a cued short
    name that also resolves as a name, unless some entry already has that form or it is the
    family name of several companies ("Mitsubishi": Mitsubishi Motors, Mitsubishi Corporation)."""
    companies = [entity for entity in entities.values() if entity.kind is Kind.COMPANY]
    begun_by = _first_words(companies)
    for entity in companies:
        for form, weak, needs_context in entity.surface_forms():
            short = "" if weak or needs_context else rules.short_form(form)
            if not short or short.lower() == short or _surface_key(short) in owners:
                continue
            if begun_by.get(short, {entity}) != {entity} or short.lower() in by_key:
                continue
            surface = Surface(
                short, entity, True, False, False, needs_cue=True, cue_ending=rules.ending_of(form)
            )
            by_key[short.lower()] = [surface]
            names.setdefault((Kind.COMPANY, short.casefold()), entity)


def _first_words(companies: list[Entity]) -> dict[str, set[Entity]]:
    """Every run of leading words of every company form ("Mitsubishi", "Mitsubishi UFJ"), with
    the companies whose forms begin with it."""
    begun_by: dict[str, set[Entity]] = {}
    for entity in companies:
        for form, _, _ in entity.surface_forms():
            words = form.split()
            for length in range(1, len(words)):
                begun_by.setdefault(" ".join(words[:length]), set()).add(entity)
    return begun_by


def _automata(by_key: dict[str, list[Surface]]) -> tuple[Any, Any]:
    """The folded-text automaton (lowercase and CamelCase forms) and the exact-text one (forms
    whose capitals must match as written); either is None when it would be empty."""
    folded: dict[str, list[Surface]] = {}
    exact: dict[str, list[Surface]] = {}
    for lowered, surfaces in by_key.items():
        for surface in surfaces:
            if surface.case_sensitive and not surface.camel and _fold(surface.form) == lowered:
                exact.setdefault(surface.form, []).append(surface)
            else:
                folded.setdefault(lowered, []).append(surface)
    return _automaton(folded), _automaton(exact)


# Characters by how often news text has them (English letter frequencies, then capitals as
# words begin, digits, punctuation): the order `_automaton` gives every node's children.
_SCAN_ORDER = " etaoinsrhldcumfpgwybvkxjqzTSACMBPHWILDRNFEGOJKUVYQZX0123456789.,'\"-()&:;!?/"
_RANK = {char: rank for rank, char in enumerate(_SCAN_ORDER)}
_STOPS = " .,'\"-"  # the commonest characters that begin few forms or none: given a root child
_STOP_END = "\x00"


def _scan_rank(word: str) -> list[int]:
    return [_RANK.get(char, len(_RANK) + ord(char)) for char in word]


def _automaton(words: dict[str, list[Surface]]) -> Any:
    """The forms in one automaton, built for speed of scanning: pyahocorasick looks a
    character up among a node's children one by one, in the order they were added, and falls
    back to the root at most characters. So the words are added in `_SCAN_ORDER` (each node's
    commonest children first), and the commonest spaces and punctuation, which begin few or
    no forms, get a stop key at the root ("<space>NUL", no surfaces: it never matches text),
    found in their turn instead of after every other child. What matches, and in which
    order, is unchanged; scanning takes about a third less time."""
    if not words:
        return None
    automaton = ahocorasick.Automaton()
    keys: dict[str, tuple[Surface, ...]] = {stop + _STOP_END: () for stop in _STOPS}
    keys.update((word, tuple(surfaces)) for word, surfaces in words.items())
    for key in sorted(keys, key=_scan_rank):
        automaton.add_word(key, keys[key])
    automaton.make_automaton()
    return automaton


def _add_word_forms(
    entities: dict[tuple[Kind, str], Entity],
    by_key: dict[str, list[Surface]],
    names: dict[tuple[Kind, str], Entity],
) -> None:
    """Each technology form's other spellings and inflections (`newsarchive.gazetteer.wordforms`),
    unless some entry already has a form with the same letters: what the data names wins. The
    forms also resolve as names ("Game consoles" is the entry that names "game console")."""
    for entity in entities.values():
        if entity.kind is not Kind.TECHNOLOGY:
            continue
        for form, weak, needs_context in entity.surface_forms():
            for variant in sorted(word_forms(form, weak)):
                surface = Surface(variant, entity, variant != variant.lower(), weak, needs_context)
                if _adds_reach(surface, by_key.get(variant.lower(), [])):
                    by_key.setdefault(variant.lower(), []).append(surface)
                    if not weak:
                        names.setdefault((entity.kind, variant.casefold()), entity)


def _adds_reach(surface: Surface, existing: list[Surface]) -> bool:
    """A derived form is kept if no other entry has those letters and it matches something
    its entry's forms with those letters do not (a lowercase form beside a capitalised one)."""
    if any(other.entity is not surface.entity for other in existing):
        return False
    if not existing:
        return True
    return not surface.case_sensitive and all(other.case_sensitive for other in existing)


def _check_loose(spellings: dict[str, list[tuple[str, Entity, bool]]]) -> None:
    """A CamelCase form matches other casings, so none of them may belong to another entry."""
    for forms in spellings.values():
        for form, entity, camel in forms:
            if not camel:
                continue
            for other, owner, _ in forms:
                if owner is not entity:
                    raise GazetteerError(
                        f"alias {form!r} of {entity.kind.value} {entity.slug} also matches "
                        f"{other!r} of {owner.kind.value} {owner.slug}"
                    )
