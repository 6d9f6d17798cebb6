"""The bundled gazetteer data passes its schema and has the breadth we promise."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.core.models import Article, Kind, paragraphs
from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.gazetteer.tagging import tag


def test_bundled_data_loads_and_is_broad() -> None:
    gazetteer = load_gazetteer()  # raises GazetteerError on any schema problem
    assert len(gazetteer.of_kind(Kind.COMPANY)) >= 100
    assert len(gazetteer.of_kind(Kind.TECHNOLOGY)) >= 50


def test_seed_terms_have_their_fixed_slugs() -> None:
    gazetteer = load_gazetteer()
    for slug in ("ntt", "nec", "ntt-docomo", "toyota"):
        assert gazetteer.get(Kind.COMPANY, slug) is not None
    for slug in ("5g", "o-ran", "iown"):
        assert gazetteer.get(Kind.TECHNOLOGY, slug) is not None
    docomo = gazetteer.get(Kind.COMPANY, "ntt-docomo")
    assert docomo is not None and docomo.parent == "ntt"


def test_the_companies_are_broad_and_every_earlier_slug_is_kept() -> None:
    gazetteer = load_gazetteer()
    assert len(gazetteer.of_kind(Kind.COMPANY)) >= 3000
    listed = Path(__file__).parent / "fixtures" / "company_slugs_before_issue_14.txt"
    kept = listed.read_text("utf-8").split()
    assert len(kept) == 1474
    assert [slug for slug in kept if gazetteer.get(Kind.COMPANY, slug) is None] == []


@pytest.mark.parametrize(
    "name",
    [
        "EMC",
        "NetApp",
        "Sun Microsystems",
        "Silicon Graphics",
        "Unisys",
        "Lloyds TSB",
        "ChevronTexaco",
        "AOL Time Warner",
        "Charles Schwab",
        "Tesco",
        "Caterpillar",
        "Pfizer",
        "Ryanair",
        "Exelon",
    ],
)
def test_firms_business_news_names_all_the_time_are_known(name: str) -> None:
    assert load_gazetteer().resolve(Kind.COMPANY, name) is not None


def test_a_short_ambiguous_name_counts_when_the_story_says_it_is_the_company() -> None:
    def found(*body: str) -> list[str]:
        article = Article(title="News", body=paragraphs(*body), source_path=Path("s.txt"))
        return [t.slug for t in tag(article).tagged(Kind.COMPANY)]

    assert "sun-microsystems" in found("Sun said its new servers would ship in May.")
    assert "sun-microsystems" not in found("Sun and showers are forecast for the weekend.")


def test_the_kept_gazetteer_is_the_bundled_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build keeps the bundled gazetteer pickled in its cache; a damaged pickle is rebuilt."""
    from newsarchive.gazetteer import entities

    monkeypatch.setattr(entities, "_KEPT", {})
    first = entities.load_gazetteer(cache_folder=tmp_path)
    assert (tmp_path / entities.GAZETTEER_CACHE).is_file()
    monkeypatch.setattr(entities, "_KEPT", {})
    monkeypatch.setattr(entities, "_bundled", lambda: pytest.fail("the pickle was not used"))
    kept = entities.load_gazetteer(cache_folder=tmp_path)
    assert kept is not first and kept.entities == first.entities
    assert kept.scan("NTT Docomo and Ericsson") == first.scan("NTT Docomo and Ericsson")
    (tmp_path / entities.GAZETTEER_CACHE).write_bytes(b"not a pickle")
    monkeypatch.setattr(entities, "_KEPT", {})
    monkeypatch.setattr(entities, "_bundled", lambda: first)
    assert entities.load_gazetteer(cache_folder=tmp_path) is first
