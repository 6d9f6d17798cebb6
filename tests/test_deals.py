"""Deals: extraction rules, the seed's deals, the Deals: post line, one deal from many
stories, the `deals` command and the deals on the built site."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from conftest import SEED

from newsarchive.cli import main
from newsarchive.core.config import Config
from newsarchive.core.models import Article, Deal, DealAmount, DealParty, paragraphs
from newsarchive.core.posts import deals_line, parse_deals, parse_post
from newsarchive.gazetteer.deals import (
    StoryDeals,
    date_in,
    extract_deals,
    load_deal_rules,
    merge_deals,
    money,
    sentences,
)
from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.gazetteer.retag import retag_text
from newsarchive.gazetteer.tagging import tag
from newsarchive.ingest.importer import import_sources, read_article, with_date
from newsarchive.site.build import build_site

RULES = load_deal_rules()


def amounts(text: str) -> list[tuple[float, str, float | None]]:
    return [(m.amount.value, m.amount.currency, m.amount.usd) for m in money(text, RULES)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NTT takes $560M stake", [(560e6, "USD", 560e6)]),
        ("revenue of 510 billion yen (US$4.8 billion) last year", [(510e9, "JPY", 4.8e9)]),
        ("a deal worth £1.2bn", [(1.2e9, "GBP", None)]),
        ("an accord worth 1.8 billion dollars", [(1.8e9, "USD", 1.8e9)]),
        ("pay Fiat 1.55bn euros ($2bn; £1.1bn) to", [(1.55e9, "EUR", 2e9)]),
        ("valued at A$3.1bn ($2.4bn; £1.25bn )", [(3.1e9, "AUD", 2.4e9)]),
        ("a 4.8% stake in 2020", []),
    ],
)
def test_money_with_the_dollar_figure_the_story_gives(text: str, expected: list[object]) -> None:
    assert amounts(text) == expected


@pytest.mark.parametrize(
    ("sentence", "day", "expected"),
    [
        ("It announced an accord with Toyota in March.", datetime(2020, 6, 25), "2020-03"),
        ("It announced an accord with Toyota in March.", datetime(2020, 2, 10), "2019-03"),
        ("Its 2001 acquisition of Liffe.", datetime(2005, 1, 1), "2001"),
        ("The mill was sold in June 2004 for $800m.", datetime(2005, 1, 1), "2004-06"),
        ("GE bought Vivendi Universal last year.", datetime(2005, 1, 1), "2004"),
        ("Verizon will buy MCI.", datetime(2005, 1, 1), ""),
    ],
)
def test_the_date_a_sentence_gives(sentence: str, day: datetime, expected: str) -> None:
    assert date_in(sentence, day, RULES) == expected


def test_sentences_do_not_end_at_abbreviations() -> None:
    text = "Japan Inc. heavyweights NTT and NEC met Mr. Smith. It was agreed."
    assert sentences(text) == ["Japan Inc. heavyweights NTT and NEC met Mr. Smith.", "It was agreed."]


def seed_deals() -> tuple[Deal, ...]:
    article = read_article(SEED, 10**7)
    assert isinstance(article, Article)
    return extract_deals(tag(with_date(article, SEED)))


def roles(deal: Deal) -> set[tuple[str, str]]:
    return {(p.slug, p.role) for p in deal.parties}


def test_the_seed_stake_alliance_and_the_earlier_toyota_accord() -> None:
    deals = seed_deals()
    stake = next(
        d for d in deals if d.type == "stake" and roles(d) == {("ntt", "investor"), ("nec", "investee")}
    )
    assert stake.share_percent == 4.8
    assert stake.amount == DealAmount(560e6, "USD", 560e6)
    assert stake.date.startswith("2020-06")
    assert any("4.8% stake" in sentence for sentence in stake.evidence)
    assert any(
        d.type == "partnership" and roles(d) == {("ntt", "partner"), ("nec", "partner")} for d in deals
    )
    accord = next(
        d for d in deals if d.type == "partnership" and {p.slug for p in d.parties} == {"ntt", "toyota"}
    )
    assert accord.amount == DealAmount(1.8e9, "USD", 1.8e9)
    assert accord.date == "2020-03"
    both_ways = [d for d in deals if d.type == "stake" and {p.slug for p in d.parties} == {"ntt", "toyota"}]
    assert {frozenset(roles(d)) for d in both_ways} == {
        frozenset({("ntt", "investor"), ("toyota", "investee")}),
        frozenset({("toyota", "investor"), ("ntt", "investee")}),
    }
    assert all(d.date == "2020-03" for d in both_ways)


def story(text: str, day: datetime = datetime(2005, 3, 1)) -> tuple[Deal, ...]:
    title, *body = text.split("\n")
    article = Article(title=title, body=paragraphs(*body), source_path=Path("x.txt"), published=day)
    return extract_deals(tag(article))


def test_roles_by_position_preposition_and_passive() -> None:
    deals = story("Deal news\nThe firm Vodafone has been bought by Verizon for $10bn.")
    assert [(d.type, roles(d)) for d in deals] == [
        ("acquisition", {("vodafone", "target"), ("verizon", "buyer")})
    ]
    assert deals[0].amount == DealAmount(10e9, "USD", 10e9)
    assert deals[0].status == "completed"


def test_a_described_party_is_the_latest_company_of_its_kind() -> None:
    """ "the Japanese carmaker" is Toyota (automotive), not Sony or the bank named after it; a
    company known to be of the kind comes before one whose kind is unknown."""
    deals = story(
        "Car news\nToyota said on Monday that profits were up.\nSony and Mizuho Bank were also "
        "mentioned.\nNTT will take a 5% stake in the Japanese carmaker."
    )
    assert [(d.type, roles(d)) for d in deals] == [("stake", {("ntt", "investor"), ("toyota", "investee")})]
    # a general noun ("the firm") takes the latest party named, whatever its kind
    general = story("Bank news\nMizuho Bank reported results.\nNTT will buy the firm for $2bn.")
    assert [roles(d) for d in general] == [{("ntt", "buyer"), ("mizuho", "target")}]


def test_a_hypothetical_a_denial_or_a_forecast_tells_no_event() -> None:
    assert story("Bank news\nIf Barclays buys a stake in Absa, it will be a big deal.") == ()
    assert story("Car news\nFiat has the right to sell its car division to General Motors.") == ()
    assert story("Phone news\nVodafone denied it was planning to buy Telefonica.") == ()
    assert story("Phone news\nAnalysts expect Vodafone to buy Telefonica next year.") == ()
    told = story("Phone news\nShareholders backed a deal for Vodafone to buy Telefonica.")
    assert [roles(d) for d in told] == [{("vodafone", "buyer"), ("telefonica", "target")}]


def test_a_bid_with_no_target_is_for_the_storys_main_company() -> None:
    deals = story(
        "Euronext eyes a merger\nEuronext held talks last week.\n"
        "Deutsche Boerse said it would make an all-cash offer of $2bn."
    )
    assert [(d.type, roles(d)) for d in deals] == [
        ("acquisition", {("deutsche-boerse", "buyer"), ("euronext", "target")})
    ]


def test_one_event_per_separately_marked_party_and_a_retold_merger() -> None:
    challenges = story(
        "Airline rules\nThe European Commission is facing two legal challenges - one from Ryanair "
        "and the other from easyJet."
    )
    assert sorted(sorted(roles(d)) for d in challenges) == [
        [("easyjet", "plaintiff"), ("european-commission", "defendant")],
        [("european-commission", "defendant"), ("ryanair", "plaintiff")],
    ]
    retold = story("Media news\nGeneral Electric bought Vivendi Universal, merging it with NBC.")
    assert [d.type for d in retold] == ["acquisition"]


def test_a_price_paid_a_holding_and_the_thing_sold() -> None:
    paid = story("Phone news\nVerizon has paid $1bn for US phone company MCI.")
    assert [(d.type, d.amount) for d in paid] == [("acquisition", DealAmount(1e9, "USD", 1e9))]
    held = story("Oil news\nGroup Menatep, which controls 51% of Yukos, says this was illegal.")
    assert [(d.type, d.share_percent) for d in held] == [("stake", 51.0)]
    owned = story("Phone news\nNokia, which is majority-owned by Siemens, said profits rose.")
    assert [(d.type, roles(d)) for d in owned] == [
        ("stake", {("nokia", "investee"), ("siemens", "investor")})
    ]
    sold = story(
        "Wine news\nThe shares came from the Oatley family, who founded the Rosemount Estates label "
        "and sold it to Southcorp in 2001."
    )
    assert [(d.type, roles(d)) for d in sold] == [
        ("acquisition", {("rosemount-estates", "target"), ("southcorp", "buyer")})
    ]


def test_a_story_without_a_deal_has_none() -> None:
    assert (
        story("Profits rise\nNokia said profits rose 10% to $2bn in the year, helped by Vodafone sales.")
        == ()
    )


def test_names_the_gazetteer_lacks_and_a_back_reference() -> None:
    deals = story(
        "Retail news\nUS retail giant Zephyrine Department Stores is to buy rival Quillonby Stores "
        "for $11bn (£5.7bn).\nThe company said Zephyrine would keep both brands."
    )
    assert [(d.type, {p.name for p in d.parties}) for d in deals] == [
        ("acquisition", {"Zephyrine Department Stores", "Quillonby Stores"})
    ]


def test_deals_line_round_trip_and_a_broken_line() -> None:
    deals = seed_deals()
    assert parse_deals(deals_line(deals)) == deals
    assert "\n" not in deals_line(deals)
    with pytest.raises(ValueError, match=r"Deals: not valid JSON"):
        parse_deals('[{"type": "stake"')
    with pytest.raises(ValueError, match=r"Deals\[0\]: malformed deal"):
        parse_deals('[{"type": "stake", "parties": [{"name": "NTT"}]}]')


def deal(status: str, date: str, value: float | None = None) -> Deal:
    parties = (DealParty("Verizon", "verizon", "buyer"), DealParty("MCI", "mci", "target"))
    amount = DealAmount(value, "USD", value) if value else None
    return Deal("acquisition", status, parties, amount=amount, date=date, evidence=(f"{status} sentence",))


def test_one_deal_from_many_stories_with_its_history() -> None:
    told = [
        StoryDeals("a.txt", "2005-01-10", (deal("rumoured", "2005-01-10"),)),
        StoryDeals("b.txt", "2005-02-14", (deal("agreed", "2005-02-14", 6.8e9),)),
        StoryDeals("c.txt", "2006-01-05", (deal("completed", "2006-01-05"),)),
        StoryDeals("d.txt", "2011-01-05", (deal("rumoured", "2011-01-05"),)),  # years later: another deal
    ]
    merged = merge_deals(told)
    assert [m.stories for m in merged] == [("d.txt",), ("a.txt", "b.txt", "c.txt")]
    first = merged[1]
    assert first.deal.status == "completed"
    assert first.deal.amount == DealAmount(6.8e9, "USD", 6.8e9)
    assert [r.status for r in first.history] == ["rumoured", "agreed", "completed"]
    assert first.deal.evidence == ("rumoured sentence", "agreed sentence", "completed sentence")


def imported(project: Config) -> Path:
    import shutil

    shutil.copy(SEED, project.sources / SEED.name)
    assert import_sources(project).exit_code == 0
    (post,) = project.content.rglob("*.md")
    return post


def test_the_import_writes_deals_and_a_hand_edit_survives_retag(project: Config) -> None:
    post = imported(project)
    text = post.read_text(encoding="utf-8")
    assert parse_deals(parse_post(text).get("deals")) == seed_deals()
    gazetteer = load_gazetteer()
    assert retag_text(text, post, gazetteer) == text  # an untouched post: the same deals again
    edited = "\n".join(line if not line.startswith("Deals:") else "Deals: []" for line in text.split("\n"))
    again = retag_text(edited, post, gazetteer)
    assert parse_post(again).edited and parse_post(again).get("deals") == "[]"
    post.write_text(edited, encoding="utf-8")
    assert import_sources(project).outcomes[0].status.value == "kept-edited"
    assert "Deals: []" in post.read_text(encoding="utf-8")


def test_deals_command_prints_the_contract(project: Config, capsys: pytest.CaptureFixture[str]) -> None:
    imported(project)
    assert main(["--root", str(project.root), "deals", "--json"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert records and all(
        set(r) >= {"type", "status", "parties", "amount", "share_percent", "date", "stories", "evidence"}
        for r in records
    )
    stake = next(r for r in records if r["type"] == "stake" and r["share_percent"] == 4.8)
    assert stake["parties"][0] == {"name": "NTT", "slug": "ntt", "role": "investor"}
    assert stake["amount"] == {"value": 560e6, "currency": "USD", "usd": 560e6}
    assert stake["stories"] == [f"sources/{SEED.name}"]


def test_deals_command_names_a_broken_post(project: Config, capsys: pytest.CaptureFixture[str]) -> None:
    post = imported(project)
    text = post.read_text(encoding="utf-8")
    post.write_text(text.replace("Deals: [", "Deals: [[", 1), encoding="utf-8")
    assert main(["--root", str(project.root), "deals"]) == 1
    err = capsys.readouterr().err
    assert post.name in err and "not valid JSON" in err


def test_deals_on_the_site(built_site: Config) -> None:
    site = built_site.output
    story_page = (
        site / "2020/06/25/ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance/index.html"
    ).read_text()
    assert "Deals in this story" in story_page and "4.8%" in story_page and "$560 million" in story_page
    # the search page's "Deal type" facet
    assert '<span data-pagefind-filter="deal">Stake</span>' in story_page
    assert 'data-filter="deal"' in (site / "search/index.html").read_text()
    for company in ("ntt", "nec", "toyota"):
        html = (site / "companies" / company / "index.html").read_text()
        assert '<h2 id="deals-heading">Deals</h2>' in html, company
        assert "$560 million" in html or company == "toyota"
        assert "$1.8 billion" in html or company == "nec"
        assert "<svg" in html and "Most frequent counterparties" in html
    ntt = (site / "companies/ntt/index.html").read_text()
    assert '<time datetime="2020-03">March 2020</time>' in ntt
    assert ntt.index("June 2020") < ntt.index("March 2020")  # newest first
    deals_page = (site / "deals/index.html").read_text()
    assert 'href="#year-2020"' in deals_page or "year-2020" in deals_page
    assert 'href="/search/?deal=Stake"' in (site / "deals/stake/index.html").read_text()
    feed = (site / "feeds/companies/toyota.atom.xml").read_text()
    assert "Deals: " in feed and "Partnership" in feed


def test_a_theme_copied_before_deals_pages_still_builds(seed_project: Config) -> None:
    """A project's own copy of an older theme: no deals template, no links to /deals/."""
    templates = seed_project.root / "theme" / "templates"
    (templates / "deals.html").unlink()
    for partial in templates.rglob("*.html"):
        lines = partial.read_text(encoding="utf-8").splitlines(keepends=True)
        partial.write_text("".join(line for line in lines if "/deals/" not in line), encoding="utf-8")
    assert import_sources(seed_project).exit_code == 0
    build_site(seed_project, strict=True)
    assert (seed_project.output / "companies" / "ntt" / "index.html").is_file()
    assert not (seed_project.output / "deals").exists()
