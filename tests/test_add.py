"""`newsarchive add`: pages fetched politely from a local server, saved with their
provenance, imported; every link accounted for; a second run fetches only what failed."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fetchserver import Site, running

from newsarchive import __version__
from newsarchive.cli import main
from newsarchive.core.config import Config, FetchSettings
from newsarchive.core.models import Status
from newsarchive.ingest.add import LinkStatus
from newsarchive.ingest.fetch import FetchFailure, Page, PoliteFetcher, Problem, is_private_host
from newsarchive.ingest.sources import find_sources
from newsarchive.workflow import add_links

FAST = FetchSettings(delay=0.1, timeout=1.0, retries=1, backoff=0.05, contact="https://example.org/contact")


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    served = Site()
    with running(served) as base:
        yield served, base


@pytest.fixture
def fast(project: Config) -> Config:
    return replace(project, fetch=FAST)


CASES = [
    "/news/fiber.html",
    "/news/fiber.html#comments",  # the same page again
    "/old",  # 301 -> /moved, 302 -> /news/ring.html
    "/missing",
    "/flaky",  # 500, then the page
    "/slow",  # slower than the timeout
    "/private/secret.html",  # robots.txt disallows it
    "/report.pdf",
]


def link_list(tmp_path: Path, base: str) -> Path:
    listing = tmp_path / "links.txt"
    listing.write_text(
        "# links to fetch\n\n" + "".join(f"{base}{path}\n" for path in CASES), encoding="utf-8"
    )
    return listing


def test_every_case_is_reported_and_a_second_run_fetches_only_what_failed(
    fast: Config, site: tuple[Site, str], tmp_path: Path
) -> None:
    served, base = site
    listing = link_list(tmp_path, base)
    report = add_links(fast, from_file=listing)
    links = report.links
    assert [link.status for link in links] == [
        LinkStatus.FETCHED,
        LinkStatus.DUPLICATE,
        LinkStatus.FETCHED,
        LinkStatus.NOT_FOUND,
        LinkStatus.FETCHED,
        LinkStatus.FAILED,
        LinkStatus.DISALLOWED,
        LinkStatus.NOT_HTML,
    ]
    fiber, again, old, missing, flaky, slow, private, pdf = links
    assert "listed twice" in again.detail and "links.txt:3" in again.detail
    assert old.redirects == (f"{base}/old", f"{base}/moved") and old.final_url == f"{base}/news/ring.html"
    assert "HTTP 404" in missing.detail
    assert "timed out" in slow.detail and "2 attempts" in slow.detail
    assert "will be retried" in slow.line()
    assert "robots.txt" in private.detail
    assert "application/pdf" in pdf.detail
    assert report.exit_code == 1
    # every page fetched was imported
    for link in (fiber, old, flaky):
        assert link.imported is not None and link.imported.status is Status.IMPORTED, link
        assert link.imported.post and (fast.content / link.imported.post).is_file()
    # what the server saw
    paths = served.paths()
    assert paths.count("/robots.txt") == 1
    assert paths.count("/flaky") == 2  # the 500, then the retry
    assert paths.count("/slow") == 2  # the timeout, then the retry
    assert paths.count("/news/fiber.html") == 1
    assert not [path for path in paths if path.startswith("/private/")]
    assert {request.agent for request in served.requests} == {
        f"newsarchive/{__version__} (+https://example.org/contact)"
    }

    served.slow_seconds = 0.0
    served.requests.clear()
    second = add_links(fast, from_file=listing)
    assert [link.status for link in second.links] == [
        LinkStatus.ALREADY,
        LinkStatus.DUPLICATE,
        LinkStatus.ALREADY,
        LinkStatus.NOT_FOUND,  # remembered, not asked again
        LinkStatus.ALREADY,
        LinkStatus.FETCHED,  # the one that failed
        LinkStatus.DISALLOWED,
        LinkStatus.NOT_HTML,
    ]
    assert second.links[5].retried and second.links[5].imported is not None
    assert "not tried again" in second.links[3].detail
    assert [path for path in served.paths() if path != "/robots.txt"] == ["/slow"]


def test_the_sidecar_records_url_time_redirects_and_status(fast: Config, site: tuple[Site, str]) -> None:
    _, base = site
    report = add_links(fast, [f"{base}/old"])
    (link,) = report.links
    assert link.saved is not None
    page = fast.root / link.saved
    assert page.parent == fast.sources / "fetched" / base.removeprefix("http://").replace(":", "_")
    assert page.name.startswith("news-ring-html-") and page.suffix == ".html"
    record = json.loads(page.with_name(page.name + ".json").read_text(encoding="utf-8"))
    assert record["url"] == f"{base}/news/ring.html"
    assert record["requested"] == f"{base}/old"
    assert record["redirects"] == [f"{base}/old", f"{base}/moved"]
    assert record["status"] == 200
    assert record["fetched"].endswith("Z") and record["fetched"][:2] == "20"
    assert b"Nordlink opens a radio access lab" in page.read_bytes()
    # the sidecar is not a source; the page is
    assert list(find_sources([fast.sources])) == [page]


def test_a_page_reached_twice_is_saved_once(fast: Config, site: tuple[Site, str]) -> None:
    _, base = site
    report = add_links(fast, [f"{base}/news/ring.html", f"{base}/old"])
    first, second = report.links
    assert first.status is LinkStatus.FETCHED
    assert second.status is LinkStatus.DUPLICATE and "saved earlier" in second.detail
    assert len(list((fast.sources / "fetched").rglob("*.html"))) == 1


def test_requests_to_one_host_keep_the_delay(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    settings = replace(fast, fetch=replace(FAST, delay=0.25))
    add_links(settings, [f"{base}/news/fiber.html", f"{base}/missing", f"{base}/news/ring.html", f"{base}/x"])
    arrivals = [request.at for request in served.requests]
    assert len(arrivals) == 5  # robots.txt and four pages
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert min(gaps) >= 0.24, gaps


def test_a_failed_link_is_retried_on_the_next_run_without_being_listed(
    fast: Config, site: tuple[Site, str]
) -> None:
    served, base = site
    served.failures_left = 5  # more than the retries
    first = add_links(fast, [f"{base}/flaky"])
    assert first.links[0].status is LinkStatus.FAILED and "HTTP 500" in first.links[0].detail
    served.failures_left = 0
    second = add_links(fast)
    assert [(link.url, link.status) for link in second.links] == [(f"{base}/flaky", LinkStatus.FETCHED)]
    assert second.links[0].retried and second.exit_code == 0
    assert add_links(fast).links == ()  # nothing left to retry


def test_remembered_outcomes_are_tried_again_when_asked(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    add_links(fast, [f"{base}/later"])
    served.extra["/later"] = (200, {"Content-Type": "text/html"}, served.answer("/news/fiber.html")[2])
    assert add_links(fast, [f"{base}/later"]).links[0].status is LinkStatus.NOT_FOUND
    assert add_links(fast, [f"{base}/later"], retry=True).links[0].status is LinkStatus.FETCHED


def test_an_unreachable_robots_txt_fails_the_host_for_this_run(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    served.extra["/robots.txt"] = (503, {}, b"")
    report = add_links(fast, [f"{base}/news/fiber.html", f"{base}/news/ring.html"])
    assert [link.status for link in report.links] == [LinkStatus.FAILED, LinkStatus.FAILED]
    assert "robots.txt unavailable" in report.links[0].detail
    assert served.paths() == ["/robots.txt", "/robots.txt"]  # asked once, retried once, no page


def test_a_missing_robots_txt_allows_everything(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    served.extra["/robots.txt"] = (404, {}, b"")
    report = add_links(fast, [f"{base}/private/secret.html"])
    assert report.links[0].status is LinkStatus.FETCHED


def test_a_page_over_the_size_limit_is_not_kept(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    served.extra["/huge"] = (200, {"Content-Type": "text/html"}, b"<html>" + b"x" * 5000)
    report = add_links(replace(fast, max_source_bytes=4096), [f"{base}/huge"])
    assert report.links[0].status is LinkStatus.TOO_LARGE
    assert not (fast.sources / "fetched").exists()


def test_a_page_with_no_content_type_is_sniffed(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    page = served.answer("/news/ring.html")[2]
    served.extra["/untyped"] = (200, {}, page)
    served.extra["/blob"] = (200, {}, b"\x00\x01binary")
    report = add_links(fast, [f"{base}/untyped", f"{base}/blob"])
    assert [link.status for link in report.links] == [LinkStatus.FETCHED, LinkStatus.NOT_HTML]


def test_bad_entries_are_reported_and_the_rest_goes_on(fast: Config, site: tuple[Site, str]) -> None:
    _, base = site
    report = add_links(fast, ["ftp://example.org/file", "not a url", f"{base}/news/fiber.html"])
    assert [link.status for link in report.links] == [
        LinkStatus.BAD_LINK,
        LinkStatus.BAD_LINK,
        LinkStatus.FETCHED,
    ]
    assert "not an http(s) URL: ftp://example.org/file" in report.links[0].line()


def test_an_opml_subscription_fetches_the_feeds_items(
    fast: Config, site: tuple[Site, str], tmp_path: Path
) -> None:
    served, base = site
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Ring</title><link>{base}/news/ring.html</link></item>
<item><title>Fiber</title><link>{base}/news/fiber.html</link></item>
</channel></rss>"""
    served.extra["/feed.xml"] = (200, {"Content-Type": "application/rss+xml"}, feed.encode())
    opml = tmp_path / "subscriptions.opml"
    opml.write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body>'
        f'<outline text="Wire" type="rss" xmlUrl="{base}/feed.xml"/>'
        f'<outline text="One page" type="link" url="{base}/old"/></body></opml>',
        encoding="utf-8",
    )
    report = add_links(fast, from_file=opml)
    statuses = [(link.url, link.status) for link in report.links]
    assert statuses == [
        (f"{base}/old", LinkStatus.FETCHED),
        (f"{base}/news/ring.html", LinkStatus.ALREADY),  # /old reached it first
        (f"{base}/news/fiber.html", LinkStatus.FETCHED),
    ]


def test_the_command_prints_one_line_per_link_and_exits_by_outcome(
    project: Config, site: tuple[Site, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, base = site
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8")
        + "\n[tool.newsarchive.fetch]\ndelay = 0.05\ntimeout = 1.0\nretries = 1\nbackoff = 0.05\n",
        encoding="utf-8",
    )
    root = ["--root", str(project.root)]
    report = tmp_path / "report.json"
    code = main([*root, "add", f"{base}/news/fiber.html", f"{base}/missing", "--report", str(report)])
    out = capsys.readouterr().out
    assert code == 1
    assert f"fetched         {base}/news/fiber.html -> sources/fetched/" in out
    assert f"not-found       {base}/missing (HTTP 404)\n" in out
    assert "imported    sources/fetched/" in out
    assert "2 link(s): 1 fetched, 1 not-found" in out
    written = json.loads(report.read_text(encoding="utf-8"))
    assert written["links"][0]["import"] == "imported" and written["links"][0]["post"]
    assert main([*root, "add", f"{base}/news/fiber.html"]) == 0
    assert "already-fetched" in capsys.readouterr().out
    assert main([*root, "add", "--from", str(tmp_path / "none.txt")]) == 2
    assert "none.txt: no such file" in capsys.readouterr().err


def test_bad_fetch_settings_are_a_configuration_error(
    project: Config, capsys: pytest.CaptureFixture[str]
) -> None:
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(
        pyproject.read_text(encoding="utf-8") + '\n[tool.newsarchive.fetch]\ndelay = "soon"\n',
        encoding="utf-8",
    )
    assert main(["--root", str(project.root), "add", "http://127.0.0.1:9/"]) == 2
    assert "[tool.newsarchive.fetch] delay must be a number of seconds" in capsys.readouterr().err


def test_a_page_that_trickles_in_times_out_as_a_whole(fast: Config, site: tuple[Site, str]) -> None:
    _, base = site
    (link,) = add_links(replace(fast, fetch=replace(FAST, retries=0)), [f"{base}/trickle"]).links
    assert link.status is LinkStatus.FAILED and "timed out" in link.detail


def test_a_redirect_into_a_disallowed_path_is_not_followed(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    served.extra["/to-private"] = (302, {"Location": "/private/page.html"}, b"")
    (link,) = add_links(fast, [f"{base}/to-private"]).links
    assert link.status is LinkStatus.DISALLOWED and link.redirects == (f"{base}/to-private",)
    assert "/private/page.html" not in served.paths()


def test_retry_after_and_crawl_delay_are_respected(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    served.robots = "User-agent: newsarchive\nCrawl-delay: 1\nDisallow:\n"
    served.extra["/busy"] = (503, {"Retry-After": "2"}, b"")
    add_links(
        replace(fast, fetch=replace(FAST, delay=0.0, backoff=0.0)),
        [f"{base}/news/fiber.html", f"{base}/busy"],
    )
    arrivals = [request.at for request in served.requests]
    assert [request.path for request in served.requests] == [
        "/robots.txt",
        "/news/fiber.html",
        "/busy",
        "/busy",
    ]
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert min(gaps[:2]) >= 0.99, gaps  # the host's Crawl-delay between requests
    assert gaps[2] >= 1.99, gaps  # the server's Retry-After before the retry


def test_a_page_the_import_rejects_is_kept_and_reported(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    served.extra["/empty"] = (
        200,
        {"Content-Type": "text/html"},
        b"<!DOCTYPE html><html><body></body></html>",
    )
    report = add_links(fast, [f"{base}/empty"])
    (link,) = report.links
    assert link.status is LinkStatus.FETCHED and link.saved and (fast.root / link.saved).is_file()
    assert link.imported is not None and link.imported.status is Status.REJECTED
    assert report.exit_code == 1


def test_unknown_fetch_settings_are_named(project: Config, capsys: pytest.CaptureFixture[str]) -> None:
    pyproject = project.root / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8") + "\n[tool.newsarchive.fetch]\ndelai = 1\n"
    pyproject.write_text(text, encoding="utf-8")
    assert main(["--root", str(project.root), "add"]) == 2
    assert "unknown setting(s) in [tool.newsarchive.fetch]: delai" in capsys.readouterr().err


def test_hosts_take_turns_and_the_report_keeps_the_list_order(fast: Config, site: tuple[Site, str]) -> None:
    served, base = site
    other = base.replace("127.0.0.1", "localhost")  # the same server under another host name
    urls = [f"{base}/news/fiber.html", f"{base}/missing", f"{other}/news/ring.html", f"{other}/flaky"]
    report = add_links(replace(fast, fetch=replace(FAST, delay=0.3)), urls)
    assert [link.url for link in report.links] == urls
    asked = [(request.host, request.path) for request in served.requests]
    assert asked == [
        ("127.0.0.1", "/robots.txt"),
        ("127.0.0.1", "/news/fiber.html"),
        ("localhost", "/robots.txt"),  # while 127.0.0.1 waits out its delay
        ("localhost", "/news/ring.html"),
        ("127.0.0.1", "/missing"),
        ("localhost", "/flaky"),
        ("localhost", "/flaky"),  # the retry after the 500
    ]
    for host in ("127.0.0.1", "localhost"):
        arrivals = [request.at for request in served.requests if request.host == host]
        assert min(later - earlier for earlier, later in itertools.pairwise(arrivals)) >= 0.29


def test_a_public_site_cannot_redirect_into_a_private_network(site: tuple[Site, str]) -> None:
    served, base = site
    inside = base.replace("127.0.0.1", "localhost")
    served.extra["/away"] = (302, {"Location": f"{inside}/news/ring.html"}, b"")
    pretending = PoliteFetcher(FAST, 1_000_000, is_private=lambda host: host == "localhost")
    with pretending:
        refused = pretending.fetch_page(f"{base}/away")
    assert isinstance(refused, FetchFailure) and refused.problem is Problem.HTTP_ERROR
    assert "redirects into a private network (localhost)" in refused.reason
    assert ("localhost", "/news/ring.html") not in [(r.host, r.path) for r in served.requests]
    with PoliteFetcher(FAST, 1_000_000) as local:  # from one private host to another: followed
        assert isinstance(local.fetch_page(f"{base}/away"), Page)


@pytest.mark.parametrize(
    ("host", "private"),
    [("127.0.0.1", True), ("10.1.2.3", True), ("169.254.169.254", True), ("8.8.8.8", False)],
)
def test_private_addresses_are_known(host: str, private: bool) -> None:
    assert is_private_host(host) is private
