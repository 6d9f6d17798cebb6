"""sitemap.xml and robots.txt, written once every page is (see `newsarchive.site.sitemap`)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsarchive.site.render import plan_of
from newsarchive.site.sitemap import sitemap_url, write_sitemaps


def write_site_maps(pelican: Any) -> None:
    """sitemap.xml and robots.txt for the site just written, with the site's absolute URL, in
    a plain Pelican run (a newsarchive build writes them from the list of files it makes
    anyway, without walking the site once more: `newsarchive.site.build`)."""
    settings = pelican.settings
    site_url = sitemap_url(settings)
    if not site_url or plan_of(settings) is not None:
        return  # a sitemap needs absolute URLs
    write_sitemaps(Path(pelican.output_path), site_url)
