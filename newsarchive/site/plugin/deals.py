"""Deals on the site: "Deals in this story" on story pages, a deals timeline and a network
of counterparties on company pages, and the /deals/ pages (every deal, by year, one page
per type).

The import wrote each story's deals into its post (the ``Deals:`` line, read by
`newsarchive.core.posts.parse_deals`), so nothing is extracted at build time; the same
deal told by several stories is merged here by `newsarchive.gazetteer.deals.merge_deals`.
What a page shows is kept as small frozen values (`DealView`, `Network`), so page keys
(`newsarchive.site.render`) see every change: a story's post digest covers its own deals,
and a company page's key covers its `deals` and `deal_network`.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

from pelican.generators import ArticlesGenerator
from pelican.writers import Writer

from newsarchive.core.models import Deal, DealAmount
from newsarchive.core.posts import parse_deals
from newsarchive.gazetteer.deals import MergedDeal, StoryDeals, merge_deals
from newsarchive.site.plugin.i18n import Dates, load_translations, site_dates
from newsarchive.site.plugin.settings import has_template

log = logging.getLogger(__name__)

DEALS_URL = "deals/"
DEALS_SAVE_AS = "deals/index.html"
DEAL_TYPE_URL = "deals/{type}/"
DEAL_TYPE_SAVE_AS = "deals/{type}/index.html"
# The English name of each type: the theme's msgid for it (partials/deal_words.html), so text
# written outside a template (a feed's summary) reads in the site's language too.
TYPE_LABELS = {
    "acquisition": "Acquisition",
    "merger": "Merger",
    "stake": "Stake",
    "funding": "Funding round",
    "partnership": "Partnership",
    "contract": "Contract",
    "licensing": "Licensing",
    "lawsuit": "Lawsuit or regulatory action",
    "divestment": "Divestment",
}
SYMBOLS = {"USD": "$", "GBP": "£", "EUR": "€", "JPY": "¥"}
NETWORK_SIZE = 8


@dataclass(frozen=True)
class PartyView:
    name: str
    role: str
    url: str  # relative to SITEURL; "" when the party has no page


@dataclass(frozen=True)
class StoryRef:
    title: str
    url: str
    day: str


@dataclass(frozen=True)
class DealView:
    """A deal as a page shows it."""

    key: str
    type: str  # the codes of `newsarchive deals --json`; templates show them in the site's language
    status: str
    parties: tuple[PartyView, ...]
    amount: str
    share: str
    date: str
    stories: tuple[StoryRef, ...]
    evidence: tuple[str, ...]

    @property
    def year(self) -> str:
        return self.date[:4]

    def counterparties(self, slug_url: str) -> tuple[PartyView, ...]:
        """The parties other than the company whose page this is (by its URL)."""
        return tuple(p for p in self.parties if p.url != slug_url)

    def text(self, words: DealWords) -> str:
        """One line of plain text, e.g. "Stake (agreed, June 2020): NTT (investor), NEC (investee); 4.8%"."""
        parties = ", ".join(f"{p.name} ({words.gettext(p.role)})" for p in self.parties)
        extras = "".join(f"; {part}" for part in (self.share, self.amount) if part)
        when = words.dates.partial(self.date) if self.date else words.gettext("date unknown")
        kind = words.gettext(TYPE_LABELS.get(self.type, self.type))
        return f"{kind} ({words.gettext(self.status)}, {when}): {parties}{extras}"


@dataclass(frozen=True)
class DealWords:
    """The site's language for deal text written outside a template: the theme's catalogue
    (its msgids are the English words of partials/deal_words.html) and Babel's dates."""

    gettext: Callable[[str], str]
    dates: Dates


def deal_words(settings: dict[str, Any]) -> DealWords:
    dates = site_dates(settings)
    return DealWords(load_translations(Path(str(settings["THEME"])), dates.locale).gettext, dates)


@dataclass(frozen=True)
class Node:
    name: str
    url: str
    count: int
    x: int
    y: int
    anchor: str  # text-anchor of its label


@dataclass(frozen=True)
class Network:
    """A company and its most frequent counterparties, placed on a circle for an inline SVG."""

    name: str
    nodes: tuple[Node, ...]
    width: int = 360
    height: int = 240

    @property
    def cx(self) -> int:
        return self.width // 2

    @property
    def cy(self) -> int:
        return self.height // 2


def format_amount(amount: DealAmount | None) -> str:
    """ "$560 million", "¥510 billion (US$4.8 billion)", "1.2 billion CHF"."""
    if amount is None:
        return ""
    text = _money(amount.value, amount.currency)
    if amount.currency != "USD" and amount.usd is not None:
        text += f" (US{_money(amount.usd, 'USD')})"
    return text


def _money(value: float, currency: str) -> str:
    for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if value >= size:
            number = f"{value / size:.3g} {word}"
            break
    else:
        number = f"{value:,.0f}"
    symbol = SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{number} {currency}"


class Pages:
    """Where a party's company page is, and where a story is, by slug and source."""

    def __init__(self, generator: ArticlesGenerator):
        self.companies = {term.slug: str(term.url) for term, _ in generator.context.get("companies", [])}
        # A reference is made only for the stories that tell a deal (few of the archive).
        self._articles = {str(a.metadata.get("source") or a.source_path): a for a in generator.articles}
        self._refs: dict[str, StoryRef] = {}

    def story(self, source: str) -> StoryRef | None:
        """The story a source became, as a deal's list of reports links it (None if none did)."""
        known = self._refs.get(source)
        if known is None:
            article = self._articles.get(source)
            if article is None:
                return None
            known = self._refs[source] = StoryRef(article.title, str(article.href), _day(article))
        return known

    def view(self, deal: Deal, key: str, stories: Iterable[str]) -> DealView:
        return DealView(
            key=key,
            type=deal.type,
            status=deal.status,
            parties=tuple(PartyView(p.name, p.role, self.companies.get(p.slug, "")) for p in deal.parties),
            amount=format_amount(deal.amount),
            share=f"{deal.share_percent:g}%" if deal.share_percent is not None else "",
            date=deal.date,
            stories=tuple(ref for ref in map(self.story, stories) if ref is not None),
            evidence=deal.evidence,
        )


def _day(article: Any) -> str:
    """A story's day, ISO 8601 (``strftime("%Y-%m-%d")`` without Pelican's slow strftime)."""
    return str(article.date.date().isoformat())


def story_deals(article: Any) -> tuple[Deal, ...]:
    """A story's deals as its post lists them; a broken Deals line is logged and shows none."""
    try:
        return parse_deals(str(article.metadata.get("deals") or ""))
    except ValueError as error:
        log.warning("%s: %s", article.source_path, error)
        return ()


def attach_deals(generator: ArticlesGenerator) -> None:
    """Deals on every story, company and the context: ``article.story_deals``, ``term.deals``,
    ``term.deal_network`` and ``all_deals`` (newest first)."""
    pages = Pages(generator)
    told: list[StoryDeals] = []
    for article in generator.articles:
        deals = story_deals(article)
        source = str(article.metadata.get("source") or article.source_path)
        article.story_deals = tuple(pages.view(d, f"deal-{i + 1}", [source]) for i, d in enumerate(deals))
        if deals:
            told.append(StoryDeals(source, _day(article), deals))
    merged = merge_deals(told)
    views = [pages.view(m.deal, m.key, m.stories) for m in merged]
    generator.context["all_deals"] = views
    for term, _ in generator.context.get("companies", []):
        mine = [v for m, v in zip(merged, views, strict=True) if _involves(m, term.slug)]
        term.deals = mine
        term.deal_network = network(term.name, f"{pages.companies.get(term.slug, '')}", mine)


def _involves(merged: MergedDeal, slug: str) -> bool:
    return any(p.slug == slug for p in merged.deal.parties)


def network(name: str, own_url: str, deals: list[DealView]) -> Network | None:
    """The company's most frequent counterparties around it, for a small inline SVG."""
    counts: Counter[tuple[str, str]] = Counter()
    for deal in deals:
        for party in {(p.name, p.url) for p in deal.counterparties(own_url)}:
            counts[party] += 1
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0][0].casefold()))[:NETWORK_SIZE]
    if not top:
        return None
    shape = Network(name, ())
    radius_x, radius_y = shape.width // 2 - 70, shape.height // 2 - 30
    nodes = []
    for index, ((party_name, url), count) in enumerate(top):
        angle = -math.pi / 2 + 2 * math.pi * index / len(top)
        x = shape.cx + round(radius_x * math.cos(angle))
        y = shape.cy + round(radius_y * math.sin(angle))
        anchor = "middle" if abs(x - shape.cx) < 10 else ("start" if x > shape.cx else "end")
        nodes.append(Node(party_name, url, count, x, y, anchor))
    return Network(name, tuple(nodes))


def deals_summary(article: Any, words: DealWords) -> str:
    """The story's deals as a short HTML paragraph for feeds ("" when it has none), in the
    site's language."""
    views = getattr(article, "story_deals", ())
    if not views:
        return ""
    lines = "; ".join(view.text(words) for view in views)
    return f"<p>{escape(words.gettext('Deals'))}: {escape(lines)}.</p>"


def write_deals(generator: ArticlesGenerator, writer: Writer) -> None:
    """/deals/ (every deal, by year) and /deals/{type}/ (one type); none with a theme that
    has no deals template (a plain Pelican site's own theme, or one copied from a newsarchive
    older than deals pages)."""
    settings = generator.settings
    if not has_template(settings, "deals"):
        return
    views: list[DealView] = generator.context.get("all_deals", [])
    template = generator.get_template("deals")
    types = Counter(v.type for v in views)
    type_links = [(t, n, DEAL_TYPE_URL.format(type=t)) for t, n in sorted(types.items())]
    for deal_type in ["", *sorted(types)]:
        shown = [v for v in views if not deal_type or v.type == deal_type]
        years = sorted({v.year for v in shown if v.year}, reverse=True)
        url = DEAL_TYPE_URL.format(type=deal_type) if deal_type else DEALS_URL
        save_as = DEAL_TYPE_SAVE_AS.format(type=deal_type) if deal_type else DEALS_SAVE_AS
        writer.write_file(
            save_as,
            template,
            generator.context,
            relative_urls=settings["RELATIVE_URLS"],
            template_name="deals",
            url=url,
            deals=shown,
            deal_type=deal_type,
            deal_types=type_links,
            deal_years=years,
            deals_url=DEALS_URL,
        )
