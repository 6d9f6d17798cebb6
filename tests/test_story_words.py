"""`StoryWords` finds a story's whole words exactly where the compiled pattern does, without
compiling it (`newsarchive.gazetteer.senses`)."""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from newsarchive.gazetteer.senses import FOLDS_ONTO_ASCII, StoryWords, whole_words

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
