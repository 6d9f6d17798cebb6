"""Sources are not subjects, tickers name their company, and people, clubs and events that share
a company's name are not the company (gazetteer/sources.py, gazetteer/namesakes.py)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from newsarchive.core.errors import ConfigError, GazetteerError
from newsarchive.core.models import Article, Kind, paragraphs
from newsarchive.gazetteer.entities import build_gazetteer, load_gazetteer
from newsarchive.gazetteer.namesakes import load_namesakes
from newsarchive.gazetteer.sources import load_sources
from newsarchive.gazetteer.tagging import tag


def story(title: str, *body: str, published: datetime | None = None, estimated: bool = False) -> Article:
    return Article(
        title=title,
        body=paragraphs(*body),
        source_path=Path("story.txt"),
        published=published,
        date_estimated=estimated,
    )


def companies(article: Article) -> list[str]:
    return sorted(t.slug for t in tag(article).companies)


@pytest.mark.parametrize(
    "lead",
    [
        "LONDON (Reuters) - Shares fell sharply on Monday.",
        "WASHINGTON, Jan 5 (Reuters) -- Shares fell sharply on Monday.",
        "(Reuters) - Shares fell sharply on Monday.",
        "Reuters - Shares fell sharply on Monday.",
        "Shares fell sharply on Monday, the ministry said. (Reuters)",
        "Shares fell sharply, Mr Smith told the Reuters news agency.",
    ],
)
def test_a_dateline_or_credit_names_the_source_not_a_subject(lead: str) -> None:
    assert companies(story("Markets slide", lead, "Traders were gloomy.")) == []


@pytest.mark.parametrize(
    ("lead", "source"),
    [
        ("MUMBAI (Deccan Wire) - Infosys said profits rose.", "Deccan Wire"),
        ("Orbit Daily -- Infosys said profits rose.", "Orbit Daily"),
        ("By Priya Rao, Deccan Wire", "Deccan Wire"),
        ("Infosys said profits rose. (Kerala Press)", "Kerala Press"),
        ("Copyright 2005 Kerala Press", "Kerala Press"),
        ("Photo: Kerala Press Pictures", "Kerala Press Pictures"),
        ("The Deccan Wire contributed to this report.", "The Deccan Wire"),
    ],
)
def test_credit_positions_are_recognised_for_any_source_known_or_not(lead: str, source: str) -> None:
    spans = load_sources().source_spans(lead, in_lead=True)
    assert source in [lead[start:end] for start, end in spans]


def test_a_credit_line_hides_a_known_publication_but_not_the_story_subject() -> None:
    article = story("Outsourcing deal", "By Jane Doe, ZDNet", "BANGALORE (Reuters) - Infosys won a contract.")
    assert companies(article) == ["infosys"]


@pytest.mark.parametrize(
    ("lead", "company", "exchange"),
    [
        ("IBM (NYSE: IBM) said it would cut jobs.", "ibm", "nyse"),
        ("The database maker (Nasdaq: ORCL) said sales rose.", "oracle", "nasdaq"),
        ("Chip maker <TXN.N> said sales rose.", "texas-instruments", "nyse"),
        ("The mobile operator (LSE: VOD) said sales rose.", "vodafone", "london-stock-exchange"),
        ("The telecom group, TSE: 9432, said sales rose.", "ntt", "tokyo-stock-exchange"),
    ],
)
def test_a_ticker_tags_its_company_never_the_exchange(lead: str, company: str, exchange: str) -> None:
    assert load_gazetteer().get(Kind.COMPANY, exchange) is not None
    found = companies(story("Results", lead))
    assert company in found
    assert exchange not in found
    assert tag(story("Results", lead)).tagged(Kind.COMPANY)[0].slug == company


def test_an_unknown_ticker_tags_nothing() -> None:
    assert companies(story("Results", "The firm (NYSE: ZZZQ) said sales rose.")) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ford said sales rose, and Harrison Ford's film opened.",  # control: the carmaker is found
    ],
)
def test_the_company_itself_is_still_found(text: str) -> None:
    assert "ford" in companies(story("Cars", text))


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Manager Mark Hughes praised the side.", "hughes"),
        ("Harriet Harman told researchers.", "harman"),
        ("Mr Bell said such questions were unfair.", "bell-canada"),
        ("D Bell (Bath), S Borthwick (Bath).", "bell-canada"),
        ("They lost to Racing Santander last weekend.", "santander"),
        ("The Heineken Cup quarter-final is in April.", "heineken"),
        ("In the first of their Heineken cup double header, he scored.", "heineken"),
        ("He reached the last eight of the SAP Open.", "sap"),
        ("She won the 2005 Golden Globe for the role.", "globe-telecom"),
        ("He missed the rest of the 2005 RBS Six Nations after the injury.", "natwest-group"),
        ("She won at the Spar European Indoor Championships in Madrid.", "spar"),
        ("The game is set in Los Santos, a city like Los Angeles.", "santos"),
        ("She won the 1500m at the Norwich Union International.", "aviva"),
        ("He will run at next weekend's Norwich Union European Indoor trials in Sheffield.", "aviva"),
        ("The Southeastern Film Critics also awarded it best film.", "southeastern"),
        ("Tokyo's Nikkei 225 index of leading shares dropped 2.1%.", "nikkei"),
        ("The benchmark Dow Jones share index closed higher.", "dow-jones"),
        ("Only the Nasdaq index had held on to those gains.", "nasdaq"),
        ("The awards are held at the Odeon in London's Leicester Square.", "odeon"),
        ("The song was recorded at Hammersmith Odeon in London.", "odeon"),
    ],
)
def test_people_clubs_events_and_longer_names_are_not_the_company(text: str, slug: str) -> None:
    assert slug in [hit.surface.entity.slug for hit in load_gazetteer().scan(text)]  # the name is there
    assert slug not in companies(story("News", text, "More follows."))


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Handsets running Symbian Series 60 sold well.", "symbian"),
        ("Microsoft Open Source projects grew.", "microsoft"),
        ("He thanked chairman Vivek Paul. Wipro is majority owned by him.", "wipro"),
        ("Shares in Heineken rose.", "heineken"),
        ("Heineken cut its profit forecast.", "heineken"),
        ("Recently, Norwich Union cut its with-profit bonuses.", "aviva"),
        ("Shares in Nasdaq, which runs the exchange, rose 3%.", "nasdaq"),
        ("Nikkei, the newspaper publisher, bought a stake in the broadcaster.", "nikkei"),
        ("Rank sold the Odeon cinema chain last year.", "odeon"),
    ],
)
def test_namesake_rules_leave_product_names_and_sentence_starts_alone(text: str, slug: str) -> None:
    assert slug in companies(story("News", text))


def test_namesake_rules_name_what_they_found() -> None:
    rules = load_namesakes()
    text = "Racing Santander won."
    rule = rules.rule_for(text, 7, 16, ambiguous=False)
    assert rule is not None and rule.means == "club"


def test_a_former_name_is_matched_and_shown_as_the_name_of_its_time() -> None:
    undated = tag(story("Bank results", "Lloyds TSB said profits rose."))
    shown = [(t.slug, t.name) for t in undated.tagged(Kind.COMPANY)]
    assert shown == [("lloyds-banking-group", "Lloyds TSB")]
    today_name = "Lloyds Banking Group said profits rose."
    dated = tag(story("Bank results", today_name, published=datetime(2005, 3, 1)))
    assert dated.tagged(Kind.COMPANY)[0].name == "Lloyds TSB"
    today = tag(story("Bank results", today_name, published=datetime(2015, 3, 1)))
    assert today.tagged(Kind.COMPANY)[0].name == "Lloyds Banking Group"
    guessed = tag(story("Bank results", today_name, published=datetime(2005, 3, 1), estimated=True))
    assert guessed.tagged(Kind.COMPANY)[0].name == "Lloyds Banking Group"


def test_an_alias_may_not_also_be_ambiguous() -> None:
    record = {"slug": "a", "name": "Alpha Foods", "country": "US", "kind": "retail", "aliases": ["Alpha"]}
    record |= {"ambiguous": ["Alpha"], "context": ["supermarket"]}
    with pytest.raises(GazetteerError, match="'Alpha' is listed as an alias and as ambiguous"):
        build_gazetteer({Kind.COMPANY: [record], Kind.TECHNOLOGY: []})


def test_an_ambiguous_name_without_its_context_is_not_the_company() -> None:
    assert "iceland-foods" not in companies(
        story("Spurs bid", "Spurs want the Iceland international.", "He is 21.")
    )
    assert "iceland-foods" in companies(
        story("Grocer", "Shares in Iceland rose; the supermarket sells frozen food.")
    )


def test_a_cued_bare_name_is_the_company_the_story_names_in_full() -> None:
    airline = story(
        "Airline warns", "Shares in Continental Airlines fell.", "Continental said it may cut jobs."
    )
    assert "continental-ag" not in companies(airline)
    tyres = story("Results", "Shares in Continental fell.", "Continental said tyre sales rose.")
    assert "continental-ag" in companies(tyres)


def test_a_former_name_resolves_to_the_company_page() -> None:
    gazetteer = load_gazetteer()
    for former in ("Lloyds TSB", "ChevronTexaco", "AOL Time Warner"):
        entity = gazetteer.resolve(Kind.COMPANY, former)
        assert entity is not None and former != entity.name


def test_a_ticker_listed_twice_is_refused() -> None:
    records = [
        {"slug": "a", "name": "Alpha", "country": "US", "kind": "other", "tickers": ["NYSE:AA"]},
        {"slug": "b", "name": "Beta", "country": "US", "kind": "other", "tickers": ["NYSE:AA"]},
    ]
    with pytest.raises(GazetteerError, match="ticker NYSE:AA"):
        build_gazetteer({Kind.COMPANY: records, Kind.TECHNOLOGY: []})


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("tickers", ["IBM"], "EXCHANGE:SYMBOL"),
        ("kind", "bakery", "kind 'bakery'"),
        ("former_names", [{"name": "Old", "since": 2005, "until": 2001}], "since <= until"),
    ],
)
def test_bad_company_fields_are_refused(field: str, value: object, problem: str) -> None:
    record = {"slug": "a", "name": "Alpha", "country": "US", "kind": "other", field: value}
    with pytest.raises(GazetteerError, match=problem):
        build_gazetteer({Kind.COMPANY: [record], Kind.TECHNOLOGY: []})


def test_a_bad_source_pattern_names_the_file_and_rule(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(
        "credits:\n  - {name: broken, where: lead, pattern: '(unclosed'}\n"
        "tickers: []\nexchanges: {}\nric_suffixes: {}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="broken"):
        load_sources(path)


def test_a_namesake_rule_must_say_what_it_means(tmp_path: Path) -> None:
    path = tmp_path / "namesakes.yaml"
    path.write_text("rules:\n  - {name: odd, means: animal, before: [Big]}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="means must be one of"):
        load_namesakes(path)


@pytest.mark.parametrize(
    "text",
    [
        "Mr Smith told Reuters the deal was close.",
        "The Financial Times said Fiat may transfer the unit.",
        "The Sunday Telegraph reported that talks had stalled.",
        "He told the BBC's Today programme the plan would work.",
        "According to reports from Russian News Agency Interfax, the deal is done.",
        "According to the Financial Times, the bid was raised.",
        "He had accused an Evening Standard journalist of lying.",
        "The Guardian's film critic Peter Bradshaw liked it.",
        "A YouGov poll in the Daily Telegraph suggested 75% agreed.",
        "A Daily Telegraph poll of 1,313 people suggests otherwise.",
        "Fans took out a full-page ad in the Los Angeles Times.",
        "Reports in the Wall Street Journal suggested a sale.",
        "He was unhappy with the referee, reports the Daily Mail.",
        "The Times on Monday said the adviser had told the party.",
        "The Financial Times also reported a third shareholder had objected.",
        "According to local newspaper the Daily Telegraph, the car drove off.",
        "It is a dispute between the mayor and a reporter on the Evening Standard.",
        "The measures had been leaked to the Evening Standard.",
        '"He took part in the fraud," said the Wall Street Journal (WSJ).',
        "Reports in the Wall Street Journal and the Financial Times suggested a sale.",
        "But while Wendy Ide of The Times still thinks she has a chance, others disagree.",
    ],
)
def test_a_publication_credited_for_a_report_or_quote_is_a_source(text: str) -> None:
    media = {e.slug for e in load_gazetteer().of_kind(Kind.COMPANY) if e.sector == "media"}
    article = story("Deal talks", "Analysts were divided.", "Shares rose.", text)
    assert not media & set(companies(article))


def test_a_publication_named_before_a_person_or_as_the_subject_is_kept() -> None:
    founder = story(
        "Film", "The label's story is told.", "Shares rose.", "It is good, said the Factory Records founder."
    )
    assert "factory-records" in companies(founder)
    commissioned = story(
        "Film wins", "The film was commissioned by the Film Council and Channel 4.", "It won."
    )
    assert "channel-4" in companies(commissioned)
    results = story("Guardian owner cuts jobs", "The Guardian is to cut 50 jobs.", "Its sales fell.")
    assert "the-guardian" in companies(results)


def test_an_attribution_drops_only_publications() -> None:
    article = story(
        "Chips", "Analysts were divided.", "Shares rose.", "According to Gartner, Intel gained share."
    )
    assert {"gartner", "intel"} <= set(companies(article))


def test_the_market_where_shares_trade_is_not_a_subject() -> None:
    article = story(
        "Listing", "Analysts were divided.", "Its shares are listed on the London Stock Exchange."
    )
    assert "london-stock-exchange" not in companies(article)


def test_an_abbreviation_the_story_defines_otherwise_is_not_the_company() -> None:
    text = "The Marine Stewardship Council (MSC) label is on the fish. MSC halibut sold well."
    assert "msc" not in companies(story("Fish", text))
    assert "electronic-arts" in companies(story("Games", "Electronic Arts (EA) said EA would grow."))


def test_share_links_and_picture_credits_are_not_subjects() -> None:
    assert "meta" not in companies(story("News", "A story.", "Share on Facebook | Share on Twitter"))
    assert "associated-press" not in companies(story("News", "A picture (photo via Associated Press)."))


def test_a_publication_named_with_a_tagline_is_still_the_publisher() -> None:
    article = Article(
        title="Cargo ship lost",
        deck="The latest news and headlines from Yahoo! News.",
        body=paragraphs("A cargo ship broke up over Siberia."),
        source_path=Path("p.html"),
        publication="Yahoo News - Latest News & Headlines",
    )
    assert "yahoo" not in [t.slug for t in tag(article).companies]


def test_a_venue_named_after_a_company_is_not_the_company() -> None:
    assert "kodak" not in companies(
        story("Oscars", "The event at the Kodak Theatre will be attended by 3,300.")
    )


def test_a_numbered_gallery_caption_is_furniture() -> None:
    caption = "12/50Pinewood Studios said Burberry and Sony had booked its stages.AFP/Getty"
    assert companies(story("Hotel secrets", "Hotel towels are not always clean.", caption)) == []
    assert "sony" in companies(story("Sony results", "Sony said 9/11 hurt sales."))
