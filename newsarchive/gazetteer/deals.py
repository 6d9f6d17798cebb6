"""Deals in a story: who bought, invested in, partnered with, supplied or sued whom, for how
much and when, found sentence by sentence by the rules in ``data/deals.yaml``.

A sentence yields an event for each trigger it holds ("takes a stake in", "bought by",
"alliance", "sued"). Its parties are the companies the story was tagged with (matched by
the gazetteer in the sentence) and other capitalised names that look like organisations;
a sentence that starts "It ..." or "The company ..." refers back to the first party of the
sentence before, and a deal sentence that names fewer than two parties reads the ones it
describes ("the Japanese carmaker", "its rival") as the latest company named before of a
fitting sector (`described` in the rules). A clause with a condition, an option, a denial
or an analyst's expectation before its trigger tells no event. Roles come from where a
party stands (the clause's subject before the trigger, the object after it) and from the
preposition before it ("from", "to", "by").
The money figure nearest a trigger is its amount, with the US dollar figure the story
gives ("510 billion yen (US$4.8 billion)"); a percentage next to "stake" is its share; a
date in the sentence ("in March", "in 2001", "last year") is the date the deal refers to,
else the story's own day. An event with one party only completes an event of the same
story that names that party in that role (a later sentence giving the share, say); the
same event told by several sentences is one event with all of them as evidence.

`merge_deals` makes one deal of the same deal told by several stories (its key: type and
parties with roles; dates within `SAME_DEAL_MONTHS` of each other), with its history.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cache, lru_cache, partial
from pathlib import Path
from typing import Any

import ahocorasick

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.core.models import Deal, DealAmount, DealParty, Kind, TaggedArticle
from newsarchive.core.slugs import pelican_slug
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer

_slug = lru_cache(maxsize=1 << 16)(pelican_slug)  # names recur across stories; slugify is slow
SAME_DEAL_MONTHS = 18
PAIR_REACH = 4  # "The two companies" refers to a pair named at most this many sentences before
STATUS_ORDER = ("abandoned", "rumoured", "proposed", "agreed", "completed")
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class EventRule:
    """One trigger of ``events`` in ``data/deals.yaml``."""

    type: str
    stems: tuple[str, ...]  # a word of every sentence the pattern matches starts with one
    pattern: re.Pattern[str]
    subject: str
    object: str
    status: str
    symmetric: bool = False
    possessive_subject: bool = False
    needs_mark: bool = False
    marks: dict[str, str] = field(default_factory=dict)
    held: bool = False  # a holding ("owns 51% of"), not a purchase: a stake whatever its share
    implied_target: bool = False  # no target named: the story's main company


@dataclass(frozen=True)
class NameRules:
    """How capitalised words the gazetteer does not know become party names."""

    joiners: frozenset[str]
    organisation_words: frozenset[str]
    legal_suffixes: frozenset[str]
    stopwords: frozenset[str]
    places: frozenset[str]
    descriptors: frozenset[str]
    person_before: re.Pattern[str]
    person_after: re.Pattern[str]
    government: re.Pattern[str]


@dataclass(frozen=True)
class DescribedParties:
    """How a sentence names a party by describing it ("the Japanese carmaker", "its rival",
    "India's first low-cost airline"): a determiner, at most ``between`` words, a noun of
    ``kinds``; the noun's sectors (the gazetteer's) say which earlier company it may stand
    for (none listed: any)."""

    between: int
    reach: int  # sentences back a described party may refer to
    kinds: dict[str, tuple[str, ...]]
    unknown_sectors: frozenset[str]  # a company of these (or none known) fits any noun


@dataclass(frozen=True)
class DealRules:
    """The schema of ``data/deals.yaml``."""

    events: tuple[EventRule, ...]
    status_cues: dict[str, re.Pattern[str]]
    control_share: float
    share_words: dict[str, float]
    reciprocal: re.Pattern[str]
    stake_bought: re.Pattern[str]
    currency_symbols: dict[str, str]
    currency_words: dict[str, str]
    multipliers: dict[str, float]
    not_deal_value_before: re.Pattern[str]
    not_deal_value_after: re.Pattern[str]
    relative_dates: dict[str, int]
    names: NameRules
    back_reference: re.Pattern[str]
    plural_reference: re.Pattern[str]
    described: DescribedParties
    hypothetical: re.Pattern[str]


@cache
def load_deal_rules(path: Path | None = None) -> DealRules:
    """The rules in ``path`` (default: the bundled file), checked once."""
    rules: DealRules = load_data(path or data_path("gazetteer", "deals.yaml"), DealRules)
    return rules


@dataclass(frozen=True)
class Party:
    """A name found in a sentence, by its offsets."""

    start: int
    end: int
    name: str
    slug: str


@dataclass(frozen=True)
class Money:
    start: int
    end: int  # after any conversion in parentheses
    amount: DealAmount


@dataclass(frozen=True)
class Found:
    """An event of one sentence, before the story's events are put together."""

    deal: Deal
    trigger: int


# ---------------------------------------------------------------- sentences

_BOUNDARY = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]*[A-Z0-9])")
_ABBREVIATIONS = frozenset(
    [
        "Mr",
        "Mrs",
        "Ms",
        "Dr",
        "St",
        "Inc",
        "Corp",
        "Co",
        "Ltd",
        "Jr",
        "Sr",
        "No",
        "vs",
        "Prof",
        "Gen",
        "Rep",
        "Sen",
        "Gov",
        "Mt",
        "Bros",
    ]
)


def sentences(text: str) -> list[str]:
    """``text`` split at full stops that end a sentence (not "Mr." or "Inc." or "U.S.")."""
    found, start = [], 0
    for match in _BOUNDARY.finditer(text):
        before = (
            text[start : match.start()].rsplit(None, 1)[-1] if text[start : match.start()].strip() else ""
        )
        word = before.strip("\"'“‘(")
        if word in _ABBREVIATIONS or re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", word):
            continue
        found.append(text[start : match.start() + 1].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [s for s in found if s]


# ---------------------------------------------------------------- money, shares, dates


_MONEY_PATTERNS: dict[int, tuple[DealRules, re.Pattern[str], re.Pattern[str]]] = {}


def _money_patterns(rules: DealRules) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The two money patterns (symbol first, word after) for these rules, compiled once."""
    cached = _MONEY_PATTERNS.get(id(rules))
    if cached is None or cached[0] is not rules:
        cached = (rules, *_compile_money(rules))
        _MONEY_PATTERNS[id(rules)] = cached
    return cached[1], cached[2]


def _compile_money(rules: DealRules) -> tuple[re.Pattern[str], re.Pattern[str]]:
    number = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    mults = "|".join(sorted(map(re.escape, rules.multipliers), key=len, reverse=True))
    symbols = "|".join(sorted(map(re.escape, rules.currency_symbols), key=len, reverse=True))
    words = "|".join(sorted(map(re.escape, rules.currency_words), key=len, reverse=True))
    by_symbol = re.compile(
        rf"(?<![A-Za-z0-9])(?P<sym>{symbols})\s?{number}(?:\s?(?P<mult>{mults})\b)?(?:\s+(?P<word>{words})\b)?",
        re.IGNORECASE,
    )
    by_word = re.compile(rf"(?<![\w.]){number}\s?(?:(?P<mult>{mults})\s?)?(?P<word>{words})\b", re.IGNORECASE)
    return by_symbol, by_word


def _amount_of(match: re.Match[str], rules: DealRules) -> DealAmount | None:
    groups = match.groupdict()
    if groups.get("sym"):
        symbol = next((s for s in rules.currency_symbols if s.casefold() == groups["sym"].casefold()), "$")
        currency = rules.currency_symbols[symbol]
        if groups.get("word"):
            currency = rules.currency_words[groups["word"].casefold()]
    else:
        currency = rules.currency_words[groups["word"].casefold()]
    value = float(groups["num"].replace(",", ""))
    if groups.get("mult"):
        value *= rules.multipliers[groups["mult"].casefold()]
    if value < 1000 and not groups.get("mult") and currency != "USD":
        return None  # "5 yen" is rarely a deal; bare small figures in dollars still count
    value = round(value, 2)
    return DealAmount(value, currency, value if currency == "USD" else None)


def money(sentence: str, rules: DealRules) -> list[Money]:
    """Money figures in a sentence, each with the US dollar conversion the story gives."""
    by_symbol, by_word = _money_patterns(rules)
    matches = sorted([*by_symbol.finditer(sentence), *by_word.finditer(sentence)], key=lambda m: m.start())
    found: list[Money] = []
    reached = 0
    for match in matches:
        if match.start() < reached:
            continue
        amount = _amount_of(match, rules)
        if amount is None:
            continue
        end = match.end()
        inside = re.match(r"\s*\(([^()]*)\)", sentence[end:])
        if inside:
            usd = _first_usd(inside.group(1), rules)
            if usd is not None and amount.usd is None:
                amount = replace(amount, usd=usd)
            end += inside.end()
        reached = end
        found.append(Money(match.start(), end, amount))
    return found


def _first_usd(text: str, rules: DealRules) -> float | None:
    by_symbol, by_word = _money_patterns(rules)
    for match in sorted([*by_symbol.finditer(text), *by_word.finditer(text)], key=lambda m: m.start()):
        amount = _amount_of(match, rules)
        if amount is not None and amount.currency == "USD":
            return amount.value
    return None


def is_deal_value(sentence: str, figure: Money, rules: DealRules) -> bool:
    """Not revenue, debt, a price per share or the like."""
    before = sentence[max(0, figure.start - 40) : figure.start]
    after = sentence[figure.end : figure.end + 30]
    return not rules.not_deal_value_before.search(before) and not rules.not_deal_value_after.search(after)


_PERCENT = re.compile(r"(?P<pct>\d+(?:\.\d+)?)\s?(?:%|per\s?cent\b)", re.IGNORECASE)
_SHARE_AFTER = re.compile(
    r"^(?:-owned|\s+(?:[a-z-]+\s+)?(?:stake|holding|shareholding|interest|equity)|\s+of\b|\s+in\b)",
    re.IGNORECASE,
)
_SHARE_BEFORE = re.compile(
    r"(?:stake|holding|shareholding|interest|owns?|bought|acquired|buy|take|took)\s+(?:of\s+)?"
    r"(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+|a\s+further\s+|another\s+|the\s+)?$",
    re.IGNORECASE,
)


def shares(sentence: str, rules: DealRules) -> list[tuple[int, float]]:
    """Percentages in a sentence that are the share of a company taken or held."""
    found = []
    for match in _PERCENT.finditer(sentence):
        after = sentence[match.end() : match.end() + 40]
        before = sentence[max(0, match.start() - 40) : match.start()]
        if _SHARE_AFTER.match(after) or _SHARE_BEFORE.search(before):
            found.append((match.start(), float(match["pct"])))
    words = "|".join(map(re.escape, rules.share_words))
    for match in re.finditer(rf"\b(?:a\s+)?({words})\s+(?:stake|of)\b", sentence, re.IGNORECASE):
        found.append((match.start(), rules.share_words[match[1].casefold()]))
    return found


_MONTH = "|".join(MONTHS)
_DATE_PATTERNS = (
    re.compile(
        rf"\b(?:(?:in|since|from|during|until|by)\s+)?(?:early\s+|late\s+|mid-)?(?P<month>{_MONTH})\s+(?P<year>(?:19|20)\d\d)\b"
    ),
    re.compile(rf"\b\d{{1,2}}\s+(?P<month>{_MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?\b"),
    re.compile(rf"\b(?P<month>{_MONTH})\s+\d{{1,2}}(?:,\s+(?P<year>(?:19|20)\d\d))?\b"),
    re.compile(
        rf"\b(?:in|since|during|until|by|end\s+of|early|late)\s+(?:early\s+|late\s+|mid-)?(?P<month>{_MONTH})\b"
    ),
    re.compile(r"\b(?:in|since|during)\s+(?:early\s+|late\s+|mid-)?(?P<year>(?:19|20)\d\d)\b"),
    re.compile(
        r"\b(?P<year>(?:19|20)\d\d)\s+(?:deal|acquisition|merger|takeover|alliance|agreement|accord|purchase|bid|sale|offer)\b"
    ),
)


def date_in(sentence: str, story_day: datetime | None, rules: DealRules) -> str:
    """The date a sentence gives its events ("2020-03", "2001"), or "" when it gives none."""
    for pattern in _DATE_PATTERNS:
        match = pattern.search(sentence)
        if match:
            return _dated(match.groupdict(), story_day)
    lowered = sentence.casefold()
    for phrase, months in sorted(rules.relative_dates.items(), key=lambda item: -len(item[0])):
        if re.search(rf"\b{re.escape(phrase)}\b", lowered) and story_day is not None:
            return _shifted(story_day, months, whole_year=phrase.endswith(("year", "years ago")))
    return ""


def _dated(groups: dict[str, str | None], story_day: datetime | None) -> str:
    month_name = groups.get("month")
    month = MONTHS.index(month_name) + 1 if month_name else None
    year_text = groups.get("year")
    if year_text:
        return f"{year_text}-{month:02d}" if month else year_text
    if story_day is None or month is None:
        return ""
    year = story_day.year - 1 if month > story_day.month else story_day.year
    return f"{year}-{month:02d}"


def _shifted(day: datetime, months: int, whole_year: bool) -> str:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return str(year) if whole_year else f"{year}-{month + 1:02d}"


# ---------------------------------------------------------------- parties

_TOKEN = re.compile(r"[A-Za-z0-9][\w'’.&-]*|&")
_POSSESSIVE = re.compile(r"['’]s?$")


class Names:
    """The parties of a story's sentences: gazetteer companies and other names, with short forms
    ("Federated") read as the longer name the story used before ("Federated Department Stores")."""

    def __init__(self, gazetteer: Gazetteer, companies: frozenset[str], story_text: str, rules: DealRules):
        self.gazetteer = gazetteer
        self.companies = companies
        self.rules = rules.names
        self.inner = frozenset(re.findall(r"(?<=[a-z,;] )[A-Z][\w&-]*", story_text))
        self.seen: list[tuple[str, str]] = []  # (name, slug) of multi-word names, in order
        self.aliases: dict[str, Party] = {}  # "SEC" after "Securities and Exchange Commission (SEC)"
        self.story_text = story_text

    def _full_name(self, word: str) -> str:
        """The first longer name the story gives that ends in an organisation word, so that
        "the Commission" is the "European Commission" named before."""
        match = re.search(rf"(?:\b[A-Z][\w&'’-]*\s+){{1,4}}{re.escape(word)}\b", self.story_text)
        if not match:
            return ""
        tokens = [w for w in match.group().split() if w not in self.rules.stopwords and w not in _ARTICLES]
        return " ".join(tokens) if len(tokens) >= 2 else ""

    def parties(self, sentence: str) -> list[Party]:
        hits = self.gazetteer.scan(sentence)
        covered = [(h.start, h.end) for h in hits]
        found = [
            Party(h.start, h.end, h.surface.entity.name, h.surface.entity.slug)
            for h in hits
            if h.surface.entity.kind is Kind.COMPANY and h.surface.entity.slug in self.companies
        ]
        for match in self.rules.government.finditer(sentence):
            if not _overlaps(match.start("name"), match.end("name"), covered):
                name = re.sub(r"^The\s+", "", match["name"])
                found.append(Party(match.end("name") - len(name), match.end("name"), name, _slug(name)))
                covered.append((match.start("name"), match.end("name")))
        found += [p for p in self._capitalised(sentence) if not _overlaps(p.start, p.end, covered)]
        return sorted(found, key=lambda p: p.start)

    def _capitalised(self, sentence: str) -> Iterator[Party]:
        for run in _runs(sentence, self.rules):
            party = self._party(sentence, run)
            if party is not None:
                yield party

    def _party(self, sentence: str, run: list[re.Match[str]]) -> Party | None:
        rules = self.rules
        words = [_POSSESSIVE.sub("", m.group()).rstrip(".") for m in run]
        while words and _droppable(words, rules):
            words, run = words[1:], run[1:]
        while words and words[-1] in rules.joiners:
            words, run = words[:-1], run[:-1]
        if not words or len(words) > 6 or all(w in rules.stopwords or _is_place(w, rules) for w in words):
            return None
        if any(w.lower() in rules.joiners and w != w.lower() for w in words[1:-1]):
            return None  # "The End Of Asymmetry": a title, not an organisation
        start, end = run[0].start(), run[-1].start() + len(words[-1])
        if rules.person_before.search(sentence[max(0, start - 30) : start]) or rules.person_after.match(
            sentence[end : end + 40]
        ):
            return None
        if len(words) == 1 and sentence[:start].strip(" \"'“‘(") == "" and words[0] not in self.inner:
            return None  # one word opening a sentence or a quote, never capitalised inside one
        if all(_is_place(w, rules) or w in rules.legal_suffixes for w in words):
            return None  # "Japan Inc"
        alias = re.match(r"\s*\(([A-Z][A-Za-z0-9&]{1,7})\)", sentence[end:])
        if alias and self.gazetteer.resolve(Kind.TECHNOLOGY, alias[1]) is not None:
            return None  # "High Speed Downlink Packet Access (HSDPA)" is a technology
        party = self._named(sentence[start:end], start, end)
        if alias and party is not None:
            self.aliases[alias[1]] = party
        return party

    def _named(self, name: str, start: int, end: int) -> Party | None:
        if name in self.aliases:
            known = self.aliases[name]
            return Party(start, end, known.name, known.slug)
        entity = self.gazetteer.resolve(Kind.COMPANY, name)
        if entity is not None:
            return Party(start, end, entity.name, entity.slug)
        if " " not in name:
            for longer, slug in reversed(self.seen):
                tokens = longer.split()
                if name in (tokens[0], tokens[-1]):
                    return Party(start, end, longer, slug)
            if name in self.rules.organisation_words:
                full = self._full_name(name)
                return Party(start, end, full, _slug(full)) if full else None
        slug = _slug(name)
        if " " in name:
            self.seen.append((name, slug))
        return Party(start, end, name, slug)


_ARTICLES = ("The", "A", "An", "the", "a", "an")


def _droppable(words: list[str], rules: NameRules) -> bool:
    """A name's first word that is not part of it: an article, a title, a month or a place,
    unless the rest is all organisation words ("May Department Stores", "London Stock Exchange")."""
    first = words[0]
    if first in _ARTICLES:
        return True
    if len(words) > 1 and _is_place(first, rules) and words[1] in rules.stopwords:
        return True  # "York" in "New York Attorney General Eliot Spitzer"
    if first not in rules.stopwords and not _is_descriptor(first, rules):
        return False
    return len(words) == 1 or not _all_organisation(words[1:], rules)


def _overlaps(start: int, end: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(start < e and s < end for s, e in spans)


def _is_descriptor(word: str, rules: NameRules) -> bool:
    return word in rules.descriptors or any(part in rules.descriptors for part in word.split("-"))


def _is_place(word: str, rules: NameRules) -> bool:
    return word in rules.places or any(part in rules.places for part in word.split("-"))


def _all_organisation(words: Sequence[str], rules: NameRules) -> bool:
    return all(w in rules.organisation_words or w in rules.joiners for w in words)


def _runs(sentence: str, rules: NameRules) -> Iterator[list[re.Match[str]]]:
    """Runs of capitalised words, joined by single spaces and joiners ("Bank of America"), cut
    at a possessive; "A and B" is one run when B ends in an organisation word and A is one."""
    run: list[re.Match[str]] = []
    previous_end = -1
    for match in _TOKEN.finditer(sentence):
        word = match.group()
        capital = word[0].isupper() and not re.search(r"-[a-z]", word)
        joined = run and sentence[previous_end : match.start()] == " "
        if (
            (capital and (joined or not run))
            or (word in rules.joiners and joined and not _POSSESSIVE.search(run[-1].group()))
            or (word == "and" and joined and run[-1].group() in rules.organisation_words)
        ):
            run.append(match)
        else:
            yield from _closed(run, rules)
            run = [match] if capital else []
        previous_end = match.end()
        if run and run[-1].group().endswith(("'s", "’s", "'", "’")):
            yield from _closed(run, rules)  # a possessive ends a name
            run = []
    yield from _closed(run, rules)


def _closed(run: list[re.Match[str]], rules: NameRules) -> Iterator[list[re.Match[str]]]:
    while run and (run[-1].group() in rules.joiners or run[-1].group() == "and"):
        run = run[:-1]
    if run:
        yield run


# ---------------------------------------------------------------- events

_CLAUSE = re.compile(
    r",\s+in\s+which\b|,\s+the\s+(?:[\w-]+\s+){0,3}(?:company|firm|group|bank|maker|operator)\s+(?:that|which)\b|"
    r";|:|\s[-–—]\s|,\s+(?:which|who|while|but|although|whereas|after|before|as)\b|\bbut\b|\bwhile\b"
)
_PREPOSITION_WORDS = frozenset(
    [
        "from",
        "to",
        "by",
        "in",
        "into",
        "with",
        "for",
        "against",
        "of",
        "on",
        "at",
        "over",
        "about",
        "under",
        "between",
    ]
)
# A conjunction between a preposition and a name starts a clause: "about whether Fosters ..."
_CONJUNCTION_WORDS = frozenset(
    ["whether", "that", "if", "when", "while", "because", "since", "and", "but", "or", "so", "who", "which"]
)
_WORD = re.compile(r"[\w'’$.%-]+|[,;:()\"“”]")
_COORDINATED = re.compile(r"^\s*(?:,\s*(?:and\s+)?|and\s+|&\s+|or\s+)(?:the\s+)?$")


@dataclass(frozen=True)
class Sentence:
    text: str
    parties: list[Party]
    date: str
    main_party: Party | None = None  # the story's main company, for `implied_target`


def find_events(
    sentence: Sentence, rules: DealRules, candidates: Sequence[EventRule] | None = None
) -> list[Found]:
    """Every event a sentence holds, one per trigger, with parties, amount, share and status.
    Only the ``candidates`` among the rules are tried (default: the rules whose stems the
    sentence holds)."""
    taken: list[tuple[int, int]] = []
    found: list[Found] = []
    for rule in candidate_rules(sentence.text, rules) if candidates is None else candidates:
        for match in rule.pattern.finditer(sentence.text):
            if (
                _overlaps(match.start(), match.end(), taken)
                or sentence.text[match.start() - 1 : match.start()] == "-"
                or _inside_a_name(match, sentence.parties)
            ):
                continue
            if rule.type == "acquisition" and rules.stake_bought.match(sentence.text[match.end() :]):
                continue  # "bought a 20% stake in": the stake trigger tells it
            taken.append((match.start(), match.end()))
            found += _events(sentence, rule, match, rules)
    return _with_amounts(sentence, found, rules)


_PRONOUN_OBJECT = re.compile(r"\s+(?:it|them)\b")
_OBJECT_BEFORE = re.compile(r"\b(?!(?:the|a|an|and|its|their)\b)[a-z]{3,}\b")


def _sold_thing(text: str, roles: list[DealParty], parties: list[Party], c_start: int) -> list[DealParty]:
    """ "... founded the Rosemount Estates label and sold it to Southcorp": the party before
    "sold it" is the thing sold (a verb stands before it in the clause), told from the buyer's
    side; "The Kremlin sold it to Rosneft" keeps its seller."""
    seller = next((r for r in roles if r.role == "seller"), None)
    party = next((p for p in parties if p.slug == seller.slug), None) if seller else None
    if seller is None or party is None or not _OBJECT_BEFORE.search(text[c_start : party.start]):
        return roles
    return [replace(r, role="target") if r is seller else r for r in roles]


def _inside_a_name(match: re.Match[str], parties: list[Party]) -> bool:
    """Whether a trigger is a word of a party's name ("Business Software Alliance")."""
    return any(p.start <= match.start() and match.end() <= p.end for p in parties)


def _events(sentence: Sentence, rule: EventRule, match: re.Match[str], rules: DealRules) -> list[Found]:
    text, parties = sentence.text, sentence.parties
    start, end = _clause(text, match.start(), match.end())
    if rules.hypothetical.search(text[start : match.start()]):
        return []  # "If Barclays buys a stake ...", "the right to sell ...": no event told
    roles = _roles(text, parties, rule, match.start(), match.end(), start, end)
    kind = rule.type
    if kind == "divestment" and _PRONOUN_OBJECT.match(text, match.end()):
        sold = _sold_thing(text, roles, parties, start)
        roles, kind = sold, ("acquisition" if sold != roles else kind)
    status = _status(text[start : min(len(text), match.end() + 30)], rule.status, rules)
    deal = Deal(kind, status, tuple(roles), date=sentence.date, evidence=(text,))
    separate = _separately_marked(text, parties, rule, match.end(), roles)
    if len(separate) >= 2:  # "two legal challenges - one from A and the other from B"
        others = tuple(p for p in roles if p.slug not in separate)
        return [
            Found(replace(deal, parties=(*others, p)), match.start()) for p in roles if p.slug in separate
        ]
    deal = _with_share(deal, text, match.start(), rules, retype=not rule.held, clause=(start, end))
    if rule.implied_target:
        deal = _with_implied_target(deal, sentence.main_party)
    if deal.type == "stake" and rules.reciprocal.search(text):
        return [Found(d, match.start()) for d in _reciprocal(deal, parties)]
    return [Found(deal, match.start())]


_PLACE_PREPOSITIONS = frozenset(["in", "into"])  # "in the Strand" is as often a place as a party


def _separately_marked(
    text: str, parties: list[Party], rule: EventRule, t_end: int, roles: list[DealParty]
) -> set[str]:
    """The parties of one role that each have a preposition of their own ("one from A and the
    other from B"): one event each. Parties listed together ("from A and B") share one, and so
    do parties "in" places ("stakes in A, which manages a hotel in the Strand")."""
    given = {p.slug: p.role for p in roles}
    by_role: dict[str, set[str]] = {}
    for party in parties:
        word = _preposition(text, party, t_end) if party.start >= t_end else ""
        if (
            word in rule.marks
            and word not in _PLACE_PREPOSITIONS
            and given.get(party.slug) == rule.marks[word]
        ):
            by_role.setdefault(rule.marks[word], set()).add(party.slug)
    return next((slugs for slugs in by_role.values() if len(slugs) >= 2), set())


def _with_implied_target(deal: Deal, main: Party | None) -> Deal:
    """A bid with a buyer and no target: a bid for the company the story is about."""
    roles = {p.role for p in deal.parties}
    if main is None or "target" in roles or "buyer" not in roles:
        return deal
    if main.slug in {p.slug for p in deal.parties}:
        return deal
    return replace(deal, parties=(*deal.parties, DealParty(main.name, main.slug, "target")))


def _clause(text: str, trigger_start: int, trigger_end: int) -> tuple[int, int]:
    starts = [m.end() for m in _CLAUSE.finditer(text, 0, trigger_start)]
    after = _CLAUSE.search(text, trigger_end)
    return (starts[-1] if starts else 0), (after.start() if after else len(text))


def _roles(
    text: str, parties: list[Party], rule: EventRule, t_start: int, t_end: int, c_start: int, c_end: int
) -> list[DealParty]:
    roles: dict[str, DealParty] = {}

    def give(group: list[Party], role: str) -> None:
        for party in group:
            roles.setdefault(party.slug, DealParty(party.name, party.slug, role))

    before = [p for p in parties if c_start <= p.start and p.end <= t_start]
    after = [p for p in parties if p.start >= t_end and p.end <= c_end]
    beyond = [p for p in parties if p.start >= t_end]
    if rule.symmetric:
        give(_partners(text, parties, before, after, t_start), rule.subject)
        return list(roles.values())
    modifier = before[-1] if before and _MODIFIES.search(text[: before[-1].start]) else None
    if modifier is not None and not text[modifier.end : t_start].strip():
        give([modifier], rule.object)  # "its Yukos shareholding": what the event is about
        before = before[:-1]
        after = beyond = []
    subject = _subject(text, parties, before, t_start, rule)
    if subject is not None:
        give(_group(text, parties, subject), rule.subject)
    marked_any = False
    for party in beyond:
        word = _preposition(text, party, t_end)
        if word in rule.marks:
            give(_group(text, beyond, party), rule.marks[word])
            marked_any = True
    if rule.needs_mark and not marked_any:
        return list(roles.values())  # "skills and investment": no party it is in or from
    marked = [(p, _preposition(text, p, t_end)) for p in after]
    objects = _OBJECT_PREPOSITIONS.get(rule.type, ("", "of"))
    first = next((p for p, word in marked if word in objects), None)
    if first is not None and first.slug in roles:
        unit = _unit_of(text, after, first)
        if unit is not first:
            give([unit], rule.object)  # "sold its unit Yugansk"
            return list(roles.values())
        if text[first.end : first.end + 1] in ("'", "’"):
            return list(roles.values())  # "sell off Fiat's finance arm": its own part, unnamed
    plain = [p for p, word in marked if word in objects and p.slug not in roles]
    if plain:
        give(_group(text, after, _unit_of(text, after, plain[0])), rule.object)
    elif (antecedent := _antecedent(text, parties, c_start)) is not None and antecedent.slug not in roles:
        give([antecedent], rule.object)  # "Bank One, which JP Morgan bought"
    return list(roles.values())


# A determiner right before a name right before a trigger: the name says what the event is about.
_MODIFIES = re.compile(r"\b(?:its|their|his|her|our|a|an)\s+$", re.IGNORECASE)
# Prepositions that may stand before an event's object ("a takeover of X", "a bid for X").
_OBJECT_PREPOSITIONS = {"acquisition": ("", "of", "for"), "divestment": ("", "of")}
_RELATIVE = re.compile(r",\s+(?:in\s+)?(?:which|that)\s+$")
_APPOSITION = re.compile(r"(?:,\s+the\s+(?:[\w-]+\s+){0,3}\w+\s+(?:that|which|who)|,\s+(?:which|who))\s*$")
_UNIT_WORDS = r"(?:unit|subsidiary|arm|division|business|affiliate|offshoot)"
_UNIT = re.compile(
    rf"^(?:['’]s?\s+|\s+{_UNIT_WORDS}\s+|['’]s?\s+(?:[\w-]+\s+){{0,3}}{_UNIT_WORDS},?\s+(?:the\s+)?)$"
)  # "Yukos unit Yugansk", "Deutsche Telekom's T-Mobile", "Yukos' main production arm, Yugansk"


def _antecedent(text: str, parties: list[Party], c_start: int) -> Party | None:
    """The party a relative clause ("..., which X bought") is about."""
    before = [p for p in parties if p.end <= c_start]
    if before and _RELATIVE.search(text[before[-1].end : c_start + 1] + " "):
        return before[-1]
    return None


def _unit_of(text: str, parties: list[Party], party: Party) -> Party:
    """The unit a party's name introduces ("Yukos unit Yuganskneftegas", "Deutsche Telekom's T-Mobile")."""
    index = parties.index(party)
    if index + 1 < len(parties) and _UNIT.match(text[party.end : parties[index + 1].start]):
        return parties[index + 1]
    return party


def _partners(
    text: str, parties: list[Party], before: list[Party], after: list[Party], t_start: int
) -> list[Party]:
    """The parties before the trigger with no preposition before them ("A and B agreed to
    work together"); when fewer than two, the first parties after it ("a merger between A
    and B"); when still fewer, every party of the clause before the trigger ("NTT takes a
    stake in NEC to forge an alliance")."""
    chosen = [p for p in before if not _preposition(text, p, 0)]
    if after and len({p.slug for p in chosen}) < 2:
        chosen += _group(text, after, after[0])
    if len({p.slug for p in chosen}) < 2:
        chosen += before
    return chosen


def _subject(
    text: str, parties: list[Party], before: list[Party], t_start: int, rule: EventRule
) -> Party | None:
    """The last possessive party before the trigger ("Gazprom's bid for"), else the first one
    with no preposition before it; a clause with neither takes the sentence's first party."""
    possessive = [p for p in before if text[p.end : p.end + 1] in "'’" and text[p.end : p.end + 2] != "' "]
    if possessive:
        return possessive[-1]
    if rule.possessive_subject:
        return None
    free = [p for p in before if not _preposition(text, p, 0)]
    if free:
        return free[0]
    agents = [p for p in before if _agent(text, p, t_start)]
    if agents:
        return agents[0]  # "an offer by Barclays to acquire", "a deal for Vodafone to buy"
    if not before:
        head = [p for p in parties if p.end <= t_start]
        if head and _clause_follows(text, head[-1], t_start):
            return head[-1]  # "Rosneft, the company that acquired ..."
        if parties and parties[0].end <= t_start and not _preposition(text, parties[0], 0):
            return parties[0]
    return None


def _agent(text: str, party: Party, t_start: int) -> bool:
    """ "by Barclays to acquire", "for Vodafone to buy": the party who is to do it."""
    return _preposition(text, party, 0) in ("by", "for") and text[party.end : t_start].strip() == "to"


def _clause_follows(text: str, party: Party, t_start: int) -> bool:
    """Whether a relative clause or apposition about ``party`` holds the trigger."""
    between = text[party.end : t_start]
    starts = [m.end() for m in _CLAUSE.finditer(between)]
    return bool(starts) and bool(_APPOSITION.search(between[: starts[0]]))


def _preposition(text: str, party: Party, floor: int) -> str:
    """The preposition just before a party ("from" in "from rival Fujitsu"), or "": at most
    six words back, and not past punctuation or a conjunction ("about whether Fosters")."""
    window = text[max(floor, party.start - 60) : party.start]
    words = _WORD.findall(window)
    for back, word in enumerate(reversed(words[-7:])):
        lowered = word.casefold()
        if lowered in _PREPOSITION_WORDS:
            led = lowered == "by" and back + 1 < len(words) and words[-back - 2].casefold() == "led"
            return "led" if led else lowered
        if lowered in _CONJUNCTION_WORDS or word in ',;:()"“”' or back >= 6:
            return ""
    return ""


def _group(text: str, parties: list[Party], first: Party) -> list[Party]:
    """``first`` and the parties listed with it ("A, B and C")."""
    group = [first]
    index = parties.index(first)
    for party in parties[index + 1 :]:
        if not _COORDINATED.match(text[group[-1].end : party.start]):
            break
        group.append(party)
        if text[party.end : party.end + 1] in ("'", "’"):
            break  # "Vodafone and Deutsche Telekom's T-Mobile": the list ends at the possessive
    return group


def _status(window: str, default: str, rules: DealRules) -> str:
    for status in STATUS_ORDER:
        pattern = rules.status_cues.get(status)
        if pattern is not None and pattern.search(window):
            return status
    return default


def _with_share(
    deal: Deal,
    text: str,
    trigger: int,
    rules: DealRules,
    retype: bool = True,
    clause: tuple[int, int] = (0, -1),
) -> Deal:
    """``deal`` with the share nearest its trigger in its clause; a purchase of control is an
    acquisition, of less a stake (unless ``retype`` is off: a holding stays a stake)."""
    if deal.type not in ("stake", "acquisition"):
        return deal
    end = len(text) if clause[1] < 0 else clause[1]
    found = [(at, share) for at, share in shares(text, rules) if clause[0] <= at < end]
    if not found:
        majority = deal.type == "stake" and re.search(
            r"\b(?:majority|controlling)\s+stake", text, re.IGNORECASE
        )
        return _retyped(deal, "acquisition") if majority else deal
    share = min(found, key=lambda item: abs(item[0] - trigger))[1]
    deal = replace(deal, share_percent=share)
    if not retype:
        return deal
    if deal.type == "acquisition" and share < rules.control_share:
        return _retyped(deal, "stake")
    if deal.type == "stake" and share >= rules.control_share:
        return _retyped(deal, "acquisition")
    return deal


_RETYPED_ROLES = {
    "stake": {"buyer": "investor", "target": "investee"},
    "acquisition": {"investor": "buyer", "investee": "target"},
}


def _retyped(deal: Deal, new_type: str) -> Deal:
    mapping = _RETYPED_ROLES[new_type]
    parties = tuple(replace(p, role=mapping.get(p.role, p.role)) for p in deal.parties)
    return replace(deal, type=new_type, parties=parties)


def _reciprocal(deal: Deal, parties: list[Party]) -> list[Deal]:
    """A stake each way between the sentence's first two parties."""
    distinct: list[Party] = []
    for party in parties:
        if party.slug not in {p.slug for p in distinct}:
            distinct.append(party)
    if len(distinct) < 2:
        return [deal]
    first, second = distinct[:2]

    def way(investor: Party, investee: Party) -> Deal:
        return replace(
            deal,
            parties=(
                DealParty(investor.name, investor.slug, "investor"),
                DealParty(investee.name, investee.slug, "investee"),
            ),
        )

    return [way(first, second), way(second, first)]


def _with_amounts(sentence: Sentence, found: list[Found], rules: DealRules) -> list[Found]:
    """Each deal-value figure goes to the nearest event of its sentence, one figure an event."""
    figures = [f for f in money(sentence.text, rules) if is_deal_value(sentence.text, f, rules)]
    pairs = sorted(
        ((abs(f.start - e.trigger), i, j) for i, e in enumerate(found) for j, f in enumerate(figures)),
    )
    given: dict[int, DealAmount] = {}
    used: set[int] = set()
    for _, event_index, figure_index in pairs:
        if event_index in given or figure_index in used:
            continue
        given[event_index] = figures[figure_index].amount
        used.add(figure_index)
    return [
        Found(replace(e.deal, amount=given[i]), e.trigger) if i in given else e for i, e in enumerate(found)
    ]


# ---------------------------------------------------------------- a story


def story_sentences(tagged: TaggedArticle) -> Iterator[str]:
    """The headline, the deck and every body sentence, in reading order."""
    article = tagged.article
    yield article.title
    if article.deck:
        yield article.deck
    for paragraph in article.body_paragraphs:
        yield from sentences(paragraph)


class Mentions:
    """The parties each sentence of a story names, found when first asked for (most sentences
    of most stories never are)."""

    def __init__(self, texts: list[str], names: Names):
        self.texts = texts
        self.names = names
        self.found: dict[int, list[Party]] = {}

    def at(self, index: int) -> list[Party]:
        if index not in self.found:
            self.found[index] = self.names.parties(self.texts[index])
        return list(self.found[index])

    def before(self, index: int, reach: int) -> list[Party]:
        """The parties of the ``reach`` sentences before ``index``, the most recent first."""
        backwards = range(index - 1, max(-1, index - 1 - reach), -1)
        return [p for back in backwards for p in reversed(self.at(back))]


_DESCRIBED: dict[int, tuple[DealRules, re.Pattern[str]]] = {}


def _described_pattern(rules: DealRules) -> re.Pattern[str]:
    """A determiner ("the", "its", a place's possessive), a few words, a noun of ``kinds``."""
    cached = _DESCRIBED.get(id(rules))
    if cached is None or cached[0] is not rules:
        nouns = "|".join(sorted(map(re.escape, rules.described.kinds), key=len, reverse=True))
        words = rf"(?:(?!(?:{nouns})\b)[\w-]+\s+){{0,{rules.described.between}}}"
        pattern = rf"\b(?P<det>[Tt]he|[Ii]ts|[Tt]heir|[A-Z][a-z]+['’]s)\s+{words}(?P<noun>{nouns})\b(?!['’-])"
        cached = (rules, re.compile(pattern))
        _DESCRIBED[id(rules)] = cached
    return cached[1]


def _with_described(
    text: str,
    parties: list[Party],
    earlier: Callable[[], list[Party]],
    rules: DealRules,
    gazetteer: Gazetteer,
) -> list[Party]:
    """A sentence naming fewer than two parties, with the ones it describes ("the Japanese
    carmaker") read as the most recent company named before of a fitting kind, not one of
    the sentence's own."""
    if len({p.slug for p in parties}) >= 2:
        return parties
    found = list(parties)
    candidates: list[Party] | None = None
    for match in _described_pattern(rules).finditer(text):
        det = match["det"]
        if det[0].isupper() and det not in ("The", "Its", "Their") and det[:-2] not in rules.names.places:
            continue  # "Toyota's rival" is named by its possessive, not described
        if _overlaps(match.start(), match.end(), [(p.start, p.end) for p in found]):
            continue
        candidates = earlier() if candidates is None else candidates
        sectors = rules.described.kinds[match["noun"].casefold()]
        taken = {p.slug for p in found}
        fitting = [p for p in candidates if p.slug not in taken and _fits(p.slug, sectors, rules, gazetteer)]
        known = [p for p in fitting if _fits(p.slug, sectors, rules, gazetteer, unknown=False)]
        referent = next(iter(known or fitting), None)  # a company known to be of the kind first
        if referent is not None:
            found.append(Party(match.start(), match.end(), referent.name, referent.slug))
        if len({p.slug for p in found}) >= 2:
            break
    return sorted(found, key=lambda p: p.start)


def _fits(
    slug: str, sectors: tuple[str, ...], rules: DealRules, gazetteer: Gazetteer, unknown: bool = True
) -> bool:
    """Whether a company may be what a noun describes: any for a general noun ("the firm"), else
    one of the noun's sectors, or (with ``unknown``) a company whose sector the gazetteer does
    not know."""
    if not sectors:
        return True
    entity = gazetteer.get(Kind.COMPANY, slug)
    sector = entity.sector if entity is not None else ""
    return sector in sectors or (unknown and sector in rules.described.unknown_sectors)


def extract_deals(
    tagged: TaggedArticle, gazetteer: Gazetteer | None = None, rules: DealRules | None = None
) -> tuple[Deal, ...]:
    """The deals a tagged story reports, each once, in the order the story first tells them."""
    gazetteer = gazetteer or load_gazetteer()
    rules = rules or load_deal_rules()
    article = tagged.article
    if not _prefilter_hit(" ".join([article.title, article.deck, *article.body_paragraphs]), rules):
        return ()
    texts = list(story_sentences(tagged))
    candidates = [candidate_rules(text, rules) for text in texts]
    holding = [_holds(text, rules_of) for text, rules_of in zip(texts, candidates, strict=True)]
    holding.append(False)
    if not any(holding):
        return ()  # most stories: nothing more to do
    companies = frozenset(t.slug for t in tagged.companies)
    story_text = " ".join([article.title, article.deck, *article.body_paragraphs])
    names = Names(gazetteer, companies, story_text, rules)
    mentions = Mentions(texts, names)
    story_day = article.published
    found: list[Deal] = []
    # "The firm ..." with no named party before it means the story's main company.
    main_party = _main_party(tagged, names)
    previous_subject, subject_at = main_party, -2
    previous_pair: list[Party] = []
    pair_at = -PAIR_REACH - 1
    for index, text in enumerate(texts):
        holds = holding[index]
        following = texts[index + 1] if index + 1 < len(texts) else ""
        refers = _refers_back(following, rules) or bool(rules.plural_reference.match(following))
        if not holds and not (refers and holding[index + 1]):
            continue
        parties = mentions.at(index)
        back = rules.back_reference.match(text)
        referent = previous_subject if subject_at == index - 1 else main_party
        named = any(p.start <= back.end() + 1 for p in parties) if back else True  # "The firm Vodafone"
        if back and referent and not named:
            parties.insert(0, Party(0, back.end(), referent.name, referent.slug))
        plural = rules.plural_reference.match(text)
        if plural and len({p.slug for p in parties}) < 2:
            pair = previous_pair if index - pair_at <= PAIR_REACH else []
            parties[:0] = [Party(0, plural.end(), p.name, p.slug) for p in pair]
        if parties:
            previous_subject, subject_at = parties[0], index
        distinct = list({p.slug: p for p in parties}.values())
        if len(distinct) >= 2:
            previous_pair, pair_at = distinct[:2], index
        if holds:
            parties = _with_described(
                text, parties, partial(mentions.before, index, rules.described.reach), rules, gazetteer
            )
            date = date_in(text, story_day, rules) or (story_day.strftime("%Y-%m-%d") if story_day else "")
            sentence = Sentence(text, parties, date, main_party)
            found += [f.deal for f in find_events(sentence, rules, candidates[index])]
    return put_together(found, rules)


_PREFILTERS: dict[int, tuple[DealRules, Any]] = {}


def _main_party(tagged: TaggedArticle, names: Names) -> Party | None:
    """What "The firm" means when no sentence just before names it: the headline's first
    name, else the company the story is most about."""
    in_headline = names.parties(tagged.article.title)
    if in_headline:
        return replace(in_headline[0], start=0, end=0)
    main = next((c for c in tagged.companies if c.tagged), None)
    return Party(0, 0, main.name, main.slug) if main else None


def candidate_rules(text: str, rules: DealRules) -> tuple[EventRule, ...]:
    """The rules, in their order, a word of ``text`` starts a stem of (one Aho-Corasick
    pass); most sentences start none, and the others only a few (a stem that starts with a
    symbol, "% of", may follow anything)."""
    lowered, found = text.lower(), set()
    for end, (length, numbers) in _stems(rules).iter(lowered):
        start = end - length + 1
        if start == 0 or not lowered[start - 1].isalnum() or not lowered[start].isalnum():
            found.update(numbers)
    return tuple(rules.events[number] for number in sorted(found))


def _holds(text: str, candidates: Sequence[EventRule]) -> bool:
    """Whether a sentence holds a trigger of one of its candidate rules."""
    return any(rule.pattern.search(text) for rule in candidates)


def _prefilter_hit(text: str, rules: DealRules) -> bool:
    """Whether a word of ``text`` starts one of the rules' stems."""
    return bool(candidate_rules(text, rules))


def _stems(rules: DealRules) -> Any:
    """An automaton of every rule's stems, each with the numbers of the rules it starts,
    made once per rules."""
    cached = _PREFILTERS.get(id(rules))
    if cached is None or cached[0] is not rules:
        numbers: dict[str, list[int]] = {}
        for number, rule in enumerate(rules.events):
            for stem in rule.stems:
                numbers.setdefault(stem.lower(), []).append(number)
        automaton = ahocorasick.Automaton()
        for stem, rule_numbers in numbers.items():
            automaton.add_word(stem, (len(stem), tuple(rule_numbers)))
        automaton.make_automaton()
        cached = (rules, automaton)
        _PREFILTERS[id(rules)] = cached
    return cached[1]


def _refers_back(text: str, rules: DealRules) -> bool:
    return bool(rules.back_reference.match(text))


_ANY_DAY = datetime(2000, 1, 1)  # for asking whether a sentence states a date at all


def put_together(events: list[Deal], rules: DealRules | None = None) -> tuple[Deal, ...]:
    """One event per type and parties; an event with one party completes the event that names it."""
    rules = rules or load_deal_rules()
    complete: list[Deal] = []
    partial: list[Deal] = []
    for deal in events:
        (complete if _is_complete(deal) else partial).append(deal)
    merged: dict[tuple[str, frozenset[tuple[str, str]]], Deal] = {}
    for deal in complete:
        key = (deal.type, frozenset((p.slug, p.role) for p in deal.parties))
        merged[key] = _combined(merged[key], deal) if key in merged else deal
    result = list(merged.values())
    for deal in partial:
        for index, other in enumerate(result):
            if other.type == deal.type and _shares_party(other, deal):
                result[index] = _combined(other, deal)
                break
    return tuple(_one_sale_per_target(_without_retold_mergers(result, rules)))


def _one_sale_per_target(events: list[Deal]) -> list[Deal]:
    """Sentences of one story telling the sale of the same target, one without a buyer, are
    one sale ("the Kremlin sold Yugansk to Rosneft" and "the Russian government's argument for
    selling Yugansk"); bids by different buyers stay apart."""
    kept: list[Deal] = []
    for deal in events:
        target = _with_role(deal, "target")
        same = next(
            (
                i
                for i, other in enumerate(kept)
                if target
                and other.type == deal.type
                and deal.type in ("acquisition", "divestment")
                and _with_role(other, "target") == target
                and (not _with_role(deal, "buyer") or not _with_role(other, "buyer"))
            ),
            None,
        )
        if same is None:
            kept.append(deal)
        elif _with_role(deal, "buyer") and not _with_role(kept[same], "buyer"):
            kept[same] = _combined(deal, kept[same])
        else:
            kept[same] = _combined(kept[same], deal)
    return kept


def _with_role(deal: Deal, role: str) -> frozenset[str]:
    return frozenset(p.slug for p in deal.parties if p.role == role)


def _without_retold_mergers(events: list[Deal], rules: DealRules) -> list[Deal]:
    """A merger between the parties of an acquisition is that acquisition told again when the
    same sentence tells both ("GE bought Vivendi Universal, merging it with NBC") or when it
    has the same date and gives none of its own ("a merger between MCI and Verizon" in a story
    of Verizon's takeover of MCI; not "they tried to merge two years ago"): its sentences
    join the acquisition."""
    kept = list(events)
    for merger in [d for d in events if d.type == "merger"]:
        slugs = {p.slug for p in merger.parties}
        undated = not date_in(merger.evidence[0], _ANY_DAY, rules)

        def retells(deal: Deal, merger: Deal = merger, undated: bool = undated) -> bool:
            told_with = merger.evidence[0] in deal.evidence
            return told_with or (deal.date == merger.date and undated)

        same = next(
            (
                i
                for i, d in enumerate(kept)
                if d.type == "acquisition" and {p.slug for p in d.parties} == slugs and retells(d)
            ),
            None,
        )
        if same is not None:
            kept[same] = _combined(kept[same], merger)
            kept.remove(merger)
    return kept


# The roles an event of these types cannot do without (an acquisition may name its buyer
# and seller only: "Hitachi bought the technology from Fujitsu").
_CORE_ROLES = {
    "stake": {"investor", "investee"},
    "funding": {"investor", "investee"},
    "lawsuit": {"plaintiff", "defendant"},
    "contract": {"supplier", "customer"},
    "licensing": {"supplier", "customer"},
}


def _is_complete(deal: Deal) -> bool:
    """Two parties at least, in two roles (its core roles, for the types that have them), unless
    the event is symmetric (a merger, a partnership)."""
    roles = {p.role for p in deal.parties}
    if len({p.slug for p in deal.parties}) < 2:
        return False
    if deal.type in _CORE_ROLES:
        return _CORE_ROLES[deal.type] <= roles
    return roles == {"partner"} or len(roles) >= 2


def _shares_party(whole: Deal, part: Deal) -> bool:
    return any((p.slug, p.role) in {(q.slug, q.role) for q in whole.parties} for p in part.parties)


def _combined(first: Deal, second: Deal) -> Deal:
    """``first`` with what ``second`` adds: a missing amount, share or stated date, its evidence."""
    evidence = first.evidence + tuple(s for s in second.evidence if s not in first.evidence)
    return replace(
        first,
        amount=first.amount or second.amount,
        share_percent=first.share_percent if first.share_percent is not None else second.share_percent,
        evidence=evidence,
    )


def with_deals(tagged: TaggedArticle, gazetteer: Gazetteer | None = None) -> TaggedArticle:
    """``tagged`` with the deals it reports."""
    return replace(tagged, deals=extract_deals(tagged, gazetteer))


# ---------------------------------------------------------------- many stories


@dataclass(frozen=True)
class StoryDeals:
    """The deals one story reports, with where the story is and when it ran."""

    source: str
    day: str  # the story's date, ISO
    deals: tuple[Deal, ...]


@dataclass(frozen=True)
class Report:
    """One story's telling of a deal: when, with what status, where."""

    day: str
    status: str
    source: str


@dataclass(frozen=True)
class MergedDeal:
    """One deal as all the stories that report it tell it: the latest status, amount and
    share, the date of the latest report's event, every source and sentence, its history."""

    deal: Deal
    stories: tuple[str, ...]
    history: tuple[Report, ...]

    @property
    def key(self) -> str:
        """A stable identifier: type, parties with roles, date."""
        parties = "-".join(f"{p.slug}.{p.role}" for p in sorted(self.deal.parties, key=lambda p: p.slug))
        return _slug(f"{self.deal.type}-{parties}-{self.deal.date}")


def merge_deals(stories: Iterable[StoryDeals]) -> list[MergedDeal]:
    """The same deal reported by several stories (rumoured, agreed, completed) as one deal:
    same type, same parties in the same roles, event dates within `SAME_DEAL_MONTHS`.
    Newest first."""
    groups: dict[tuple[str, frozenset[tuple[str, str]]], list[tuple[Deal, StoryDeals]]] = {}
    for story in stories:
        for deal in story.deals:
            key = (deal.type, frozenset((p.slug, p.role) for p in deal.parties))
            groups.setdefault(key, []).append((deal, story))
    merged = [m for reports in groups.values() for m in _clusters(reports)]
    return sorted(merged, key=lambda m: (m.deal.date, m.history[-1].day, m.key), reverse=True)


def _clusters(reports: list[tuple[Deal, StoryDeals]]) -> Iterator[MergedDeal]:
    reports = sorted(reports, key=lambda r: (_months(r[0].date or r[1].day), r[1].day, r[1].source))
    cluster: list[tuple[Deal, StoryDeals]] = []
    for report in reports:
        if (
            cluster
            and _months(report[0].date or report[1].day) - _months(cluster[-1][0].date or cluster[-1][1].day)
            > SAME_DEAL_MONTHS
        ):
            yield _merged(cluster)
            cluster = []
        cluster.append(report)
    if cluster:
        yield _merged(cluster)


def _months(date: str) -> int:
    """A date ("2020", "2020-03", "2020-03-25") as a count of months, for distances."""
    parts = [int(p) for p in date.split("-")[:2] if p.isdigit()] if date else []
    if not parts:
        return 0
    return parts[0] * 12 + (parts[1] - 1 if len(parts) > 1 else 6)


def _merged(cluster: list[tuple[Deal, StoryDeals]]) -> MergedDeal:
    by_day = sorted(cluster, key=lambda r: (r[1].day, r[1].source))
    latest = by_day[-1][0]
    amount = next((d.amount for d, _ in reversed(by_day) if d.amount), None)
    share = next((d.share_percent for d, _ in reversed(by_day) if d.share_percent is not None), None)
    evidence: list[str] = []
    for deal, _ in by_day:
        evidence += [s for s in deal.evidence if s not in evidence]
    sources = tuple(dict.fromkeys(story.source for _, story in by_day))
    history = tuple(Report(story.day, deal.status, story.source) for deal, story in by_day)
    deal = replace(latest, amount=amount, share_percent=share, evidence=tuple(evidence))
    return MergedDeal(deal, sources, history)
