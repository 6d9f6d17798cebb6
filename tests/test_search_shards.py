"""The search index in shards, merged in the browser, finds what one index over every
story finds: the same stories for every query and filter. And an edit re-indexes only its
story's shard."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from conftest import make_project
from test_browser import CHROMIUM, FLAGS, needs_chromium
from webserver import serve

from newsarchive.core.config import Config
from newsarchive.ingest.importer import import_sources
from newsarchive.site import search
from newsarchive.site.build import build_site
from newsarchive.site.search import RECORDS_FOLDER

COMPANIES = ["NEC", "Nokia", "Ericsson", "Fujitsu", "Samsung"]
TOPICS = ["5G networks", "optical fibre", "satellite broadband", "Wi-Fi routers"]
QUERIES = [
    ("NEC", {}),
    ("networks", {}),
    ("fibre", {"year": "2019"}),
    ("story", {"company": "Nokia"}),
    ("story", {"technology": "5G"}),
    ("broadband", {"company": "Samsung", "year": "2021"}),
    ("quokka", {}),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """Forty stories over five years: five shards."""
    config = make_project(tmp_path_factory.mktemp("shards") / "site", with_sources=False)
    for number in range(40):
        company, topic = COMPANIES[number % 5], TOPICS[number % 4]
        year, month = 2017 + (number // 3) % 5, 1 + number % 12
        day = date(year, month, 15).strftime("%B %-d, %Y")
        text = (
            f"{company} story {number} on {topic}\n\n{day}\n\n"
            f"{company} said on Tuesday it would invest in {topic} this year, story {number}.\n\n"
            f"Analysts said {company} had a lead in {topic} across Europe.\n"
        )
        (config.sources / f"s{number:02d}.txt").write_text(text, encoding="utf-8")
    assert import_sources(config, jobs=1).exit_code == 0
    build_site(config, strict=True)
    return config


def test_each_year_is_a_shard_of_its_own(site: Config) -> None:
    shards = sorted(p.name for p in (site.output / "pagefind").iterdir())
    assert shards == ["2017", "2018", "2019", "2020", "2021"]
    search = (site.output / "search" / "index.html").read_text(encoding="utf-8")
    assert 'pagefind/2021/pagefind.js"' in search and "pagefind/2017/" in search


def test_an_edit_reindexes_only_its_shard(site: Config, tmp_path: Path) -> None:
    stamps = {p: p.stat().st_mtime_ns for p in (site.output / "pagefind").rglob("pagefind-entry.json")}
    post = next(p for p in site.content.rglob("*.md") if p.parent.name == "2018")
    post.write_text(post.read_text(encoding="utf-8") + "\nA new line about quokkas.\n", encoding="utf-8")
    build_site(site, strict=True)
    changed = sorted(p.parent.name for p, mtime in stamps.items() if p.stat().st_mtime_ns != mtime)
    assert changed == ["2018"]


@pytest.fixture(scope="module")
def one_index(site: Config, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site, with one Pagefind index over every record beside its shards."""
    root = tmp_path_factory.mktemp("served") / "site"
    shutil.copytree(site.output, root)
    records = tmp_path_factory.mktemp("records")
    for shard in (site.cache / RECORDS_FOLDER).iterdir():
        if shard.is_dir():
            shutil.copytree(shard, records, dirs_exist_ok=True)
    command = [
        sys.executable,
        "-m",
        "pagefind",
        "--site",
        str(records),
        "--output-path",
        str(root / "one-index"),
    ]
    subprocess.run([*command, "--quiet"], check=True)
    with serve(root) as url:
        yield url


FIND = """async ([index, shards, queries]) => {
  const found = [];
  const pagefind = await import(index);
  for (const shard of shards) await pagefind.mergeIndex(shard);
  for (const [query, filters] of queries) {
    const search = await pagefind.search(query, { filters });
    const data = await Promise.all(search.results.map((result) => result.data()));
    found.push(data.map((page) => page.url).sort());
  }
  return found;
}"""


@needs_chromium
@pytest.mark.browser
def test_shards_find_what_one_index_finds(site: Config, one_index: str) -> None:
    from playwright.sync_api import sync_playwright

    shards = sorted((p.name for p in (site.output / "pagefind").iterdir()), reverse=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        page = browser.new_page()
        page.goto(f"{one_index}/")  # a page that loads no index itself
        sharded = page.evaluate(
            FIND, [f"/pagefind/{shards[0]}/pagefind.js", [f"/pagefind/{s}/" for s in shards[1:]], QUERIES]
        )
        page = browser.new_page()  # a fresh module instance for the single index
        page.goto(f"{one_index}/")
        single = page.evaluate(FIND, ["/one-index/pagefind.js", [], QUERIES])
        browser.close()
    assert sharded == single
    found = dict(zip([json.dumps(q) for q in QUERIES], sharded, strict=True))
    assert len(found[json.dumps(("NEC", {}))]) == 8  # every NEC story, from every shard
    quokkas = found[json.dumps(("quokka", {}))]
    assert len(quokkas) == 1 and quokkas[0].startswith("/2018/")  # the edited story
    assert all(url.startswith("/2019/") for url in found[json.dumps(("fibre", {"year": "2019"}))])
    assert sum(1 for urls in sharded if urls) >= 5


def test_pagefind_runs_at_most_the_limit_at_once(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Shards are indexed in turn, ``limit`` at a time, each one's result kept."""
    started: list[subprocess.Popen[str]] = []
    running_at_start: list[int] = []

    def fake_pagefind(site: Path, output: Path) -> subprocess.Popen[str]:
        running_at_start.append(sum(process.poll() is None for process in started))
        code = f"import time; time.sleep(0.2); print('indexed {site.name}')"
        process = subprocess.Popen(
            [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        started.append(process)
        return process

    monkeypatch.setattr(search, "start_pagefind", fake_pagefind)
    runs = search.PagefindRuns(2)
    for shard in ("2020", "2019", "2018", "2017", "2016"):
        runs.add(shard, tmp_path / shard, tmp_path / "out" / shard)
    runs.start()
    ended = runs.wait()
    assert max(running_at_start) <= 1  # the one started joins at most one still running
    assert [ended[shard][1].strip() for shard in runs.shards] == [f"indexed {s}" for s in runs.shards]
    assert all(code == 0 for code, _, _ in ended.values())
