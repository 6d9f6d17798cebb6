"""The fast converter gives exactly Python-Markdown's output, as Pelican's reader gets it,
for every post in the importer's subset, and declines everything else."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, SHARED, needs_shared
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown import Markdown  # type: ignore[import-untyped]
from pelican.settings import read_settings
from test_posts import TRICKY, prose

from newsarchive.core.models import Article, Block, BlockStyle, TaggedArticle
from newsarchive.core.posts import render_post
from newsarchive.site.fast_markdown import convert_post

PELICAN = read_settings(str(REPO / "pelicanconf.py"))
FORMATTED = PELICAN["FORMATTED_FIELDS"]


def python_markdown(text: str) -> tuple[str, dict[str, Any], dict[str, str]]:
    """What Pelican's Markdown reader computes of a post (as site/reading.py does)."""
    settings = dict(PELICAN["MARKDOWN"])
    settings["extensions"] = [*settings.get("extensions", []), "markdown.extensions.meta"]
    markdown = Markdown(**settings)
    content = markdown.convert(text)
    meta = dict(markdown.Meta)
    markdown.preprocessors.deregister("meta")
    formatted = {}
    for name, value in meta.items():
        if name in FORMATTED:
            joined = "\n".join(value)
            markdown.reset()
            formatted[joined] = markdown.convert(joined)
    return content, meta, formatted


def agrees(text: str) -> bool:
    """True when the fast converter took the post (and then it must agree)."""
    fast = convert_post(text, FORMATTED)
    if fast is None:
        return False
    assert fast == python_markdown(text)
    return True


line = st.one_of(st.sampled_from(TRICKY), prose)
block = st.builds(Block, line, st.sampled_from(list(BlockStyle)))
code = st.builds(
    Block, st.builds("\n".join, st.lists(line, min_size=1, max_size=4)), st.just(BlockStyle.CODE)
)


def post(title: str, deck: str, blocks: list[Block]) -> str:
    article = Article(
        title=title, deck=deck, body=tuple(blocks), published=datetime(2021, 3, 2), source_path=Path("s.txt")
    )
    return render_post(TaggedArticle(article), "a-slug", "sources/s.txt")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=prose, deck=line, blocks=st.lists(st.one_of(block, code), min_size=1, max_size=8))
def test_generated_posts_convert_as_python_markdown_does(title: str, deck: str, blocks: list[Block]) -> None:
    if not any(b.text.strip() for b in blocks) or not title.strip():
        return
    try:
        text = post(title, deck, blocks)
    except (ValueError, IndexError):
        return  # not a post the importer could write
    agrees(text)


def test_plain_posts_are_taken() -> None:
    blocks = [Block("Japan Inc. heavyweights NTT & NEC <team up>."), Block("A *quoted* [thing] \\ ok.")]
    assert agrees(post("NTT takes $560M stake", "The deck", blocks))
    styled = [
        Block("Heading", BlockStyle.HEADING),
        Block("One", BlockStyle.BULLET),
        Block("Two", BlockStyle.BULLET),
    ]
    assert agrees(
        post(
            "T",
            "",
            [Block("Intro."), *styled, Block("Said.", BlockStyle.QUOTE), Block("x = 1", BlockStyle.CODE)],
        )
    )


@pytest.mark.parametrize(
    "edit",
    [
        "Title: T\nSummary: s\n\nA *hand-made* emphasis.",
        "Title: T\n\nA [link](http://x.org).",
        "Title: T\n\n# Big\n\ntext",
    ],
)
def test_hand_edits_are_left_to_python_markdown(edit: str) -> None:
    assert convert_post(edit, FORMATTED) is None


def test_the_seed_post_is_taken() -> None:
    for path in (REPO / "content").rglob("*.md"):
        assert agrees(path.read_text(encoding="utf-8")), path


@needs_shared
def test_every_bbc_post_converts_as_python_markdown_does(tmp_path: Path) -> None:
    from conftest import make_project

    from newsarchive.ingest.importer import import_sources

    config = make_project(tmp_path / "bbc", with_sources=False)
    import_sources(config, [SHARED / "corpora" / "bbc-news"])
    posts = sorted(config.content.rglob("*.md"))
    taken = sum(agrees(p.read_text(encoding="utf-8")) for p in posts)
    assert len(posts) > 2000 and taken == len(posts)


def test_other_markdown_settings_are_left_to_python_markdown() -> None:
    from newsarchive.site.fast_markdown import applies

    assert applies(PELICAN["MARKDOWN"])
    assert applies({"extensions": ["markdown.extensions.meta"], "output_format": "html5"})
    assert not applies({"extensions": ["markdown.extensions.smarty"], "output_format": "html5"})
    assert not applies({"extension_configs": {"markdown.extensions.codehilite": {}}})
    assert not applies({"extensions": [], "tab_length": 2})
