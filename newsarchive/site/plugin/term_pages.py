"""Writing each company's and technology's page (paginated) and its Atom feed of summaries.

With a theme that has no templates of ours (company.html, companies.html ...), the pages
use the theme's ``tag.html`` and ``tags.html``, given what Pelican gives its tag pages."""

from __future__ import annotations

from typing import Any

from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from newsarchive.site.plugin.deals import deal_words, deals_summary
from newsarchive.site.plugin.settings import has_own_templates
from newsarchive.site.plugin.terms import TAXONOMIES, Taxonomy


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
    own_templates = has_own_templates(settings)
    words = deal_words(settings)
    for taxonomy in TAXONOMIES.values():
        template_name, index_name = taxonomy.template, taxonomy.index
        template = generator.get_template(template_name if own_templates else "tag")
        feed_key = f"{template_name.upper()}_FEED_ATOM"
        if not own_templates:
            write_index_as_tags(generator, writer, taxonomy)
        for term, articles in generator.context[index_name]:
            # the names the theme's tag.html knows, when it stands in for ours
            fallback = {} if own_templates else {"tag": term, "all_articles": generator.articles}
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
                **fallback,
            )
            if settings.get(feed_key):
                path = settings[feed_key].format(slug=term.slug)
                summaries = [_SummaryOnly(a, deals_summary(a, words)) for a in articles]
                writer.write_feed(summaries, generator.context, path, feed_title=term.name)


def write_index_as_tags(generator: ArticlesGenerator, writer: Writer, taxonomy: Taxonomy) -> None:
    """A kind's index page (all companies, all technologies) through the theme's tags.html."""
    settings = generator.settings
    save_as = settings.get(f"{taxonomy.index.upper()}_SAVE_AS")
    if not save_as:
        return
    writer.write_file(
        save_as,
        generator.get_template("tags"),
        generator.context,
        relative_urls=settings["RELATIVE_URLS"],
        template_name=taxonomy.index,
        url=settings.get(f"{taxonomy.index.upper()}_URL", ""),
        page_name=save_as.rsplit(".", 1)[0],
        tags=generator.context[taxonomy.index],
        articles=generator.articles,
        dates=generator.dates,
    )
