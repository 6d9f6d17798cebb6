"""Company and technology terms: attached to every story from its post's metadata, with
an A-Z index per kind and the figures of each term's page.

Posts name their subjects in ``Companies:`` and ``Technologies:`` (display names,
comma-separated). Names are mapped to gazetteer slugs; names the gazetteer does not know
still get a page, slugged by Pelican.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import URLWrapper

from newsarchive.core.models import Kind
from newsarchive.core.posts import split_names
from newsarchive.gazetteer.entities import Entity, Gazetteer, load_gazetteer
from newsarchive.site.incremental import cache_folder
from newsarchive.site.plugin.entity_stats import seen_together, timeline
from newsarchive.site.plugin.i18n import Dates, site_dates


class Company(URLWrapper):
    entity: Entity | None = None
    has_page = False


class Technology(URLWrapper):
    entity: Entity | None = None
    has_page = False


@dataclass(frozen=True)
class Taxonomy:
    """One kind of term: its wrapper class, metadata keys and templates."""

    wrapper: type[URLWrapper]
    key: str  # metadata of tagged terms, e.g. "companies"
    mentioned_key: str  # metadata of "also mentioned" terms
    template: str  # one term's page
    index: str  # the A-Z index (a direct template) and its context variable


TAXONOMIES: dict[Kind, Taxonomy] = {
    Kind.COMPANY: Taxonomy(Company, "companies", "companies_mentioned", "company", "companies"),
    Kind.TECHNOLOGY: Taxonomy(
        Technology, "technologies", "technologies_mentioned", "technology", "technologies"
    ),
}


class TermFactory:
    """Makes one shared wrapper per term so every page links the same object."""

    def __init__(self, gazetteer: Gazetteer, settings: dict[str, Any]):
        self.gazetteer = gazetteer
        self.settings = settings
        self.made: dict[tuple[Kind, str], URLWrapper] = {}
        self._by_name: dict[tuple[Kind, str], URLWrapper] = {}  # `term`'s answers, per name
        self._below: dict[Kind, dict[str, list[str]]] = {}

    def below(self, kind: Kind) -> dict[str, list[str]]:
        """Each entity's slug -> the slugs of the entities under it (a company's subsidiaries,
        a technology's narrower ones), in gazetteer order; worked out once per kind."""
        known = self._below.get(kind)
        if known is None:
            known = self._below[kind] = {}
            for entity in self.gazetteer.of_kind(kind):
                above = [entity.parent] if kind is Kind.COMPANY and entity.parent else []
                for slug in above if kind is Kind.COMPANY else dict.fromkeys(entity.broader):
                    known.setdefault(slug, []).append(entity.slug)
        return known

    def known(self, kind: Kind, slug: str) -> URLWrapper:
        """The wrapper of a gazetteer entity by slug (it has a page only if tagged somewhere)."""
        existing = self.made.get((kind, slug))
        if existing is not None:
            return existing
        entity = self.gazetteer.get(kind, slug)
        return self.term(kind, entity.name if entity else slug)

    def term(self, kind: Kind, name: str) -> URLWrapper:
        """The one wrapper of the term ``name`` stands for (the gazetteer's entity, or a term
        of that name), made once per name: every story names its terms again."""
        known = self._by_name.get((kind, name))
        if known is None:
            known = self._by_name[(kind, name)] = self._term(kind, name)
        return known

    def _term(self, kind: Kind, name: str) -> URLWrapper:
        cls = TAXONOMIES[kind].wrapper
        entity = self.gazetteer.resolve(kind, name)
        wrapper = cls(entity.name if entity else name, self.settings)
        if entity:
            wrapper.slug = entity.slug
        key = (kind, wrapper.slug)
        if key not in self.made:
            wrapper.entity = entity
            self.made[key] = wrapper
        return self.made[key]


def collect_terms(generator: ArticlesGenerator) -> None:
    """Attach term wrappers to every story, put each kind's index in the context, and give
    every term and author page its figures."""
    factory = TermFactory(load_gazetteer(cache_folder=cache_folder(generator.settings)), generator.settings)
    dates = site_dates(generator.settings)
    for kind, taxonomy in TAXONOMIES.items():
        ordered = _attach(generator.articles, kind, taxonomy, factory)
        generator.context[taxonomy.index] = ordered
        setattr(generator, taxonomy.index, ordered)
    for taxonomy in TAXONOMIES.values():
        for term, articles in generator.context[taxonomy.index]:
            describe(term, articles, factory, dates)
    for author, articles in generator.context.get("authors", []):
        describe(author, articles, factory, dates)


def _attach(
    articles: list[Any], kind: Kind, taxonomy: Taxonomy, factory: TermFactory
) -> list[tuple[URLWrapper, list[Any]]]:
    """Tagged and also-mentioned terms of one kind on every story; the kind's terms with
    their stories, A to Z."""
    key, mentioned_key = taxonomy.key, taxonomy.mentioned_key
    listing: dict[URLWrapper, list[Any]] = {}
    for article in articles:
        # Two names of one entity ("5G, 5g" by hand, a name and its alias) are one term.
        terms = list(
            dict.fromkeys(factory.term(kind, n) for n in split_names(article.metadata.get(key) or ""))
        )
        setattr(article, key, terms)
        for term in terms:
            listing.setdefault(term, []).append(article)
    for term in listing:
        term.has_page = True
    for article in articles:
        named = split_names(article.metadata.get(mentioned_key) or "")
        mentioned = list(dict.fromkeys(factory.term(kind, n) for n in named))
        setattr(article, mentioned_key, [t for t in mentioned if t not in getattr(article, key)])
    return sorted(listing.items(), key=lambda item: item[0].name.casefold())


def initial(name: str) -> str:
    """The A-Z index letter a name files under ("#" for digits and symbols)."""
    first = name[:1].upper()
    return first if first.isalpha() else "#"


def describe(term: URLWrapper, articles: list[Any], factory: TermFactory, dates: Dates | None = None) -> None:
    """Give a term page its figures: timeline (labelled in the site's language), related
    terms, and profile links."""
    term.timeline = timeline((a.date for a in articles), dates)
    term.related_companies = seen_together((a.companies for a in articles), term)
    term.related_technologies = seen_together((a.technologies for a in articles), term)
    term.links = profile_links(term, factory)
    term.initial = initial(term.name)


def profile_links(term: URLWrapper, factory: TermFactory) -> dict[str, list[URLWrapper]]:
    """Parent and subsidiaries of a company; broader and narrower technologies."""
    entity: Entity | None = getattr(term, "entity", None)
    if entity is None:
        return {}
    kind = entity.kind
    if kind is Kind.COMPANY:
        related = {
            "parent": [entity.parent] if entity.parent else [],
            "subsidiaries": factory.below(kind).get(entity.slug, []),
        }
    else:
        related = {"broader": list(entity.broader), "narrower": factory.below(kind).get(entity.slug, [])}
    return {
        label: sorted((factory.known(kind, slug) for slug in slugs), key=lambda t: t.name.casefold())
        for label, slugs in related.items()
    }
