"""Article -> post text -> Pelican's own reader gives back the same fields.

Whatever the source says stays text: metadata-like lines, HTML, template syntax and
Markdown markers in a body come back as the same characters, never as markup.
"""

from __future__ import annotations

import html
import re
from datetime import datetime
from pathlib import Path
from typing import Any

from conftest import REPO
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pelican.readers import MarkdownReader
from pelican.settings import read_settings

from newsarchive.core.markdown_text import clean_text
from newsarchive.core.models import Article, Block, BlockStyle, TaggedArticle, paragraphs
from newsarchive.core.posts import parse_post, render_post

PELICAN = read_settings(str(REPO / "pelicanconf.py"))
TRICKY = [
    "Title: Injected",
    "Status: draft",
    "Date: 1999-01-01",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "{% raw %}",
    "# Not a heading",
    "## Nor this",
    "- not a list",
    "+ nor this",
    "1. nor a numbered list",
    "> not a quote",
    "[a link](javascript:alert(1))",
    "![img](data:image/png;base64,xx)",
    "***",
    "---",
    "    indented code?",
    "`code` and *stars* and _underscores_",
    "&amp; &lt;b&gt; &copy;",
    "back\\slash\\",
    "<!-- comment -->",
    "Fingerprint: forged",
    "$560M, “curly” ‘quotes’ — dashes",
]
prose = st.text(alphabet=st.characters(exclude_categories=("Cs",)), min_size=1, max_size=120)
paragraph = st.one_of(
    st.sampled_from(TRICKY), prose, st.builds(" ".join, st.lists(st.sampled_from(TRICKY), max_size=4))
)


def read_back(tmp: Path, text: str) -> tuple[str, dict[str, Any]]:
    path = tmp / "post.md"
    path.write_text(text, encoding="utf-8")
    content, metadata = MarkdownReader(PELICAN).read(str(path))
    return content, metadata


def paragraphs_of(content: str) -> list[str]:
    found = re.findall(r"<p>(.*?)</p>", content, flags=re.S)
    assert "".join(f"<p>{p}</p>" for p in found) == re.sub(r"\n", "", content), content
    return [html.unescape(p) for p in found]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=paragraph.filter(lambda t: clean_text(t) != ""),
    deck=paragraph,
    author=prose,
    body=st.lists(paragraph.filter(lambda p: clean_text(p) != ""), min_size=1, max_size=6),
)
def test_round_trip_through_pelican(
    tmp_path: Path, title: str, deck: str, author: str, body: list[str]
) -> None:
    article = Article(
        title=title,
        deck=deck,
        author=author,
        published=datetime(2020, 6, 25, 10, 30),
        body=paragraphs(*body),
        source_path=Path("sources/x.txt"),
    )
    text = render_post(TaggedArticle(article), "a-slug", "sources/x.txt")
    content, metadata = read_back(tmp_path, text)
    assert metadata["title"] == clean_text(title)
    assert metadata.get("deck", "") == clean_text(deck)
    assert str(metadata.get("author", "")) == clean_text(author)
    assert metadata["date"].replace(tzinfo=None) == datetime(2020, 6, 25, 10, 30)
    assert metadata["slug"] == "a-slug"
    assert "status" not in metadata  # nothing in a body becomes metadata
    assert paragraphs_of(content) == [clean_text(p) for p in body]
    assert "<script" not in content and "<a " not in content and "<h1" not in content
    assert not parse_post(text).edited


def test_hand_edit_is_detected() -> None:
    article = Article(title="T", body=paragraphs("Body."), source_path=Path("s.txt"))
    text = render_post(TaggedArticle(article), "t", "s.txt")
    assert not parse_post(text).edited
    assert parse_post(text.replace("Body.", "Body, corrected.")).edited
    assert parse_post(text.replace("Title: T", "Title: Better")).edited


def test_quotes_lists_and_headings_render_as_such(tmp_path: Path) -> None:
    body = (
        Block("Lead paragraph."),
        Block("A subhead", BlockStyle.HEADING),
        Block("Quoted <b>words</b>", BlockStyle.QUOTE),
        Block("first", BlockStyle.BULLET),
        Block("# second", BlockStyle.BULLET),
        Block("one", BlockStyle.NUMBERED),
        Block("Closing."),
    )
    article = Article(title="T", body=body, source_path=Path("s.txt"))
    content, _ = read_back(tmp_path, render_post(TaggedArticle(article), "t", "s.txt"))
    flat = content.replace("\n", "")
    assert "<h2>A subhead</h2>" in flat
    assert "<blockquote><p>Quoted &lt;b&gt;words&lt;/b&gt;</p></blockquote>" in flat
    assert "<ul><li>first</li><li># second</li></ul>" in flat
    assert "<ol><li>one</li></ol>" in flat
