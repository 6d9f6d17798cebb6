"""Gazetteer matching edge cases: boundaries, case, possessives, CJK, longest match."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.core.errors import GazetteerError
from newsarchive.core.models import Article, Kind, paragraphs
from newsarchive.gazetteer.entities import build_gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import tag


def slugs_in(text: str) -> list[str]:
    return [hit.surface.entity.slug for hit in load_gazetteer().scan(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NTTとNECは提携した", ["ntt", "nec"]),
        ("NTT DoCoMo shipped it", ["ntt-docomo"]),
        ("NTT Docomo and NTT", ["ntt-docomo", "ntt"]),
        ("NEC's unit and NTT’s plan", ["nec", "ntt"]),
        ("It is necessary", []),
        ("NECA members met", []),
        ("the 5GHz band", []),
        ("nec and ntt in lower case", []),
        ("O-RAN-compliant 5G kit", ["o-ran", "5g"]),
        ("(NEC)", ["nec"]),
        ("日本電信電話とトヨタ", ["ntt", "toyota"]),
        ("burnt sienna paint", []),
        ("Ciena's modems", ["ciena", "modems"]),
    ],
)
def test_matching_rules(text: str, expected: list[str]) -> None:
    assert slugs_in(text) == expected


def test_lowercase_alias_matches_any_case() -> None:
    assert slugs_in("Small cells and SMALL CELLS") == ["small-cells", "small-cells"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Teliasonera and TeliaSonera", ["telia", "telia"]),
        ("a Websidestory survey", ["websidestory"]),
        ("teliasonera in lower case", []),
    ],
)
def test_long_camelcase_alias_matches_any_case_after_its_first_letter(text: str, expected: list[str]) -> None:
    assert slugs_in(text) == expected


def test_short_camelcase_alias_keeps_its_capitals() -> None:
    gazetteer = build_gazetteer({Kind.COMPANY: [{"slug": "next", "name": "NeXT", "country": "US"}]})
    assert [hit.surface.form for hit in gazetteer.scan("NeXT, not Next or NEXT")] == ["NeXT"]


def test_camelcase_alias_may_not_shadow_another_entry() -> None:
    records = {
        Kind.COMPANY: [
            {"slug": "a", "name": "NetSpeak", "country": "US"},
            {"slug": "b", "name": "Netspeak", "country": "US"},
        ]
    }
    with pytest.raises(GazetteerError, match="also matches"):
        build_gazetteer(records)


def article(body: str) -> Article:
    return Article(title="A story", body=paragraphs(body), source_path=Path("x.txt"))


def test_ambiguous_alias_needs_context() -> None:
    fruit = tag(article("She ate an Orange at lunch."))
    carrier = tag(article("Orange, the French mobile operator, cut prices."))
    assert "orange" not in {t.slug for t in fruit.companies}
    assert "orange" in {t.slug for t in carrier.companies}


def test_labour_nec_is_not_the_company() -> None:
    politics = tag(article("Labour's NEC met on Monday to approve the shortlist."))
    business = tag(article("NEC shipped 5G radios to operators in Japan."))
    assert "nec" not in {t.slug for t in politics.companies}
    assert "nec" in {t.slug for t in business.companies}


def test_dsp_needs_a_signal_processing_context() -> None:
    ads = tag(
        Article(title="Ad tech", body=paragraphs("The DSP bids on ad impressions."), source_path=Path("a"))
    )
    chips = tag(
        Article(
            title="Chips", body=paragraphs("A coherent DSP chip for optical links."), source_path=Path("c")
        )
    )
    assert "dsp" not in {t.slug for t in ads.technologies}
    assert "dsp" in {t.slug for t in chips.technologies}


def test_publication_is_never_a_subject() -> None:
    body = ("NEC, the Japanese vendor, told Light Reading about it.",)
    story = Article(title="x", body=paragraphs(*body), source_path=Path("x.txt"), publication="Light Reading")
    assert {t.slug for t in tag(story).companies} == {"nec"}


def test_byline_and_bio_are_not_scanned() -> None:
    story = Article(
        title="Plain title",
        body=paragraphs("Nothing here."),
        source_path=Path("x.txt"),
        author="Robert Clark",
        author_bio="He wrote about NEC for years.",
    )
    assert tag(story).companies == ()


def test_alias_claimed_twice_is_rejected() -> None:
    records = {
        Kind.COMPANY: [{"slug": "a", "name": "Acme"}, {"slug": "b", "name": "Beta", "aliases": ["Acme"]}],
        Kind.TECHNOLOGY: [],
    }
    with pytest.raises(GazetteerError, match="claimed by both"):
        build_gazetteer(records)


def test_unknown_parent_is_rejected() -> None:
    records = {Kind.COMPANY: [{"slug": "a", "name": "Acme", "parent": "nope"}], Kind.TECHNOLOGY: []}
    with pytest.raises(GazetteerError, match="unknown slug"):
        build_gazetteer(records)
