"""The archive as data: `newsarchive export sqlite FILE` writes a database whose rows are the
site's pages (stories, companies, technologies, authors), with foreign keys, indexes and
full-text search, and a Datasette metadata file with which Datasette opens it: the canned
queries run over HTTP (Datasette's JSON API) and agree with the site's own JSON API."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest
from conftest import SEED, SHARED, make_project, needs_shared
from webserver import free_port

from newsarchive.cli import main
from newsarchive.core.config import Config
from newsarchive.core.errors import ConfigError
from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site
from newsarchive.site.export import QUERIES, export_sqlite, metadata_path

STORY_PAGES = "[12][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9]/*/index.html"


def site_pages(output: Path) -> dict[str, int]:
    """How many pages of each kind a built site has (paginated pages count once)."""
    return {
        "stories": len(list(output.glob(STORY_PAGES))),
        "companies": len(list(output.glob("companies/*/index.html"))),
        "technologies": len(list(output.glob("technologies/*/index.html"))),
        "authors": len(list(output.glob("authors/*/index.html"))),
    }


def table_counts(database: Path) -> dict[str, int]:
    with sqlite3.connect(database) as db:
        return {
            table: db.execute(f"select count(*) from {table}").fetchone()[0]
            for table in ("stories", "companies", "technologies", "authors")
        }


class Datasette:
    """Datasette serving one database with its metadata on 127.0.0.1, asked over HTTP."""

    def __init__(self, database: Path):
        self.port = free_port()
        self.name = database.stem
        datasette = Path(sys.executable).with_name("datasette")
        metadata = metadata_path(database)
        command = [str(datasette), "serve", str(database), "-m", str(metadata), "-h", "127.0.0.1"]
        self.process = subprocess.Popen(
            [*command, "-p", str(self.port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(
                    f"datasette ended: {self.process.stderr.read() if self.process.stderr else ''}"
                )
            try:
                self.get("/-/versions.json")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise AssertionError("datasette did not start within 60 s")

    def get(self, path: str, **params: str) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}{query}", timeout=30) as response:
            return json.load(response)

    def query(self, name: str, **params: str) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self.get(f"/{self.name}/{name}.json", _shape="array", **params)
        return rows

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


@pytest.fixture(scope="module")
def exported(built_site: Config, tmp_path_factory: pytest.TempPathFactory) -> Path:
    database = tmp_path_factory.mktemp("export") / "archive.db"
    result = export_sqlite(built_site, database)
    assert result.database == database and metadata_path(database).is_file()
    return database


@pytest.fixture(scope="module")
def datasette(exported: Path) -> Iterator[Datasette]:
    server = Datasette(exported)
    yield server
    server.stop()


def api(output: Path, kind: str) -> dict[str, dict[str, Any]]:
    """The site's JSON API of one kind, by slug."""
    files = sorted((output / "api" / kind).glob("*.json"))
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in files}


def test_rows_are_the_sites_pages(built_site: Config, exported: Path) -> None:
    pages = site_pages(built_site.output)
    assert pages["stories"] >= 3 and pages["companies"] >= 5
    assert table_counts(exported) == pages


def test_keys_indexes_and_full_text_search(exported: Path) -> None:
    with sqlite3.connect(exported) as db:
        assert db.execute("pragma foreign_key_check").fetchall() == []
        keys = {row[2] for row in db.execute("pragma foreign_key_list(story_companies)")}
        assert keys == {"stories", "companies"}
        indexed = {row[1] for row in db.execute("pragma index_list(stories)")}
        assert {"idx_stories_date", "idx_stories_year"} <= indexed
        found = db.execute(
            "select s.title from stories_fts join stories s on s.id = stories_fts.rowid "
            "where stories_fts match 'IOWN'"
        ).fetchall()
        assert found == [("NTT takes $560M stake in NEC to forge 5G, optical alliance",)]
        relevance = db.execute(
            "select relevance from story_companies where company = 'ntt' and story_id = "
            "(select id from stories where slug like 'ntt-takes%')"
        ).fetchone()
        assert relevance == (13.0,)  # the seed's Relevance line: NTT=13
        mentioned = {row[0] for row in db.execute("select name from also_mentioned where kind='technology'")}
        assert "DSP" in mentioned
        related = db.execute("select count(*) from related_stories").fetchone()[0]
        assert related > 0


def test_every_canned_query_runs_in_datasette(datasette: Datasette) -> None:
    params = {"technology": "5G", "company": "NTT", "query": "optical"}
    for name, query in QUERIES.items():
        needed = {key: value for key, value in params.items() if f":{key}" in query["sql"]}
        assert datasette.query(name, **needed), name
    tables = datasette.get(f"/{datasette.name}.json")["tables"]
    assert {"stories", "companies", "technologies", "stories_fts"} <= {t["name"] for t in tables}


def test_canned_queries_agree_with_the_sites_json_api(built_site: Config, datasette: Datasette) -> None:
    technologies = api(built_site.output, "technologies")
    for slug, record in technologies.items():
        by_year = datasette.query("stories_per_year_for_technology", technology=record["name"])
        assert {str(row["year"]): row["stories"] for row in by_year} == record["stories_per_year"], slug
    companies = api(built_site.output, "companies")
    pairs: Counter[tuple[str, str]] = Counter()
    stories: dict[str, set[str]] = {}
    for record in companies.values():
        for story in record["stories"]:
            stories.setdefault(story["url"], set()).add(record["name"])
    for names in stories.values():
        pairs.update(combinations(sorted(names), 2))
    together = datasette.query("companies_tagged_together")
    assert {tuple(sorted((r["company"], r["other_company"]))): r["stories"] for r in together} == dict(pairs)


def test_search_over_http(datasette: Datasette) -> None:
    rows = datasette.query("search_stories", query="IOWN")
    assert [row["title"] for row in rows] == ["NTT takes $560M stake in NEC to forge 5G, optical alliance"]
    facets = datasette.get(f"/{datasette.name}/stories.json", _facet="year")["facet_results"]
    assert "year" in str(facets)


def test_the_command(built_site: Config, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "data.db"
    assert main(["--root", str(built_site.root), "export", "sqlite", str(target)]) == 0
    assert "wrote" in capsys.readouterr().out and target.is_file()
    assert table_counts(target) == site_pages(built_site.output)
    again = main(["--root", str(built_site.root), "export", "sqlite", str(target)])  # replaces it
    assert again == 0 and table_counts(target) == site_pages(built_site.output)


def test_a_project_without_posts_is_one_line(project: Config, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="content folder not found"):
        export_sqlite(project, tmp_path / "x.db")
    code = main(["--root", str(project.root), "export", "sqlite", str(tmp_path / "x.db")])
    assert code == 2 and not (tmp_path / "x.db").exists()
    project.content.mkdir()
    with pytest.raises(ConfigError, match="folder not found"):
        export_sqlite(project, tmp_path / "no-such-folder" / "x.db")


@pytest.mark.slow
@needs_shared
def test_bbc_corpus_and_seed_open_in_datasette(tmp_path: Path) -> None:
    config = make_project(tmp_path / "bbc", with_sources=False)
    shutil.copytree(SHARED / "corpora" / "bbc-news" / "bbc", config.sources / "bbc")
    shutil.copy(SEED, config.sources / SEED.name)
    import_sources(config)
    build_site(config, strict=True)
    database = tmp_path / "bbc.db"
    export_sqlite(config, database)
    pages = site_pages(config.output)
    assert pages["stories"] > 2000
    assert table_counts(database) == pages
    server = Datasette(database)
    try:
        together = server.query("companies_tagged_together")
        assert together and together[0]["stories"] >= together[-1]["stories"]
        per_year = server.query("stories_per_year_for_technology", technology="5G")
        assert sum(row["stories"] for row in per_year) == len(
            api(config.output, "technologies")["5g"]["stories"]
        )
        assert server.query("search_stories", query="IOWN")
    finally:
        server.stop()


def test_every_term_page_links_its_json_file(built_site: Config) -> None:
    output = built_site.output
    for kind in ("companies", "technologies"):
        pages = sorted(output.glob(f"{kind}/*/index.html"))
        assert pages and len(pages) == len(api(output, kind))
        for page in pages:
            slug = page.parent.name
            html = page.read_text(encoding="utf-8")
            assert f'href="/api/{kind}/{slug}.json" type="application/json">Data (JSON)</a>' in html, page
            record = api(output, kind)[slug]
            assert record["slug"] == slug and record["story_count"] == len(record["stories"])
            assert sum(record["stories_per_year"].values()) == record["story_count"]
