"""sitemap.xml (an index of several sitemaps past 50,000 URLs) and robots.txt for a built site."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

MAX_URLS = 50_000  # the sitemaps.org limit per file
_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
_NS = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
_SKIPPED = ("404.html",)


def sitemap_url(settings: dict[str, Any]) -> str:
    """The site's absolute URL, which a sitemap's entries need ("" when the settings have none)."""
    return str(settings.get("SITEURL") or settings.get("FEED_DOMAIN") or "")


def site_pages(output: Path) -> list[str]:
    """Every HTML file of a built site, by its site-relative path."""
    pages = []
    for folder, _, names in os.walk(output):
        relative = os.path.relpath(folder, output)
        prefix = "" if relative == "." else relative.replace(os.sep, "/") + "/"
        pages += [prefix + name for name in names if name.endswith(".html")]
    return pages


def page_urls(output: Path, site_url: str, files: Iterable[str] | None = None) -> list[str]:
    """Every HTML page's public URL, folders for index.html pages, in path order. ``files``:
    the site's files (site-relative paths) when the caller has listed them already."""
    pages = site_pages(output) if files is None else [name for name in files if name.endswith(".html")]
    pages.sort(key=lambda page: page.split("/"))  # the order of the paths' parts
    return [
        f"{site_url}/{page.removesuffix('index.html')}"
        for page in pages
        if page not in _SKIPPED and not page.startswith(("pagefind/", "theme/"))
    ]


def _urlset(urls: list[str]) -> str:
    items = "".join(f"<url><loc>{escape(url)}</loc></url>\n" for url in urls)
    return f"{_HEAD}<urlset {_NS}>\n{items}</urlset>\n"


def write_sitemaps(
    output: Path, site_url: str, limit: int = MAX_URLS, files: Iterable[str] | None = None
) -> list[Path]:
    """Write sitemap.xml (split into numbered files under an index when too long) and robots.txt;
    ``files``: the site's files, when the caller has listed them (else the folder is walked)."""
    site_url = site_url.rstrip("/")
    urls = page_urls(output, site_url, files)
    chunks = [urls[i : i + limit] for i in range(0, len(urls), limit)] or [[]]
    written = []
    if len(chunks) == 1:
        written.append(_write(output / "sitemap.xml", _urlset(chunks[0])))
    else:
        for number, chunk in enumerate(chunks, start=1):
            written.append(_write(output / f"sitemap-{number}.xml", _urlset(chunk)))
        entries = "".join(
            f"<sitemap><loc>{escape(site_url)}/sitemap-{n}.xml</loc></sitemap>\n"
            for n in range(1, len(chunks) + 1)
        )
        written.append(
            _write(output / "sitemap.xml", f"{_HEAD}<sitemapindex {_NS}>\n{entries}</sitemapindex>\n")
        )
    written.append(
        _write(output / "robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {site_url}/sitemap.xml\n")
    )
    return written


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
