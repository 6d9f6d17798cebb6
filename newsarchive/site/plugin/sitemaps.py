"""sitemap.xml and robots.txt, written once every page is (see `newsarchive.site.sitemap`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsarchive.site.render import plan_of
from newsarchive.site.sitemap import write_sitemaps


def write_site_maps(pelican: Any) -> None:
    """sitemap.xml and robots.txt for the site just written, with the site's absolute URL."""
    settings = pelican.settings
    site_url = settings.get("SITEURL") or settings.get("FEED_DOMAIN") or ""
    if not site_url and plan_of(settings) is None:
        return  # a plain Pelican run without the site's address: a sitemap needs absolute URLs
    write_sitemaps(Path(pelican.output_path), site_url)
