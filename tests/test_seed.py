"""The seed story, field by field and tag by tag (a golden test)."""

from __future__ import annotations

from datetime import datetime

from conftest import SEED

from newsarchive.core.models import Article, Kind, RawDocument
from newsarchive.gazetteer.tagging import tag
from newsarchive.ingest.layouts import parse_document
from newsarchive.ingest.sources import read_document

FIRST = (
    "Japan Inc. heavyweights NTT and NEC have come together to develop new wireless and optical technologies."
)
LAST = (
    "It announced a $1.8 billion accord with Toyota to work on smart city projects in March, "
    "with each also taking a stake in the other."
)
FURNITURE = [
    "— Robert Clark",
    "Read more about",
    "About the Author",
    "Subscribe and receive",
    "Join 62,000+ members",
    "You May Also Like",
    "independent technology editor",
    "2 Min Read",
]


def seed_article() -> Article:
    raw = read_document(SEED, 10**7)
    assert isinstance(raw, RawDocument)
    article = parse_document(raw)
    assert isinstance(article, Article)
    return article


def test_seed_header_fields() -> None:
    article = seed_article()
    assert article.title == "NTT takes $560M stake in NEC to forge 5G, optical alliance"
    assert article.deck == (
        "The companies said in a statement that they will develop and sell "
        "'ICT products utilizing innovative optical and wireless technologies.'"
    )
    assert (article.author, article.role, article.publication) == (
        "Robert Clark",
        "Contributing Editor",
        "Light Reading",
    )
    assert article.published == datetime(2020, 6, 25)
    assert article.read_minutes == 2
    assert article.author_bio.startswith("Robert Clark is an independent technology editor")


def test_seed_body_is_the_story_exactly() -> None:
    article = seed_article()
    source = SEED.read_text(encoding="utf-8")
    assert article.body_paragraphs[0] == FIRST
    assert article.body_paragraphs[-1] == LAST
    assert len(article.body_paragraphs) == 15
    for paragraph in article.body_paragraphs:
        assert paragraph in source  # "$", quotes and apostrophes intact
    body = "\n".join(article.body_paragraphs)
    assert '"attain top global market shares under NEC\'s leadership."' in body
    for furniture in FURNITURE:
        assert furniture not in body
    assert article.title not in body  # the repeated headline is not body


def test_seed_tags() -> None:
    tagged = tag(seed_article())
    companies = {t.slug for t in tagged.tagged(Kind.COMPANY)}
    assert companies == {"ntt", "nec", "ntt-docomo", "toyota"}
    assert not tagged.also_mentioned(Kind.COMPANY)  # Light Reading, the publisher, is no subject
    technologies = {t.slug for t in tagged.technologies}
    assert {"5g", "o-ran", "iown"} <= {t.slug for t in tagged.tagged(Kind.TECHNOLOGY)}
    expected = {"small-cells", "dsp", "microwave-backhaul", "submarine-cable", "smart-cities"}
    assert expected <= technologies
    assert "optical-networking" in technologies
    scores = {t.slug: t.score for t in tagged.companies}
    assert scores["ntt"] > scores["toyota"] and scores["nec"] > scores["ntt-docomo"]
