"""The curated companies and technologies: their data files read through their schemas,
checked (unique slugs, links and countries that exist, no alias claimed twice) and indexed
for matching (`newsarchive.gazetteer.matching`)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from babel.languages import get_official_languages

from newsarchive.core.datafiles import convert, data_path, load_data
from newsarchive.core.errors import ConfigError, GazetteerError
from newsarchive.core.models import Kind
from newsarchive.gazetteer.matching import Hit, Matcher, Surface, index_surfaces

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORBIDDEN_IN_NAMES = (",", ";", "=", "|", "*")
DATA_FILES = {Kind.COMPANY: "companies.yaml", Kind.TECHNOLOGY: "technologies.yaml"}
COUNTRIES_FILE = "countries.yaml"
_LIST_KEYS = ("aliases", "ambiguous", "context", "weak", "broader")


@dataclass(frozen=True)
class Entity:
    """A company or technology as the site shows and the matcher finds it."""

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
    local_name: str = ""  # the name in its home language's script (日本電信電話)
    local_lang: str = ""  # the BCP 47 language of local_name (ja)

    def surface_forms(self) -> Iterator[tuple[str, bool, bool]]:
        """Every (form, is_weak, needs_context) this entity can be written as."""
        if self.name not in self.ambiguous:
            yield self.name, False, False
        for alias in self.aliases:
            yield alias, False, False
        if self.local_name and self.local_name not in (self.name, *self.aliases, *self.ambiguous):
            yield self.local_name, False, False
        for alias in self.ambiguous:
            yield alias, False, True
        for alias in self.weak:
            yield alias, True, False


@dataclass
class Gazetteer:
    """The checked entities, by kind and slug, with their names and a matcher for text."""

    entities: dict[tuple[Kind, str], Entity]
    matcher: Matcher = field(repr=False)
    _names: dict[tuple[Kind, str], Entity] = field(repr=False)

    def get(self, kind: Kind, slug: str) -> Entity | None:
        return self.entities.get((kind, slug))

    def of_kind(self, kind: Kind) -> list[Entity]:
        return [e for (k, _), e in self.entities.items() if k is kind]

    def resolve(self, kind: Kind, name: str) -> Entity | None:
        """The entity a display name or alias stands for (case-insensitive)."""
        return self._names.get((kind, name.strip().casefold()))

    def scan(self, text: str, allowed: Callable[[Surface], bool] = lambda s: True) -> list[Hit]:
        """Leftmost-longest, boundary- and case-checked hits in ``text`` (see
        `newsarchive.gazetteer.matching`)."""
        return self.matcher.scan(text, allowed)


@dataclass(frozen=True)
class EntryRecord:
    """What every entry of the gazetteer's data files may say, as written."""

    slug: str
    name: str
    aliases: tuple[str, ...] = ()
    ambiguous: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    weak: tuple[str, ...] = ()


@dataclass(frozen=True)
class CompanyRecord(EntryRecord):
    """One entry of ``data/companies.yaml``."""

    parent: str = ""
    country: str = ""
    website: str = ""
    kind: str = ""  # the sector
    wikidata: str = ""
    local_name: str = ""
    local_lang: str = ""


@dataclass(frozen=True)
class TechnologyRecord(EntryRecord):
    """One entry of ``data/technologies.yaml``."""

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
    local_name, local_lang = _local_name(company, f"{where} ({slug})")
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
        local_name=local_name,
        local_lang=local_lang,
    )


def _local_name(company: CompanyRecord, where: str) -> tuple[str, str]:
    """The local-script name and its language: the one written, else the official
    language of the company's country (Babel's CLDR data: JP is ja, TW zh-Hant)."""
    name = company.local_name.strip()
    if not name:
        return "", ""
    if any(mark in name for mark in FORBIDDEN_IN_NAMES):
        raise GazetteerError(f"{where}: local_name {name!r} may not contain , ; = | or *")
    lang = company.local_lang.strip()
    if not lang and company.country:
        official = get_official_languages(company.country.upper(), de_facto=True)
        lang = official[0].replace("_", "-") if official else ""
    if not lang:
        raise GazetteerError(
            f"{where}: local_name needs local_lang (no official language known for its country)"
        )
    return name, lang


def _check_links(entities: dict[tuple[Kind, str], Entity]) -> None:
    for entity in entities.values():
        linked = [entity.parent] if entity.parent else list(entity.broader)
        for target in linked:
            if (entity.kind, target) not in entities:
                raise GazetteerError(f"{entity.kind.value} {entity.slug}: links to unknown slug {target!r}")
            if target == entity.slug:
                raise GazetteerError(f"{entity.kind.value} {entity.slug}: links to itself")


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
    matcher, names = index_surfaces(entities)
    return Gazetteer(entities=entities, matcher=matcher, _names=names)


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
