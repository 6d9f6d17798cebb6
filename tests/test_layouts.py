"""Layout detection and field parsing on small, hand-written documents."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from newsarchive.core.models import Article, RawDocument, Rejection
from newsarchive.ingest.layouts import parse_document


def parse(text: str) -> Article | Rejection:
    return parse_document(RawDocument(Path("story.txt"), text.encode(), text, "utf-8"))


def test_plain_layout_with_byline_and_date() -> None:
    article = parse("Headline here\n\nBy Jane Doe, Reporter\n\nMarch 3, 2021\n\nFirst.\n\nSecond\nwrapped.\n")
    assert isinstance(article, Article)
    assert (article.title, article.author, article.role) == ("Headline here", "Jane Doe", "Reporter")
    assert article.published == datetime(2021, 3, 3)
    assert article.body_paragraphs == ("First.", "Second wrapped.")
    assert article.layout == "plain"


def test_sentence_with_comma_is_not_a_byline() -> None:
    article = parse("A November to remember\n\nLast Saturday, the team won again.\n\nMore text.\n")
    assert isinstance(article, Article)
    assert article.author == ""
    assert article.body_paragraphs[0] == "Last Saturday, the team won again."


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("June 25, 2020", datetime(2020, 6, 25)),
        ("25 Jun 2020", datetime(2020, 6, 25)),
        ("2020-06-25", datetime(2020, 6, 25)),
        ("2020年6月25日", datetime(2020, 6, 25)),
    ],
)
def test_date_lines(line: str, expected: datetime) -> None:
    article = parse(f"Headline\n\n{line}\n\nBody.\n")
    assert isinstance(article, Article)
    assert article.published == expected


def test_timezone_is_kept() -> None:
    article = parse("Headline\n\nJun 25, 2020 10:30 AM ET\n\nBody.\n")
    assert isinstance(article, Article) and article.published is not None
    assert article.published.isoformat() == "2020-06-25T10:30:00-04:00"


def test_news_page_furniture_without_sign_off() -> None:
    text = (
        "Big headline\n\nA deck line.\n\nAnn Lee, Senior Editor, Special to Trade Weekly\n\nMay 1, 2022\n\n"
        "3 Min Read\nBig headline\n\nThe story.\n\nMore story.\n\nRead more about:\n\nAbout the Author(s)\n\n"
        "Ann Lee\n\nSenior Editor, Special to Trade Weekly\n\nAnn writes about networks.\n\n"
        "Subscribe and receive the latest news from the industry.\n"
    )
    article = parse(text)
    assert isinstance(article, Article)
    assert (article.author, article.role, article.publication) == ("Ann Lee", "Senior Editor", "Trade Weekly")
    assert article.deck == "A deck line."
    assert article.body_paragraphs == ("The story.", "More story.")
    assert article.author_bio == "Ann writes about networks."
    assert article.read_minutes == 3


def test_only_a_title_is_rejected() -> None:
    result = parse("Just a headline\n")
    assert isinstance(result, Rejection)
    assert result.reason == "no story text: the file holds only a headline"
