"""The technology taxonomy: word forms through the normaliser, senses as data, the DAG check,
and subjects named in a short item's headline or lead."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from newsarchive.core.errors import GazetteerError
from newsarchive.core.models import Article, Kind, paragraphs
from newsarchive.gazetteer.entities import build_gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import tag
from newsarchive.gazetteer.wordforms import numbers, spellings, word_forms


def technologies_in(text: str) -> list[str]:
    return [hit.surface.entity.slug for hit in load_gazetteer().scan(text)]


def tagged(title: str, *body: str) -> set[str]:
    story = Article(title=title, body=paragraphs(*body), source_path=Path("x.txt"))
    return {term.slug for term in tag(story).tagged(Kind.TECHNOLOGY)}


def listed(title: str, *body: str) -> set[str]:
    story = Article(title=title, body=paragraphs(*body), source_path=Path("x.txt"))
    return {term.slug for term in tag(story).technologies}


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("She sent an e-mail", "email"),
        ("She sent an email", "email"),
        ("E-mail is old", "email"),
        ("Emails piled up", "email"),
        ("a Wi-Fi link", "wi-fi"),
        ("a WiFi link", "wi-fi"),
        ("a wifi link", "wi-fi"),
        ("open-source code", "open-source"),
        ("open source code", "open-source"),
        ("two smartphones", "smartphones"),
        ("a smartphone", "smartphones"),
        ("new laptop computers", "laptops"),
        ("search engines compete", "search-engines"),
        ("faster GPUs", "gpus"),
        ("computer viruses spread", "computer-viruses"),
    ],
)
def test_word_forms_match_without_being_listed(text: str, slug: str) -> None:
    assert technologies_in(text) == [slug]


def test_word_form_rules() -> None:
    assert spellings("e-mail") == {"e-mail", "e mail", "email"}
    assert spellings("open source") == {"open source", "open-source"}
    assert "open-source software" in spellings("open source software")  # each separator on its own
    assert "email address" not in spellings("e mail address")  # a space is never joined away
    assert numbers("smartphone") == {"smartphones"}
    assert numbers("laptop computers") == {"laptop computer"}
    assert numbers("virus") == {"viruses"}  # a singular ending in s, not a plural
    assert numbers("GPU") == {"GPUs"} and numbers("CPUs") == {"CPU"}
    assert numbers("SMS") == set()  # an abbreviation ending in S takes no s
    assert word_forms("cloud", weak=True) == set()  # weak words are not inflected


def test_company_names_are_not_inflected() -> None:
    gazetteer = build_gazetteer(
        {
            Kind.COMPANY: [{"slug": "orange-co", "name": "Orange", "country": "FR"}],
            Kind.TECHNOLOGY: [{"slug": "router", "name": "Router", "aliases": ["router"]}],
        }
    )
    found = [hit.surface.entity.slug for hit in gazetteer.scan("Oranges and routers")]
    assert found == ["router"]


def test_a_listed_form_beats_a_derived_one() -> None:
    gazetteer = build_gazetteer(
        {
            Kind.TECHNOLOGY: [
                {"slug": "a", "name": "Widget", "aliases": ["widget"]},
                {"slug": "b", "name": "Widgets", "aliases": ["widgets"]},
            ]
        }
    )
    assert [hit.surface.entity.slug for hit in gazetteer.scan("widgets")] == ["b"]


def test_word_forms_resolve_as_names() -> None:
    gazetteer = load_gazetteer()
    entity = gazetteer.resolve(Kind.TECHNOLOGY, "Game consoles")
    assert entity is not None and entity.slug == "games-consoles"


def test_wireless_means_wi_fi_in_a_hotspot_story() -> None:
    text = ("Cafe adds wireless access", "The wireless service covers the square.", "A hotspot costs little.")
    assert "mobile-networks" not in listed(*text)
    assert "wi-fi" in listed(*text)


def test_mobile_phone_operator_is_the_network_not_the_device() -> None:
    found = listed("Mobile phone operator cuts prices", "The mobile phone operator said so.")
    assert "mobile-networks" in found
    assert "mobile-phones" not in found
    assert "mobile-phones" in listed("Mobile phone sales rise", "More mobile phones were sold.")


def test_satellite_of_a_planet_is_no_satellite_communications() -> None:
    found = listed("New satellite found", "Astronomers found a satellite of Saturn, a small moon.")
    assert "satellite-communications" not in found
    assert "satellite-communications" in listed("Satellite deal", "The satellite will carry TV to homes.")


def test_battery_idioms_name_no_battery() -> None:
    rest = (
        "Rest before the cup",
        "The break lets players recharge their batteries.",
        "They play again in March.",
    )
    assert "batteries" not in listed(*rest)
    assert "batteries" not in listed("Fraud trial opens", "He faces a battery of fraud charges.")
    assert "batteries" in listed("Longer life for laptops", "New batteries could keep laptops going all day.")


def test_robots_in_a_film_story_are_no_robotics() -> None:
    film = ("Robots tops box office", "The animated film Robots opened at the top of the box office.")
    assert "robotics" not in listed(*film)
    lab = (
        "Robot learns to run",
        "Engineers at the university built a robot that runs.",
        "The film shows it.",
    )
    assert "robotics" in listed(*lab)


def test_a_short_items_subject_in_its_lead_is_tagged() -> None:
    assert "search-engines" in tagged("Results are out", "A new search engine opened on Monday.")


def test_the_bundled_taxonomy_is_broad_and_keeps_telecom_depth() -> None:
    gazetteer = load_gazetteer()
    slugs = {entity.slug for entity in gazetteer.of_kind(Kind.TECHNOLOGY)}
    assert len(slugs) >= 800
    for field in ("5g-sa", "o-ran", "iown", "operating-systems", "search-engines", "web-browsers", "email"):
        assert field in slugs
    for field in ("file-sharing", "mp3-players", "dial-up", "mms", "spacecraft", "rockets", "linux"):
        assert field in slugs


def technology(slug: str, **fields: Any) -> dict[str, Any]:
    return {"slug": slug, "name": slug.title(), **fields}


def test_broader_links_may_not_form_a_cycle() -> None:
    records = [technology("a", broader=["b"]), technology("b", broader=["c"]), technology("c", broader=["a"])]
    with pytest.raises(GazetteerError, match="cycle: a -> b -> c -> a"):
        build_gazetteer({Kind.TECHNOLOGY: records})


@pytest.mark.parametrize(
    ("sense", "problem"),
    [
        ({"forms": ["other"], "means": "b", "story_has": ["x"]}, "not forms of this entry"),
        ({"forms": ["a"], "means": "b"}, "needs story_has"),
        ({"forms": ["a"], "means": "nowhere", "story_has": ["x"]}, "unknown 'nowhere'"),
        ({"forms": ["a"], "means": "b", "story_has": "x"}, "expected a list"),
        ({"forms": ["a"], "means": "b", "story_with": ["x"]}, "unknown key"),
        ({"forms": ["a"], "means": "b", "not_followed_by": "x"}, "expected a list"),
    ],
)
def test_senses_are_schema_checked(sense: dict[str, Any], problem: str) -> None:
    records = [technology("a", aliases=["a"], senses=[sense]), technology("b")]
    with pytest.raises(GazetteerError, match=problem):
        build_gazetteer({Kind.TECHNOLOGY: records})


def test_a_bare_mobile_is_the_phone_and_the_mobile_industry_is_the_network() -> None:
    found = listed("Golf game for mobiles", "A mobile that reads your swing is on sale. Buy a new mobile.")
    assert "mobile-phones" in found and "mobile-networks" not in found
    # (no narrower technology named outright: "mobile" beside "mobile data" is that one's broader name)
    industry = listed("Mobile industry grows", "The mobile industry met. Mobile revenue rose.")
    assert "mobile-networks" in industry
    # an abbreviation in brackets between a word and the next one is read past
    body = paragraphs("New mobile (EU) networks reach it.")
    story = Article(title="Valley news", body=body, source_path=Path("x.txt"))
    assert [m.slug for m in tag(story).mentions if m.surface == "mobile"] == ["mobile-networks"]


def test_pc_is_a_generic_word_that_alone_in_passing_lists_nothing() -> None:
    assert "personal-computers" not in listed("Flaws patched", "Holes could leave PCs open to attack.")
    assert "personal-computers" in listed("PC sales rise", "Sales of PCs rose; the PC market grew again.")


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("The Computer Crime Unit at Scotland Yard was told of the fake site.", "cybercrime"),
        ("Envisional said so. Web tracking company Envisional counts downloads.", "cookies-tracking"),
        ("Microsoft said it will buy security software maker Sybari Software.", "antivirus"),
    ],
)
def test_a_technology_word_in_a_name_or_an_epithet_is_not_that_technology(text: str, slug: str) -> None:
    assert slug not in listed("A story", text)


def test_the_same_words_outside_a_name_or_epithet_are_the_technology() -> None:
    found = listed("Crime online", "Computer crime is rising. Security software sales rose.")
    assert {"cybercrime", "antivirus"} <= found


def test_a_sense_can_hold_unless_a_word_follows() -> None:
    sense = {"forms": ["widget"], "means": "gadget", "not_followed_by": ["network"]}
    records = [technology("widget", aliases=["widget"], senses=[sense]), technology("gadget")]
    gazetteer = build_gazetteer({Kind.TECHNOLOGY: records})
    body = paragraphs("A widget sold.", "The widget network grew.")
    article = Article(title="News", body=body, source_path=Path("x.txt"))
    assert [mention.slug for mention in tag(article, gazetteer).mentions] == ["gadget", "widget"]


def test_a_product_counts_for_its_class_and_is_never_listed_itself() -> None:
    records = [
        technology("widget-computers", aliases=["widget computer"]),
        technology("zeta-line", name="Zeta", aliases=["Zeta"], broader=["widget-computers"], product=True),
    ]
    gazetteer = build_gazetteer({Kind.TECHNOLOGY: records})
    story = Article(
        title="The Zeta turns twenty",
        body=paragraphs("The first Zeta went on sale in 2005.", "Zeta owners still meet every year."),
        source_path=Path("x.txt"),
    )
    slugs = {term.slug for term in tag(story, gazetteer).technologies}
    assert slugs == {"widget-computers"}


def test_the_bundled_products_count_for_their_class() -> None:
    assert listed("Apple's new PowerBook", "The PowerBook weighs less than the last one.") == {"laptops"}


@pytest.mark.parametrize("broader", [[], ["a", "b"]])
def test_a_product_needs_exactly_one_broader_technology(broader: list[str]) -> None:
    records = [technology("a"), technology("b"), technology("p", broader=broader, product=True)]
    with pytest.raises(GazetteerError, match="exactly one broader"):
        build_gazetteer({Kind.TECHNOLOGY: records})


def test_a_field_is_no_kind_so_its_noun_after_a_narrower_name_is_no_head() -> None:
    def video_games(sentence: str) -> bool:
        story = Article(
            title="Shop news", body=paragraphs("The shop opened.", sentence), source_path=Path("x.txt")
        )
        return any(mention.slug == "video-games" for mention in tag(story).mentions)

    # consoles belong to the field of video games: an Xbox video game is a game
    assert video_games("Its best seller is an Xbox video game about rally driving.")
    # a kind's class noun after a narrower name is still that one's head
    os_story = Article(
        title="Shop news", body=paragraphs("It runs the Linux operating system."), source_path=Path("x.txt")
    )
    assert all(mention.slug != "operating-systems" for mention in tag(os_story).mentions)


def test_fields_are_some_of_the_broader_entries() -> None:
    records = [technology("a"), technology("b"), technology("p", broader=["a"], fields=["b"])]
    with pytest.raises(GazetteerError, match="fields must be some of its broader"):
        build_gazetteer({Kind.TECHNOLOGY: records})
