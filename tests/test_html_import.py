"""Saved web pages: fields from the page's metadata, the article body without furniture."""

from __future__ import annotations

import gzip
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

from conftest import FIXTURES

from newsarchive.core.config import Config
from newsarchive.core.models import Article, BlockStyle, RawDocument, Status
from newsarchive.core.posts import parse_post
from newsarchive.ingest.furniture import load_rules
from newsarchive.ingest.importer import import_sources
from newsarchive.ingest.layouts import parse_document
from newsarchive.ingest.sources import read_document

PAGE = FIXTURES / "html" / "metro-fiber.html"


def page_with(folder: Path, old: str, new: str) -> Path:
    """The fixture page with ``old`` replaced by ``new``, saved in ``folder``."""
    page = folder / "page.html"
    page.write_text(PAGE.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    return page


def page_article(path: Path = PAGE) -> Article:
    raw = read_document(path, 10**7)
    assert isinstance(raw, RawDocument)
    article = parse_document(raw)
    assert isinstance(article, Article), article
    return article


def test_fields_come_from_page_metadata() -> None:
    article = page_article()
    assert article.layout == "html"
    assert article.title == "Fjordnet lights up metro fiber ring with coherent optics"
    assert article.author == "Ingrid Solberg"
    assert article.publication == "Coastline Telecom Weekly"
    assert article.deck == "The regional operator says the 400G ring cuts backhaul costs for its 5G sites."
    assert article.source_url == "https://coastline.example/news/fjordnet-metro-fiber-ring"
    assert article.published == datetime(2023, 3, 14, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def test_body_keeps_quotes_and_lists_and_drops_furniture() -> None:
    article = page_article()
    styles = [block.style for block in article.body]
    texts = article.body_paragraphs
    assert texts[0].startswith("Fjordnet has switched on a 400G metro fiber ring around Bergen")
    assert texts[-1] == "Fjordnet did not disclose the value of the contract."
    assert BlockStyle.QUOTE in styles and styles.count(BlockStyle.BULLET) == 3
    assert "“We wanted one transport layer" in " ".join(texts)
    assert "5G traffic grows & fiber gets cheaper" in " ".join(texts)
    for furniture in (
        "Subscribe to our newsletter",
        "Related stories",
        "All rights reserved",
        "Cookie settings",
    ):
        assert furniture not in " ".join(texts)


def test_a_widget_inviting_the_reader_is_not_the_story(tmp_path: Path) -> None:
    widgets = (
        "<p>[What you need to know to start the day: Get Bergen Today in your inbox.]</p>"
        "<p>Now check your email account on your mobile phone to download your new app.</p>"
    )
    anchor = "<p>The operator listed three goals"
    texts = " ".join(page_article(page_with(tmp_path, anchor, widgets + anchor)).body_paragraphs)
    assert "inbox" not in texts and "new app" not in texts
    assert "The operator listed three goals for the project:" in texts


def test_a_story_sentence_about_an_app_is_kept() -> None:
    rules = load_rules()
    assert not rules.is_promo("Users can download the app for free, the company said.")
    assert not rules.is_promo("Check your email regularly, experts say.")
    assert rules.is_promo("Sign up to get our newsletter in your inbox every morning")


def test_an_author_bio_left_at_the_end_is_the_bio_not_the_story(tmp_path: Path) -> None:
    bio = (
        "Ingrid Solberg is a senior reporter for Coastline Telecom Weekly covering cloud security. "
        "Follow her on Twitter @isolberg or email her."
    )
    last = "<p>Fjordnet did not disclose the value of the contract.</p>"
    article = page_article(page_with(tmp_path, last, last + f"<p>{bio}</p>"))
    assert article.body_paragraphs[-1] == "Fjordnet did not disclose the value of the contract."
    assert article.author_bio == bio


def test_a_story_sentence_about_a_journalist_is_kept() -> None:
    rules = load_rules()
    assert not rules.is_author_bio("Ms Doe is a reporter at the Gazette and was held for a week.")
    assert not rules.is_author_bio("Mr Smith is the editor; readers should follow him on the issue.")
    assert rules.is_author_bio("Sam Lee is a freelance technology writer. Follow them @samlee")


def test_gzipped_page_imports_like_the_plain_one(project: Config) -> None:
    (project.sources / "page.html.gz").write_bytes(gzip.compress(PAGE.read_bytes()))
    (outcome,) = import_sources(project).outcomes
    assert outcome.status is Status.IMPORTED and outcome.post is not None
    post = parse_post((project.content / outcome.post).read_text(encoding="utf-8"))
    assert post.get("title") == "Fjordnet lights up metro fiber ring with coherent optics"
    assert post.get("date") == "2023-03-14T09:30+01:00"
    assert "Ciena" in post.get("companies") and "Nokia" in post.get("companies")


def test_gzip_bomb_is_rejected(project: Config) -> None:
    (project.sources / "bomb.html.gz").write_bytes(gzip.compress(b"<html>" + b" " * (6 * 1024 * 1024)))
    (outcome,) = import_sources(project).outcomes
    assert outcome.status is Status.REJECTED
    assert "decompresses to more than the 5,242,880-byte limit" in outcome.detail


def test_same_story_as_html_and_text_is_one_post(project: Config) -> None:
    shutil.copy(PAGE, project.sources / "a-page.html")
    article = page_article()
    text = "\n\n".join([article.title, "March 14, 2023", *article.body_paragraphs])
    (project.sources / "b-copy.txt").write_text(text, encoding="utf-8")
    outcomes = {o.source.name: o for o in import_sources(project).outcomes}
    assert outcomes["a-page.html"].status is Status.IMPORTED
    assert outcomes["b-copy.txt"].status is Status.DUPLICATE
    assert outcomes["b-copy.txt"].detail == (
        "duplicate of sources/a-page.html (same story, different whitespace or furniture)"
    )


def test_duplicate_of_an_earlier_import_is_caught(project: Config) -> None:
    shutil.copy(PAGE, project.sources / "first.html")
    import_sources(project)
    later = project.root / "inbox"
    later.mkdir()
    shutil.copy(PAGE, later / "again.html")
    (outcome,) = import_sources(project, [later]).outcomes
    assert outcome.status is Status.DUPLICATE
    assert outcome.detail == "duplicate of sources/first.html (imported earlier)"
