"""The listing decision ("also mentioned"): the features read off each mention, the fitted
score from data/listing.yaml, and the mention rules that feed it (a technology's name inside a
longer proper name, "net" for "internet")."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import pytest

from newsarchive.core.datafiles import data_path
from newsarchive.core.errors import ConfigError
from newsarchive.core.models import Article, Kind, Zone, paragraphs
from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.gazetteer.listing import (
    FEATURES,
    SaidAt,
    Sentences,
    features,
    listing_score,
    load_listing,
    said_at,
    says_something,
)
from newsarchive.gazetteer.tagging import listing_candidates, tag
from newsarchive.gazetteer.wordforms import net_forms, word_forms


def story(title: str, *body: str) -> Article:
    return Article(title=title, body=paragraphs(*body), source_path=Path("x.txt"))


def listed(article: Article, **listing: float) -> set[str]:
    rules = dataclasses.replace(load_listing(), **listing) if listing else None
    return {term.slug for term in tag(article, listing=rules).technologies}


LONG = story(
    "Sony unveils a new handheld",
    "Sony has unveiled a new handheld console for gamers in Japan.",
    "The handheld console will go on sale in March.",
    "It connects to the internet and plays music, said the firm, which sells televisions.",
    "Analysts said smartphones are its main rival, since many people now play games on them.",
    "The firm also makes digital cameras.",
)


def test_sentences_are_found_once_per_paragraph() -> None:
    text = "Laser links can struggle in fog. The links also take less time to set up! Yes."
    sentences = Sentences(text)
    assert [sentences.index(text.index(word)) for word in ("Laser", "links also", "Yes")] == [0, 1, 2]
    assert sentences.words_before(text.index("links also")) == 1


@pytest.mark.parametrize(
    ("text", "name", "modifier", "predicate", "opening"),
    [
        ("Laser links can struggle in fog.", "Laser links", False, True, True),
        ("It used a 3D graphics engine to draw it.", "3D graphics", True, False, False),
        ("The web portal was founded by two students.", "web portal", False, True, True),
        ("Users of the web portal said so.", "web portal", False, False, False),
    ],
)
def test_a_mention_is_read_for_what_follows_it_and_where_it_stands(
    text: str, name: str, modifier: bool, predicate: bool, opening: bool
) -> None:
    start = text.index(name)
    said = said_at(load_listing(), Sentences(text), 3, Zone.BODY, start, start + len(name), False, False)
    assert (said.modifier, said.predicate, said.opening) == (modifier, predicate, opening)
    assert said.sentence == (3, 0)


def test_features_count_sentences_lists_and_crowded_sentences() -> None:
    said = [
        SaidAt(Zone.LEAD, (2, 0), False, False, False, True, True),
        SaidAt(Zone.BODY, (3, 1), True, True, True, False, False),
        SaidAt(Zone.BODY, (3, 1), True, False, False, False, False),
    ]
    values = features(said, {(2, 0): 1, (3, 1): 3}, 0.5, narrower=True, broader=False, below=3)
    assert set(values) == set(FEATURES)
    assert values["sentences"] == math.log2(3)
    assert values["lead"] == values["opening"] == values["predicate"] == values["narrower"] == 1.0
    assert values["listed"] == pytest.approx(1 / 3)
    assert values["weak"] == values["modifier"] + 1 / 3 == pytest.approx(2 / 3)
    assert values["alone"] == pytest.approx(1 / 3)
    assert (values["share"], values["broader"], values["generic"]) == (0.5, 0.0, 2.0)


def test_the_score_is_the_bias_plus_the_weighted_features_against_the_cut() -> None:
    rules = dataclasses.replace(load_listing(), bias=-1.0, weights={"sentences": 2.0, "lead": 1.0}, cut=0.5)
    values = dict.fromkeys(FEATURES, 0.0) | {"sentences": 1.0}
    assert listing_score(rules, values) == 1.0
    assert says_something(rules, values)
    assert not says_something(rules, values | {"sentences": 0.5})


def test_the_cut_decides_what_is_also_mentioned_and_never_what_is_tagged() -> None:
    everything, nothing = listed(LONG, cut=-math.inf), listed(LONG, cut=math.inf)
    tagged = {term.slug for term in tag(LONG).technologies if term.tagged}
    assert "handheld-consoles" in tagged and tagged <= nothing
    assert nothing < everything
    assert tagged == nothing


def test_every_case_the_decision_is_asked_about_is_an_untagged_technology_with_all_features() -> None:
    asked = listing_candidates(LONG)
    untagged = {
        term.slug
        for term in tag(LONG, listing=dataclasses.replace(load_listing(), cut=-math.inf)).technologies
        if not term.tagged
    }
    assert {slug for slug, _ in asked} == untagged
    assert all(set(values) == set(FEATURES) for _, values in asked)


def test_a_listing_file_with_an_unknown_feature_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "listing.yaml"
    text = data_path("gazetteer", "listing.yaml").read_text(encoding="utf-8")
    path.write_text(text.replace("weights:\n", "weights:\n  loudness: 1.0\n"), encoding="utf-8")
    with pytest.raises(ConfigError, match=r"listing.yaml: weights: unknown features \['loudness'\]"):
        load_listing(path)


def test_the_gazetteer_knows_what_is_above_and_below_a_technology() -> None:
    gazetteer = load_gazetteer()
    assert "mobile-networks" in gazetteer.ancestors(Kind.TECHNOLOGY, "5g")
    assert gazetteer.below("mobile-networks") > gazetteer.below("5g") >= 0
    assert gazetteer.below("no-such-technology") == 0


@pytest.mark.parametrize(
    ("text", "slug", "found"),
    [
        ("But the UK Internet Forum (UKIF) is concerned about the plan.", "online-forums", False),
        ("He was monitored by the FBI's Internet Fraud Complaint Center.", "online-fraud", False),
        ("I too would back the Sinclair Spectrum for its keyboard.", "spectrum", False),
        ("Fraudsters run internet fraud from abroad, the police said.", "online-fraud", True),
        ("Studios want Digital Rights Management (DRM) on every disc.", "drm", True),
        ("Members of an internet forum said the plan was flawed.", "online-forums", True),
    ],
)
def test_a_lowercase_technology_in_title_case_inside_a_longer_name_is_that_name(
    text: str, slug: str, found: bool
) -> None:
    article = story("A story", "It was a day like any other for the people who were there.", text)
    assert (slug in {m.slug for m in tag(article).mentions}) is found


def test_internet_is_also_written_net_except_before_a_word_of_finance() -> None:
    assert net_forms("internet censorship") == {"net censorship"}
    assert "net censorship" in word_forms("internet censorship", weak=False)
    assert net_forms("internet sale") == net_forms("Internet Explorer") == set()
    article = story("China tightens its grip", "Its technologies for net censorship are advanced.")
    assert "internet-censorship" in {m.slug for m in tag(article).mentions}
