"""Lists of links: plain lists, bookmarks exports, OPML and feeds, told apart by content;
every entry that is not an http(s) URL is one problem naming file and entry."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsarchive.ingest.links import links_from_arguments, links_in, normalize_url, read_link_file


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://Example.ORG/a?b=1#part", "https://example.org/a?b=1"),
        ("http://example.org:80", "http://example.org/"),
        ("https://example.org:8443/x", "https://example.org:8443/x"),
        ("  http://example.org/a  ", "http://example.org/a"),
        ("ftp://example.org/", None),
        ("javascript:alert(1)", None),
        ("http:///nohost", None),
        ("http://example.org:99999/", None),
        ("http://exa mple.org/", None),
    ],
)
def test_urls_have_one_spelling(text: str, expected: str | None) -> None:
    assert normalize_url(text) == expected


def test_a_plain_list_skips_comments_and_names_bad_lines() -> None:
    listed = links_in(b"# mine\nhttps://a.example/1\n\nnot a link\nhttps://a.example/2\n", "links.txt")
    assert [(link.url, link.origin) for link in listed.links] == [
        ("https://a.example/1", "links.txt:2"),
        ("https://a.example/2", "links.txt:5"),
    ]
    assert listed.problems == ("links.txt:4: links: not an http(s) URL: not a link",)


BOOKMARKS = b"""<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE><H1>Bookmarks</H1>
<DL><p>
    <DT><H3>News</H3>
    <DL><p>
        <DT><A HREF="https://wire.example/story-1" ADD_DATE="1600000000">Story one</A>
        <DT><A HREF="place:sort=8&maxResults=10">Recent tags</A>
    </DL><p>
    <DT><A HREF="https://wire.example/story-2">Story two</A>
</DL><p>
"""


def test_a_bookmarks_export_gives_its_links() -> None:
    listed = links_in(BOOKMARKS, "bookmarks.html")
    assert [link.url for link in listed.links] == [
        "https://wire.example/story-1",
        "https://wire.example/story-2",
    ]
    assert listed.links[0].origin == 'bookmarks.html: "Story one"'
    assert listed.problems == (
        'bookmarks.html: "Recent tags": links: not an http(s) URL: place:sort=8&maxResults=10',
    )


def test_opml_links_are_pages_and_subscriptions_are_feeds() -> None:
    opml = b"""<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>x</title></head><body>
<outline text="Telecom"><outline text="Wire" type="rss" xmlUrl="https://wire.example/feed.xml"
 htmlUrl="https://wire.example/"/></outline>
<outline text="A story" type="link" url="https://wire.example/story-3"/>
</body></opml>"""
    listed = links_in(opml, "feeds.opml")
    assert [link.url for link in listed.links] == ["https://wire.example/story-3"]
    assert [link.url for link in listed.feeds] == ["https://wire.example/feed.xml"]
    assert listed.problems == ()


def test_an_opml_file_with_entity_expansion_is_refused_not_expanded() -> None:
    laughs = b"""<?xml version="1.0"?>
<!DOCTYPE opml [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<opml version="2.0"><body><outline text="&d;" type="link" url="https://wire.example/x"/></body></opml>"""
    listed = links_in(laughs, "laughs.opml")
    assert [link.url for link in listed.links] == ["https://wire.example/x"]
    assert all(len(link.origin) < 200 for link in listed.links)


def test_feed_items_are_pages() -> None:
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>W</title>
<item><title>One</title><link>https://wire.example/1</link></item>
<item><title>No link</title></item></channel></rss>"""
    listed = links_in(rss, "feed.xml")
    assert [link.url for link in listed.links] == ["https://wire.example/1"]
    assert listed.problems == ("feed.xml: item 2: links: not an http(s) URL: (empty)",)
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">
<title>W</title><id>urn:x</id><updated>2024-01-01T00:00:00Z</updated>
<entry><title>A</title><id>urn:a</id><updated>2024-01-01T00:00:00Z</updated>
<link rel="alternate" href="https://wire.example/a"/></entry></feed>"""
    assert [link.url for link in links_in(atom, "atom.xml").links] == ["https://wire.example/a"]
    jsonfeed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "W",
        "items": [{"id": "1", "url": "https://wire.example/j", "content_text": "x"}],
    }
    found = links_in(json.dumps(jsonfeed).encode(), "feed.json")
    assert [link.url for link in found.links] == ["https://wire.example/j"]


def test_an_empty_or_unreadable_list_is_one_problem(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    assert read_link_file(empty, 1000).problems == (f"{empty.as_posix()}: links: no links found",)
    big = tmp_path / "big.txt"
    big.write_text("https://wire.example/\n" * 100, encoding="utf-8")
    assert "over the limit" in read_link_file(big, 100).problems[0]


def test_a_file_given_as_a_url_gets_a_hint(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "links.txt").write_text("https://wire.example/\n", encoding="utf-8")
    listed = links_from_arguments(["links.txt", "https://wire.example/a"])
    assert [link.url for link in listed.links] == ["https://wire.example/a"]
    assert (
        listed.problems[-1]
        == "command line: links: links.txt: a list of links in a file is read with --from FILE"
    )


def test_an_html_page_of_links_gives_its_links() -> None:
    pocket = b"""<!DOCTYPE html><html><head><title>Pocket Export</title></head><body>
<a href="#list">Skip</a><a name="list"></a><h1>Unread</h1>
<ul><li><a href="https://wire.example/p1" time_added="1600000000" tags="">One</a></li>
<li><a href="https://wire.example/p2">Two</a></li></ul></body></html>"""
    listed = links_in(pocket, "ril_export.html")
    assert [link.url for link in listed.links] == ["https://wire.example/p1", "https://wire.example/p2"]
    assert listed.problems == ()
