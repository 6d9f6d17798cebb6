"""The curated companies and technologies, validated and indexed for matching.

Matching rules (see ``Gazetteer.scan``):

* an alias with any capital letter matches only with exactly those capitals
  ("NEC" never matches "necessary"); an all-lowercase alias matches in any case;
* a one-word CamelCase alias of seven or more characters that starts with a capital
  ("TeliaSonera", "BioWare") also matches with any case after its first letter
  ("Teliasonera", "Bioware"): stories write such names both ways, and the long
  capitalised run is not an ordinary word;
* a Latin alias needs a word boundary on both sides, where only Latin-script letters
  and digits join words, so "NTTとNECは" yields NTT and NEC, while "NECA" and "5GHz"
  yield nothing; aliases in Chinese or Japanese script need no boundary;
* overlapping hits resolve leftmost-longest ("NTT DoCoMo" is NTT Docomo, not NTT);
* ``ambiguous`` aliases ("Orange", "Three") count only when one of the entity's
  ``context`` words appears in the same story.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import ahocorasick

from newsarchive.core.datafiles import convert, data_path, load_data
from newsarchive.core.errors import ConfigError, GazetteerError
from newsarchive.core.models import Kind

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORBIDDEN_IN_NAMES = (",", ";", "=", "|", "*")
DATA_FILES = {Kind.COMPANY: "companies.yaml", Kind.TECHNOLOGY: "technologies.yaml"}
COUNTRIES_FILE = "countries.yaml"
_LIST_KEYS = ("aliases", "ambiguous", "context", "weak", "broader")


@dataclass(frozen=True)
class Entity:
    kind: Kind
    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    parent: str = ""
    broader: tuple[str, ...] = ()
    country: str = ""
    website: str = ""
    sector: str = ""
    wikidata: str = ""
    country_name: str = ""

    def surface_forms(self) -> Iterator[tuple[str, bool, bool]]:
        """Every (form, is_weak, needs_context) this entity can be written as."""
        if self.name not in self.ambiguous:
            yield self.name, False, False
        for alias in self.aliases:
            yield alias, False, False
        for alias in self.ambiguous:
            yield alias, False, True
        for alias in self.weak:
            yield alias, True, False


@dataclass(frozen=True)
class Surface:
    form: str
    entity: Entity
    case_sensitive: bool
    weak: bool
    needs_context: bool
    camel: bool = False


@dataclass(frozen=True)
class Hit:
    start: int
    end: int
    surface: Surface


@dataclass
class Gazetteer:
    entities: dict[tuple[Kind, str], Entity]
    _automaton: Any = field(repr=False)
    _names: dict[tuple[Kind, str], Entity] = field(repr=False)

    def get(self, kind: Kind, slug: str) -> Entity | None:
        return self.entities.get((kind, slug))

    def of_kind(self, kind: Kind) -> list[Entity]:
        return [e for (k, _), e in self.entities.items() if k is kind]

    def resolve(self, kind: Kind, name: str) -> Entity | None:
        """The entity a display name or alias stands for (case-insensitive)."""
        return self._names.get((kind, name.strip().casefold()))

    def scan(self, text: str, allowed: Callable[[Surface], bool] = lambda s: True) -> list[Hit]:
        """Leftmost-longest, boundary- and case-checked hits in ``text``."""
        folded = _fold(text)
        candidates: list[Hit] = []
        for last, surfaces in self._automaton.iter(folded):
            for surface in surfaces:
                start = last + 1 - len(surface.form)
                end = last + 1
                if surface.case_sensitive and not _case_fits(text, start, end, surface):
                    continue
                if _bounded(text, start, end) and allowed(surface):
                    candidates.append(Hit(start, end, surface))
        return _leftmost_longest(candidates)


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


def _bounded(text: str, start: int, end: int) -> bool:
    first, last = text[start], text[end - 1]
    if start > 0 and _joins_words(first) and _joins_words(text[start - 1]):
        return False
    return not (end < len(text) and _joins_words(last) and _joins_words(text[end]))


def _leftmost_longest(hits: list[Hit]) -> list[Hit]:
    hits.sort(key=lambda h: (h.start, h.start - h.end))
    chosen: list[Hit] = []
    reached = 0
    for hit in hits:
        if hit.start >= reached:
            chosen.append(hit)
            reached = hit.end
    return chosen


@dataclass(frozen=True)
class CompanyRecord:
    """One entry of ``data/companies.yaml`` as written."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    parent: str = ""
    country: str = ""
    website: str = ""
    kind: str = ""  # the sector
    wikidata: str = ""


@dataclass(frozen=True)
class TechnologyRecord:
    """One entry of ``data/technologies.yaml`` as written."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()
    broader: tuple[str, ...] = ()


RECORDS: dict[Kind, type[CompanyRecord] | type[TechnologyRecord]] = {
    Kind.COMPANY: CompanyRecord,
    Kind.TECHNOLOGY: TechnologyRecord,
}


def _names(values: tuple[str, ...], key: str, where: str) -> tuple[str, ...]:
    if not all(value.strip() for value in values):
        raise GazetteerError(f"{where}: {key} must be a list of non-empty strings")
    return tuple(value.strip() for value in values)


def _entity(kind: Kind, raw: Any, where: str) -> Entity:
    try:
        record = convert(RECORDS[kind], raw, where, "")
    except GazetteerError:
        raise
    except ConfigError as error:
        raise GazetteerError(str(error)) from error
    slug, name = record.slug, record.name
    if not SLUG.match(slug):
        raise GazetteerError(f"{where}: slug {slug!r} must be lowercase letters, digits and hyphens")
    if not name.strip():
        raise GazetteerError(f"{where} ({slug}): name is required")
    if any(mark in name for mark in FORBIDDEN_IN_NAMES):
        raise GazetteerError(f"{where} ({slug}): name {name!r} may not contain , ; = | or *")
    lists = {key: _names(getattr(record, key, ()), key, f"{where} ({slug})") for key in _LIST_KEYS}
    if lists["ambiguous"] and not lists["context"]:
        raise GazetteerError(f"{where} ({slug}): ambiguous aliases need context words")
    company = record if isinstance(record, CompanyRecord) else CompanyRecord(slug, name)
    return Entity(
        kind=kind,
        slug=slug,
        name=name.strip(),
        aliases=lists["aliases"],
        ambiguous=lists["ambiguous"],
        context=lists["context"],
        weak=lists["weak"],
        broader=lists["broader"],
        parent=company.parent,
        country=company.country,
        website=company.website,
        sector=company.kind,
        wikidata=company.wikidata,
    )


def _check_links(entities: dict[tuple[Kind, str], Entity]) -> None:
    for entity in entities.values():
        linked = [entity.parent] if entity.parent else list(entity.broader)
        for target in linked:
            if (entity.kind, target) not in entities:
                raise GazetteerError(f"{entity.kind.value} {entity.slug}: links to unknown slug {target!r}")
            if target == entity.slug:
                raise GazetteerError(f"{entity.kind.value} {entity.slug}: links to itself")


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


def build_gazetteer(records: dict[Kind, list[Any]], countries: dict[str, str] | None = None) -> Gazetteer:
    """Validate raw records (as loaded from YAML) and index them for matching.

    ``countries`` maps ISO codes to names; when given, every company's code must be in it.
    """
    entities: dict[tuple[Kind, str], Entity] = {}
    for kind, entries in records.items():
        if not isinstance(entries, list):
            raise GazetteerError(f"{DATA_FILES[kind]}: must be a list of entries")
        for index, record in enumerate(entries):
            entity = _entity(kind, record, f"{DATA_FILES[kind]} entry {index + 1}")
            if (kind, entity.slug) in entities:
                raise GazetteerError(f"{DATA_FILES[kind]}: slug {entity.slug!r} is used twice")
            if countries is not None and entity.country:
                if entity.country not in countries:
                    raise GazetteerError(f"{entity.slug}: unknown country code {entity.country!r}")
                entity = replace(entity, country_name=countries[entity.country])
            entities[(kind, entity.slug)] = entity
    _check_links(entities)
    return _index(entities)


def _index(entities: dict[tuple[Kind, str], Entity]) -> Gazetteer:
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
    _check_loose(spellings)
    automaton = ahocorasick.Automaton()
    for lowered, surfaces in by_key.items():
        automaton.add_word(lowered, tuple(surfaces))
    if by_key:
        automaton.make_automaton()
    return Gazetteer(entities=entities, _automaton=automaton, _names=names)


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


def load_gazetteer(data_dir: Path | None = None) -> Gazetteer:
    """Load the gazetteer from ``data_dir`` (default: the bundled data files)."""
    if data_dir is None:
        return _bundled()
    return _load(lambda name: data_dir / name)


@cache
def _bundled() -> Gazetteer:
    return _load(lambda name: data_path("gazetteer", name))


def _load(path_of: Callable[[str], Path]) -> Gazetteer:
    records = {kind: list(load_data(path_of(name), tuple[Any, ...])) for kind, name in DATA_FILES.items()}
    countries = load_data(path_of(COUNTRIES_FILE), dict[str, str], strings_only=True)
    return build_gazetteer(records, countries)
