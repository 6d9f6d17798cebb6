"""The built site in real Chromium: accessibility (axe), search, keyboard, phone layout,
links over HTTP, no third-party requests, and valid HTML (the Nu checker); the checks of
the reader's view also on the Japanese build (japaneseconf.py)."""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import REPO
from webserver import check_links, serve

from newsarchive.core.config import Config

CHROMIUM = Path("/usr/bin/chromium")
VNU = REPO / ".tools" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = {
    "home": "",
    "story": "2020/06/25/ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance/",
    "company": "companies/nec/",
    "technology": "technologies/5g/",
    "companies": "companies/",
    "technologies": "technologies/",
    "author": "authors/robert-clark/",
    "authors": "authors/",
    "archives": "archives/",
    "year": "2020/",
    "search": "search/?q=NEC",
    "deals": "deals/",
    "company-deals": "companies/ntt/",
    "404": "404.html",
}
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason=f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does)"
)
pytestmark = [needs_chromium, pytest.mark.browser]


@pytest.fixture(scope="module")
def base_url(built_site: Config) -> Iterator[str]:
    with serve(built_site.output) as url:
        yield url


@pytest.fixture(scope="module")
def ja_base_url(built_site_ja: Config) -> Iterator[str]:
    with serve(built_site_ja.output) as url:
        yield url


def site_url(request: pytest.FixtureRequest, lang: str) -> str:
    """The address of the English (default) or the Japanese build."""
    return str(request.getfixturevalue("ja_base_url" if lang == "ja" else "base_url"))


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


def open_page(browser: object, url: str, width: int = 1280, dark: bool = False) -> object:
    page = browser.new_page(  # type: ignore[attr-defined]
        viewport={"width": width, "height": 900}, color_scheme="dark" if dark else "light"
    )
    page.goto(url)
    if "search/" in url:
        page.wait_for_selector(".search-results li", timeout=10_000)
    return page


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("name", list(PAGES))
def test_axe_finds_no_violations(
    browser: object, request: pytest.FixtureRequest, name: str, dark: bool, lang: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    page = open_page(browser, site_url(request, lang) + PAGES[name], dark=dark)
    results = Axe().run(page)
    page.close()  # type: ignore[attr-defined]
    violations = [(v["id"], [n["target"] for n in v["nodes"]]) for v in results.response["violations"]]
    assert violations == []


def test_search_finds_the_seed_and_filters_narrow(browser: object, base_url: str) -> None:
    page = open_page(browser, base_url + "search/?q=NEC")
    titles = page.locator(".search-results h2").all_inner_texts()  # type: ignore[attr-defined]
    assert "NTT takes $560M stake in NEC to forge 5G, optical alliance" in titles
    assert len(titles) == 2  # the seed and the Docomo story; the Japanese one says NEC in CJK text
    page.select_option("#filter-company", "Fujitsu")  # type: ignore[attr-defined]
    # expect() polls from outside the page: a wait_for_function string would need eval,
    # which the search page's Content-Security-Policy (rightly) forbids.
    from playwright.sync_api import expect

    expect(page.locator(".search-results li")).to_have_count(1)  # type: ignore[attr-defined]
    assert page.locator(".search-results h2").all_inner_texts() == [  # type: ignore[attr-defined]
        "Docomo widens its Open RAN push with new partners"
    ]
    assert "company=Fujitsu" in page.url  # type: ignore[attr-defined]


@pytest.mark.parametrize("query", ["日本電信電話", "ドコモ"])
def test_japanese_search_finds_the_seed_by_its_companies_japanese_names(
    browser: object, ja_base_url: str, query: str
) -> None:
    """The seed is English; its companies' names in Japanese are in its search record, and
    Pagefind segments the Japanese index's words (pagefind[extended])."""
    page = open_page(browser, ja_base_url + f"search/?q={query}")
    titles = page.locator(".search-results h2").all_inner_texts()  # type: ignore[attr-defined]
    assert "NTT takes $560M stake in NEC to forge 5G, optical alliance" in titles
    status = page.locator('[role="status"]').inner_text()  # type: ignore[attr-defined]
    assert status == f"「{query}」に一致する記事が{len(titles)}件見つかりました。"
    page.close()  # type: ignore[attr-defined]


def test_japanese_search_finds_words_inside_japanese_text(browser: object, ja_base_url: str) -> None:
    page = open_page(browser, ja_base_url + "search/?q=光技術")
    titles = page.locator(".search-results h2").all_inner_texts()  # type: ignore[attr-defined]
    assert titles == ["NTTとNEC、IOWN構想の光技術で協業を拡大"]


def test_keyboard_reaches_the_skip_link_first(browser: object, base_url: str) -> None:
    page = open_page(browser, base_url + PAGES["story"])
    page.keyboard.press("Tab")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"  # type: ignore[attr-defined]
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    assert page.evaluate("document.activeElement.id") == "main"  # type: ignore[attr-defined]


@pytest.mark.parametrize("lang", ["en", "ja"])
@pytest.mark.parametrize("name", list(PAGES))
def test_phone_layout_has_no_horizontal_scroll(
    browser: object, request: pytest.FixtureRequest, name: str, lang: str
) -> None:
    page = open_page(browser, site_url(request, lang) + PAGES[name], width=360)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")  # type: ignore[attr-defined]
    assert overflow <= 0


def test_pages_request_nothing_outside_the_site(browser: object, base_url: str) -> None:
    outside: list[str] = []
    for path in PAGES.values():
        page = browser.new_page()  # type: ignore[attr-defined]
        page.on(
            "request",
            lambda request: (
                outside.append(request.url) if not request.url.startswith(base_url[:-1]) else None
            ),
        )
        page.goto(base_url + path)
        page.wait_for_load_state("networkidle")
        page.close()
    assert outside == []


def test_every_link_resolves_over_http(base_url: str, built_site: Config) -> None:
    visited, broken = check_links(base_url)
    assert broken == []
    pages = {p for p in built_site.output.rglob("*.html") if "pagefind" not in p.parts}
    assert len(visited) >= len(pages) - 1  # every page is reachable (404.html is not linked)


@pytest.mark.skipif(
    shutil.which("java") is None or not VNU.exists(), reason=f"needs java and {VNU} (make tools)"
)
@pytest.mark.parametrize("site", ["built_site", "built_site_ja"])
def test_nu_html_checker_finds_no_errors(request: pytest.FixtureRequest, site: str) -> None:
    built: Config = request.getfixturevalue(site)
    command = ["java", "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html"]
    done = subprocess.run([*command, str(built.output)], capture_output=True, text=True, check=False)
    messages = json.loads(done.stderr or '{"messages": []}')["messages"]
    errors = [
        f"{m.get('url', '').split('/output/')[-1]}: {m['message']}" for m in messages if m["type"] == "error"
    ]
    assert errors == []


def test_the_dev_server_reloads_an_open_page_after_an_edit(browser: object, tmp_path: Path) -> None:
    """The reload script the dev server adds runs under the pages' Content-Security-Policy
    (no console error), and an open page shows an edit applied as a delta by itself."""
    import socket

    from conftest import make_project

    from newsarchive.ingest.importer import import_sources
    from newsarchive.site.resident import ResidentSite
    from newsarchive.site.serve import Changes, DevSite

    config = make_project(tmp_path / "site")
    assert import_sources(config, jobs=1).exit_code == 0
    site = ResidentSite(config, jobs=1)
    assert not site.build().failed
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = DevSite(config.output, port)
    server.start()
    try:
        page = browser.new_page()  # type: ignore[attr-defined]
        problems: list[str] = []
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        page.goto(f"http://127.0.0.1:{port}/{PAGES['story']}")
        page.wait_for_load_state("networkidle")
        post = next(config.content.rglob("ntt-takes-*.md"))
        head, body = post.read_text(encoding="utf-8").split("\n\n", 1)
        post.write_text(f"{head}\n\n{body.replace('Japan Inc.', 'Corporate Japan', 1)}", encoding="utf-8")
        assert site.apply(Changes(modified=(post,)), served=server.changed).delta
        from playwright.sync_api import expect

        # the script looks every half second, then reloads the page
        expect(page.locator("main")).to_contain_text("Corporate Japan heavyweights", timeout=15_000)
        assert problems == []
        page.close()
    finally:
        server.stop()
