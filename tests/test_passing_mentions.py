"""Technologies named in passing: lists of names, weak words alone, one clause in a long story;
and the senses of words that often name no technology."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from newsarchive.core.models import Article, Kind, paragraphs
from newsarchive.gazetteer.lists import find_lists
from newsarchive.gazetteer.tagging import tag


def items(text: str, of_names: bool = True) -> list[str]:
    return [text[a:b] for run in find_lists(text) if run.of_names == of_names for a, b in run.items]


def story(title: str, *body: str) -> Article:
    return Article(title=title, body=paragraphs(*body), source_path=Path("x.txt"))


def listed(article: Article) -> set[str]:
    return {term.slug for term in tag(article).technologies}


def test_a_list_of_names_is_found_with_its_first_and_last_items() -> None:
    text = "It is available to rent on iTunes, Vudu, Amazon, YouTube, and Google Play today."
    assert items(text) == ["to rent on iTunes", "Vudu", "Amazon", "YouTube", "Google Play today"]


@pytest.mark.parametrize(
    "text",
    [
        "Microsoft, which makes Windows, said on Tuesday that it would.",  # commas, no "and"
        "It covers free speech and online censorship.",  # two items
        "Half have a fixed-line telephone, the report said, and 77% a mobile network.",  # a source
    ],
)
def test_clauses_that_are_not_lists(text: str) -> None:
    assert items(text) == items(text, of_names=False) == []


def test_a_list_of_common_nouns_is_a_list_but_not_of_names() -> None:
    text = "Its products include small cells, packet optical transport, microwave backhaul and cable."
    assert items(text) == []
    assert items(text, of_names=False)[1:] == ["packet optical transport", "microwave backhaul", "cable"]


def test_a_technology_among_things_that_are_not_technologies_is_named_in_passing() -> None:
    spending = "Cuts hit law enforcement, space exploration, environmental clean-up and economic development."
    products = "It sells small cells, packet optical transport, microwave backhaul and submarine cable."
    assert "space-technology" not in listed(story("The budget", "Spending is growing.", spending))
    assert "submarine-cable" in listed(story("Revenue", "The unit grew.", products))


def test_a_technology_named_only_in_lists_of_names_in_the_body_is_not_listed() -> None:
    lead = "The best films of the year, and where to watch them."
    lists = [f"Film {n} is available to rent on Vudu, iTunes, Amazon and YouTube." for n in range(3)]
    assert "online-music" not in listed(story("Films", lead, *lists))
    said = "Apple said iTunes sold a million songs."
    assert "online-music" in listed(story("Films", lead, *lists, said))


def test_a_weak_word_alone_in_the_body_is_listed_only_if_it_reaches_the_threshold() -> None:
    def body(times: int) -> list[str]:
        said = ["Security was discussed at length again." for _ in range(times)]
        # the last sentence makes "security" computer security; it names no narrower technology,
        # which would make "security" that one's broader name (the test below)
        return ["The minister spoke.", "Talks went on.", *said, "Its computer systems were down."]

    assert "cybersecurity" not in listed(story("Talks", *body(7)))  # 7 x 0.25 < 2
    assert "cybersecurity" in listed(story("Security on the agenda", *body(7)))  # in the headline
    assert "cybersecurity" in listed(story("Talks", "Security was the theme.", *body(3)))  # in the lead
    assert "cybersecurity" in listed(story("Talks", *body(8)))


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("It is a matter of national security, ministers said. Hackers use computers.", "cybersecurity"),
        ("Views from across the political spectrum were heard in the debate.", "spectrum"),
        ("Somali piracy in the Gulf of Aden rose again, the navy said.", "software-piracy"),
        ("You could just pick up some renewable batteries for the controller.", "renewable-energy"),
        ("He cloned the repository from GitHub and cloning took a minute.", "stem-cells"),
        ("Lander scored twice for the visitors in the second half.", "space-probes"),
        ("The tea came with ginger nuts and wafers on a plate.", "wafers"),
        ("The sculpture has an antenna that picks up messages sent by visitors' phones.", "antennas"),
        ("A satellite antenna on the school roof brings the lessons to 40 pupils.", "antennas"),
        ("The pirated DVD market is huge, and piracy costs film studios dear.", "software-piracy"),
        (
            "Hundreds of servers worked on a protein folding experiment in the demonstration.",
            "bioinformatics",
        ),
        ("The picture went viral on social media sites within a day.", "internet-memes"),
        ("The astronomers worked at the observatory on the hill, where she kept the records.", "telescopes"),
    ],
)
def test_words_in_a_sense_that_is_no_technology(text: str, slug: str) -> None:
    assert slug not in listed(story("A story", text, text))


def test_piracy_in_a_music_story_is_file_sharing() -> None:
    text = "Record sales fell as internet piracy grew; the music industry blames downloads."
    assert "file-sharing" in listed(story("Music sales fall", text))
    cinemas = "Each film is encrypted against piracy, and each cinema gets its own key to the film."
    assert "file-sharing" not in listed(story("Digital cinemas", cinemas))  # no downloading: not file sharing


def test_one_clause_in_a_long_story_about_something_else_is_not_listed() -> None:
    about = [f"The games console sold well, and the console {n} is fast." for n in range(60)]
    clause = "It connects to my home theater."
    assert "home-cinema" not in listed(story("A games console review", *about, clause))
    assert "home-cinema" in listed(story("A short note", "A review.", clause))


def test_the_same_subject_has_one_entry() -> None:
    from newsarchive.gazetteer.entities import load_gazetteer

    gazetteer = load_gazetteer()

    def slug(name: str) -> str | None:
        entity = gazetteer.resolve(Kind.TECHNOLOGY, name)
        return entity.slug if entity else None

    assert slug("Text messages") == slug("Text messaging") == slug("SMS")
    assert slug("Microprocessors") == slug("CPUs")
    assert slug("JavaScript") != slug("Java")
    assert slug("CD") == slug("compact disc") is not None


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("A survey by Incomes Data Services (IDS) found pay rose. IDS said so.", "intrusion-detection"),
        ("The film has a song composed by AR Rahman for the show.", "ar-vr"),
        ("Monty Python's song came third in the poll of listeners.", "python-language"),
        ("In an e-mail to the Associated Press, he said he would appeal.", "email"),
        ("People could be given the mobile phone number of their local officer.", "mobile-phones"),
        ("The Sunday paper paid for the serialisation of her memoir, her agent said.", "serialization"),
        ("He was arrested for having a fake ID card at the club, police said.", "identity-cards"),
        ("It will build a new medium-sized car at the factory.", "digital-media"),
        ("Mixed signals came from the French economy as output rose.", "analog-chips"),
    ],
)
def test_words_that_stand_for_something_else_here(text: str, slug: str) -> None:
    assert slug not in listed(story("A story", text))


def test_the_same_words_in_their_technology_sense() -> None:
    assert "email" in listed(story("Spam", "Spam e-mail makes up most e-mail sent; filters block it."))
    assert "intrusion-detection" in listed(story("Hackers", "An intrusion detection system (IDS) saw it."))


def test_shares_in_electronic_trading_and_advertising_revenue_are_no_technology() -> None:
    text = "Shares rose 4% in electronic trading after the close. Group advertising revenues grew 10%."
    assert listed(story("Results", "The firm made a profit.", text)) == set()


def test_a_technology_defined_by_its_own_long_form_keeps_its_abbreviation() -> None:
    text = "It uses a technology known as Really Simple Syndication (RSS) that blogs adopted. RSS helps."
    assert "rss" in listed(story("Feeds", text))


def test_a_weak_word_beside_a_narrower_technology_named_outright_is_its_broader_name() -> None:
    def about(lead: str) -> set[str]:
        return listed(story("New software", lead, "Its makers said it would be ready in May."))

    assert about("The software was written by volunteers over two years.") == {"software"}
    # "software" is Linux's broader name here, not a second subject
    assert about("The software, for Linux, was written by volunteers over two years.") == {"linux"}


def test_a_class_noun_after_a_narrower_technologys_name_is_that_ones_head() -> None:
    def operating_systems(sentence: str) -> bool:
        found = tag(story("A new laptop", "The machine is small.", sentence))
        return any(mention.slug == "operating-systems" for mention in found.mentions)

    assert not operating_systems("It will run the Linux operating system and cost little.")
    assert not operating_systems("It will run a Linux-based operating system and cost little.")
    # the class noun said on its own, or after a lowercase modifier, is the broader kind
    assert operating_systems("It will run Linux, an operating system that costs nothing.")
    assert operating_systems("It will run a free operating system and cost little.")


def test_a_technology_that_says_who_someone_is_is_named_in_passing() -> None:
    lead = "The hotel chain reported a rise in bookings over the summer."
    for clause in (
        "The Italian internet retailer Velmora made an offer for it.",
        "Its new owner has worked in the telecommunications industry for years.",
        "The news was welcomed by gaming fans on Monday.",
        "Its founder sold a stake to one of the big mobile operators in 2003.",
        "The chain's lawyer once advised a wireless carrier on its leases.",
    ):
        assert listed(story("Hotel results", lead, clause, "Rooms were full.")) == set(), clause
    # the same technologies said something about are listed
    for clause, slug in (
        ("Shoppers bought more through e-commerce than before.", "e-commerce"),
        ("Guests played video games in their rooms, the chain said.", "video-games"),
    ):
        assert slug in listed(story("Hotel results", lead, clause, "Rooms were full.")), clause


def test_a_word_in_the_sense_of_a_neighbouring_technology() -> None:
    ip = "Domain names stand for a site's internet protocol address, a series of numbers."
    assert "ip-addresses" in listed(story("Domain names", ip, ip))
    assert "tcp-ip" not in listed(story("Domain names", ip, ip))
    desktop = "The Macintosh showed a virtual desktop with folders and documents on its screen."
    assert "desktop-metaphor" in listed(story("The first Mac", desktop, desktop))
    servers = "Staff reach a virtual desktop that runs on servers in the company's data centre."
    assert "thin-clients" in listed(story("Office computing", servers, servers))


def test_a_unit_of_speed_is_no_subject() -> None:
    lead = ["Mobile networks must get faster, a report says.", "Operators are testing new kit."]
    units = "The link carries data at two megabits per second, or 2 Mbps, the firm said."
    assert "broadband-speeds" not in listed(story("Faster phones", *lead, units, units))
    speeds = "Download speeds on the network doubled, the firm said."
    assert "broadband-speeds" in listed(story("Faster phones", *lead, speeds, speeds))


PASSING_CLAUSES = {
    # the two ends of a range that stands for a whole class
    "range": (
        "The charity opened a new shop in the town centre this week.",
        "It will take every kind of gadget from handheld computers right up to old servers.",
        "Donations ranging from laptops to printers arrive daily.",
    ),
    # the medium of a statement
    "medium": (
        "The hotel chain reported a rise in bookings over the summer.",
        "Its chief executive said in an e-mail that prices would rise.",
        "The founder asked in a webcast why guests stayed away.",
    ),
}


@pytest.mark.parametrize("kind", sorted(PASSING_CLAUSES))
def test_a_range_or_the_medium_of_a_statement_is_named_in_passing(kind: str) -> None:
    lead, *clauses = PASSING_CLAUSES[kind]
    for clause in clauses:
        assert listed(story("A story", lead, clause, "That was all.")) == set(), clause


def test_what_a_story_says_something_about_is_still_listed() -> None:
    # a change from one to the other says something about both
    moved = "Its office moved from dial-up to broadband in May."
    assert "broadband" in listed(story("Charity shop", PASSING_CLAUSES["range"][0], moved, "It is quick."))
    spam = "The chain said in May that its guests receive e-mail offers. E-mail brings most bookings."
    assert "email" in listed(story("Hotel results", PASSING_CLAUSES["medium"][0], spam, "Rooms were full."))


def test_one_example_of_a_class_that_is_no_technology_is_named_in_passing() -> None:
    lead = "The hotel chain reported a rise in bookings over the summer."
    clause = "Thieves stole passwords and other personal details from its guests."
    assert listed(story("Hotel results", lead, clause, "Rooms were full.")) == set()
    # where the class is a technology too, the example is said something about
    wifi = "Guests use Wi-Fi and other wireless networks in every room. Wi-Fi is free."
    assert "wi-fi" in listed(story("Hotel results", lead, wifi, "Rooms were full."))


def test_technologies_in_readers_comments_after_a_story_weigh_nothing() -> None:
    report = [
        "A magazine has named the pocket radio the gadget of the century.",
        "The list was chosen by its editors, the magazine said.",
        "Readers sent in their own choices, its editor said.",
    ]
    views = [
        "What about the fax machine? It changed offices for ever!",
        "I'd have put the video game console at the top.",
        "My first games console is still in the loft.",
        "Surely the humble toaster deserves a place!",
        "I think the list is far too short.",
    ]

    def consoles(*body: str, layout: str = "plain") -> bool:
        found = tag(replace(story("Gadget of the century", *body), layout=layout))
        return any(mention.slug == "games-consoles" for mention in found.mentions)

    assert not consoles(*report, *views)
    # the same paragraphs reported in a story are read
    assert consoles(*report, *views, "Readers wrote in, the magazine said.")
    # a saved page's extraction drops comments: first-person paragraphs there are the post's
    assert consoles(*report, *views, layout="html")
