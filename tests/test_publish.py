"""Production builds work under a GitHub Pages project path (/REPO/) and at a domain root."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
from conftest import make_project
from test_browser import CHROMIUM, FLAGS
from webserver import check_links, free_port, serve

from newsarchive.core.config import Config
from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site


def production_build(root: Path, site_url: str) -> Config:
    config = make_project(root).with_overrides(settings=root / "publishconf.py")
    import_sources(config)
    build_site(config, strict=True, overrides={"SITEURL": site_url, "FEED_DOMAIN": site_url})
    return config


@pytest.fixture(params=["/newsarchive", ""], ids=["project-path", "domain-root"])
def published(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Config, str]]:
    prefix: str = request.param
    port = free_port()
    config = production_build(tmp_path / "site", f"http://127.0.0.1:{port}{prefix}")
    with serve(config.output, prefix=prefix, port=port) as url:
        yield config, url


def test_every_link_resolves_under_the_base_path(published: tuple[Config, str]) -> None:
    config, url = published
    visited, broken = check_links(url)
    assert broken == []
    story = "2020/06/25/ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance/"
    assert url + story in visited
    feed = (config.output / "feeds" / "all.atom.xml").read_text(encoding="utf-8")
    assert f'href="{url}{story}"' in feed
    assert f"<loc>{url}{story}</loc>" in (config.output / "sitemap.xml").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{url}{story}">' in (config.output / story / "index.html").read_text()


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: apt-get install chromium")
def test_search_works_under_the_base_path(published: tuple[Config, str]) -> None:
    from playwright.sync_api import sync_playwright

    _, url = published
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.goto(url + "search/?q=IOWN")
        page.wait_for_selector(".search-results li a", timeout=10_000)
        href = page.locator(".search-results li a").first.get_attribute("href")
        browser.close()
    assert href is not None
    target = urljoin(url, href)
    assert target.startswith(url + "20")  # a story page under the base path
    with urllib.request.urlopen(target) as response:
        assert response.status == 200
