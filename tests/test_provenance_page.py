"""A story's page says where it came from (the original page, linked, and when it was
captured), its JSON-LD carries the original URL, and a summary-only story says so."""

from __future__ import annotations

import json
import re

from eval import wrap
from test_containers import RSS_TWO, page

from newsarchive.core.config import Config
from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site


def test_story_pages_show_their_provenance(project: Config) -> None:
    wrap.warc([page()], project.sources / "crawl.warc.gz")
    (project.sources / "weekly.rss").write_text(RSS_TWO.format(body="Short."), encoding="utf-8")
    assert import_sources(project).exit_code == 0
    build_site(project)
    story = (project.output / "2021/03/04/operator-lights-fibre-network/index.html").read_text(
        encoding="utf-8"
    )
    assert re.search(
        r'Originally published at <a href="https://news.example.org/2021/03/04/fibre.html" '
        r'rel="nofollow noopener">'
        r"news.example.org/2021/03/04/fibre.html</a>\. Captured "
        r'<time datetime="2024-03-01T12:00:00\+00:00">[^<]*2024</time>\.',
        story,
    ), story
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', story, re.S)[1])  # type: ignore[index]
    assert data["isBasedOn"] == "https://news.example.org/2021/03/04/fibre.html"
    summary = (project.output / "2021/03/05/vendor-wins-radio-deal/index.html").read_text(encoding="utf-8")
    assert "<strong>Summary only:</strong> the feed it came from carried no full text" in summary
    assert 'href="https://news.example.org/radio" rel="nofollow noopener">read the full story</a>' in summary
    assert "Originally published by Trade Weekly at" in summary
