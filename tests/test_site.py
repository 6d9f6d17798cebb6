"""A whole site built in a temp folder, checked page by page as a reader would."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import urldefrag, urlparse

import pytest

from newsarchive.core.config import Config
from newsarchive.site.linkcheck import LinkParser, site_files

STORY = "2020/06/25/ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance/index.html"


@pytest.fixture(scope="module")
def site(built_site: Config) -> Path:
    return built_site.output


def page(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def text_of(html_text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html_text))


def test_story_page_shows_the_seed(site: Path) -> None:
    from conftest import SEED
    from test_seed import FURNITURE, seed_article

    html_text = page(site, STORY)
    assert "<h1>NTT takes $560M stake in NEC to forge 5G, optical alliance</h1>" in html_text
    assert "ICT products utilizing innovative optical and wireless technologies." in html_text
    assert "Robert Clark" in html_text and "Contributing Editor" in html_text and "Light Reading" in html_text
    assert 'datetime="2020-06-25' in html_text
    assert "2 min read" in html_text
    import html as html_module

    body = html_module.unescape(html_text)
    for paragraph in seed_article().body_paragraphs:
        assert f"<p>{paragraph}</p>" in body
    story_body = body.split("<div data-pagefind-body>", 1)[1].split("<footer>", 1)[0]
    for furniture in FURNITURE:
        assert furniture not in story_body
    assert SEED.exists()


@pytest.mark.parametrize(
    "term",
    [
        "companies/ntt",
        "companies/nec",
        "companies/ntt-docomo",
        "companies/toyota",
        "technologies/5g",
        "technologies/o-ran",
        "technologies/iown",
    ],
)
def test_term_pages_link_to_the_story(site: Path, term: str) -> None:
    assert "/" + STORY.removesuffix("index.html") in page(site, f"{term}/index.html")


def test_company_index_lists_terms_with_counts(site: Path) -> None:
    text = text_of(page(site, "companies/index.html"))
    assert re.search(r"NEC 3\b", text), text
    assert re.search(r"NTT 2\b", text)
    assert re.search(r"NTT Docomo 2\b", text)
    assert re.search(r"Toyota 1\b", text)
    assert "Light Reading" not in text


def test_japanese_story_is_tagged(site: Path) -> None:
    nec = page(site, "companies/nec/index.html")
    assert "NTTとNEC、IOWN構想の光技術で協業を拡大" in nec
    assert "/2022/01/15/" in nec


def test_fixed_urls_exist(site: Path) -> None:
    for path in [
        "index.html",
        "companies/index.html",
        "technologies/index.html",
        "authors/index.html",
        "authors/robert-clark/index.html",
        "archives/index.html",
        "2020/index.html",
        "2020/06/index.html",
        "404.html",
        "feeds/all.atom.xml",
        "feeds/companies/nec.atom.xml",
        "feeds/technologies/5g.atom.xml",
    ]:
        assert (site / path).is_file(), path


def test_term_feed_holds_summaries_only(site: Path) -> None:
    feed = page(site, "feeds/companies/toyota.atom.xml")
    assert "NTT takes $560M stake" in feed
    assert "minnow" not in feed  # body text stays out of per-term feeds


def test_every_internal_link_resolves(site: Path) -> None:
    broken = []
    for html_file in site.rglob("*.html"):
        parser = LinkParser()
        parser.feed(html_file.read_text(encoding="utf-8"))
        for link in parser.links:
            url = urlparse(urldefrag(link)[0])
            if url.scheme or url.netloc or not url.path:
                continue
            target = site / url.path.lstrip("/") if url.path.startswith("/") else html_file.parent / url.path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{html_file.relative_to(site)} -> {link}")
    assert broken == []


def test_pages_carry_csp_and_no_third_party_requests(site: Path) -> None:
    for html_file in site.rglob("*.html"):
        text = html_file.read_text(encoding="utf-8")
        assert 'http-equiv="Content-Security-Policy"' in text, html_file
        assert not re.search(r'<(?:script|link|img)[^>]+(?:src|href)="https?://', text), html_file


def test_company_page_has_profile_chart_and_related_terms(site: Path) -> None:
    nec = page(site, "companies/nec/index.html")
    assert "<dt>Country</dt><dd>Japan</dd>" in nec
    assert '<svg role="img"' in nec
    assert "Stories about NEC per year: 2020: 1, 2021: 1, 2022: 1" in nec
    related = nec.split('id="related-heading"', 1)[1]
    count = '<span class="count">2<span class="visually-hidden"> stories</span></span>'
    assert f'<a href="/companies/ntt/">NTT {count}</a>' in related


def test_technology_page_links_broader_terms(site: Path) -> None:
    five_g = text_of(page(site, "technologies/5g/index.html"))
    assert "Broader Mobile networks" in five_g
    assert "Narrower" in five_g and "5G SA" in five_g


def test_index_pages_are_grouped_a_to_z(site: Path) -> None:
    companies = page(site, "companies/index.html")
    assert '<nav aria-label="Jump to letter">' in companies
    assert re.search(r'<h2 id="letter-\d+">N</h2>', companies)


def walked(output: Path, skip: str) -> set[str]:
    """The definition: os.walk's files, site-relative, without the top-level ``skip`` folder."""
    files = set()
    for folder, subfolders, names in os.walk(output):
        relative = Path(folder).relative_to(output).as_posix()
        if relative == ".":
            subfolders[:] = [name for name in subfolders if name != skip]
        files.update(name if relative == "." else f"{relative}/{name}" for name in names)
    return files


def test_the_sites_files_are_those_os_walk_finds(tmp_path: Path) -> None:
    """Nested folders, a skipped top-level folder (a folder of that name deeper is walked),
    a link to a folder (not entered, as os.walk does not) and a link to a file (a file)."""
    site = tmp_path / "site"
    for name in [
        "index.html",
        "a/index.html",
        "a/b/c/page.html",
        "pagefind/x.js",
        "a/pagefind/y.js",
        "theme/main.css",
    ]:
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text("x", encoding="utf-8")
    (site / "linked-folder").symlink_to(site / "a", target_is_directory=True)
    (site / "linked-file.css").symlink_to(site / "theme" / "main.css")
    assert site_files(site, skip="pagefind") == walked(site, "pagefind")
    assert "a/pagefind/y.js" in site_files(site, skip="pagefind")
    assert site_files(site) == walked(site, "")
    assert site_files(tmp_path / "missing") == set()
