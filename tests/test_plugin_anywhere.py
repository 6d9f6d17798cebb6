"""The plugin in someone else's Pelican site: `PLUGINS = ["newsarchive"]` in a plain Pelican
project with hand-written Markdown posts and Pelican's default theme ("notmyidea"). Posts
without Companies/Technologies lines are tagged from the gazetteer, the term pages, indexes,
feeds and JSON files are made through the theme's tag.html and tags.html, the posts link
them, and the plugin's own settings are checked (a wrong one is one line)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import site_tree
from webserver import serve

from newsarchive.core.config import Config
from newsarchive.core.errors import ConfigError
from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.site.autotag import html_blocks, needs_tags, tag_fields
from newsarchive.site.build import pelican_settings

POSTS = {
    "alliance.md": (
        "Title: NTT and NEC team up on Open RAN\n"
        "Date: 2024-03-01\n"
        "Tags: radio, japan\n"
        "Summary: NTT and NEC said they would build O-RAN radios together.\n"
        "\n"
        "NTT and NEC will jointly develop O-RAN compliant base stations, the companies said.\n"
        "\n"
        "NTT Docomo plans to deploy the new O-RAN radios across Japan next year, NEC said.\n"
    ),
    "deal.md": (
        "Title: Ericsson wins a network deal\n"
        "Date: 2024-05-02\n"
        "Companies: Ericsson\n"
        "Technologies: 5G\n"
        "\n"
        "Ericsson signed a network deal with a European operator; NEC was not part of it.\n"
    ),
    "garden.md": "Title: A note on gardening\nDate: 2024-06-02\n\nNothing about networks here at all.\n",
}


def plain_site(root: Path, extra: str = "") -> Path:
    """A Pelican project as `pelican-quickstart` would make it, with the plugin named."""
    (root / "content").mkdir(parents=True)
    for name, text in POSTS.items():
        (root / "content" / name).write_text(text, encoding="utf-8")
    settings = (
        'AUTHOR = "A blogger"\nSITENAME = "My blog"\nSITEURL = ""\nPATH = "content"\n'
        'TIMEZONE = "UTC"\nDEFAULT_LANG = "en"\nPLUGINS = ["newsarchive"]\n' + extra
    )
    (root / "pelicanconf.py").write_text(settings, encoding="utf-8")
    return root


def run_pelican(root: Path) -> subprocess.CompletedProcess[str]:
    """The `pelican` command, as its user runs it, in a fresh process."""
    pelican = Path(sys.executable).with_name("pelican")
    command = [str(pelican), "content", "-s", "pelicanconf.py", "-o", "output", "--fatal", "errors"]
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = plain_site(tmp_path_factory.mktemp("plain") / "blog")
    result = run_pelican(root)
    assert result.returncode == 0, result.stdout + result.stderr
    return root / "output"


def links(page: Path) -> set[str]:
    return set(re.findall(r'href="([^"]+)"', page.read_text(encoding="utf-8")))


def test_hand_written_posts_link_company_pages_that_exist(site: Path) -> None:
    post = links(site / "ntt-and-nec-team-up-on-open-ran.html")
    terms = {link for link in post if link.startswith(("/companies/", "/technologies/"))}
    assert {"/companies/ntt/", "/companies/nec/", "/technologies/o-ran/"} <= terms
    for link in terms:
        assert (site / link.strip("/") / "index.html").is_file(), link
    assert {"/tag/radio.html", "/tag/japan.html"} <= post  # the post's own tags are still there
    ntt = (site / "companies" / "ntt" / "index.html").read_text(encoding="utf-8")
    assert "NTT and NEC team up on Open RAN" in ntt and "Ericsson wins" not in ntt


def test_posts_with_tag_lines_keep_them(site: Path) -> None:
    deal = links(site / "ericsson-wins-a-network-deal.html")
    assert {link for link in deal if link.startswith(("/companies/", "/technologies/"))} == {
        "/companies/ericsson/",
        "/technologies/5g/",
    }
    garden = links(site / "a-note-on-gardening.html")
    assert not [link for link in garden if link.startswith(("/companies/", "/technologies/"))]


def test_indexes_feeds_and_json(site: Path) -> None:
    companies = (site / "companies" / "index.html").read_text(encoding="utf-8")
    for name in ("Ericsson", "NEC", "NTT"):
        assert f">{name}</a>" in companies
    assert (site / "technologies" / "index.html").is_file()
    feed = (site / "feeds" / "companies" / "ntt.atom.xml").read_text(encoding="utf-8")
    assert "NTT and NEC team up on Open RAN" in feed
    record = json.loads((site / "api" / "companies" / "ntt.json").read_text(encoding="utf-8"))
    assert record["name"] == "NTT" and record["stories_per_year"] == {"2024": 1}
    assert [story["url"] for story in record["stories"]] == ["/ntt-and-nec-team-up-on-open-ran.html"]
    assert not (site / "sitemap.xml").exists()  # no SITEURL: no absolute URLs to list


def test_tagging_can_be_turned_off(tmp_path: Path) -> None:
    options = "NEWSARCHIVE_TAG_POSTS = False\nNEWSARCHIVE_JSON_API = False\n"
    # the plugin's module path works as well as the package name
    root = plain_site(tmp_path / "blog", options + 'PLUGINS = ["newsarchive.site.plugin"]\n')
    result = run_pelican(root)
    assert result.returncode == 0, result.stdout + result.stderr
    made = sorted(p.parent.name for p in (root / "output" / "companies").glob("*/index.html"))
    assert made == ["ericsson"]
    assert not (root / "output" / "api").exists()


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('NEWSARCHIVE_TAG_POSTS = "yes"\n', "NEWSARCHIVE_TAG_POSTS: expected true or false, got 'yes'"),
        ("NEWSARCHIVE_TAGPOSTS = False\n", "NEWSARCHIVE_TAGPOSTS: unknown key"),
        ('NEWSARCHIVE_API_PATH = "../up"\n', "NEWSARCHIVE_API_PATH: expected a folder inside the site"),
    ],
)
def test_a_wrong_setting_is_one_clear_line(tmp_path: Path, line: str, message: str) -> None:
    from pelican import Pelican
    from pelican.settings import read_settings

    root = plain_site(tmp_path / "blog", line)
    # Read in this process under its own module name (Pelican registers settings files in
    # sys.modules by name, and other projects' publishconf.py import "pelicanconf").
    wrong = root / "wrongconf.py"
    wrong.write_text((root / "pelicanconf.py").read_text(encoding="utf-8"), encoding="utf-8")
    settings = read_settings(str(wrong), override={"PATH": str(root / "content")})
    with pytest.raises(ConfigError, match=re.escape(message)):
        Pelican(settings)
    result = run_pelican(root)
    assert result.returncode != 0
    assert message in " ".join((result.stdout + result.stderr).split())


# The default theme in Chromium -------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
]


@pytest.fixture(scope="module")
def base_url(site: Path) -> Iterator[str]:
    with serve(site) as url:
        yield url


def violations(url: str) -> set[tuple[str, str]]:
    """axe's violations on a page: (rule, element) pairs, the element by its tag and text."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(url)
        results = Axe().run(page)
        browser.close()
    return {
        (violation["id"], re.sub(r"\d+", "N", node["html"].split(">")[0]))
        for violation in results.response["violations"]
        for node in violation["nodes"]
    }


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: apt-get install chromium")
def test_company_page_has_no_violation_the_themes_tag_page_lacks(base_url: str) -> None:
    ours = violations(base_url + "companies/ntt/")
    themes_own = violations(base_url + "tag/radio.html")
    assert ours <= themes_own, sorted(ours - themes_own)
    # the default theme's own: low contrast, no <main>, content outside landmarks
    assert {rule for rule, _ in ours} == {rule for rule, _ in themes_own}


def test_a_wrong_option_in_a_newsarchive_project_names_its_settings_file(project: Config) -> None:
    project.content.mkdir()
    # Its own name: Pelican imports a settings file as a module named after it, and other
    # projects' publishconf.py import "pelicanconf".
    broken = project.root / "brokenconf.py"
    broken.write_text(project.settings.read_text(encoding="utf-8") + "NEWSARCHIVE_JSON_API = 1\n")
    with pytest.raises(
        ConfigError, match=r"brokenconf\.py: NEWSARCHIVE_JSON_API: expected true or false, got 1"
    ):
        pelican_settings(project.with_overrides(settings=broken), project.output)


def test_pelicans_content_cache_keeps_nothing_the_plugin_added(tmp_path: Path) -> None:
    """Pelican caches the story objects as plugins left them: a second run from the cache
    makes the same site, and turning tagging off takes the found tags off cached posts."""
    cache = "CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\nDELETE_OUTPUT_DIRECTORY = True\n"
    cache += 'CONTENT_CACHING_LAYER = "generator"\n'  # the story objects themselves are kept
    root = plain_site(tmp_path / "blog", cache)
    assert run_pelican(root).returncode == 0
    first = site_tree(root / "output")
    assert (root / "cache").is_dir()
    second = run_pelican(root)
    assert second.returncode == 0, second.stdout + second.stderr
    assert site_tree(root / "output") == first
    assert not [name for name in first if name.startswith("tag/") and "ntt" in name]
    settings = root / "pelicanconf.py"
    settings.write_text(settings.read_text(encoding="utf-8") + "NEWSARCHIVE_TAG_POSTS = False\n")
    assert run_pelican(root).returncode == 0
    assert not (root / "output" / "companies" / "ntt").exists()
    post = links(root / "output" / "ntt-and-nec-team-up-on-open-ran.html")
    assert not [link for link in post if link.startswith("/companies/")]


def test_only_hand_written_posts_are_tagged() -> None:
    assert needs_tags({"title": "x"})
    assert not needs_tags({"companies": ""})
    assert not needs_tags({"relevance": "NTT=2*"})
    assert not needs_tags({"fingerprint": "0123456789abcdef"})  # the importer wrote it
    assert html_blocks("<p>NTT <b>and</b> NEC</p>\n<ul><li>O-RAN</li></ul>") == ["NTT and NEC", "O-RAN"]
    text = ["NTT and NEC agreed."]
    fields = tag_fields("NTT buys a stake in NEC", "", text, Path("x.md"), load_gazetteer())
    assert sorted(fields["companies"].split(", ")) == ["NEC", "NTT"] and "NTT=" in fields["relevance"]
