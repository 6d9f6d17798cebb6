"""Text scraped from the web never runs code on a reader's screen or escapes its folder."""

from __future__ import annotations

import re
from pathlib import Path

from conftest import make_project
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsarchive.core.markdown_text import clean_text, parse_body
from newsarchive.core.models import Article, Rejection, TaggedArticle
from newsarchive.core.posts import parse_post, render_post
from newsarchive.ingest.importer import import_sources
from newsarchive.ingest.layouts import parse_document
from newsarchive.ingest.sources import decode
from newsarchive.site.build import build_site

HOSTILE_HTML = """<!doctype html><html><head><title>Evil page</title>
<meta property="og:title" content="Headline &lt;script&gt;alert(1)&lt;/script&gt;">
<link rel="canonical" href="javascript:alert(2)">
<script>alert(3)</script></head><body><article><h1>Headline</h1>
<p>Click <a href="javascript:alert(4)">here</a> or
<a href="data:text/html,<script>alert(5)</script>">there</a>.</p>
<p onclick="alert(6)">An image <img src=x onerror="alert(7)"> and {{ 7*7 }} and {% raw %} text.</p>
<p>Title: Injected</p><p>Status: draft</p></article></body></html>"""
HOSTILE_TEXT = (
    "../../etc/passwd <script>alert(8)</script>\n\nJune 1, 2021\n\n"
    "<iframe src=https://evil.example></iframe> [x](javascript:alert(9)) ![y](data:image/svg+xml,zz)\n\n"
    "Title: Injected\n\n# Not a heading\n\n{{ 7*7 }} {% if %}\n"
)


def test_hostile_sources_build_into_a_site_without_their_scripts(tmp_path: Path) -> None:
    config = make_project(tmp_path / "site", with_sources=False)
    (config.sources / "evil.html").write_text(HOSTILE_HTML, encoding="utf-8")
    (config.sources / "evil.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    report = import_sources(config)
    assert {o.status.value for o in report.outcomes} == {"imported"}
    assert all(p.resolve().is_relative_to(config.content.resolve()) for p in tmp_path.rglob("*.md"))
    build_site(config, strict=True)
    for page in config.output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        # Scripts only from the theme, and JSON data blocks (never run: JSON-LD, the search page's words).
        allowed = r"(?![^>]*(?:application/(?:ld\+)?json|/theme/js/))"
        assert not re.search(r"<(?:script|iframe|img)\b" + allowed, html), page
        assert not re.search(r'(?:href|src|action)="\s*(?:javascript|data):', html, re.IGNORECASE), page
        assert not re.search(r"<[^>]+\son(?:error|click|load)=", html), page  # no event handler attributes
    story = next(
        p for p in config.output.rglob("index.html") if "evil-page" in str(p) or "headline" in str(p)
    )
    text = story.read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in text and "&lt;script&gt;" in text and "Title: Injected" in text


control = st.characters(min_codepoint=0, max_codepoint=0x1F)
unicode_text = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=300)
tricky = st.sampled_from(
    [
        "Title: x",
        "Status: draft",
        "<script>alert(1)</script>",
        "{{ 7*7 }}",
        "# h",
        "- li",
        "1. n",
        "> q",
        "[a](javascript:x)",
        "\\",
        "`",
        "&amp;",
        "\r\n",
        "\u2028",
        "\x00",
        "\ufeff",
    ]
)
document = st.lists(st.one_of(unicode_text, tricky, st.text(alphabet=control, max_size=5)), max_size=12).map(
    "\n".join
)


@settings(max_examples=10_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document)
def test_any_document_is_imported_intact_or_rejected_with_a_reason(text: str) -> None:
    raw = decode(Path("generated.txt"), text.encode("utf-8", errors="surrogatepass"))
    if isinstance(raw, Rejection):
        assert raw.reason
        return
    article = parse_document(raw)
    if isinstance(article, Rejection):
        assert article.reason
        return
    assert isinstance(article, Article) and article.title and article.body_paragraphs
    post = parse_post(render_post(TaggedArticle(article), "slug", "generated.txt"))
    assert post.get("title") == clean_text(article.title)
    assert not post.edited and "status" not in post.metadata
    kept = [clean_text(p) for p in article.body_paragraphs if clean_text(p)]
    assert [block.text for block in parse_body(post.body)] == kept  # the story's text, intact
