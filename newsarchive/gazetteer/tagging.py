"""Find gazetteer entities in a story and score how much the story is about each.

Each mention weighs its zone's weight (headline, deck, lead, body) times its strength
(weak aliases count less). The byline, the author's bio and furniture are not scanned,
and the publication that ran the story is never its subject. At or above the kind's
threshold an entity is tagged; below it, it is "also mentioned" (a technology only where the
story says something about it: `newsarchive.gazetteer.listing`). Weights and thresholds are
data: ``data/relevance.yaml`` and ``data/listing.yaml``.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.core.models import Article, Kind, Mention, Overrides, TaggedArticle, TermScore, Zone
from newsarchive.core.slugs import pelican_slug
from newsarchive.gazetteer.entities import Entity, Gazetteer, load_gazetteer
from newsarchive.gazetteer.listing import (
    ListingRules,
    Sentences,
    features,
    load_listing,
    said_at,
    says_something,
)
from newsarchive.gazetteer.lists import in_passing
from newsarchive.gazetteer.matching import Hit, Surface
from newsarchive.gazetteer.namesakes import ONE_SENSE, NamesakeRules, load_namesakes
from newsarchive.gazetteer.senses import NOTHING, SenseReader, StoryWords
from newsarchive.gazetteer.shortnames import ShortNameRules, cued, load_short_names
from newsarchive.gazetteer.sources import CompiledSources, inside, load_sources
from newsarchive.gazetteer.unlisted import UnlistedRules, load_unlisted, unlisted_hits
from newsarchive.gazetteer.wordforms import word_forms


@dataclass(frozen=True)
class ZoneWeights:
    headline: float
    deck: float
    lead: float
    body: float


@dataclass(frozen=True)
class Thresholds:
    company: float
    technology: float


@dataclass(frozen=True)
class ReaderComments:
    """How readers' comments printed after a story are told from it (see `comments_start`)."""

    min_paragraphs: int
    reporting_words: frozenset[str]
    personal_words: frozenset[str]
    layouts: frozenset[str]  # the source layouts that keep comments (a saved page's extraction drops them)


@dataclass(frozen=True)
class RelevanceRules:
    """The schema of ``data/relevance.yaml``."""

    zone_weights: ZoneWeights
    lead_paragraphs: int
    weak_strength: float
    thresholds: Thresholds
    subject_paragraphs: int = 0
    top_share: Thresholds | None = None
    listed_from: Thresholds | None = None
    list_strength: Thresholds | None = None
    listed_share: Thresholds | None = None
    listed_needs_name: frozenset[str] = frozenset()
    organisation_words: frozenset[str] = frozenset()
    name_words: frozenset[str] = frozenset()
    epithet_nouns: frozenset[str] = frozenset()
    head_links: frozenset[str] = frozenset()
    agent_nouns: frozenset[str] = frozenset()
    statement_verbs: frozenset[str] = frozenset()
    reader_comments: ReaderComments | None = None

    def listing_floor(self, kind: Kind, top: float = 0.0) -> float:
        floor: float = getattr(self.listed_from, kind.value) if self.listed_from else 0.0
        share: float = getattr(self.listed_share, kind.value) if self.listed_share else 0.0
        return max(floor, share * top)

    def strength_in_list(self, kind: Kind) -> float:
        strength: float = getattr(self.list_strength, kind.value) if self.list_strength else 1.0
        return strength

    def share_of_top(self, kind: Kind) -> float:
        share: float = getattr(self.top_share, kind.value) if self.top_share else 0.0
        return share

    def weight(self, zone: Zone) -> float:
        weight: float = getattr(self.zone_weights, zone.value)
        return weight

    def threshold(self, kind: Kind) -> float:
        threshold: float = getattr(self.thresholds, kind.value)
        return threshold


@cache
def load_relevance(path: Path | None = None) -> RelevanceRules:
    """The weights in ``path`` (default: the bundled file), checked once."""
    rules: RelevanceRules = load_data(path or data_path("gazetteer", "relevance.yaml"), RelevanceRules)
    return rules


@lru_cache(maxsize=4096)
def context_pattern(entity: Entity) -> re.Pattern[str]:
    """Any of an entity's context words, as a whole word in Latin text, anywhere in CJK text
    (`StoryWords` answers whether a story has one without it)."""
    words = "|".join(re.escape(word) for word in sorted(entity.context, key=len, reverse=True))
    return re.compile(_bounded(words), re.IGNORECASE)


def _bounded(alternatives: str) -> str:
    latin = "A-Za-z0-9\u00c0-\u024f"
    return rf"(?<![{latin}])(?:{alternatives})(?![{latin}])"


def zones(article: Article, lead_paragraphs: int) -> Iterator[tuple[Zone, str]]:
    """The scanned parts of a story, in reading order."""
    yield Zone.HEADLINE, article.title
    if article.deck:
        yield Zone.DECK, article.deck
    for index, paragraph in enumerate(article.body_paragraphs):
        yield (Zone.LEAD if index < lead_paragraphs else Zone.BODY), paragraph


_Said = tuple[int, Zone, int, int, bool, bool]  # (part, zone, start, end, weak, in a list)


@dataclass
class _Scored:
    """What reading a story finds before anything is ranked: every mention, each entity's
    score, the subjects, the entities named outright, and where each technology is named
    (``said``; ``parts``: the text of each part that names one; ``named_at``: where each
    part names which): the listing decision (`newsarchive.gazetteer.listing`) reads them
    only for the technologies it is asked about."""

    mentions: list[Mention]
    scores: dict[Entity, float]
    subjects: set[Entity]
    named: set[Entity]
    said: dict[Entity, list[_Said]]
    parts: dict[int, str]
    named_at: dict[int, list[tuple[int, Entity]]]


def tag(
    article: Article,
    gazetteer: Gazetteer | None = None,
    rules: RelevanceRules | None = None,
    listing: ListingRules | None = None,
) -> TaggedArticle:
    """The gazetteer entities a story mentions, scored by where they stand, tagged at or above the kind's
    threshold; technologies below it listed as "also mentioned" where the story says something
    about them (`newsarchive.gazetteer.listing`)."""
    gazetteer = gazetteer or load_gazetteer()
    rules = rules or load_relevance()
    listing = listing or load_listing()
    found = _score(article, gazetteer, rules)
    year = article.published.year if article.published and not article.date_estimated else None
    written: dict[str, set[str]] = defaultdict(set)
    for mention in found.mentions:
        written[mention.slug].add(mention.surface)
    named = found.subjects | found.named
    discussed = _discussed(gazetteer, found, listing)
    return TaggedArticle(
        article=article,
        mentions=tuple(found.mentions),
        companies=_ranked(found.scores, Kind.COMPANY, rules, found.subjects, named, year, written),
        technologies=_ranked(
            found.scores, Kind.TECHNOLOGY, rules, found.subjects, named, year, written, discussed
        ),
    )


def listing_candidates(
    article: Article,
    gazetteer: Gazetteer | None = None,
    rules: RelevanceRules | None = None,
    listing: ListingRules | None = None,
) -> list[tuple[str, dict[str, float]]]:
    """Every technology the listing decision is asked about in a story (below the tag
    threshold, at or above the listing floor), by slug, with its features: what
    ``tests/eval/fit_listing.py`` fits the weights on."""
    gazetteer = gazetteer or load_gazetteer()
    rules = rules or load_relevance()
    listing = listing or load_listing()
    found = _score(article, gazetteer, rules)
    asked: list[tuple[str, dict[str, float]]] = []

    def record(entity: Entity, values: dict[str, float]) -> bool:
        asked.append((entity.slug, values))
        return True

    ranked = _ranked(
        found.scores,
        Kind.TECHNOLOGY,
        rules,
        found.subjects,
        found.subjects | found.named,
        discussed=_discussed(gazetteer, found, listing, record),
    )
    untagged = {term.slug for term in ranked if not term.tagged}
    return [(slug, values) for slug, values in asked if slug in untagged]


def _discussed(
    gazetteer: Gazetteer,
    found: _Scored,
    listing: ListingRules,
    decide: Callable[[Entity, dict[str, float]], bool] | None = None,
) -> Callable[[Entity], bool]:
    """Whether the story says something about a technology it does not tag (see
    `newsarchive.gazetteer.listing`); ``decide`` replaces the fitted decision."""
    technologies = {e: score for e, score in found.scores.items() if e.kind is Kind.TECHNOLOGY}
    top = max(technologies.values(), default=0.0)
    sentences: dict[int, Sentences] = {}
    crowd: dict[tuple[int, int], int] = {}

    def read_part(part: int) -> Sentences:
        """The sentences of a part, and how many technologies each names, found once."""
        if part not in sentences:
            sentences[part] = found_sentences = Sentences(found.parts[part])
            in_sentence: dict[int, set[Entity]] = defaultdict(set)
            for start, other in found.named_at[part]:
                in_sentence[found_sentences.index(start)].add(other)
            for sentence, entities in in_sentence.items():
                crowd[(part, sentence)] = len(entities)
        return sentences[part]

    outright = {entity for entity, said in found.said.items() if any(not weak for *_, weak, _ in said)}

    def broader_name(entity: Entity) -> bool:
        """Named only by weak words, beside a narrower technology named outright."""
        if listing.weak_broader_listed or entity in outright:
            return False
        return any(entity.slug in gazetteer.ancestors(Kind.TECHNOLOGY, other.slug) for other in outright)

    def discussed(entity: Entity) -> bool:
        if broader_name(entity):
            return False
        score = technologies[entity]
        ancestors = gazetteer.ancestors(Kind.TECHNOLOGY, entity.slug)
        narrower = any(
            other is not entity
            and entity.slug in gazetteer.ancestors(Kind.TECHNOLOGY, other.slug)
            and other_score >= score
            for other, other_score in technologies.items()
        )
        broader = any(other.slug in ancestors for other in technologies)
        said = [
            said_at(listing, read_part(part), part, zone, start, end, weak, in_list)
            for part, zone, start, end, weak, in_list in found.said.get(entity, [])
        ]
        values = features(
            said,
            crowd,
            score / top if top else 0.0,
            narrower,
            broader,
            gazetteer.below(entity.slug),
        )
        return decide(entity, values) if decide else says_something(listing, values)

    return discussed


def another_company_begins(gazetteer: Gazetteer, surface: Surface, text: str) -> bool:
    """Whether ``text`` writes another company's name that begins with this bare form
    ("Continental Airlines" beside "Continental said"): a cue then confirms that one's short
    name, not this company."""
    pattern = re.compile(rf"\b{re.escape(surface.form)}\s+((?:[A-Z][\w&'’-]*\s*){{1,3}})")
    for match in pattern.finditer(text):
        words = match.group(1).split()
        for count in range(len(words), 0, -1):
            other = gazetteer.resolve(Kind.COMPANY, f"{surface.form} {' '.join(words[:count])}")
            if other is not None and other.slug != surface.entity.slug:
                return True
    return False


def _score(article: Article, gazetteer: Gazetteer, rules: RelevanceRules) -> _Scored:
    """Read a story: every mention, scored by zone and strength (see `tag`)."""
    parts = list(zones(article, rules.lead_paragraphs))
    full_text = "\n".join(text for _, text in parts)
    publishers = story_publishers(gazetteer, article, full_text)
    redefined = redefined_abbreviations(gazetteer, full_text, rules.organisation_words)
    story_words = StoryWords(full_text)
    short_names = load_short_names()
    cue_seen: dict[str, bool] = {}

    def allowed(surface: Surface) -> bool:
        if surface.entity in publishers or surface.form in redefined:
            return False
        return True if surface.needs_cue else confirmed(surface)

    def confirmed(surface: Surface) -> bool:
        """Whether the story as a whole confirms a name: any name that needs no context, an
        ambiguous one with its context words, either with a cue (`shortnames`)."""
        if not (surface.needs_context or surface.needs_cue):
            return True
        if surface.needs_context and story_words.has_any(surface.entity.context):
            return True
        if surface.form not in cue_seen:
            media = surface.entity.sector == "media"
            cue_seen[surface.form] = cued(
                short_names, surface.form, full_text, surface.cue_ending, media
            ) and not another_company_begins(gazetteer, surface, full_text)
        return cue_seen[surface.form]

    found = _Scored([], defaultdict(float), set(), set(), defaultdict(list), {}, defaultdict(list))
    readers_from = comments_start(rules.reader_comments, parts, article.layout)
    senses = SenseReader(story_words)
    offset = 0
    sources = load_sources()
    unlisted = load_unlisted()
    namesaken: set[tuple[str, str]] = set()
    read: list[list[_Found]] = []
    namesakes = load_namesakes()
    for zone, text in parts:
        if zone is not Zone.HEADLINE and namesakes.line_up_paragraph(text):
            read.append([])  # a team sheet or a squad: every name in it is a person, club or place
            continue
        hits = subject_hits(
            gazetteer, zone, text, allowed, sources, namesakes, confirmed=confirmed, namesaken=namesaken
        )
        if zone is not Zone.HEADLINE:  # headlines capitalise every word: no run of capitals says much
            hits += _unlisted(unlisted, gazetteer, zone, text, hits, sources)
        read.append(hits)
    one_sense = _one_sense(gazetteer, namesaken, full_text, story_words, short_names) if namesaken else set()
    firm_words = _firm_abbreviations(parts, read)
    for index, (zone, text) in enumerate(parts):
        hits = [hit for hit in read[index] if not _other_sense(hit, text, one_sense, firm_words)]
        company_starts = {start for start, _, what, _ in hits if what.kind is Kind.COMPANY}
        hits = [hit for hit in hits if not not_the_technology(rules, text, hit, company_starts)]
        if index >= readers_from:  # a reader's view: its companies are named, its technologies not discussed
            hits = [hit for hit in hits if hit[2].kind is not Kind.TECHNOLOGY]
        technologies = [(start, end) for start, end, what, _ in hits if what.kind is Kind.TECHNOLOGY]
        if technologies:
            found.parts[index] = text
        before: tuple[int, Entity] | None = None  # the end and entity of the last technology named
        for start, end, candidate, weak in hits:
            entity = meant(gazetteer, senses, candidate, text, start, end)
            if entity is None:
                continue
            if entity.kind is Kind.TECHNOLOGY:
                head = before is not None and heads_narrower(gazetteer, rules, text, before, start, entity)
                before = (end, entity) if text[start].isupper() else None
                if head:
                    continue
                entity = gazetteer.counted_as(entity)
            subject = _names_subject(index, zone, article, rules)
            if not weak and subject:
                found.subjects.add(entity)
            strength = rules.weak_strength if weak else 1.0
            is_technology = entity.kind is Kind.TECHNOLOGY
            in_list = (
                is_technology
                and not subject
                and (
                    in_passing(text, start, end, technologies)
                    or describes_someone(rules, text, start, end)
                    or said_through(rules, text, start)
                    or example_of_other(text, end, technologies)
                )
            )
            if not subject and _listed(rules, entity.kind, in_list):
                strength = min(strength, rules.strength_in_list(entity.kind))
            elif not weak or zone is not Zone.BODY:
                found.named.add(entity)
            found.scores[entity] += rules.weight(zone) * strength
            found.mentions.append(Mention(entity.slug, entity.kind, zone, offset + start, text[start:end]))
            if is_technology:
                found.said[entity].append((index, zone, start, end, weak, in_list))
                found.named_at[index].append((start, entity))
        offset += len(text) + 2
    return found


def _one_sense(
    gazetteer: Gazetteer,
    namesaken: set[tuple[str, str]],
    full_text: str,
    story_words: StoryWords,
    rules: ShortNameRules,
) -> set[tuple[str, str]]:
    """The ambiguous or short names (form, slug) that a namesake rule showed, somewhere in the
    story, to be a person or a longer name ("Tony Roche", "his new party, Veritas"): a story uses
    such a name in one sense, so its other bare occurrences are that person or name too ("Roche,
    a former Davis Cup player"), unless the story also shows the firm: by a cue other than a verb
    of saying ("Ford shares", "carmaker Ford") or by one of its entry's context words ("cars"
    beside "Harrison Ford"), found as `allowed` finds them."""
    kept = set()
    for form, slug in namesaken:
        entity = gazetteer.get(Kind.COMPANY, slug)
        if entity is None or cued(rules, form, full_text, media=True, bare=True):
            continue
        if entity.context and story_words.has_any(entity.context):
            continue
        kept.add((form, slug))
    return kept


def _firm_abbreviations(parts: list[tuple[Zone, str]], read: list[list[_Found]]) -> set[str]:
    """Abbreviations that begin the name of a company the story names ("SSL" of "SSL
    International"): written alone in that story they are the firm, not the technology that
    has them as its name."""
    found: set[str] = set()
    for (_, text), hits in zip(parts, read, strict=True):
        for start, end, entity, _ in hits:
            words = text[start:end].split()
            if entity.kind is Kind.COMPANY and len(words) > 1 and _ABBREVIATION_WORD.match(words[0]):
                found.add(words[0])
    return found


_ABBREVIATION_WORD = re.compile(r"^[A-Z]{3,6}$")  # "SSL"; not "TV" of "TV Asahi", not "(NYSE:"


def _other_sense(hit: _Found, text: str, one_sense: set[tuple[str, str]], firm_words: set[str]) -> bool:
    """Whether a hit stands for what the story shows elsewhere it means (`_one_sense`,
    `_firm_abbreviations`)."""
    start, end, entity, _ = hit
    written = text[start:end]
    if entity.kind is Kind.TECHNOLOGY:
        return written in firm_words
    return (written, entity.slug) in one_sense


@lru_cache(maxsize=4)
def _word_pattern(words: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![\w'’])(?:{alternatives})(?![\w'’])")


def comments_start(rules: ReaderComments | None, parts: list[tuple[Zone, str]], layout: str) -> int:
    """Where readers' comments printed after the story begin (the index of a part; the number of
    parts if there are none): the run of body paragraphs at the end in which none reports
    anyone (no word of ``reporting_words``: "said", "told"), at least ``min_paragraphs`` long,
    of which at least half speak in the first person or ask or exclaim ("I'd have put the
    mobile phone high up the list", "What about radios?"), after a story that reports. A
    reader's view is not the story's discussion: the technologies it names weigh nothing (the
    companies it names are named, as the labels count them). Only in stories of ``layouts``: a
    saved page's extraction drops its comments, and a blog post in the first person is no comment."""
    if rules is None or layout not in rules.layouts or len(parts) <= rules.min_paragraphs + 1:
        return len(parts)
    reporting = _word_pattern(rules.reporting_words)
    start = len(parts)
    while start > 0 and parts[start - 1][0] is Zone.BODY and not reporting.search(parts[start - 1][1]):
        start -= 1
    run = parts[start:]
    if len(run) < rules.min_paragraphs or parts[start - 1][0] is not Zone.BODY:
        return len(parts)
    personal = _word_pattern(rules.personal_words)
    speaking = sum(1 for _, text in run if personal.search(text) or text.rstrip().endswith(("?", "!")))
    return start if speaking * 2 >= len(run) else len(parts)


_JOINT = re.compile(r"(?:-(?P<link>[a-z]+))?[ \t]*")


def heads_narrower(
    gazetteer: Gazetteer,
    rules: RelevanceRules,
    text: str,
    before: tuple[int, Entity],
    start: int,
    entity: Entity,
) -> bool:
    """Whether a technology written in lowercase at ``start`` is only the class noun of the
    narrower technology whose proper name stands just before it ("the Windows operating system",
    "a Linux-based operating system", "the IE browser"): the phrase names that one and says
    nothing of the broader kind besides. A lowercase modifier is not a name ("biometric
    authentication" is authentication). ``before``: where the last technology written with a
    capital in the paragraph ends, and which it is; a joint of one of ``head_links`` ("-based")
    may stand between them. Only a kind the narrower one is heads it: an "Xbox video game" is a
    game for the console, since consoles belong to the field of video games but are no kind of
    game (`Gazetteer.kinds_above`)."""
    end, narrower = before
    if not text[start].islower():
        return False
    joint = _JOINT.fullmatch(text, end, start)
    if joint is None or (joint.group("link") and joint.group("link") not in rules.head_links):
        return False
    return entity is not narrower and entity.slug in gazetteer.kinds_above(narrower.slug)


_NEXT_LOWER = re.compile(r"[ \t]+([a-z]+)\b")


def describes_someone(rules: RelevanceRules, text: str, start: int, end: int) -> bool:
    """Whether a technology named at ``text[start:end]`` names a person, a firm or a trade (its
    last word or the next word is one of ``agent_nouns``: "the internet retailer Yoox", "gaming
    fans", "the telecommunications industry", "mobile firms"): it says who someone is, not
    something about the technology, so it is named in passing, as a list item is."""
    last = text[start:end].rsplit(None, 1)[-1].lower()
    if last in rules.agent_nouns:
        return True
    following = _NEXT_LOWER.match(text, end)
    return following is not None and following.group(1) in rules.agent_nouns


_AND_OTHER = re.compile(r",?\s+(?:and|or)\s+(?:many\s+|any\s+|all\s+|some\s+)?other\s+(?=[a-z])")
_CLASS_WORDS = re.compile(r"(?:[\w'’-]+\s*){1,3}")


def example_of_other(text: str, end: int, technologies: list[tuple[int, int]]) -> bool:
    """Whether a technology named just before ``end`` is one example of a class that is no
    technology ("passwords or other personal information", "a printer and other office
    supplies"; ``technologies``: the spans of the paragraph's technologies): the sentence names
    the class, so the technology is named in passing, as a list item. Not where the class is a
    technology too ("Wi-Fi and other wireless networks")."""
    joint = _AND_OTHER.match(text, end)
    if joint is None:
        return False
    words = _CLASS_WORDS.match(text, joint.end())
    stop = words.end() if words else joint.end()
    return not any(joint.end() <= start < stop for start, _ in technologies)


@lru_cache(maxsize=4)
def _statement_medium(verbs: frozenset[str]) -> re.Pattern[str]:
    alternatives = "|".join(sorted(verbs, key=len, reverse=True))
    return re.compile(
        rf"\b(?:{alternatives})\s+(?:[\w'’-]+\s+)?(?:in|on|via|during|through)\s+"
        r"(?:a|an|his|her|its|their|the|one)\s+(?:[\w'’-]+\s+){0,2}$"
    )


def said_through(rules: RelevanceRules, text: str, start: int) -> bool:
    """Whether a technology named at ``start`` is only the medium of a statement ("he asked in a
    webcast", "she said in an e-mail", "wrote on his blog": a verb of ``statement_verbs``, at
    most one word, then "in", "on" or "via" and a determiner before it): it says how someone
    spoke, as a credit says where, not something about the technology, so it is named in
    passing there, as a list item is."""
    if not rules.statement_verbs:
        return False
    return _statement_medium(rules.statement_verbs).search(text, max(0, start - 80), start) is not None


_NEXT_WORD = re.compile(r"[ \t]+([A-Z][\w&'’-]*)")
_EPITHET_NOUN = re.compile(r"[ \t]+([a-z][\w-]*)(?=[ \t]+\S)")


_Found = tuple[int, int, Entity, bool]  # (start, end, entity, weak), as subject_hits gives them


def not_the_technology(rules: RelevanceRules, text: str, hit: _Found, company_starts: set[int]) -> bool:
    """Whether a technology's name found at ``hit`` stands for something else here: the
    first word of an organisation's, publication's or programme's name ("PC Pro", "the Computer
    Crime Unit", "Linux Foundation": the next word is one of ``organisation_words`` or
    ``name_words``), or an epithet of a company ("search-engine Google", "web tracking company
    Envisional": a company's name follows, after at most one of ``epithet_nouns``;
    ``company_starts``: where the paragraph's company names begin)."""
    start, end, entity, _ = hit
    if entity.kind is not Kind.TECHNOLOGY:
        return False
    if text[start].isupper() and in_a_proper_name(text, start, end, entity):
        return True
    name = _NEXT_WORD.match(text, end)
    if name and (name.group(1) in rules.organisation_words or name.group(1) in rules.name_words):
        return True
    after = end
    noun = _EPITHET_NOUN.match(text, end)
    if noun and noun.group(1) in rules.epithet_nouns:
        after = noun.end()
    starts = (after + 1, after + 2)
    return any(start in company_starts and not text[after:start].strip(" \t") for start in starts)


_CAPITALISED_BEFORE = re.compile(r"(?:^|[^.!?:;\"'“‘\s])[ \t]+[A-Z][\w&'’-]*[ \t]+$")
_CAPITALISED_AFTER = re.compile(r"[ \t]+(?:[A-Z][\w&'’-]*|\((?P<short>[A-Z]{2,})\))")
_WORDS = re.compile(r"[A-Za-z][\w'’-]*")


def in_a_proper_name(text: str, start: int, end: int, entity: Entity) -> bool:
    """Whether a technology's name, written here with every word capitalised though the
    technology is written in lowercase (``written.lower()`` is one of its lowercase forms),
    is part of a longer proper name: a capitalised word stands before it (not the first word
    of its sentence) or after it, or an abbreviation in brackets that is not its own initials
    follows ("the UK Internet Forum (UKIF)", "the FBI's Internet Fraud Complaint Center", "the
    Interactive Media Player", "Sinclair Spectrum"): the name of a body, product or event,
    not the technology ("Digital Rights Management (DRM)" is the technology, defined)."""
    written = text[start:end]
    if not all(word[:1].isupper() for word in written.split()):
        return False
    if written.lower() not in lowercase_forms(entity) or _heading(text):
        return False
    after = _CAPITALISED_AFTER.match(text, end)
    if after:
        short = after.group("short")
        return short is None or short != "".join(word[0] for word in re.split(r"[\s-]+", written) if word)
    before = text[max(0, start - 40) : start]
    return bool(before) and _CAPITALISED_BEFORE.search(before) is not None


def _heading(text: str) -> bool:
    """Whether a paragraph is a heading: in title case, with no full stop at its end ("Why Neon
    Is the Symbol")."""
    if text.rstrip().endswith((".", "!", "?", '."', ".”", "'")):
        return False
    words = _WORDS.findall(text)
    return sum(1 for word in words if word[0].isupper()) * 2 > len(words)


@lru_cache(maxsize=4096)
def lowercase_forms(entity: Entity) -> frozenset[str]:
    """The forms of a technology written in lowercase, with their word forms."""
    found: set[str] = set()
    for form, weak, _ in entity.surface_forms():
        if form == form.lower():
            found |= {form} | {variant.lower() for variant in word_forms(form, weak)}
    return frozenset(found)


def _listed(rules: RelevanceRules, kind: Kind, in_list: bool) -> bool:
    """Whether a name named in passing in a list (see `newsarchive.gazetteer.lists`) counts
    less, as the kind's list mentions do."""
    return in_list and rules.strength_in_list(kind) < 1.0


_ABBREVIATION = re.compile(r"\((?P<short>[A-Z]{2,6})\)")
_LONG_FORM = re.compile(
    r"(?P<long>[A-Z][\w'’-]*(?:\s+(?:of|for|and|on|the|de|du|&)?\s*[A-Z][\w'’-]*){1,6})\s+$"
)


def redefined_abbreviations(
    gazetteer: Gazetteer, full_text: str, organisations: frozenset[str] = frozenset()
) -> set[str]:
    """Abbreviations the story defines as something other than the company or technology that
    owns them ("the Marine Stewardship Council (MSC)", "Incomes Data Services (IDS)"): in that
    story they stand for what it says, so they are not that entity. A technology's abbreviation
    is taken as redefined only by the name of an organisation (a long form whose last word is
    one of ``organisations``: "Services", "Council"), since a technology's own long form may be
    missing from the taxonomy ("Really Simple Syndication (RSS)")."""
    found: set[str] = set()
    if "(" not in full_text:
        return found
    for match in _ABBREVIATION.finditer(full_text):
        short = match.group("short")
        owner = gazetteer.resolve(Kind.COMPANY, short) or gazetteer.resolve(Kind.TECHNOLOGY, short)
        if owner is None:
            continue
        before = _LONG_FORM.search(full_text[max(0, match.start() - 120) : match.start()])
        if before is None:
            continue
        long_form = re.sub(r"(?:'s|’s|'|’)$", "", before.group("long"))  # "Incomes Data Services' (IDS)"
        named = {hit.surface.entity for hit in gazetteer.scan(long_form)}
        if owner.kind is Kind.TECHNOLOGY and long_form.split()[-1] not in organisations:
            continue
        if owner not in named and gazetteer.resolve(owner.kind, long_form) is not owner:
            found.add(short)
    return found


def story_publishers(
    gazetteer: Gazetteer, article: Article, full_text: str, sources: CompiledSources | None = None
) -> set[Entity]:
    """The publication the import names and any the story names as its own ("told the BBC News
    website"): never subjects of the story."""
    sources = sources or load_sources()
    names = _publication_names(article.publication) if article.publication else []
    if "News" in full_text:
        names += sources.publisher_names(full_text)
    found = (gazetteer.resolve(Kind.COMPANY, name) for name in names)
    return {entity for entity in found if entity is not None}


def _publication_names(publication: str) -> list[str]:
    """A publication as named and its shorter forms: "Yahoo News - Latest News & Headlines" is
    also "Yahoo News" and "Yahoo"; "The Seattle Times" also "Seattle Times"."""
    names = [publication]
    head = re.split(r"\s+[-–—|:]\s+", publication)[0].strip()
    names.append(head)
    for prefix in ("The ",):
        if head.startswith(prefix):
            names.append(head[len(prefix) :])
    for suffix in (" News", ".com", " Online"):
        if head.endswith(suffix):
            names.append(head[: -len(suffix)].rstrip("!"))
    return names


def subject_hits(
    gazetteer: Gazetteer,
    zone: Zone,
    text: str,
    allowed: Callable[[Surface], bool],
    sources: CompiledSources | None = None,
    namesakes: NamesakeRules | None = None,
    present: set[int] | None = None,
    confirmed: Callable[[Surface], bool] | None = None,
    namesaken: set[tuple[str, str]] | None = None,
) -> list[tuple[int, int, Entity, bool]]:
    """(start, end, entity, weak) for every subject the zone's text names: the gazetteer's hits
    minus those inside a dateline, credit or ticker (`sources`) and company names that stand
    for a person, club or event (`namesakes`), plus the companies its tickers name. The source
    patterns run only on a paragraph where they could change something (a company is found)."""
    sources = sources or load_sources()
    namesakes = namesakes or load_namesakes()
    found: list[tuple[int, int, Entity, bool]] = []
    ticker_spans: list[tuple[int, int]] = []
    for ticker in sources.find_tickers(text):
        ticker_spans.append((ticker.start, ticker.end))
        company = gazetteer.by_ticker(ticker.exchange, ticker.symbol)
        if company is not None:
            found.append((ticker.start, ticker.end, company, False))
    hits = gazetteer.scan(text, allowed)
    if confirmed is not None and any(hit.surface.needs_cue for hit in hits):
        hits = listed_or_confirmed(text, hits, confirmed)
    companies = [hit for hit in hits if hit.surface.entity.kind is Kind.COMPANY]
    spans = ticker_spans
    credited: list[tuple[int, int]] = []
    if companies and zone is not Zone.HEADLINE:
        present = sources.present(text) if present is None else present
        spans = sources.source_spans(text, zone is not Zone.BODY, present) + ticker_spans
        if _credit_may_drop(hits, spans, text):
            credited = sources.attribution_spans(text, present)
    for index, hit in enumerate(hits):
        entity = hit.surface.entity
        if spans and inside(spans, hit.start, hit.end):
            continue
        if entity.kind is Kind.COMPANY and _begins_another(hits, index, text):
            continue
        if credited and _credited_outlet(credited, text, entity, hit):
            continue
        if entity.kind is Kind.COMPANY and _namesake(namesakes, text, hit, namesaken):
            continue
        found.append((hit.start, hit.end, entity, hit.surface.weak))
    return sorted(found, key=lambda item: item[0])


def _begins_another(hits: list[Hit], index: int, text: str) -> bool:
    """Whether an ambiguous or short company name is the first word of a longer name that goes
    on with another company's name ("a stake in Sun Interbrew", the brewer Interbrew's venture):
    that name is neither of the two firms alone."""
    hit = hits[index]
    if not (hit.surface.needs_context or hit.surface.needs_cue) or index + 1 >= len(hits):
        return False
    following = hits[index + 1]
    return following.surface.entity.kind is Kind.COMPANY and text[hit.end : following.start] == " "


def _unlisted(
    rules: UnlistedRules,
    gazetteer: Gazetteer,
    zone: Zone,
    text: str,
    hits: list[tuple[int, int, Entity, bool]],
    sources: CompiledSources,
) -> list[tuple[int, int, Entity, bool]]:
    """Companies the gazetteer lacks (`newsarchive.gazetteer.unlisted`), outside its hits and
    outside datelines, credits and page furniture."""
    taken = [(start, end) for start, end, entity, _ in hits if entity.kind is Kind.COMPANY]
    found = unlisted_hits(rules, gazetteer, text, taken)
    if not found:
        return []
    spans = sources.source_spans(text, zone is not Zone.BODY)
    return [(start, end, company, False) for start, end, company in found if not inside(spans, start, end)]


_OUTLET_WORDS = ("News", "TV", "Television", "Radio")
_OUTLET = re.compile(rf"\b(?:{'|'.join(_OUTLET_WORDS)})\b")


def _credit_may_drop(hits: list[Hit], spans: list[tuple[int, int]], text: str) -> bool:
    """Whether a credit to a publication could drop one of a paragraph's hits (see
    `_credited_outlet`): a hit outside its source spans that is a media company's, or any such
    hit where the paragraph writes an outlet word. Elsewhere the attribution patterns, the
    costliest of the sources, are not run."""
    outside = [hit for hit in hits if not inside(spans, hit.start, hit.end)]
    if any(hit.surface.entity.sector == "media" for hit in outside):
        return True
    return bool(outside) and any(word in text for word in _OUTLET_WORDS)


def _credited_outlet(credited: list[tuple[int, int]], text: str, entity: Entity, hit: Hit) -> bool:
    """Whether a company name stands in a credit to a publication or broadcaster ("told
    Reuters", "the Sunday Telegraph reported"): a media company there is a source, and so is
    any company whose name the credit writes as a news outlet's ("told Sky News", of a pay-TV
    operator)."""
    for start, end in credited:
        if start < hit.end and hit.start < end:
            return entity.sector == "media" or _OUTLET.search(text, start, end) is not None
    return False


_LIST_JOINT = re.compile(r"^(?:'s|’s)?\s*(?:,|,?\s+and|,?\s+or|\s+&)\s+$")


def listed_or_confirmed(text: str, hits: list[Hit], confirmed: Callable[[Surface], bool]) -> list[Hit]:
    """The hits minus short names the story does not confirm, unless one stands in a list
    next to a company it does ("Morrisons, Woolworths and Big Food")."""
    sure = [hit.surface.entity.kind is Kind.COMPANY and not hit.surface.needs_cue for hit in hits]
    kept = []
    for index, hit in enumerate(hits):
        if not hit.surface.needs_cue or confirmed(hit.surface):
            kept.append(hit)
            continue
        before = index > 0 and sure[index - 1] and _LIST_JOINT.match(text[hits[index - 1].end : hit.start])
        after = (
            index + 1 < len(hits)
            and sure[index + 1]
            and _LIST_JOINT.match(text[hit.end : hits[index + 1].start])
        )
        if before or after:
            kept.append(hit)
    return kept


def _namesake(
    namesakes: NamesakeRules, text: str, hit: Hit, namesaken: set[tuple[str, str]] | None = None
) -> bool:
    """Whether a company name found at ``hit`` stands for a person, club, event or longer name;
    an ambiguous or short name found to be a person or a longer name is added to ``namesaken``
    (see `_one_sense`)."""
    surface = hit.surface
    ambiguous = surface.needs_context or surface.needs_cue
    rule = namesakes.rule_for(text, hit.start, hit.end, ambiguous, surface.entity.sector)
    if rule is not None and ambiguous and namesaken is not None and rule.means in ONE_SENSE:
        namesaken.add((text[hit.start : hit.end], surface.entity.slug))
    return rule is not None


def _names_subject(index: int, zone: Zone, article: Article, rules: RelevanceRules) -> bool:
    """Whether a name standing in part ``index`` of the story makes its entity a subject: the
    headline, the deck and the first ``subject_paragraphs`` paragraphs do, whatever the length."""
    if zone in (Zone.HEADLINE, Zone.DECK):
        return True
    paragraph = index - 1 - (1 if article.deck else 0)
    return paragraph < rules.subject_paragraphs


def meant(
    gazetteer: Gazetteer, senses: SenseReader, entity: Entity, text: str, start: int, end: int
) -> Entity | None:
    """The entity a name found at ``text[start:end]`` stands for once its entry's senses have
    been read (None: no entity)."""
    if not entity.senses:
        return entity
    slug = senses.meaning(entity.senses, text[start:end], text, start, end)
    if slug is None:
        return entity
    return None if slug == NOTHING else gazetteer.get(entity.kind, slug)


def _ranked(
    scores: dict[Entity, float],
    kind: Kind,
    rules: RelevanceRules,
    subjects: set[Entity],
    named: set[Entity],
    year: int | None = None,
    written: dict[str, set[str]] | None = None,
    discussed: Callable[[Entity], bool] | None = None,
) -> tuple[TermScore, ...]:
    """The kind's entities by score, tagged at the threshold (or a share of the story's top
    score, or named as a subject), listed from the listing floor (or a share of the top score)
    and, for the kinds in ``listed_needs_name``, only if named outright once (``named``: the
    subjects, entities named by a name or alias outside a list, and those a weak word names in
    the headline, deck or lead: "optical" in "NTT and NEC forge 5G, optical alliance"), unless weak
    words alone reach the threshold ("currently streaming on" in every paragraph), and an
    untagged one only where ``discussed`` says the story says something about it; each under
    the name it had in the story's ``year`` (see `Entity.name_in`)."""
    own = [score for entity, score in scores.items() if entity.kind is kind]
    top = max(own, default=0.0)
    threshold = max(rules.threshold(kind), rules.share_of_top(kind) * top)
    floor = rules.listing_floor(kind, top)
    needs_name = kind.value in rules.listed_needs_name
    written = written or {}
    terms = []
    for entity, score in scores.items():
        if entity.kind is not kind or (needs_name and entity not in named and score < threshold):
            continue
        if score >= floor or entity in subjects:
            tagged = score >= threshold or entity in subjects
            if not tagged and discussed is not None and not discussed(entity):
                continue
            name = entity.name_in(year, frozenset(written.get(entity.slug, ())))
            terms.append(TermScore(entity.slug, name, round(score, 2), tagged, machine=tagged))
    return _by_score(terms)


def _by_score(terms: list[TermScore]) -> tuple[TermScore, ...]:
    return tuple(sorted(terms, key=lambda t: (-t.score, t.name.casefold())))


def term_key(gazetteer: Gazetteer, kind: Kind, name: str) -> str:
    """The slug a display name or alias stands for (Pelican's slugify for unknown names)."""
    entity = gazetteer.resolve(kind, name)
    return entity.slug if entity else pelican_slug(name)


def apply_overrides(tagged: TaggedArticle, overrides: Overrides, gazetteer: Gazetteer) -> TaggedArticle:
    """Force a person's pinned tags on and removed tags off, whatever the scores say."""
    return replace(
        tagged,
        companies=_overridden(tagged.companies, Kind.COMPANY, overrides, gazetteer),
        technologies=_overridden(tagged.technologies, Kind.TECHNOLOGY, overrides, gazetteer),
        overrides=overrides,
    )


def _overridden(
    terms: tuple[TermScore, ...], kind: Kind, overrides: Overrides, gazetteer: Gazetteer
) -> tuple[TermScore, ...]:
    removed = {term_key(gazetteer, kind, name) for name in overrides.removed}
    pinned = {term_key(gazetteer, kind, name): name for name in overrides.pinned(kind)}
    result = [replace(t, tagged=(t.machine or t.slug in pinned) and t.slug not in removed) for t in terms]
    present = {t.slug for t in terms}
    for slug, name in pinned.items():
        if slug not in present and slug not in removed:
            entity = gazetteer.get(kind, slug)
            result.append(TermScore(slug, entity.name if entity else name, 0.0, tagged=True))
    return _by_score(result)
