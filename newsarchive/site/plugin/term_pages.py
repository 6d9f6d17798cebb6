"""Writing each company's and technology's page (paginated) and its Atom feed of summaries."""

from __future__ import annotations

from typing import Any

from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from newsarchive.site.plugin.deals import deals_summary
from newsarchive.site.plugin.terms import TAXONOMIES


class _SummaryOnly:
    """An article seen by a feed writer as its summary only (per-term feeds stay small)."""

    def __init__(self, article: Any, extra: str = ""):
        self._article = article
        self._extra = extra

    def __getattr__(self, name: str) -> Any:
        return getattr(self._article, name)

    def get_content(self, siteurl: str) -> str:
        return str(self._article.summary) + self._extra


def write_terms(generator: ArticlesGenerator, writer: Writer) -> None:
    """Each term's paginated page and, where a feed setting names one, its Atom feed of summaries."""
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
                summaries = [_SummaryOnly(a, deals_summary(a)) for a in articles]
                writer.write_feed(summaries, generator.context, path, feed_title=term.name)
