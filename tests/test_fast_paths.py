"""Hot paths of the import made fast, each equal to its plain definition: the word 4-grams
that tell two revisions of one story apart from two stories (the shingles of earlier imports
are kept, so a different hash would hide every revision of them), a cleaned line, a story's
whole words found without a pattern, the clause around a name, and the characters that join
words."""

from __future__ import annotations

import json
import pickle
import re
import sys
import zlib
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.core.models import Article, Block, Kind
from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.gazetteer.lists import _CLAUSE_END, _clause_around
from newsarchive.gazetteer.matching import _JOINING, _joins_words
from newsarchive.gazetteer.senses import FOLDS_ONTO_ASCII, StoryWords, whole_words
from newsarchive.ingest.duplicates import overlap, shingles
from newsarchive.ingest.layouts.common import clean_any_line, clean_line
from newsarchive.site.plugin.api import StoryEntries, term_record, term_text
from newsarchive.site.plugin.entity_stats import seen_together
from newsarchive.site.plugin.terms import TermFactory

words = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=12)
text = st.builds(" ".join, st.lists(st.one_of(words, st.sampled_from(["\u00a0", "\u2003", "É", "ß", "İ"]))))


def plain_shingles(paragraphs: list[str]) -> frozenset[int]:
    """The definition: each run of four case-folded words, joined by a space, as UTF-8, CRC-32."""
    found = " ".join(paragraphs).casefold().split()
    grams = [" ".join(found[i : i + 4]) for i in range(max(1, len(found) - 3))]
    return frozenset(zlib.crc32(gram.encode("utf-8")) for gram in grams)


def article(paragraphs: list[str]) -> Article:
    return Article(title="A story", body=tuple(Block(p) for p in paragraphs), source_path=Path("story.txt"))


@given(st.lists(text, max_size=5))
def test_the_fast_shingles_are_the_plain_definitions(paragraphs: list[str]) -> None:
    assert shingles(article(paragraphs)) == plain_shingles(paragraphs)


def test_a_revision_shares_nearly_all_its_shingles_and_another_story_none() -> None:
    story = ["NTT will take a 4.8% stake in NEC, worth about $560 million, to form an alliance."] * 3
    revised = [*story[:2], story[2].replace("about", "around")]
    other = ["Vodafone widened its Wi-Fi service to more homes this year, analysts said."] * 3
    assert overlap(shingles(article(story)), shingles(article(revised))) > 0.6
    assert overlap(shingles(article(story)), shingles(article(other))) == 0.0


@given(
    st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40)
    | st.text(st.characters(max_codepoint=127), max_size=40)
)
def test_a_line_is_cleaned_alike_on_the_fast_path_and_the_full_one(line: str) -> None:
    assert clean_line(line) == clean_any_line(line)


class _Term:
    """A term compared by its slug, as Pelican's wrappers are: equal terms may be distinct objects."""

    def __init__(self, slug: str, name: str):
        self.slug, self.name = slug, name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Term) and other.slug == self.slug

    def __hash__(self) -> int:
        return hash(self.slug)

    def __str__(self) -> str:
        return self.name


def plain_seen_together(
    term_lists: list[list[_Term]], exclude: _Term, limit: int = 12
) -> list[tuple[_Term, int]]:
    """The definition: each story's distinct terms counted, the term itself left out."""
    counts: Counter[_Term] = Counter()
    for terms in term_lists:
        counts.update(t for t in set(terms) if t != exclude)
    return sorted(counts.items(), key=lambda item: (-item[1], str(item[0]).casefold()))[:limit]


slugs = st.sampled_from("abcdefghijklmnop")
# Equal terms may be named differently ("Acme", "ACME"); terms told apart are named apart.
terms = st.builds(
    lambda slug, upper: _Term(slug, f"Term {slug.upper() if upper else slug}"), slugs, st.booleans()
)


@given(st.lists(st.lists(terms, max_size=6), max_size=12), terms, st.integers(1, 14))
def test_terms_seen_together_are_counted_as_the_plain_definition(
    term_lists: list[list[_Term]], exclude: _Term, limit: int
) -> None:
    ours = seen_together(term_lists, exclude, limit)
    plain = plain_seen_together(term_lists, exclude, limit)
    assert [(term.slug, str(term), count) for term, count in ours] == [
        (term.slug, str(term), count) for term, count in plain
    ]


def test_the_entities_under_each_entity_are_those_a_scan_of_the_gazetteer_finds() -> None:
    """A term page's subsidiaries and narrower technologies, indexed once, are the entities a
    scan of the whole gazetteer finds under it (for every technology and every parent company)."""
    gazetteer = load_gazetteer()
    factory = TermFactory(gazetteer, {})
    technologies = gazetteer.of_kind(Kind.TECHNOLOGY)
    below = factory.below(Kind.TECHNOLOGY)
    for entity in technologies:
        assert below.get(entity.slug, []) == [e.slug for e in technologies if entity.slug in e.broader]
    companies = gazetteer.of_kind(Kind.COMPANY)
    owned = factory.below(Kind.COMPANY)
    parents = {e.parent for e in companies if e.parent}
    assert parents and set(owned) == parents
    for slug in parents:
        assert owned[slug] == [e.slug for e in companies if e.parent == slug]


def test_a_gazetteer_read_back_unpickles_its_automata_only_to_scan() -> None:
    """Read back from its pickle, the gazetteer resolves names without its automata, and its
    first scan finds what the gazetteer it was pickled from finds, with the same entities."""
    gazetteer = load_gazetteer()
    text = "NTT takes a stake in NEC; Vodafone and BT widen 5G and Wi-Fi. (Nasdaq: ORCL)"
    read_back = pickle.loads(pickle.dumps(gazetteer, protocol=pickle.HIGHEST_PROTOCOL))
    assert read_back.matcher.automaton is None
    assert read_back.resolve(Kind.COMPANY, "NTT") == gazetteer.resolve(Kind.COMPANY, "NTT")
    hits = read_back.scan(text)
    assert read_back.matcher.automaton is not None
    assert [(h.start, h.end, h.surface) for h in hits] == [
        (h.start, h.end, h.surface) for h in gazetteer.scan(text)
    ]
    assert hits and all(
        h.surface.entity is read_back.get(h.surface.entity.kind, h.surface.entity.slug) for h in hits
    )
    again = pickle.loads(pickle.dumps(read_back))  # a matcher already unpacked pickles as well
    assert [h.surface for h in again.scan(text)] == [h.surface for h in hits]


story_titles = st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=30)


@given(
    st.lists(st.tuples(story_titles, st.dates()), max_size=8), st.sampled_from(["", "https://example.org"])
)
def test_a_terms_json_text_is_json_dumps_of_its_record(
    stories: list[tuple[str, date]], site_url: str
) -> None:
    """A term's API file, made with each story's entry encoded once, is the JSON of its record."""
    term = SimpleNamespace(
        slug="ntt", name="NTT \u201cGroup\u201d", url="company/ntt/", entity=None, links={}
    )
    term.related_companies, term.related_technologies = [], []
    articles = [
        SimpleNamespace(title=title, date=datetime(day.year, day.month, day.day, 9, 30), url=f"s/{n}/")
        for n, (title, day) in enumerate(stories)
    ]
    entries = StoryEntries(site_url)
    expected = json.dumps(term_record(term, articles, "company", site_url), ensure_ascii=False)
    assert term_text(term, articles, "company", entries) == expected
    assert term_text(term, articles[::-1], "company", entries) == json.dumps(
        term_record(term, articles[::-1], "company", site_url), ensure_ascii=False
    )


# ASCII letters and what stands next to them in news text, the characters the engine folds
# onto ASCII letters, Latin letters with diacritics inside and outside the pattern's Latin
# range, a final sigma, CJK and punctuation
ALPHABET = "aAbBiIkKsSeE-' .,0\u0130\u0131\u017f\u212a\u00e9\u00c9\u0253\u1e9e\u03a3\u65e5\u672c"
WORD_ALPHABET = "aAbBiIkKsSeE-' 0\u00e9"


def test_the_characters_folded_onto_ascii_are_all_of_them() -> None:
    letters = re.compile("[a-z]", re.IGNORECASE)
    found = {chr(code) for code in range(128, sys.maxunicode + 1) if letters.match(chr(code))}
    assert found == set(FOLDS_ONTO_ASCII)


@settings(max_examples=400)
@given(
    st.text(ALPHABET, max_size=30),
    st.lists(st.text(WORD_ALPHABET, min_size=1, max_size=4), min_size=1, max_size=3),
)
def test_story_words_find_what_the_pattern_finds(story: str, words: list[str]) -> None:
    pattern = re.compile(whole_words(tuple(words)), re.IGNORECASE)
    assert StoryWords(story).has_any(tuple(words)) == bool(pattern.search(story))


def test_story_words_examples() -> None:
    story = StoryWords("The SATURN probe, Cassini-Huygens, left 日本 at dawn.")
    assert story.has_any(("saturn",))
    assert story.has_any(("huygens", "nothing"))
    assert not story.has_any(("cassini-h",))  # "u" follows: not a whole word
    assert story.has_any(("日本",))
    assert not StoryWords("Kelvin \u212aelvin").has_any(("kelvins",))
    assert StoryWords("\u212aelvin").has_any(("kelvin",))  # the Kelvin sign is a K to the engine


def plain_clause_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The definition: after the last clause end closing before the name, up to the first
    opening at or after it."""
    clause_start, clause_end = 0, len(text)
    for match in _CLAUSE_END.finditer(text):
        if match.end() <= start:
            clause_start = match.start() + 1
        elif match.start() >= end:
            clause_end = match.start()
            break
    return clause_start, clause_end


@given(st.text("ab .;:!?()[]\n", min_size=1, max_size=30), st.data())
def test_the_clause_around_a_name_is_its_plain_definition(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert _clause_around(text, start, end) == plain_clause_around(text, start, end)


def test_the_word_joining_set_is_the_plain_definition() -> None:
    every = (chr(code) for code in range(sys.maxunicode + 1) if not 0xD800 <= code <= 0xDFFF)
    assert {char for char in every if _joins_words(char)} == _JOINING
