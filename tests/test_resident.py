"""The resident dev server: an edited post's text applied as a delta of the kept model, and
everything else by an in-process build; after every kind of change the site is, byte for
byte, the site a clean build of the same inputs makes."""

from __future__ import annotations

import queue
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import suppress
from pathlib import Path

import pytest
from conftest import make_project, site_tree

from newsarchive import workflow
from newsarchive.core.config import Config
from newsarchive.ingest import importer
from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site
from newsarchive.site.incremental import load_manifest
from newsarchive.site.resident import ResidentSite
from newsarchive.site.serve import SCRIPT_PATH, VERSION_PATH, Changes, Watcher

OTHER = [("Vodafone", "Wi-Fi", "2015-03-02"), ("Ericsson", "Satellite broadband", "2015-04-13")]


def story(company: str, technology: str, day: str) -> str:
    paragraph = f"{company} said its {technology} service would reach more homes this year."
    title = f"{company} widens {technology} service ({day})"
    return f"{title}\n\n{day}\n\n{paragraph}\n\n{paragraph} Analysts agreed.\n"


def project(root: Path) -> Config:
    config = make_project(root)
    for number, (company, technology, day) in enumerate(OTHER):
        (config.sources / f"other-{number}.txt").write_text(story(company, technology, day), encoding="utf-8")
    assert import_sources(config, jobs=1).exit_code == 0
    (config.content / "hand-written.md").write_text(HAND_WRITTEN, encoding="utf-8")
    return config


# A post written by hand, without a summary: feeds show the start of its text.
HAND_WRITTEN = """Title: Vodafone tests Wi-Fi calling on trains
Date: 2015-03-03
Slug: vodafone-wi-fi-calling-trains
Companies: Vodafone
Technologies: Wi-Fi

Vodafone began *testing* Wi-Fi calling on commuter trains this week.

Passengers on two lines can call over the train's network.
"""


def assert_same_as_clean(config: Config) -> None:
    clean = config.with_overrides(output=config.root / "clean-output")
    shutil.rmtree(clean.output, ignore_errors=True)
    build_site(clean, strict=True, clean=True)
    served, expected = site_tree(config.output), site_tree(clean.output)
    assert sorted(set(served) ^ set(expected)) == []
    assert [name for name in served if served[name] != expected[name]] == []


def seed_post(config: Config) -> Path:
    return next(config.content.rglob("ntt-takes-*.md"))


def replace_in(path: Path, old: str, new: str, header: bool = False) -> None:
    """Replace ``old`` in the post's text (or, with ``header``, in its metadata lines)."""
    head, body = path.read_text(encoding="utf-8").split("\n\n", 1)
    if header:
        assert old in head
        head = head.replace(old, new, 1)
    else:
        assert old in body
        body = body.replace(old, new, 1)
    path.write_text(f"{head}\n\n{body}", encoding="utf-8")


@pytest.fixture(scope="module")
def resident(tmp_path_factory: pytest.TempPathFactory) -> ResidentSite:
    site = ResidentSite(project(tmp_path_factory.mktemp("resident") / "site"), jobs=1)
    assert not site.build().failed
    assert site.model is not None and site.model.shows
    return site


def test_an_edited_text_is_a_delta_and_the_site_that_of_a_clean_build(resident: ResidentSite) -> None:
    config = resident.config
    post = seed_post(config)
    replace_in(post, "Japan Inc. heavyweights", "Japanese heavyweights")
    served: list[bool] = []
    applied = resident.apply(Changes(modified=(post,)), served=lambda: served.append(True))
    assert applied.delta and served == [True], applied.summary
    story_page = next(name for name in applied.written if "ntt-takes" in name)
    assert "Japanese heavyweights" in (config.output / story_page).read_text(encoding="utf-8")
    # the pages that show the story, not those that do not: the oldest story's page shows
    # the next older one, and shares no company or technology with the seed
    assert not [name for name in applied.written if name.startswith("2015/03/02/")]
    assert "index.html" in applied.written and "feeds/all.atom.xml" in applied.written
    assert_same_as_clean(config)


def test_an_edit_of_a_text_that_listings_show_renders_them_again(resident: ResidentSite) -> None:
    config = resident.config
    post = config.content / "hand-written.md"
    replace_in(post, "began *testing*", "began **trials** of")
    applied = resident.apply(Changes(modified=(post,)))
    assert applied.delta, applied.summary
    feed = "feeds/companies/vodafone.atom.xml"  # the company's feed of summaries
    assert feed in applied.written and "feeds/all.atom.xml" in applied.written
    assert "&lt;strong&gt;trials&lt;/strong&gt;" in (config.output / feed).read_text(encoding="utf-8")
    assert_same_as_clean(config)


def test_a_new_title_or_deck_is_a_delta_too(resident: ResidentSite) -> None:
    config = resident.config
    post = config.content / "hand-written.md"
    replace_in(post, "Title: Vodafone tests", "Title: Vodafone trials", header=True)
    replace_in(post, "Technologies: Wi-Fi", "Technologies: Wi-Fi\nDeck: Calls on the move", header=True)
    applied = resident.apply(Changes(modified=(post,)))
    assert applied.delta, applied.summary
    api = config.output / "api/companies/vodafone.json"
    assert "api/companies/vodafone.json" in applied.written
    assert "Vodafone trials Wi-Fi calling" in api.read_text(encoding="utf-8")
    assert "Calls on the move" in (config.output / "index.html").read_text(encoding="utf-8")
    assert_same_as_clean(config)


def test_a_late_event_of_a_change_already_applied_is_no_change(resident: ResidentSite) -> None:
    config = resident.config
    post = seed_post(config)
    replace_in(post, "biggest telco", "biggest phone company")
    assert resident.known(Changes(modified=(post,))) == Changes(modified=(post,))
    assert resident.apply(Changes(modified=(post,))).delta
    # the system's events of that write, heard after it was applied, ask for nothing
    assert not resident.known(Changes(modified=(post,)))
    assert not resident.known(Changes(added=(post,)))  # written as a new file over the old
    assert not resident.known(Changes(removed=(config.content / "made-and-gone.md",)))
    theme_file = config.root / "theme" / "gone.html"  # outside the posts: always news
    assert resident.known(Changes(removed=(theme_file,))) == Changes(removed=(theme_file,))
    replace_in(post, "biggest phone company", "biggest telco")
    assert resident.known(Changes(added=(post,))) == Changes(modified=(post,))
    assert resident.apply(Changes(modified=(post,))).delta
    assert_same_as_clean(config)


def test_a_source_still_being_written_when_it_is_imported_is_imported_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = project(tmp_path / "site")
    watcher = Watcher([config.sources, config.content])
    source = config.sources / "late.txt"
    source.write_text("", encoding="utf-8")  # the file's first event: made, not yet written
    first_look = watcher.changes()
    imported: list[list[Path]] = []

    def import_while_written(config: Config, paths: list[Path], jobs: int = 0) -> object:
        report = import_sources(config, paths, jobs=jobs)
        if not imported:
            source.write_text(story("BT", "Wi-Fi", "2016-01-05"), encoding="utf-8")
        imported.append(paths)
        return report

    # the workflow imports the importer's function where it uses it (start-up time)
    monkeypatch.setattr(importer, "import_sources", import_while_written)
    lines: list[str] = []
    changes = workflow._imported(config, first_look, watcher, 1, lines.append)  # type: ignore[arg-type]
    assert imported == [[source], [source]]
    assert [path.name for path in changes.added if "bt-widens" in path.name]
    assert not changes.under(config.sources)


def test_a_header_edit_an_added_and_a_deleted_post_are_built(resident: ResidentSite) -> None:
    config = resident.config
    post = seed_post(config)
    replace_in(post, "Date: 2020-06-25", "Date: 2020-06-24", header=True)
    applied = resident.apply(Changes(modified=(post,)))
    assert not applied.delta and not applied.failed and "the date line(s)" in applied.summary
    assert_same_as_clean(config)

    source = config.sources / "added.txt"
    source.write_text(story("BT", "Wi-Fi", "2016-01-05"), encoding="utf-8")
    before = set(config.content.rglob("*.md"))
    assert import_sources(config, [source], jobs=1).exit_code == 0
    (added,) = set(config.content.rglob("*.md")) - before
    applied = resident.apply(Changes(added=(added,)))
    assert not applied.delta and not applied.failed
    assert_same_as_clean(config)

    added.unlink()
    applied = resident.apply(Changes(removed=(added,)))
    assert not applied.delta and not applied.failed
    assert_same_as_clean(config)

    # the model taken from the last build applies the next edit as a delta again
    replace_in(post, "Japanese heavyweights", "Japan's heavyweights")
    assert resident.apply(Changes(modified=(post,))).delta
    assert_same_as_clean(config)


def test_the_next_cli_build_after_a_delta_is_the_clean_site(resident: ResidentSite) -> None:
    config = resident.config
    post = config.content / "hand-written.md"
    replace_in(post, "Passengers on two lines", "Riders on two lines")
    assert resident.apply(Changes(modified=(post,))).delta
    result = build_site(config, strict=True)  # the manifest as the last build left it
    assert not result.up_to_date and result.rendered > 0  # it renders the pages the delta wrote
    assert_same_as_clean(config)

    replace_in(post, "Riders on two lines", "Travellers on two lines")
    applied = resident.apply(Changes(modified=(post,)))
    assert applied.delta
    resident.record()  # as the server does when it stops
    manifest = load_manifest(config.output)
    assert manifest is not None and manifest.inputs == ""
    assert all(manifest.pages[name].key == "" for name in applied.written)
    result = build_site(config, strict=True)
    assert not result.up_to_date and result.rendered >= len(
        [n for n in applied.written if n.endswith(".html")]
    )
    assert_same_as_clean(config)


def test_of_a_paginated_listing_only_the_page_showing_the_story_is_rendered(tmp_path: Path) -> None:
    config = project(tmp_path / "site")
    with (config.root / "pelicanconf.py").open("a", encoding="utf-8") as settings:
        settings.write("\nDEFAULT_PAGINATION = 2\n")
    site = ResidentSite(config, jobs=1)
    assert not site.build().failed
    pages = site_tree(config.output)
    listing = sorted(name for name in pages if re.fullmatch(r"(page/\d+/)?index\.html", name))
    assert len(listing) == 3  # six stories, two a page
    post = config.content / "hand-written.md"  # the second oldest: on the last page
    replace_in(post, "began *testing*", "began **trials** of")
    applied = site.apply(Changes(modified=(post,)))
    assert applied.delta, applied.summary
    # the page it is on, and the page before, whose link to the next page is a value that
    # holds the story (the page keys count it so too); not the first page
    assert [name for name in applied.written if name in listing] == listing[1:]
    assert_same_as_clean(config)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def wait_for_version(base: str, above: int, seconds: float = 180) -> int:
    """The server's version once it is above ``above`` (a change served)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            version = int(get(base + VERSION_PATH[1:]))
            if version > above:
                return version
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"no change served within {seconds} s")


def said(server: subprocess.Popen[str]) -> queue.Queue[str]:
    """The server's lines as it says them."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert server.stdout is not None
        for line in server.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return lines


def applied(
    lines: queue.Queue[str],
    heard: list[str],
    pattern: str = r"rendered again|^built|failed|error",
    seconds: float = 300,
) -> str:
    """The server's next line saying a change is applied (search index included)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with suppress(queue.Empty):
            line = lines.get(timeout=1)
            heard.append(line)
            if re.search(pattern, line):
                return line
    raise AssertionError(f"no change applied within {seconds} s: {heard}")


def test_the_server_applies_an_edit_an_added_source_and_a_deletion(tmp_path: Path) -> None:
    config = project(tmp_path / "site")
    port = free_port()
    command = [sys.executable, "-m", "newsarchive.cli", "--root", str(config.root), "serve"]
    server = subprocess.Popen(
        [*command, "--port", str(port), "--interval", "0.2", "-j", "1"], stdout=subprocess.PIPE, text=True
    )
    lines, heard = said(server), []
    base = f"http://127.0.0.1:{port}/"
    try:
        applied(lines, heard, r"^serving ")
        version = wait_for_version(base, -1)
        page = get(base)
        assert f'<script src="{SCRIPT_PATH}" defer></script></body>' in page  # served, not written
        assert SCRIPT_PATH not in (config.output / "index.html").read_text(encoding="utf-8")
        assert "location.reload" in get(base + SCRIPT_PATH[1:])

        replace_in(seed_post(config), "Japan Inc. heavyweights", "Japanese heavyweights")
        assert "page(s) rendered again" in applied(lines, heard)
        assert int(get(base + VERSION_PATH[1:])) == version + 1  # open pages reload once
        assert_same_as_clean(config)

        source = config.sources / "other-0.txt"
        source.write_text(source.read_text(encoding="utf-8").replace("Analysts", "Critics"), encoding="utf-8")
        assert "page(s) rendered again" in applied(lines, heard)  # imported, then a delta
        assert_same_as_clean(config)

        (config.sources / "added.txt").write_text(story("BT", "Wi-Fi", "2016-01-05"), encoding="utf-8")
        assert "built again (a post added or removed)" in applied(lines, heard)
        assert any("bt-widens" in name for name in site_tree(config.output))
        assert_same_as_clean(config)

        next(config.content.rglob("bt-widens-*.md")).unlink()
        assert "built again (a post added or removed)" in applied(lines, heard)
        assert_same_as_clean(config)
    finally:
        server.terminate()
        server.wait(timeout=60)
    with socket.socket() as probe:
        assert probe.connect_ex(("127.0.0.1", port)) != 0
