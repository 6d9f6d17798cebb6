"""Companies written in ways a list of names cannot hold: short names without the generic
ending (gazetteer/shortnames.py) and firms the gazetteer lacks, found by how the story writes
them (gazetteer/unlisted.py). The firms here are made up, so no rule can know them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsarchive.core.errors import ConfigError
from newsarchive.core.models import Article, Kind, paragraphs
from newsarchive.gazetteer.entities import build_gazetteer, load_gazetteer
from newsarchive.gazetteer.shortnames import load_short_names
from newsarchive.gazetteer.tagging import tag
from newsarchive.gazetteer.unlisted import load_unlisted, one_letter_apart


def story(title: str, *body: str) -> Article:
    return Article(title=title, body=paragraphs(*body), source_path=Path("story.txt"))


def company(slug: str, name: str, **fields: Any) -> dict[str, Any]:
    return {"slug": slug, "name": name, "country": "GB", "kind": "consumer", **fields}


GAZETTEER = build_gazetteer(
    {
        Kind.COMPANY: [
            company("quarrow-group", "Quarrow Group"),
            company("fenwright-studios", "Fenwright Studios", kind="media"),
            company("harlow-tribune", "Harlow Tribune Group", kind="media"),
            company("ostrava-holdings", "Ostrava Holdings"),
            company("ostrava-mining", "Ostrava Mining"),
            company("pellam-stores", "Pellam Stores", kind="retail"),
            company("tarnby", "Tarnby", kind="retail"),
        ]
    }
)


def companies(*body: str, title: str = "Results", gazetteer: Any = GAZETTEER) -> list[str]:
    return sorted(t.slug for t in tag(story(title, *body), gazetteer).tagged(Kind.COMPANY))


@pytest.mark.parametrize(
    "text",
    [
        "Leisure group Quarrow will sell its film unit. Quarrow said talks went on.",
        "Quarrow shares rose 4%.",
        "Quarrow's profits doubled.",
        "The deal values Quarrow at £1bn, and shares in Quarrow rose.",
    ],
)
def test_a_short_name_counts_where_the_story_cues_it_as_a_firm(text: str) -> None:
    assert companies(text) == ["quarrow-group"]


def test_a_short_name_without_a_cue_is_not_the_company() -> None:
    assert companies("Quarrow is a village in the hills.") == []


def test_a_short_name_followed_by_its_own_ending_in_lower_case_is_the_company() -> None:
    assert companies("The group owns the Fenwright studios near London.") == ["fenwright-studios"]


def test_a_short_name_in_a_list_of_companies_the_story_names_counts() -> None:
    assert companies("Tarnby, Pellam and Quarrow Group all said sales fell.") == [
        "pellam-stores",
        "quarrow-group",
        "tarnby",
    ]


def test_the_family_name_of_several_companies_is_no_short_name() -> None:
    assert companies("Ostrava shares fell.") == []
    assert companies("Ostrava Holdings shares fell.") == ["ostrava-holdings"]


def test_a_publication_that_said_something_is_not_cued_by_it() -> None:
    assert companies("The Harlow Tribune said the bid would fail.") == []
    assert companies("Harlow Tribune shares fell.") == ["harlow-tribune"]


def test_a_short_name_resolves_to_its_company() -> None:
    assert GAZETTEER.resolve(Kind.COMPANY, "Quarrow").slug == "quarrow-group"  # type: ignore[union-attr]


def test_short_name_rules_say_what_may_stand_alone() -> None:
    rules = load_short_names()
    assert rules.short_form("Big Food Group") == "Big Food"
    assert rules.short_form("Hard Rock Cafe") == "Hard Rock"
    assert rules.short_form("National Group") == ""  # a word that names nothing alone
    assert rules.short_form("Acme Bank") == ""  # not a generic ending


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Prices fell at Velmora Hotel Holdings, a small Sri Lankan tourism firm, this week.",
            "Velmora Hotel Holdings",
        ),
        (
            "It was founded by the chairman of U.S. Garnet Systems, Inc., which makes cards.",
            "U.S. Garnet Systems",
        ),
        ("The payments went to Air Pellucid, an airline owned by two directors.", "Air Pellucid"),
        ("Jo Roe is the CEO of Quillbeam, a start-up that sells discount rooms.", "Quillbeam"),
        ("The joint founder of merchant bank Thorncastle Vane gave £300,000.", "Thorncastle Vane"),
        ("She runs the start-up Larchwood Inns Corporation, a hotel company.", "Larchwood Inns Corporation"),
        ("The US-registered Dravic Oil Corporation was fined.", "Dravic Oil Corporation"),
        ("At the time Quillon, a California-based online payments company, paid it.", "Quillon"),
    ],
)
def test_a_company_the_gazetteer_lacks_is_found_by_how_the_story_writes_it(text: str, name: str) -> None:
    tagged = tag(story("Business", text), load_gazetteer())
    assert [t.name for t in tagged.tagged(Kind.COMPANY)] == [name]


@pytest.mark.parametrize(
    "text",
    [
        "said Jo Roe, a company spokesman.",
        "The Federal Deposit Insurance Corporation said banks were safe.",
        "Canada, a key gold producer, objected.",
        "China's National Petroleum Corporation signed the deal.",
        "The Internet Corporation for Assigned Names and Numbers met.",
        "Shares in steel company Steel fell.",
        "Yesterday Holdings fell.",
        "Shares in carmaker DaimlerChrylser fell.",  # DaimlerChrysler misspelt
        "Warner Inc are likely to end the year second.",  # Warner Bros or Warner Music
        "The Three Gorges Corporation, a state-owned firm, defied the order.",  # China Three Gorges
    ],
)
def test_people_public_bodies_places_and_fragments_are_not_unlisted_companies(text: str) -> None:
    tagged = tag(story("Business", text), load_gazetteer())
    assert [
        t.name for t in tagged.tagged(Kind.COMPANY) if not load_gazetteer().get(Kind.COMPANY, t.slug)
    ] == []


@pytest.mark.parametrize(
    ("one", "other", "apart"),
    [
        ("daimlerchrylser", "daimlerchrysler", True),  # neighbours swapped
        ("daimlerchryslr", "daimlerchrysler", True),  # a letter dropped
        ("daimlerchryslers", "daimlerchrysler", True),  # one added
        ("daimlerchrysler", "daimlerchrysler", False),  # the same
        ("daimlxrchryslxr", "daimlerchrysler", False),  # two letters changed
    ],
)
def test_one_letter_apart(one: str, other: str, apart: bool) -> None:
    assert one_letter_apart(one, other) is apart


def test_names_joined_by_and_after_a_cue_are_each_a_company() -> None:
    tagged = tag(story("Shares", "Shares in construction companies Brannoc Karsa and Velde Amun rose."))
    assert sorted(t.name for t in tagged.tagged(Kind.COMPANY)) == ["Brannoc Karsa", "Velde Amun"]


def test_a_cue_word_before_a_sentence_is_no_cue() -> None:
    tagged = tag(story("Patents", "It will hurt smaller tech firms The QX says the law will pass."))
    assert tagged.tagged(Kind.COMPANY) == ()


def test_an_unlisted_company_in_page_furniture_is_not_a_subject() -> None:
    tagged = tag(story("Gallery", "12/50Brisling Wares was sold to the private equity firm Osmund Partners."))
    assert tagged.tagged(Kind.COMPANY) == ()


def test_a_headline_alone_names_no_unlisted_company() -> None:
    assert tag(story("Vantor Holdings Beats Forecasts", "Profits rose."), load_gazetteer()).companies == ()


def test_the_unlisted_rules_are_checked(tmp_path: Path) -> None:
    bad = tmp_path / "unlisted.yaml"
    bad.write_text("legal_suffixes: [Inc]\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"unlisted\.yaml"):
        load_unlisted(bad)


def test_a_curly_apostrophe_matches_a_straight_one() -> None:
    gazetteer = build_gazetteer({Kind.COMPANY: [company("wrens", "Wren's")]})
    assert [hit.surface.entity.slug for hit in gazetteer.scan("sold at Wren’s in 2006")] == ["wrens"]
