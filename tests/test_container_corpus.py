"""The 91 Readability pages wrapped in every container format (WARC, RSS, Atom, JSON Feed,
news-please JSON Lines, MHTML, mbox): each item gives the title, byline, date and body of
importing the page itself, and importing them all together gives one post per story."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import make_project, needs_shared
from eval import containers

from newsarchive.core.models import Status
from newsarchive.ingest.duplicates import story_digest
from newsarchive.ingest.importer import import_sources

pytestmark = [pytest.mark.slow, needs_shared]


@pytest.fixture(scope="module")
def scores() -> dict[str, containers.FormatScore]:
    return containers.evaluate()


@pytest.mark.parametrize("kind", ["warc", "rss", "atom", "jsonfeed", "news-please", "mhtml", "mbox"])
def test_each_format_gives_what_the_page_gives(scores: dict[str, containers.FormatScore], kind: str) -> None:
    score = scores[kind]
    print(kind, score.items, score.same, "dated", score.dated)
    assert score.items == 91
    assert score.same == {"title": 91, "byline": 91, "date": score.dated, "body": 91}, score.misses[:5]
    assert score.dated >= 85


def test_all_formats_together_give_one_post_per_story(tmp_path: Path) -> None:
    pages, direct = containers.load_pages()
    config = make_project(tmp_path / "site", with_sources=False)
    folder = config.sources / "pages"
    folder.mkdir()
    for page in pages:
        shutil.copy(containers.PAGES / page.name / "source.html", folder / f"{page.name}.html")
    containers.containers(pages, config.sources / "wrapped")
    report = import_sources(config, jobs=2)
    counts = report.counts()
    posts = {o.post for o in report.outcomes if o.post}
    print({status.value: n for status, n in counts.items() if n})
    stories = {story_digest(article) for article in direct.values()}  # two pages hold one story
    assert len(posts) == len(stories) == counts[Status.IMPORTED]
    assert counts[Status.DUPLICATE] == 8 * len(direct) - len(stories)
    assert counts[Status.REJECTED] == 0
    wrapped = [o for o in report.outcomes if o.source.as_posix().startswith("sources/wrapped/")]
    assert all(o.status is Status.DUPLICATE and "sources/pages/" in o.detail for o in wrapped)
