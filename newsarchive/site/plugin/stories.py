"""What the theme shows of each story beyond Pelican's fields: its URL fixed once, its
date as shown, schema.org JSON-LD and its provenance (the original link, when it was
captured or fetched, whether only a summary was imported)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from pelican.generators import ArticlesGenerator

from newsarchive.site.pelican_compat import fix_url
from newsarchive.site.plugin.i18n import site_dates

# Optional post fields the theme shows; a post without them gets "".
OPTIONAL_FIELDS = (
    "deck",
    "publication",
    "role",
    "bio",
    "minutes",
    "date_estimated",
    "source_url",
    "captured",
    "summary_only",
)
LINK_TEXT_CHARS = 60


# Set on a story whose post-only fields (`derive_post_fields`) are made: Pelican's content
# cache keeps the story with them, so a later build of the same settings takes them as made.
_DERIVED = "_newsarchive_post_fields"


def derive_post_fields(generator: ArticlesGenerator) -> None:
    """The fields a story's own post and the settings decide, made once per story read: its
    date as the site's language writes it (Babel) and as ISO 8601 (cards show it in a
    <time> element; Pelican's strftime is slow, per card), its original link and when it was
    captured. Run before Pelican saves its content cache, which then keeps them (a build of
    other settings or code reads every post again: `newsarchive.site.story_cache`)."""
    dates = site_dates(generator.settings)
    for article in generator.articles:
        if getattr(article, _DERIVED, False):
            continue
        article.shown_date = dates.day(article.date)
        article.iso_day = article.date.date().isoformat()
        article.original_url = web_url(str(article.metadata.get("source_url", "")))
        article.original_link_text = link_text(article.original_url)
        article.captured_at = captured_time(str(article.metadata.get("captured", "")))
        article.captured_shown = dates.day(article.captured_at) if article.captured_at else ""
        setattr(article, _DERIVED, True)


def prepare_stories(generator: ArticlesGenerator) -> None:
    """Give every story the rest of the fields the theme reads (after the terms are
    attached): its URL fixed, JSON-LD."""
    derive_post_fields(generator)  # a no-op for stories it has seen (a story of a plugin's own)
    for article in generator.articles:
        for key in OPTIONAL_FIELDS:
            if not hasattr(article, key):
                setattr(article, key, "")
        # Pelican computes the URL on every access, its writer included; pages list each
        # story many times.
        article.href = article.url
        fix_url(article, article.href)
        article.json_ld = json_ld(article, generator.settings)


def web_url(url: str) -> str:
    """``url`` if it is an http(s) link, else "" (no javascript: or data: links from sources)."""
    return url if urlsplit(url.strip()).scheme in ("http", "https") else ""


def link_text(url: str) -> str:
    """A URL as a reader scans it: host and path, without the scheme, shortened."""
    parts = urlsplit(url)
    shown = (parts.netloc.removeprefix("www.") + parts.path).rstrip("/")
    return shown if len(shown) <= LINK_TEXT_CHARS else shown[: LINK_TEXT_CHARS - 1] + "…"


def captured_time(value: str) -> datetime | None:
    """A post's Captured field (ISO 8601), or None when absent or unreadable."""
    try:
        return datetime.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        return None


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
    if article.original_url:
        data["isBasedOn"] = article.original_url
    author = str(getattr(article, "author", "") or "")
    if author and author != settings.get("AUTHOR"):
        data["author"] = {"@type": "Person", "name": author}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
