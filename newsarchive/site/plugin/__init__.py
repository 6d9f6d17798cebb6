"""The newsarchive Pelican plugin: one function per concern, connected to Pelican's signals
in the order a build runs (like mkdocs' named plugin events).

======================================  =============================================
signal                                  what newsarchive does
======================================  =============================================
initialized                             `settings.add_settings`: term URLs, feeds, readers
generator_init                          `i18n.install_translations`: the theme's language
                                        `memory.collector_off`: caches load uncollected
                                        `pelican_compat.cache_compiled_templates`: kept
article_generator_init                  `pelican_compat.shard_content_cache`: in shards
article_generator_preread               `memory.collector_on`: the loaded frozen
                                        `reading.convert_all`: posts converted on every core
article_generator_pretaxonomy           `content_cache.rebind_stories`: this run's settings
                                        `known_stories.use_known_facts`: cached URLs
                                        `autotag.tag_posts`: hand-written posts tagged
                                        `fallback.own_tags_only`: cached stories' own tags
                                        `stories.derive_post_fields`: kept in the cache
                                        `related.remember_relevance`: likewise
article_generator_finalized             `terms.collect_terms`: companies and technologies
                                        `fallback.terms_as_tags`: terms shown as tags
                                        `api.link_api`: each term's JSON file named
                                        `related.link_stories`: related, previous, next
                                        `stories.prepare_stories`: URL, JSON-LD
                                        `known_stories.learn_stories`: kept for next
                                        `deals.attach_deals`: deals on stories and companies
                                        `pelican_compat.fast_membership`: linear groups
page_generator_finalized                `content_cache.rebind_pages`: this run's settings
all_generators_finalized                `memory.freeze_model`: out of the collector's way
                                        `search.start_search_index`: Pagefind beside rendering
                                        `resident.keep_generators`: the dev server's model
get_writer                              `rendering.deferred_writer`: only changed pages
article_writer_finalized                `term_pages.write_terms`: term pages and feeds
                                        `api.write_api`: the JSON API of every term
                                        `deals.write_deals`: /deals/ and a page per type
finalized                               `rendering.render_pages`, `sitemaps.write_site_maps`
======================================  =============================================

Every contact with Pelican's internals is in `newsarchive.site.pelican_compat`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pelican import signals

from newsarchive.site import pelican_compat
from newsarchive.site.plugin.api import link_api, write_api
from newsarchive.site.plugin.autotag import tag_posts
from newsarchive.site.plugin.content_cache import rebind_pages, rebind_stories
from newsarchive.site.plugin.deals import attach_deals, write_deals
from newsarchive.site.plugin.fallback import own_tags_only, terms_as_tags
from newsarchive.site.plugin.i18n import install_translations
from newsarchive.site.plugin.known_stories import learn_stories, use_known_facts
from newsarchive.site.plugin.memory import collector_off, collector_on, freeze_model
from newsarchive.site.plugin.related import link_stories, remember_relevance
from newsarchive.site.plugin.rendering import deferred_writer, render_pages
from newsarchive.site.plugin.resident import keep_generators
from newsarchive.site.plugin.search import start_search_index
from newsarchive.site.plugin.settings import add_settings
from newsarchive.site.plugin.sitemaps import write_site_maps
from newsarchive.site.plugin.stories import derive_post_fields, prepare_stories
from newsarchive.site.plugin.term_pages import write_terms
from newsarchive.site.plugin.terms import collect_terms
from newsarchive.site.reading import convert_all

EVENTS: list[tuple[Any, Callable[..., Any]]] = [
    (signals.initialized, add_settings),
    (signals.generator_init, install_translations),
    (signals.generator_init, collector_off),
    (signals.generator_init, pelican_compat.cache_compiled_templates),
    (signals.article_generator_init, pelican_compat.shard_content_cache),
    (signals.article_generator_preread, collector_on),
    (signals.article_generator_preread, convert_all),
    (signals.article_generator_pretaxonomy, rebind_stories),
    (signals.article_generator_pretaxonomy, use_known_facts),
    (signals.article_generator_pretaxonomy, tag_posts),
    (signals.article_generator_pretaxonomy, own_tags_only),
    (signals.article_generator_pretaxonomy, derive_post_fields),
    (signals.article_generator_pretaxonomy, remember_relevance),
    (signals.article_generator_finalized, collect_terms),
    (signals.article_generator_finalized, terms_as_tags),
    (signals.article_generator_finalized, link_api),
    (signals.article_generator_finalized, link_stories),
    (signals.article_generator_finalized, prepare_stories),
    (signals.article_generator_finalized, learn_stories),
    (signals.article_generator_finalized, attach_deals),
    (signals.article_generator_finalized, pelican_compat.fast_membership),
    (signals.page_generator_finalized, rebind_pages),
    (signals.all_generators_finalized, freeze_model),
    (signals.all_generators_finalized, start_search_index),
    (signals.all_generators_finalized, keep_generators),
    (signals.get_writer, deferred_writer),
    (signals.article_writer_finalized, write_terms),
    (signals.article_writer_finalized, write_api),
    (signals.article_writer_finalized, write_deals),
    (signals.finalized, render_pages),
    (signals.finalized, write_site_maps),
]


def register() -> None:
    """Pelican's entry point: the compatibility stand-ins, then one handler per event."""
    pelican_compat.install()
    for signal, handler in EVENTS:
        signal.connect(handler)
