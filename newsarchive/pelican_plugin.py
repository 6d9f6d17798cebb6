"""Pelican plugin: Company and Technology taxonomies from post metadata.

Posts name their subjects in ``Companies:`` and ``Technologies:`` (display names,
comma-separated). Names are mapped to gazetteer slugs; names the gazetteer does not know
still get a page, slugged by Pelican. The plugin adds, per taxonomy, one paginated page
per term, an A-Z index (a direct template) and an Atom feed of summaries per term.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
from pelican import signals
from pelican.generators import ArticlesGenerator
from pelican.urlwrappers import URLWrapper
from pelican.writers import Writer

from .entity_stats import seen_together, timeline
from .gazetteer import Entity, Gazetteer, load_gazetteer
from .incremental import remove_stale
from .models import Kind
from .pelican_fixes import fast_membership
from .pelican_fixes import install as install_pelican_fixes
from .posts import relevance_entries, split_names
from .reading import convert_all, readers_setting
from .related import Story, related, related_cached
from .render import DeferredWriter, active_plan, render_recorded
from .sitemap import write_sitemaps

log = logging.getLogger(__name__)

# Template variables a theme asks for that do not exist become warnings (and --strict
# failures) instead of silently empty text. Module level, so Pelican's cache can pickle it.
_LoggingUndefined = jinja2.make_logging_undefined(logger=logging.getLogger("newsarchive.templates"))


class ReportingUndefined(_LoggingUndefined):  # type: ignore[misc,valid-type]
    pass


# Optional post fields the theme shows; a post without them gets "".
OPTIONAL_FIELDS = ("deck", "publication", "role", "bio", "minutes", "date_estimated", "source_url")


class Company(URLWrapper):
    entity: Entity | None = None
    has_page = False


class Technology(URLWrapper):
    entity: Entity | None = None
    has_page = False


# kind -> (wrapper class, tagged metadata key, also-mentioned key, template, index template)
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

DEFAULT_SETTINGS: dict[str, Any] = {
    "COMPANY_URL": "companies/{slug}/",
    "COMPANY_SAVE_AS": "companies/{slug}/index.html",
    "COMPANIES_URL": "companies/",
    "COMPANIES_SAVE_AS": "companies/index.html",
    "COMPANY_FEED_ATOM": "feeds/companies/{slug}.atom.xml",
    "TECHNOLOGY_URL": "technologies/{slug}/",
    "TECHNOLOGY_SAVE_AS": "technologies/{slug}/index.html",
    "TECHNOLOGIES_URL": "technologies/",
    "TECHNOLOGIES_SAVE_AS": "technologies/index.html",
    "TECHNOLOGY_FEED_ATOM": "feeds/technologies/{slug}.atom.xml",
}


class TermFactory:
    """Makes one shared wrapper per term so every page links the same object."""

    def __init__(self, gazetteer: Gazetteer, settings: dict[str, Any]):
        self.gazetteer = gazetteer
        self.settings = settings
        self.made: dict[tuple[Kind, str], URLWrapper] = {}

    def known(self, kind: Kind, slug: str) -> URLWrapper:
        """The wrapper of a gazetteer entity by slug (it has a page only if tagged somewhere)."""
        existing = self.made.get((kind, slug))
        if existing is not None:
            return existing
        entity = self.gazetteer.get(kind, slug)
        return self.term(kind, entity.name if entity else slug)

    def term(self, kind: Kind, name: str) -> URLWrapper:
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


def add_settings(pelican: Any) -> None:
    for key, value in DEFAULT_SETTINGS.items():
        pelican.settings.setdefault(key, value)
    pelican.settings.setdefault("JINJA_ENVIRONMENT", {}).setdefault("undefined", ReportingUndefined)
    readers_setting(pelican.settings)
    templates = pelican.settings.setdefault("DIRECT_TEMPLATES", [])
    for taxonomy in TAXONOMIES.values():
        if taxonomy.index not in templates:
            templates.append(taxonomy.index)
    paginated = pelican.settings.setdefault("PAGINATED_TEMPLATES", {})
    for taxonomy in TAXONOMIES.values():
        paginated.setdefault(taxonomy.template, None)


def collect_terms(generator: ArticlesGenerator) -> None:
    """Attach term wrappers to every article and index pages of terms in the context."""
    factory = TermFactory(load_gazetteer(), generator.settings)
    for kind, taxonomy in TAXONOMIES.items():
        key, mentioned_key, index_name = taxonomy.key, taxonomy.mentioned_key, taxonomy.index
        listing: dict[URLWrapper, list[Any]] = {}
        for article in generator.articles:
            terms = [factory.term(kind, n) for n in split_names(article.metadata.get(key) or "")]
            setattr(article, key, terms)
            for term in terms:
                listing.setdefault(term, []).append(article)
        for term in listing:
            term.has_page = True
        for article in generator.articles:
            mentioned = [
                factory.term(kind, n) for n in split_names(article.metadata.get(mentioned_key) or "")
            ]
            setattr(article, mentioned_key, [t for t in mentioned if t not in getattr(article, key)])
        ordered = sorted(listing.items(), key=lambda item: item[0].name.casefold())
        generator.context[index_name] = ordered
        setattr(generator, index_name, ordered)
    for taxonomy in TAXONOMIES.values():
        for term, articles in generator.context[taxonomy.index]:
            describe(term, articles, factory)
    for author, articles in generator.context.get("authors", []):
        describe(author, articles, factory)
    link_neighbours(generator.articles, related_cache(generator.settings))
    for article in generator.articles:
        for key in OPTIONAL_FIELDS:
            if not hasattr(article, key):
                setattr(article, key, "")
        # Pelican computes the URL on every access, its writer included; pages list each
        # story many times. (Not save_as: an override_save_as silences Pelican's warning
        # about two stories written to the same file.)
        article.href = article.override_url = article.url
        article.shown_date = article.locale_date
        article.json_ld = json_ld(article, generator.settings)
        article.original_url = web_url(str(article.metadata.get("source_url", "")))


def web_url(url: str) -> str:
    """``url`` if it is an http(s) link, else "" (no javascript: or data: links from sources)."""
    return url if urlsplit(url.strip()).scheme in ("http", "https") else ""


def relevance_weights(article: Any) -> dict[str, float]:
    """Tagged terms with their scores from the post's Relevance line (1 when unknown)."""
    entries = relevance_entries(str(article.metadata.get("relevance", "")))
    scores = {e.name.casefold(): e.score or 1.0 for kind_entries in entries.values() for e in kind_entries}
    terms = [*getattr(article, "companies", []), *getattr(article, "technologies", [])]
    return {f"{type(t).__name__}:{t.slug}": scores.get(t.name.casefold(), 1.0) for t in terms}


def json_ld(article: Any, settings: dict[str, Any]) -> str:
    """schema.org NewsArticle for search engines, safe to place inside a <script> element."""
    site_url = settings.get("SITEURL") or ""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": article.date.isoformat(),
        "url": f"{site_url}/{article.href}",
        "publisher": {
            "@type": "Organization",
            "name": article.metadata.get("publication") or settings["SITENAME"],
        },
        "about": [{"@type": "Organization", "name": c.name} for c in getattr(article, "companies", [])],
    }
    author = str(getattr(article, "author", "") or "")
    if author and author != settings.get("AUTHOR"):
        data["author"] = {"@type": "Person", "name": author}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def related_cache(settings: dict[str, Any]) -> Path | None:
    """Where related stories are kept between builds: beside Pelican's content cache."""
    if not settings.get("CACHE_CONTENT"):
        return None
    return Path(settings["CACHE_PATH"]) / "newsarchive-related.json"


def link_neighbours(articles: list[Any], cache_file: Path | None = None) -> None:
    """Previous/next story by date, and related stories, for every story page."""
    stories = [Story(index, relevance_weights(a), a.date) for index, a in enumerate(articles)]
    ranked = related_cached(stories, cache_file) if cache_file else related(stories)
    for index, article in enumerate(articles):
        article.related_stories = [articles[i] for i in ranked[index]]
        # articles are newest first: the next story is the newer one
        article.newer_story = articles[index - 1] if index > 0 else None
        article.older_story = articles[index + 1] if index + 1 < len(articles) else None


def initial(name: str) -> str:
    """The A-Z index letter a name files under ("#" for digits and symbols)."""
    first = name[:1].upper()
    return first if first.isalpha() else "#"


def describe(term: URLWrapper, articles: list[Any], factory: TermFactory) -> None:
    """Give a term page its figures: timeline, related terms, and profile links."""
    term.timeline = timeline(a.date for a in articles)
    term.related_companies = seen_together((a.companies for a in articles), term)
    term.related_technologies = seen_together((a.technologies for a in articles), term)
    term.links = profile_links(term, factory)
    term.initial = initial(term.name)


def profile_links(term: URLWrapper, factory: TermFactory) -> dict[str, list[URLWrapper]]:
    """Parent and subsidiaries of a company; broader and narrower technologies."""
    entity: Entity | None = getattr(term, "entity", None)
    if entity is None:
        return {}
    gazetteer, kind = factory.gazetteer, entity.kind
    if kind is Kind.COMPANY:
        related = {
            "parent": [entity.parent] if entity.parent else [],
            "subsidiaries": [e.slug for e in gazetteer.of_kind(kind) if e.parent == entity.slug],
        }
    else:
        related = {
            "broader": list(entity.broader),
            "narrower": [e.slug for e in gazetteer.of_kind(kind) if entity.slug in e.broader],
        }
    return {
        label: sorted((factory.known(kind, slug) for slug in slugs), key=lambda t: t.name.casefold())
        for label, slugs in related.items()
    }


class _SummaryOnly:
    """An article seen by a feed writer as its summary only (per-term feeds stay small)."""

    def __init__(self, article: Any):
        self._article = article

    def __getattr__(self, name: str) -> Any:
        return getattr(self._article, name)

    def get_content(self, siteurl: str) -> str:
        return str(self._article.summary)


def write_terms(generator: ArticlesGenerator, writer: Writer) -> None:
    settings = generator.settings
    for taxonomy in TAXONOMIES.values():
        template_name, index_name = taxonomy.template, taxonomy.index
        template = generator.get_template(template_name)
        feed_key = f"{template_name.upper()}_FEED_ATOM"
        for term, articles in generator.context[index_name]:
            writer.write_file(
                term.save_as,
                template,
                generator.context,
                relative_urls=settings["RELATIVE_URLS"],
                paginated={"articles": articles, "dates": articles},
                template_name=template_name,
                url=term.url,
                page_name=term.page_name,
                term=term,
                articles=articles,
                dates=articles,
            )
            if settings.get(feed_key):
                path = settings[feed_key].format(slug=term.slug)
                summaries = [_SummaryOnly(a) for a in articles]
                writer.write_feed(summaries, generator.context, path, feed_title=term.name)


def index_stories(generators: list[Any]) -> None:
    """Start the search index as soon as every story is known (see newsarchive.search)."""
    plan = active_plan()
    if plan is None or plan.search is None:
        return
    for generator in generators:
        if isinstance(generator, ArticlesGenerator):
            plan.search.update(generator)


def deferred_writer(pelican: Any) -> type[Writer] | None:
    """During a newsarchive build, pages are rendered in parallel and only when changed."""
    return DeferredWriter if active_plan() else None


def finish(pelican: Any) -> None:
    """Render the recorded pages, drop the kept ones no longer made, then write the sitemaps."""
    plan = active_plan()
    if plan is not None:
        render_recorded(plan)
        remove_stale(Path(pelican.output_path), plan.previous, plan.pages)
    settings = pelican.settings
    site_url = settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""
    write_sitemaps(Path(pelican.output_path), site_url)


def register() -> None:
    install_pelican_fixes()
    connect: list[tuple[Any, Callable[..., Any]]] = [
        (signals.initialized, add_settings),
        (signals.article_generator_finalized, collect_terms),
        (signals.article_generator_finalized, fast_membership),
        (signals.article_writer_finalized, write_terms),
        (signals.article_generator_preread, convert_all),
        (signals.get_writer, deferred_writer),
        (signals.all_generators_finalized, index_stories),
        (signals.finalized, finish),
    ]
    for signal, handler in connect:
        signal.connect(handler)
