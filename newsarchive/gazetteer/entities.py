"""The curated companies and technologies: their data files read through their schemas,
checked (unique slugs, links and countries that exist, no alias claimed twice) and indexed
for matching (`newsarchive.gazetteer.matching`)."""

from __future__ import annotations

import io
import logging
import pickle
import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from babel.languages import get_official_languages

from newsarchive.core.datafiles import convert, data_path, load_data
from newsarchive.core.digests import code_digest, digest
from newsarchive.core.errors import ConfigError, GazetteerError
from newsarchive.core.files import atomic_write_bytes
from newsarchive.core.models import Kind
from newsarchive.gazetteer.matching import Hit, Matcher, Surface, index_surfaces
from newsarchive.gazetteer.senses import NOTHING, SenseRule

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FORBIDDEN_IN_NAMES = (",", ";", "=", "|", "*")
DATA_FILES = {Kind.COMPANY: "companies.yaml", Kind.TECHNOLOGY: "technologies.yaml"}
COUNTRIES_FILE = "countries.yaml"
_LIST_KEYS = ("aliases", "ambiguous", "context", "weak", "broader", "fields")
SECTORS = frozenset(
    {
        *("operator", "vendor", "devices", "semiconductors", "cloud", "software", "satellite", "cable"),
        *("towers", "media", "conglomerate", "automotive", "investor", "bank", "finance", "insurance"),
        *("retail", "consumer", "pharma", "industrial", "energy", "airline", "transport", "services"),
        "exchange",
        "other",
    }
)

log = logging.getLogger(__name__)


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
    tickers: tuple[str, ...] = ()
    former_names: tuple[FormerName, ...] = ()
    senses: tuple[SenseRule, ...] = ()
    product: bool = False  # a technology: names products or versions of its one broader entry
    fields: tuple[str, ...] = ()  # the broader entries it belongs to as a field, not as a kind

    def __hash__(self) -> int:
        """By slug alone: entities are dictionary keys all through tagging, and hashing every
        field (aliases, senses) at each lookup cost more than any other part of a lookup. Equal
        entities have equal slugs, so equality is unchanged."""
        return hash(self.slug)

    def surface_forms(self) -> Iterator[tuple[str, bool, bool]]:
        """Every (form, is_weak, needs_context) this entity can be written as; a name that its
        own ``weak`` or ``ambiguous`` lists (in any case) is only that."""
        if self.name.casefold() not in {form.casefold() for form in (*self.ambiguous, *self.weak)}:
            yield self.name, False, False
        for alias in dict.fromkeys((*self.aliases, *(former.name for former in self.former_names))):
            yield alias, False, False
        if self.local_name and self.local_name not in (self.name, *self.aliases, *self.ambiguous):
            yield self.local_name, False, False
        for alias in self.ambiguous:
            yield alias, False, True
        for alias in self.weak:
            yield alias, True, False

    def name_in(self, year: int | None, written: frozenset[str] = frozenset()) -> str:
        """The name to show on a story of ``year``: the former name in use then (``until`` is
        its last year), else today's name. When the year is unknown, a former name the story
        itself uses (``written``) stands for the name of its time."""
        if year is not None:
            for former in sorted(self.former_names, key=lambda f: f.until):
                if former.since <= year <= former.until:
                    return former.name
            return self.name
        for former in sorted(self.former_names, key=lambda f: f.until):
            if former.name in written:
                return former.name
        return self.name


@dataclass(frozen=True)
class FormerName:
    """A name a company had until (and including) the year ``until``, from ``since`` if known."""

    name: str
    until: int
    since: int = 0


@dataclass
class Gazetteer:
    """The checked entities, by kind and slug, with their names and a matcher for text."""

    entities: dict[tuple[Kind, str], Entity]
    matcher: Matcher = field(repr=False)
    _names: dict[tuple[Kind, str], Entity] = field(repr=False)
    _tickers: dict[str, dict[str, Entity]] = field(repr=False, default_factory=dict)
    _above: dict[tuple[Kind, str], frozenset[str]] = field(repr=False, default_factory=dict)
    _kinds_above: dict[str, frozenset[str]] = field(repr=False, default_factory=dict)
    _below: dict[str, int] | None = field(repr=False, default=None)

    def get(self, kind: Kind, slug: str) -> Entity | None:
        return self.entities.get((kind, slug))

    def of_kind(self, kind: Kind) -> list[Entity]:
        return [e for (k, _), e in self.entities.items() if k is kind]

    def resolve(self, kind: Kind, name: str) -> Entity | None:
        """The entity a display name or alias stands for (case-insensitive)."""
        return self._names.get((kind, name.strip().casefold()))

    def ancestors(self, kind: Kind, slug: str) -> frozenset[str]:
        """Every entry above ``slug`` by ``broader`` links (a technology's), remembered."""
        key = (kind, slug)
        if key not in self._above:
            found: set[str] = set()
            waiting = [slug]
            while waiting:
                entity = self.get(kind, waiting.pop())
                for broader in entity.broader if entity else ():
                    if broader not in found:
                        found.add(broader)
                        waiting.append(broader)
            self._above[key] = frozenset(found)
        return self._above[key]

    def kinds_above(self, slug: str) -> frozenset[str]:
        """Every technology that technology ``slug`` is a kind of: the entries above it by
        ``broader`` links that are not ``fields`` (games consoles are a kind of consumer
        electronics, and belong to the field of video games), remembered."""
        if slug not in self._kinds_above:
            found: set[str] = set()
            waiting = [slug]
            while waiting:
                entity = self.get(Kind.TECHNOLOGY, waiting.pop())
                kinds = [link for link in entity.broader if link not in entity.fields] if entity else []
                for broader in kinds:
                    if broader not in found:
                        found.add(broader)
                        waiting.append(broader)
            self._kinds_above[slug] = frozenset(found)
        return self._kinds_above[slug]

    def counted_as(self, entity: Entity) -> Entity:
        """The technology a mention of ``entity`` counts for: a product's (or version's) class,
        its one broader entry (a Macintosh is a personal computer), else the entity itself."""
        while entity.product:
            entity = self.entities[(entity.kind, entity.broader[0])]
        return entity

    def below(self, slug: str) -> int:
        """How many technologies stand below technology ``slug`` by ``broader`` links: how
        broad it is (counted for every entry at the first call)."""
        if self._below is None:
            counts: dict[str, int] = {}
            for entity in self.of_kind(Kind.TECHNOLOGY):
                for above in self.ancestors(Kind.TECHNOLOGY, entity.slug):
                    counts[above] = counts.get(above, 0) + 1
            self._below = counts
        return self._below.get(slug, 0)

    def by_ticker(self, exchange: str, symbol: str) -> Entity | None:
        """The company listed as ``symbol`` on ``exchange`` (a code of data/sources.yaml); on an
        unknown exchange, the one company listed as ``symbol`` anywhere, if only one is."""
        listed = self._tickers.get(symbol, {})
        if exchange in listed:
            return listed[exchange]
        owners = set(listed.values())
        return owners.pop() if len(owners) == 1 else None

    def scan(self, text: str, allowed: Callable[[Surface], bool] = lambda s: True) -> list[Hit]:
        """Leftmost-longest, boundary- and case-checked hits in ``text`` (see
        `newsarchive.gazetteer.matching`)."""
        return self.matcher.scan(text, allowed)

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickled with the matcher's automata packed apart, unpickled at its first scan
        (`Matcher.deferred`); their entities stay the gazetteer's own objects."""
        packed = _packed_automata(self.matcher, self.entities)
        return _gazetteer_unpickled, (self.entities, packed, self._names, self._tickers)


def _packed_automata(matcher: Matcher, entities: dict[tuple[Kind, str], Entity]) -> bytes:
    """The matcher's automata pickled, each entity in them by its key in ``entities``."""
    keys = {id(entity): key for key, entity in entities.items()}

    class Packer(pickle.Pickler):
        def persistent_id(self, obj: Any) -> tuple[Kind, str] | None:
            key = keys.get(id(obj)) if isinstance(obj, Entity) else None
            return key if key is not None and entities[key] is obj else None

    buffer = io.BytesIO()
    matcher._ready()
    Packer(buffer, protocol=pickle.HIGHEST_PROTOCOL).dump((matcher.automaton, matcher.exact))
    return buffer.getvalue()


def _gazetteer_unpickled(
    entities: dict[tuple[Kind, str], Entity],
    packed: bytes,
    names: dict[tuple[Kind, str], Entity],
    tickers: dict[str, dict[str, Entity]],
) -> Gazetteer:
    def unpack() -> tuple[Any, Any]:
        class Unpacker(pickle.Unpickler):
            def persistent_load(self, key: Any) -> Entity:
                return entities[tuple(key)]

        automata: tuple[Any, Any] = Unpacker(io.BytesIO(packed)).load()
        return automata

    return Gazetteer(entities, Matcher.deferred(unpack), names, tickers)


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
    tickers: tuple[str, ...] = ()  # EXCHANGE:SYMBOL, exchange codes of data/sources.yaml
    former_names: tuple[FormerName, ...] = ()


@dataclass(frozen=True)
class TechnologyRecord(EntryRecord):
    """One entry of ``data/technologies.yaml``."""

    broader: tuple[str, ...] = ()
    senses: tuple[SenseRule, ...] = ()
    product: bool = False
    fields: tuple[str, ...] = ()


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
    product = isinstance(record, TechnologyRecord) and record.product
    if product and len(lists["broader"]) != 1:
        raise GazetteerError(f"{where} ({slug}): a product counts for exactly one broader technology")
    if not set(lists["fields"]) <= set(lists["broader"]):
        raise GazetteerError(f"{where} ({slug}): fields must be some of its broader entries")
    if lists["ambiguous"] and not lists["context"]:
        raise GazetteerError(f"{where} ({slug}): ambiguous aliases need context words")
    ungated = sorted(set(lists["aliases"]) & {*lists["ambiguous"], *lists["weak"]})
    if ungated:  # as an alias too, the form would match without its context words or weight
        problem = "is listed as an alias and as ambiguous or weak"
        raise GazetteerError(f"{where} ({slug}): {ungated[0]!r} {problem}")
    company = record if isinstance(record, CompanyRecord) else CompanyRecord(slug, name)
    if company.kind and company.kind not in SECTORS:
        sectors = ", ".join(sorted(SECTORS))
        raise GazetteerError(f"{where} ({slug}): kind {company.kind!r} is not one of {sectors}")
    for former in company.former_names:
        if not former.name.strip() or former.since > former.until:
            problem = "needs a name and since <= until"
            raise GazetteerError(f"{where} ({slug}): former name {former.name!r} {problem}")
    local_name, local_lang = _local_name(company, f"{where} ({slug})")
    senses = record.senses if isinstance(record, TechnologyRecord) else ()
    own_forms = {name.strip(), *lists["aliases"], *lists["ambiguous"], *lists["weak"]}
    for number, rule in enumerate(senses, 1):
        rule.check(own_forms, f"{where} ({slug}) sense {number}")
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
        tickers=tuple(_ticker(ticker, f"{where} ({slug})") for ticker in company.tickers),
        former_names=company.former_names,
        senses=senses,
        product=product,
        fields=lists["fields"],
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


TICKER = re.compile(r"^[A-Z]+:[A-Z0-9][A-Z0-9.-]{0,9}$")


def _ticker(ticker: str, where: str) -> str:
    if not TICKER.match(ticker):
        raise GazetteerError(f"{where}: ticker {ticker!r} must be EXCHANGE:SYMBOL, e.g. NYSE:IBM")
    return ticker


def _index_tickers(entities: dict[tuple[Kind, str], Entity]) -> dict[str, dict[str, Entity]]:
    """Companies by symbol, then by exchange; a ticker listed twice is an error."""
    index: dict[str, dict[str, Entity]] = {}
    for entity in entities.values():
        for ticker in entity.tickers:
            exchange, symbol = ticker.split(":", 1)
            owner = index.setdefault(symbol, {}).setdefault(exchange, entity)
            if owner is not entity:
                raise GazetteerError(f"ticker {ticker} is claimed by both {owner.slug} and {entity.slug}")
    return index


def _check_links(entities: dict[tuple[Kind, str], Entity]) -> None:
    for entity in entities.values():
        linked = [entity.parent] if entity.parent else list(entity.broader)
        for target in linked:
            if (entity.kind, target) not in entities:
                raise GazetteerError(f"{entity.kind.value} {entity.slug}: links to unknown slug {target!r}")
            if target == entity.slug:
                raise GazetteerError(f"{entity.kind.value} {entity.slug}: links to itself")
        for rule in entity.senses:
            if rule.means != NOTHING and (Kind.TECHNOLOGY, rule.means) not in entities:
                raise GazetteerError(
                    f"{entity.kind.value} {entity.slug}: a sense means unknown {rule.means!r}"
                )
    _check_acyclic(entities)


def _check_acyclic(entities: dict[tuple[Kind, str], Entity]) -> None:
    """Broader links and parents form a DAG: following them never comes back to the start."""
    done: set[tuple[Kind, str]] = set()
    for key in entities:
        path: list[tuple[Kind, str]] = []
        _walk_up(key, entities, path, done)


def _walk_up(
    key: tuple[Kind, str],
    entities: dict[tuple[Kind, str], Entity],
    path: list[tuple[Kind, str]],
    done: set[tuple[Kind, str]],
) -> None:
    if key in done:
        return
    if key in path:
        cycle = " -> ".join(slug for _, slug in [*path[path.index(key) :], key])
        raise GazetteerError(f"{key[0].value} links form a cycle: {cycle}")
    path.append(key)
    entity = entities[key]
    for target in [entity.parent] if entity.parent else entity.broader:
        _walk_up((key[0], target), entities, path, done)
    path.pop()
    done.add(key)


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
    return Gazetteer(entities=entities, matcher=matcher, _names=names, _tickers=_index_tickers(entities))


def load_gazetteer(data_dir: Path | None = None, cache_folder: Path | None = None) -> Gazetteer:
    """Load the gazetteer from ``data_dir`` (default: the bundled data files). With a
    ``cache_folder``, the bundled gazetteer is kept there between runs (see `_kept`)."""
    if data_dir is not None:
        return _load(lambda name: data_dir / name)
    if cache_folder is not None:
        return _kept(cache_folder)
    return _bundled()


GAZETTEER_CACHE = "gazetteer.pickle"
_KEPT: dict[str, Gazetteer] = {}


def _kept(cache_folder: Path) -> Gazetteer:
    """The bundled gazetteer, read from a pickle in ``cache_folder`` while the code and data
    files it was built from are unchanged: validating and indexing the data files takes
    about a second and a half at every build otherwise (the pickle loads in a third of it)."""
    key = digest(*code_digest(("core", "gazetteer")))
    if key in _KEPT:
        return _KEPT[key]
    path = cache_folder / GAZETTEER_CACHE
    gazetteer = _unpickled(path, key)
    if gazetteer is None:
        gazetteer = _bundled()
        with suppress(OSError):
            atomic_write_bytes(path, pickle.dumps((key, gazetteer), protocol=pickle.HIGHEST_PROTOCOL))
    _KEPT[key] = gazetteer
    return gazetteer


def _unpickled(path: Path, key: str) -> Gazetteer | None:
    """The gazetteer pickled at ``path`` for ``key`` (None: none, another key, or unreadable)."""
    try:
        with path.open("rb") as stream:
            saved_key, gazetteer = pickle.load(stream)
    except FileNotFoundError:
        return None
    except Exception as error:  # a damaged or foreign pickle only costs the time to rebuild
        log.info("%s: unreadable gazetteer cache (%s); loading the data files", path, error)
        return None
    return gazetteer if saved_key == key and isinstance(gazetteer, Gazetteer) else None


@cache
def _bundled() -> Gazetteer:
    return _load(lambda name: data_path("gazetteer", name))


def _load(path_of: Callable[[str], Path]) -> Gazetteer:
    records = {kind: list(load_data(path_of(name), tuple[Any, ...])) for kind, name in DATA_FILES.items()}
    countries = load_data(path_of(COUNTRIES_FILE), dict[str, str], strings_only=True)
    return build_gazetteer(records, countries)
