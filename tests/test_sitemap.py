"""sitemap.xml lists every page a reader can land on, and splits past the limit."""

from __future__ import annotations

import re
from pathlib import Path

from newsarchive.site.sitemap import write_sitemaps

PAGES = [
    "index.html",
    "404.html",
    "2020/06/25/a-story/index.html",
    "2020-archive/index.html",
    "companies/nec/index.html",
    "companies/nec/page/2/index.html",
    "pagefind/pagefind-ui.html",
    "theme/sample.html",
    "search/index.html",
]


def site(root: Path) -> Path:
    for page in PAGES:
        (root / page).parent.mkdir(parents=True, exist_ok=True)
        (root / page).write_text("<!doctype html>", encoding="utf-8")
    (root / "feeds").mkdir()
    (root / "feeds" / "all.atom.xml").write_text("<feed/>", encoding="utf-8")
    return root


def locations(path: Path) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", path.read_text(encoding="utf-8"))


def test_every_page_but_the_error_page_search_bundle_and_theme_in_path_order(tmp_path: Path) -> None:
    output = site(tmp_path)
    write_sitemaps(output, "https://news.example.org/")
    assert locations(output / "sitemap.xml") == [  # ordered by the paths' parts
        "https://news.example.org/2020/06/25/a-story/",
        "https://news.example.org/2020-archive/",
        "https://news.example.org/companies/nec/",
        "https://news.example.org/companies/nec/page/2/",
        "https://news.example.org/",
        "https://news.example.org/search/",
    ]
    assert "Sitemap: https://news.example.org/sitemap.xml" in (output / "robots.txt").read_text()


def test_past_the_limit_the_sitemap_becomes_an_index(tmp_path: Path) -> None:
    output = site(tmp_path)
    write_sitemaps(output, "https://news.example.org", limit=4)
    assert locations(output / "sitemap.xml") == [
        "https://news.example.org/sitemap-1.xml",
        "https://news.example.org/sitemap-2.xml",
    ]
    assert len(locations(output / "sitemap-1.xml")) == 4 and len(locations(output / "sitemap-2.xml")) == 2


def test_a_listed_site_gives_the_sitemap_of_the_walked_one(tmp_path: Path) -> None:
    """A build passes the files it has listed already; the sitemap is the one a walk gives."""
    walked, listed = site(tmp_path / "walked"), site(tmp_path / "listed")
    write_sitemaps(walked, "https://news.example.org")
    files = [*PAGES, "feeds/all.atom.xml"]
    write_sitemaps(listed, "https://news.example.org", files=files)
    assert (listed / "sitemap.xml").read_text() == (walked / "sitemap.xml").read_text()
