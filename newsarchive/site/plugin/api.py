"""A small static JSON API beside the pages: ``api/companies/{slug}.json`` and
``api/technologies/{slug}.json``, each a term's profile, its stories per year and its
stories (title, date, URL), linked from the term's page ("Data (JSON)").

In a newsarchive build the files are part of the build's pages: each has a key (the
digest of its text) in the manifest, and a file whose text did not change is left as the
last build wrote it, like a page. ``NEWSARCHIVE_JSON_API = False`` writes none.
"""

from __future__ import annotations

import json
from collections import Counter
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

from newsarchive.core.digests import digest
from newsarchive.core.files import atomic_write
from newsarchive.site.plugin.settings import plugin_options
from newsarchive.site.plugin.terms import TAXONOMIES
from newsarchive.site.render import RenderPlan, plan_of, stamp

API_VERSION = 1


def link_api(generator: Any) -> None:
    """Give every term its JSON file's site path (``api_url``; "" when the API is off)."""
    options = plugin_options(generator.settings)
    folder = options.NEWSARCHIVE_API_PATH.strip("/")
    for taxonomy in TAXONOMIES.values():
        for term, _ in generator.context[taxonomy.index]:
            term.api_url = (
                f"{folder}/{taxonomy.index}/{term.slug}.json" if options.NEWSARCHIVE_JSON_API else ""
            )


def write_api(generator: Any, writer: Any) -> None:
    """Write every term's JSON file (those whose text is unchanged are kept)."""
    if not plugin_options(generator.settings).NEWSARCHIVE_JSON_API:
        return
    site_url = str(generator.settings.get("SITEURL") or "")
    output = Path(generator.output_path)
    plan = plan_of(generator.settings)
    if plan is not None:
        plan.await_previous()  # the last build's files are linked into staging by then
    stories = StoryEntries(site_url)
    for taxonomy in TAXONOMIES.values():
        for term, articles in generator.context[taxonomy.index]:
            write_kept(
                plan, output, term.api_url, term_text(term, articles, taxonomy.template, stories) + "\n"
            )


class StoryEntries:
    """Each story's entry in the term files, as JSON, made once per story: a story is in the
    file of every term it is tagged with."""

    def __init__(self, site_url: str):
        self.site_url = site_url
        self._made: dict[int, tuple[Any, str]] = {}  # the story is kept: its id is its own

    def of(self, article: Any) -> str:
        known = self._made.get(id(article))
        if known is None:
            known = self._made[id(article)] = (article, entry_text(story_entry(article, self.site_url)))
        return known[1]


def entry_text(entry: dict[str, str]) -> str:
    """``json.dumps(entry, ensure_ascii=False)`` for a story entry (all strings), made with
    the string encoder it uses, without its encoder object per call (one per story a build)."""
    return (
        "{"
        + ", ".join(f"{encode_basestring(key)}: {encode_basestring(value)}" for key, value in entry.items())
        + "}"
    )


def term_text(term: Any, articles: list[Any], kind: str, stories: StoryEntries) -> str:
    """``json.dumps(term_record(...), ensure_ascii=False)``, with each story's entry taken from
    ``stories`` (the stories come last in the record, as a list: ", "-joined entries)."""
    head = term_record(term, [], kind, stories.site_url)
    del head["stories"]
    entries = ", ".join(stories.of(article) for article in articles)
    return (
        json.dumps(
            {**head, "story_count": len(articles), "stories_per_year": stories_per_year(articles)},
            ensure_ascii=False,
        )[:-1]
        + f', "stories": [{entries}]}}'
    )


def term_record(term: Any, articles: list[Any], kind: str, site_url: str) -> dict[str, Any]:
    """What the API says of one term: its profile, stories per year, and its stories."""
    return {
        "api_version": API_VERSION,
        "kind": kind,
        "slug": term.slug,
        "name": term.name,
        "url": f"{site_url}/{term.url}",
        "profile": profile(term, site_url),
        "story_count": len(articles),
        "stories_per_year": stories_per_year(articles),
        "seen_with": {
            "companies": [together(other, count, site_url) for other, count in term.related_companies],
            "technologies": [together(other, count, site_url) for other, count in term.related_technologies],
        },
        "stories": [story_entry(article, site_url) for article in articles],
    }


def stories_per_year(articles: list[Any]) -> dict[str, int]:
    years = Counter(article.date.year for article in articles)
    return {str(year): years[year] for year in sorted(years)}


def story_entry(article: Any, site_url: str) -> dict[str, str]:
    """A story as a term's file lists it."""
    return {
        "title": str(article.title),
        "date": article.date.isoformat(),
        "url": f"{site_url}/{getattr(article, 'href', None) or article.url}",
    }


def profile(term: Any, site_url: str) -> dict[str, Any]:
    """The gazetteer's facts about a term, and its links to related terms (empty when the
    gazetteer does not know it)."""
    entity = getattr(term, "entity", None)
    if entity is None:
        return {}
    facts = {
        "aliases": list(entity.aliases),
        "country": entity.country_name or entity.country,
        "website": entity.website,
        "sector": entity.sector,
        "wikidata": entity.wikidata,
    }
    links = {
        label: [
            {"name": other.name, "slug": other.slug, "url": term_url(other, site_url)} for other in others
        ]
        for label, others in getattr(term, "links", {}).items()
    }
    return {key: value for key, value in {**facts, **links}.items() if value}


def term_url(term: Any, site_url: str) -> str | None:
    """A term's page URL, or None when it has none (tagged on no story)."""
    return f"{site_url}/{term.url}" if getattr(term, "has_page", True) else None


def together(term: Any, count: int | None, site_url: str) -> dict[str, Any]:
    """Another term as the API names it (with the stories it shares, when counted)."""
    named = {"name": term.name, "slug": term.slug, "url": term_url(term, site_url)}
    return named if count is None else {**named, "stories": count}


def write_kept(plan: RenderPlan | None, output: Path, name: str, text: str) -> None:
    """Write ``text`` to ``output/name``; in a newsarchive build, keep the last build's file
    when it has the same key, and record the file among the build's pages."""
    target = output / name
    if plan is None:
        atomic_write(target, text)
        return
    key = digest("json", text)
    previous = plan.previous.get(name)
    if previous is not None and previous.key == key and previous.matches((plan.kept or output) / name):
        plan.pages[name] = previous
        return
    atomic_write(target, text)  # a new file: never through the link to the last site's
    plan.pages[name] = stamp(target, key)
    plan.rendered.append(name)
