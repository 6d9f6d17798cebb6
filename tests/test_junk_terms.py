"""Names that would put junk on the company and technology index pages: people, parties, places,
line-ups, share indexes and sources that share a company's or technology's name
(gazetteer/namesakes.py, gazetteer/sources.py, gazetteer/tagging.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsarchive.core.models import Article, paragraphs
from newsarchive.gazetteer.namesakes import LineUp, load_namesakes
from newsarchive.gazetteer.tagging import tag


def story(title: str, *body: str) -> Article:
    return Article(title=title, body=paragraphs(*body), source_path=Path("story.txt"))


def companies(article: Article) -> list[str]:
    return sorted(t.slug for t in tag(article).companies)


def technologies(article: Article) -> list[str]:
    return sorted(t.slug for t in tag(article).technologies)


@pytest.mark.parametrize(
    ("body", "slug"),
    [
        # a person's calling or a surname's particle before the name
        ("The Cuban pianist Bebo Valdes played a short set.", "bebo"),
        ("The flanker CJ van der Linde scored twice.", "linde"),
        # between two capitalised words, even at a sentence's start: the middle of a longer name
        ("Projects are in the pipeline. Courteney Cox Arquette has been working on a drama.", "cox"),
        # a capitalised word joined by a hyphen: a longer name
        ("Chairman Peter Hill-Wood said the club was delighted.", "wood-group"),
        ("Melbourne's Herald-Sun said the coach would stay at home.", "sun-microsystems"),
        # an event named after its sponsor
        ("She will run in the Bupa Great Ireland Run on 9 April.", "bupa"),
        ("She won the Reebok Cardiff Cross Challenge in Bute Park.", "reebok"),
        ("A win would top their Heineken pool with a home game to come.", "heineken"),
        # a venue, a place, a body's longer name, a bank named after an exchange
        ("The tower is taller than the Petronas Towers in Kuala Lumpur.", "petronas"),
        ("The blocks lie in the Gulf of Suez, offshore.", "suez"),
        ("The awards are voted by the Hollywood Foreign Press Association every year.", "press-association"),
        ("The next bank to be sold is Korea Exchange Bank, owned by a US fund.", "korea-exchange"),
    ],
)
def test_a_person_event_place_or_longer_name_is_not_the_company(body: str, slug: str) -> None:
    assert slug not in companies(story("News in brief", body))


def test_a_short_name_running_into_another_company_name_is_neither_alone() -> None:
    brewer = story(
        "Beer giant swallows Russian firm",
        "Brewing giant Inbev has agreed to buy Alfa-Eco's stake in Sun Interbrew, Russia's No 2 brewer.",
    )
    assert "sun-microsystems" not in companies(brewer)


def test_a_club_in_a_match_report_is_not_its_listed_company() -> None:
    match = story(
        "Man City 0-2 Man Utd",
        "Manchester United reduced Chelsea's lead to nine points after a derby win.",
        '"It wasn\'t our best performance," said Manchester United boss Sir Alex Ferguson.',
    )
    assert "manchester-united-plc" not in companies(match)
    bid = story(
        "Man Utd to open books to Glazer",
        "Manchester United's board has agreed to give the US tycoon access to its accounts.",
    )
    assert "manchester-united-plc" in companies(bid)


def test_a_story_uses_a_name_in_one_sense() -> None:
    coach = story(
        "Coach turns down offer",
        "Australian tennis coach Tony Roche has turned down the offer, say reports.",
        "Roche, a former Davis Cup player, won the French Open in 1966.",
    )
    assert "roche" not in companies(coach)
    party = story(
        "Party names its target",
        "He announced his plans a day after launching his new party, Veritas.",
        "Veritas says it hopes to contest most seats.",
    )
    assert "veritas" not in companies(party)


def test_a_cue_inside_the_longer_name_does_not_show_the_firm() -> None:
    show = story(
        "Bets off after Big Brother leak",
        "The bookmaker stopped bets on Celebrity Big Brother after a leak.",
        'Big Brother\'s spokeswoman said: "Only a handful of people knew."',
    )
    assert "brother-industries" not in companies(show)


def test_the_firm_shown_beside_its_namesake_stays() -> None:
    carmaker = story(
        "Carmaker gains from finance",
        "Ford, the US car company, reported higher profits thanks to its finance arm.",
        '"We confronted challenges with our vehicles," said chief executive Bill Ford.',
        "Ford is working hard to revitalise its car range.",
    )
    assert "ford" in companies(carmaker)


@pytest.mark.parametrize(
    "paragraph",
    [
        "Replacements (from): Bozzi, Coutts, Anglesea, Lund, Martens, Riley, Duffy, C Jones.",
        "Hatley (71), Paice for Walt (60), Strudwick for Kennedy (60), Danaher for Gustard (66).",
    ],
)
def test_nothing_in_a_line_up_is_a_company(paragraph: str) -> None:
    assert companies(story("Worcester v Sale", "The home side won.", paragraph)) == []


def test_a_club_in_a_squad_list_is_no_technology() -> None:
    squad = "J McIlroy (Windsor, Slough, Eton and Hounslow AC), Jimmy Watkins (Cardiff AAC)."
    assert technologies(story("Squad named", "The selectors named the team.", squad)) == []


def test_a_line_up_needs_names_only() -> None:
    line_up = load_namesakes().line_up
    assert isinstance(line_up, LineUp)
    assert line_up.holds("Bozzi, Coutts, Anglesea, Lund, Martens, Riley.")
    assert not line_up.holds("Morrisons, Woolworths and Big Food all said that sales were poor.")


@pytest.mark.parametrize(
    "body",
    [
        "The Dow Jones index closed down 1.6%, while the Nasdaq lost 1.3%.",
        "The Dow Jones index dropped, with the Nasdaq also falling as tech stocks were hit.",
        "India's Bombay Stock Exchange inched slightly above its previous record close.",
    ],
)
def test_an_exchange_moving_is_its_share_index(body: str) -> None:
    assert companies(story("Markets", body)) == []


def test_an_exchange_as_a_business_stays() -> None:
    assert "nasdaq" in companies(story("Share sale", "Nasdaq plans to raise $100m from a share sale."))


@pytest.mark.parametrize(
    ("body", "slug"),
    [
        ('In an email to the Associated Press on Wednesday, he said: "I stand by it."', "associated-press"),
        ("The Associated Press agency reported that he read their e-mails.", "associated-press"),
        ("The firm has denied to Reuters that it is the company in question.", "reuters"),
        ('"It is essential," he told technology site ZDNet.', "zdnet"),
        ('"I have wanted to do that," the captain said on television station Canal Plus.', "canal-plus"),
        ('Mr MacDonell, political editor of The Scotsman, said: "We have to say it."', "the-scotsman"),
        ('The coach continued in the Sydney Morning Herald: "He is struggling."', "sydney-morning-herald"),
        (
            "Critics were less kind, with the Los Angeles Times labelling it a vanity project.",
            "los-angeles-times",
        ),
        ("The Sunday Times and The Sunday Telegraph say the pair will oppose any bid.", "the-sunday-times"),
        ("The highest-ranking woman on Le Figaro's list was tenth.", "le-figaro"),
        ('He told Sky News: "This is the politics of the playground."', "sky"),
        (
            "They raised $250,000 to advertise the release of Firefox 1.0 in The New York Times.",
            "new-york-times",
        ),
        ('"He would not move. The Mirror had a very truncated interview," she said.', "daily-mirror"),
    ],
)
def test_a_publication_credited_for_a_quote_or_report_is_a_source(body: str, slug: str) -> None:
    assert slug not in companies(story("Quotes", body))


def test_an_abbreviation_a_company_name_begins_with_is_that_firm() -> None:
    firm = story(
        "Condom maker awaits bid",
        "UK condom maker SSL International has refused to comment on reports of a bid.",
        "SSL shares rose 5% on Monday.",
    )
    assert "ssl-international" in companies(firm)
    assert technologies(firm) == []


def test_an_abbreviation_defined_after_a_possessive_is_not_the_technology() -> None:
    pensions = story(
        "Firms pump billions into pensions",
        "A survey of 280 schemes by Incomes Data Services' (IDS) said contributions rose.",
        "IDS said the rise was the biggest for years.",
    )
    assert technologies(pensions) == []
