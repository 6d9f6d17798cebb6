"""Sources that hold many stories: feeds, web archives, exports, mail and MHTML. Every item
is accounted for by name (``sources/x#item``), goes through the same pipeline, duplicates
and journal as a single file, and keeps its provenance."""

from __future__ import annotations

import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from eval import wrap

import newsarchive.ingest.importer as importer
from newsarchive.core.config import Config
from newsarchive.core.models import Outcome, Status
from newsarchive.core.posts import ParsedPost, parse_post
from newsarchive.ingest.importer import import_sources

BODY = " ".join(f"Sentence {n} of the operator's story about its new fibre network." for n in range(30))
SECOND = "A second paragraph with more about the network and its customers, long enough to keep."
PAGE = f"""<!doctype html><html><head><title>Operator lights fibre network</title>
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2021-03-04T09:30:00+01:00">
</head><body><nav>Home News Sport</nav><article><h1>Operator lights fibre network</h1>
<p>{BODY}</p><p>{SECOND}</p>
</article><footer>Copyright</footer></body></html>"""


def page(name: str = "fibre", url: str = "https://news.example.org/2021/03/04/fibre.html") -> wrap.Page:
    return wrap.Page(
        name=name,
        url=url,
        data=PAGE.encode("utf-8"),
        html=PAGE,
        title="Operator lights fibre network",
        author="Jane Doe",
        published=datetime(2021, 3, 4, 9, 30, tzinfo=UTC),
        text=f"{BODY}\n{SECOND}",
    )


def outcomes(config: Config) -> dict[str, Outcome]:
    return {o.source.as_posix(): o for o in import_sources(config).outcomes}


def post_of(config: Config, outcome: Outcome) -> ParsedPost:
    assert outcome.post is not None, outcome
    return parse_post((config.content / outcome.post).read_text(encoding="utf-8"))


RSS_TWO = """<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Trade Weekly</title>
<item><title>Operator lights fibre network</title><link>https://news.example.org/fibre</link>
<guid>urn:story:1</guid><dc:creator>Jane Doe</dc:creator><pubDate>Thu, 04 Mar 2021 09:30:00 +0100</pubDate>
<content:encoded><![CDATA[<p>{body}</p><p>Second paragraph of the full story.</p>]]></content:encoded></item>
<item><title>Vendor wins radio deal</title><link>https://news.example.org/radio</link><guid>urn:story:2</guid>
<pubDate>Fri, 05 Mar 2021 10:00:00 +0000</pubDate><description>A vendor won a radio deal.</description></item>
</channel></rss>"""


def test_feed_items_become_stories_and_summaries(project: Config) -> None:
    (project.sources / "weekly.rss").write_text(RSS_TWO.format(body=BODY), encoding="utf-8")
    found = outcomes(project)
    full, summary = found["sources/weekly.rss#urn:story:1"], found["sources/weekly.rss#urn:story:2"]
    assert full.status is Status.IMPORTED and summary.status is Status.IMPORTED
    post = post_of(project, full)
    assert post.get("title") == "Operator lights fibre network" and post.get("author") == "Jane Doe"
    assert post.get("date") == "2021-03-04T09:30+01:00"
    assert post.get("source_url") == "https://news.example.org/fibre"
    assert post.get("publication") == "Trade Weekly"
    assert "Second paragraph of the full story." in post.body and not post.get("summary_only")
    short = post_of(project, summary)
    assert short.get("summary_only") == "yes" and "A vendor won a radio deal." in short.body


RSS_ONE = """<?xml version="1.0"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/"
xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel rdf:about="https://news.example.org/">
<title>Trade Weekly</title><link>https://news.example.org/</link></channel>
<item rdf:about="https://news.example.org/fibre"><title>Operator lights fibre network</title>
<link>https://news.example.org/fibre</link><dc:creator>Jane Doe</dc:creator>
<dc:date>2021-03-04T09:30:00+01:00</dc:date>
<content:encoded><![CDATA[<p>{body}</p>]]></content:encoded></item></rdf:RDF>"""


@pytest.mark.parametrize("kind", ["rss1", "atom", "jsonfeed"])
def test_every_feed_format_gives_the_story(project: Config, kind: str) -> None:
    if kind == "rss1":
        (project.sources / "feed.rdf").write_text(RSS_ONE.format(body=BODY), encoding="utf-8")
    elif kind == "atom":
        wrap.atom([page()], project.sources / "feed.atom")
    else:
        wrap.json_feed([page()], project.sources / "feed.json")
    (outcome,) = outcomes(project).values()
    assert outcome.status is Status.IMPORTED, outcome
    post = post_of(project, outcome)
    assert post.get("title") == "Operator lights fibre network" and post.get("author") == "Jane Doe"
    assert post.get("date").startswith("2021-03-04") and "Sentence 29" in post.body


def test_web_archive_pages_are_stories_and_other_records_are_skipped(project: Config) -> None:
    extra = [
        ("https://news.example.org/style.css", "200 OK", b"body{}", "text/css"),
        ("https://news.example.org/logo.png", "200 OK", b"\x89PNG", "image/png"),
        ("https://news.example.org/old-story", "301 Moved Permanently", b"", "text/html"),
        ("https://news.example.org/missing", "404 Not Found", b"<html>gone</html>", "text/html"),
        ("https://news.example.org/", "200 OK", PAGE.encode(), "text/html"),
        ("https://news.example.org/tag/fibre/", "200 OK", PAGE.encode(), "text/html"),
    ]
    wrap.warc([page()], project.sources / "crawl.warc.gz", extra)
    found = {key.partition("#")[2]: o for key, o in outcomes(project).items()}
    story = found["news.example.org/2021/03/04/fibre.html"]
    assert story.status is Status.IMPORTED
    post = post_of(project, story)
    assert post.get("source_url") == "https://news.example.org/2021/03/04/fibre.html"
    assert post.get("captured") == "2024-03-01T12:00:00+00:00"
    skipped = [o.detail for o in found.values() if o.status is Status.SKIPPED]
    details = " | ".join(skipped)
    assert len(skipped) == 6, found
    for expected in (
        "text/css",
        "image/png",
        "redirect (HTTP 301)",
        "HTTP status 404",
        "not an article page",
    ):
        assert expected in details


def test_wacz_package_is_read(project: Config, tmp_path: Path) -> None:
    warc = wrap.warc([page()], tmp_path / "data.warc.gz")
    with zipfile.ZipFile(project.sources / "crawl.wacz", "w") as package:
        package.write(warc, "archive/data.warc.gz")
        package.writestr("datapackage.json", "{}")
    (outcome,) = outcomes(project).values()
    assert outcome.status is Status.IMPORTED
    assert outcome.source.as_posix() == (
        "sources/crawl.wacz#archive/data.warc.gz:news.example.org/2021/03/04/fibre.html"
    )


EXPORTS = {
    "news-please.jsonl": {
        "url": "https://news.example.org/fibre",
        "title": "Operator lights fibre network",
        "authors": ["Jane Doe"],
        "date_publish": "2021-03-04 09:30:00",
        "date_download": "2021-03-05 10:00:00",
        "maintext": BODY,
    },
    "wallabag.json": [
        {
            "id": 7,
            "title": "Operator lights fibre network",
            "url": "https://news.example.org/fibre",
            "content": f"<p>{BODY}</p>",
            "domain_name": "news.example.org",
            "published_by": ["Jane Doe"],
            "published_at": "2021-03-04T09:30:00+0100",
            "created_at": "2021-03-05T10:00:00+0000",
        }
    ],
    "newspaper.json": {
        "title": "Operator lights fibre network",
        "authors": ["Jane Doe"],
        "publish_date": "2021-03-04T09:30:00",
        "text": BODY,
        "url": "https://news.example.org/fibre",
    },
    "scrapy.jsonl": {
        "headline": "Operator lights fibre network",
        "byline": "Jane Doe",
        "date": "2021-03-04",
        "body": BODY,
        "link": "https://news.example.org/fibre",
    },
}


@pytest.mark.parametrize("name", sorted(EXPORTS))
def test_exports_of_common_tools_are_mapped(project: Config, name: str) -> None:
    record = EXPORTS[name]
    text = json.dumps(record) + "\n" if name.endswith(".jsonl") else json.dumps(record)
    (project.sources / name).write_text(text, encoding="utf-8")
    (outcome,) = outcomes(project).values()
    assert outcome.status is Status.IMPORTED, outcome
    post = post_of(project, outcome)
    assert post.get("title") == "Operator lights fibre network" and post.get("author") == "Jane Doe"
    assert post.get("date").startswith("2021-03-04") and "Sentence 29" in post.body
    assert post.get("source_url") == "https://news.example.org/fibre"


def test_markdown_with_front_matter_is_an_export(project: Config) -> None:
    (project.sources / "omnivore.md").write_text(
        "---\ntitle: Operator lights fibre network\nauthor: Jane Doe\nurl: https://news.example.org/fibre\n"
        f"date_saved: 2021-03-05T10:00:00Z\ndate_published: 2021-03-04\n---\n\n# Heading\n\n{BODY}\n",
        encoding="utf-8",
    )
    (outcome,) = outcomes(project).values()
    post = post_of(project, outcome)
    assert post.get("title") == "Operator lights fibre network" and post.get("date") == "2021-03-04"
    assert post.get("captured") == "2021-03-05T10:00:00+00:00" and "Sentence 29" in post.body


def test_a_message_is_a_story_and_a_digest_is_one_per_article(project: Config, tmp_path: Path) -> None:
    wrap.mbox([page()], tmp_path / "one.mbox")
    message = (tmp_path / "one.mbox").read_bytes().split(b"\n", 1)[1]  # without the "From " line
    (project.sources / "letter.eml").write_bytes(message)
    digest = (
        b"From: Digest <d@example.org>\nSubject: Weekly digest\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/digest; boundary="XX"\n\n--XX\n\n'
        + b"Subject: First story of the week\nFrom: A Writer <a@example.org>\nContent-Type: text/plain\n\n"
        + BODY.encode()
        + b"\n--XX\n\nSubject: Second story of the week\nContent-Type: text/plain\n\n"
        + b"Another story's text here.\n"
        + b"--XX--\n"
    )
    (project.sources / "digest.eml").write_bytes(digest)
    found = outcomes(project)
    letter = [o for key, o in found.items() if key.startswith("sources/letter.eml")]
    assert [o.status for o in letter] == [Status.IMPORTED]
    assert post_of(project, letter[0]).get("author") == "Jane Doe"
    stories = [
        post_of(project, o).get("title") for key, o in found.items() if key.startswith("sources/digest")
    ]
    assert stories == ["First story of the week", "Second story of the week"]


def test_mhtml_page_is_a_story_with_its_url(project: Config) -> None:
    wrap.mhtml(page(), project.sources / "saved.mhtml")
    (outcome,) = outcomes(project).values()
    post = post_of(project, outcome)
    assert post.get("title") == "Operator lights fibre network"
    assert post.get("source_url") == "https://news.example.org/2021/03/04/fibre.html"


def test_the_same_story_from_a_page_and_containers_is_one_post(project: Config) -> None:
    (project.sources / "a-page.html").write_text(PAGE, encoding="utf-8")
    wrap.rss([page()], project.sources / "b-feed.rss")
    wrap.warc([page()], project.sources / "c-crawl.warc.gz")
    wrap.news_please([page()], project.sources / "d-export.jsonl")
    found = outcomes(project)
    assert found["sources/a-page.html"].status is Status.IMPORTED
    others = [o for key, o in found.items() if key != "sources/a-page.html"]
    assert len(others) == 3 and all(o.status is Status.DUPLICATE for o in others), others
    assert all("duplicate of sources/a-page.html" in o.detail for o in others)


def test_an_unchanged_container_is_not_read_again(project: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    (project.sources / "a-page.html").write_text(PAGE, encoding="utf-8")
    wrap.warc(
        [page(), page("other", "https://news.example.org/2021/03/04/other.html")], project.sources / "b.warc"
    )
    (project.sources / "c.rss").write_text(
        RSS_TWO.format(body=BODY.replace("fibre", "copper")), encoding="utf-8"
    )
    first = outcomes(project)
    opened: list[str] = []
    read = importer.read_items

    def counting(path: Path, limits: object) -> object:
        opened.append(path.name)
        return read(path, limits)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "read_items", counting)
    second = outcomes(project)
    assert opened == []
    assert {k: o.status for k, o in second.items()} == {
        k: (Status.UNCHANGED if o.status is Status.IMPORTED else o.status) for k, o in first.items()
    }
    assert [o.detail for o in second.values()] == [o.detail for o in first.values()]
    # the story the archive's items duplicated is gone: the archive is read again
    (project.sources / "a-page.html").unlink()
    (project.content / first["sources/a-page.html"].post).unlink()  # type: ignore[operator]
    third = outcomes(project)
    assert opened == ["b.warc"]
    in_archive = [o.status for k, o in third.items() if k.startswith("sources/b.warc")]
    assert in_archive == [Status.IMPORTED, Status.DUPLICATE]


def test_a_fetched_page_takes_its_provenance_from_the_sidecar(project: Config) -> None:
    folder = project.sources / "fetched" / "news.example.org"
    folder.mkdir(parents=True)
    (folder / "fibre.html").write_text(PAGE, encoding="utf-8")
    sidecar = {
        "url": "https://news.example.org/2021/fibre",
        "requested": "http://news.example.org/fibre",
        "fetched": "2024-05-06T07:08:09Z",
        "redirects": ["http://news.example.org/fibre"],
        "status": 200,
    }
    (folder / "fibre.html.json").write_text(json.dumps(sidecar), encoding="utf-8")
    found = outcomes(project)
    assert list(found) == ["sources/fetched/news.example.org/fibre.html"]  # the sidecar is no story
    post = post_of(project, found["sources/fetched/news.example.org/fibre.html"])
    assert post.get("source_url") == "https://news.example.org/2021/fibre"
    assert post.get("captured") == "2024-05-06T07:08:09+00:00"
    # a changed sidecar is a changed source; named on the command line it is ignored
    (folder / "fibre.html.json").write_text(json.dumps({**sidecar, "fetched": "2024-06-01T00:00:00Z"}))
    again = outcomes(project)
    assert again["sources/fetched/news.example.org/fibre.html"].status is Status.UPDATED
    explicit = import_sources(project, [folder / "fibre.html.json"]).outcomes
    assert [o.status for o in explicit] == [Status.IGNORED]


def test_files_of_a_container_suffix_that_are_not_containers_are_skipped(project: Config) -> None:
    (project.sources / "notes.md").write_text("Some notes of mine.\n", encoding="utf-8")
    (project.sources / "sitemap.xml").write_text(
        '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url>'
        "<loc>https://news.example.org/</loc></url></urlset>",
        encoding="utf-8",
    )
    (project.sources / "broken.rss").write_text("<rss><channel><item><title>x", encoding="utf-8")
    found = {key: (o.status, o.detail) for key, o in outcomes(project).items()}
    assert found["sources/notes.md"] == (
        Status.SKIPPED,
        "Markdown without front matter (--- title: ... ---): not an export",
    )
    assert found["sources/sitemap.xml"] == (Status.SKIPPED, "XML, but not an RSS or Atom feed")
    assert found["sources/broken.rss"][0] in (
        Status.REJECTED,
        Status.IMPORTED,
    )  # feedparser reads what it can
