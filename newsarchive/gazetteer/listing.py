"""Which technologies a story says something about, and which it only names in passing.

A technology that does not reach its tag threshold is shown as "also mentioned" only if the
story says something about it: at least a sentence is about it, not a list item, one clause,
an example, a compound ("mobile phone operator") or a broader name for a subject the story
discusses under a narrower one. The tagger decides from features any story has, read off
each mention (`SaidAt`):

* ``sentences``: how many sentences name it (log2 of one more);
* ``share``: its score as a share of the story's top technology score;
* ``lead``: named in the lead (the first `lead_paragraphs` paragraphs);
* ``listed``: the share of its mentions that are one item of a list (`lists.in_passing`);
* ``weak``: the share of its mentions that are weak words ("security", "mobile");
* ``modifier``: the share of its mentions that a lowercase content word follows, so the name
  qualifies another noun ("3D graphics engine", "phishing attempts", "subscription service");
* ``opening``: some mention opens its sentence (at most ``opening_words`` words before it),
  where English puts what the sentence is about;
* ``predicate``: some mention is followed by a verb of its own: one of ``predicate_words``
  ("is", "can", "which") or a past tense ("laser links can struggle", "the web portal has
  undergone", "compression was visually lossless"), so the sentence says what it is or does;
* ``alone``: the share of its mentions whose sentence names no other technology;
* ``narrower``: a narrower technology (by ``broader`` links) scores at least as much in the
  story, so this one is its broader name;
* ``broader``: a broader technology of it is named in the story too;
* ``generic``: how broad the entry is in the taxonomy (log2 of one more than the number of
  technologies below it).

Before any score, a technology the story names only by weak words ("security", "software",
"satellite") while it names a narrower one outright (phishing, Linux, satellite radio) is that
one's broader name, not a second subject: it is not listed when ``weak_broader_listed`` is
false.

The decision is a logistic score over those features, with its weights, bias and cut in
``data/listing.yaml``; ``tests/eval/fit_listing.py`` fits them on the odd-numbered stories of
the two label sets and writes that file.
"""

from __future__ import annotations

import bisect
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.core.errors import ConfigError
from newsarchive.core.models import Zone

FEATURES = (
    "sentences",
    "share",
    "lead",
    "listed",
    "weak",
    "modifier",
    "opening",
    "predicate",
    "alone",
    "narrower",
    "broader",
    "generic",
)

_SENTENCE_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])")
_NEXT_WORD = re.compile(r"[ \t]+([a-z][a-z-]*)")
_WORD = re.compile(r"\S+")
_PAST = re.compile(r"^[a-z]{3,}ed$")


@dataclass(frozen=True)
class ListingRules:
    """The schema of ``data/listing.yaml``."""

    bias: float
    weights: dict[str, float]
    cut: float
    opening_words: int
    function_words: frozenset[str]
    predicate_words: frozenset[str]
    weak_broader_listed: bool = True

    def check(self, where: str) -> None:
        unknown = sorted(set(self.weights) - set(FEATURES))
        if unknown:
            raise ConfigError(f"{where}: weights: unknown features {unknown} (known: {', '.join(FEATURES)})")


@cache
def load_listing(path: Path | None = None) -> ListingRules:
    """The listing weights in ``path`` (default: the bundled file), checked once."""
    path = path or data_path("gazetteer", "listing.yaml")
    rules: ListingRules = load_data(path, ListingRules)
    rules.check(str(path))
    return rules


@dataclass(frozen=True)
class SaidAt:
    """One mention of a technology, as the listing decision reads it."""

    zone: Zone
    sentence: tuple[int, int]  # (part of the story, sentence of that part)
    weak: bool
    in_list: bool
    modifier: bool
    opening: bool
    predicate: bool


class Sentences:
    """Where the sentences of one part of a story start, found once."""

    def __init__(self, text: str):
        self.text = text
        self.starts = [0] + [match.end() for match in _SENTENCE_END.finditer(text)]

    def index(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1

    def words_before(self, offset: int) -> int:
        """How many words stand between the start of the sentence holding ``offset`` and it."""
        start = self.starts[self.index(offset)]
        return len(_WORD.findall(self.text, start, offset))


def said_at(
    rules: ListingRules,
    sentences: Sentences,
    part: int,
    zone: Zone,
    start: int,
    end: int,
    weak: bool,
    in_list: bool,
) -> SaidAt:
    """The facts of one mention at ``sentences.text[start:end]``."""
    text = sentences.text
    following = _NEXT_WORD.match(text, end)
    word = following.group(1) if following else ""
    modifier = bool(word) and word not in rules.function_words
    predicate = word in rules.predicate_words or _PAST.match(word) is not None
    opening = sentences.words_before(start) <= rules.opening_words
    return SaidAt(
        zone, (part, sentences.index(start)), weak, in_list, modifier and not predicate, opening, predicate
    )


def features(
    said: Sequence[SaidAt],
    crowd: dict[tuple[int, int], int],
    share: float,
    narrower: bool,
    broader: bool,
    below: int,
) -> dict[str, float]:
    """The features of one technology (see the module docstring) from its mentions ``said``;
    ``crowd``: how many technologies each sentence of the story names."""
    count = len(said) or 1
    return {
        "sentences": math.log2(1 + len({mention.sentence for mention in said})),
        "share": share,
        "lead": float(any(mention.zone is Zone.LEAD for mention in said)),
        "listed": _share(mention.in_list for mention in said) / count,
        "weak": _share(mention.weak for mention in said) / count,
        "modifier": _share(mention.modifier for mention in said) / count,
        "opening": float(any(mention.opening for mention in said)),
        "predicate": float(any(mention.predicate for mention in said)),
        "alone": _share(crowd.get(mention.sentence, 1) <= 1 for mention in said) / count,
        "narrower": float(narrower),
        "broader": float(broader),
        "generic": math.log2(1 + below),
    }


def _share(flags: Iterable[bool]) -> float:
    return float(sum(1 for flag in flags if flag))


def listing_score(rules: ListingRules, values: dict[str, float]) -> float:
    """The logistic score's linear part: above ``rules.cut`` the story says something about it."""
    return rules.bias + sum(weight * values[name] for name, weight in rules.weights.items())


def says_something(rules: ListingRules, values: dict[str, float]) -> bool:
    return listing_score(rules, values) >= rules.cut
