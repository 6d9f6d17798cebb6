"""Suggest gazetteer additions: organisation-like names that stories use but the gazetteer lacks.

A documented heuristic, no model: candidates are runs of capitalised words (and
CamelCase names such as "eBay") that are not gazetteer names; each gains weight for
every story where a company cue stands next to it ("firm Sophos", "Sybari Software",
"Palm's chief executive"). The cues are data: ``data/suggest.yaml``. Output is for a
person to review; nothing is added automatically, and it is never part of a build.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.core.models import Article
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer

_NAME = re.compile(r"(?:[A-Z][\w&'’.-]*|[a-z]+[A-Z][\w-]*)(?:\s+(?:[A-Z][\w&'’.-]*|&|of|de))*")


@dataclass(frozen=True)
class SuggestRules:
    """The cues of ``data/suggest.yaml`` (matched case-sensitively)."""

    company_suffixes: frozenset[str]
    company_cues_before: tuple[str, ...]
    company_cues_after: tuple[str, ...]
    ignore_words: frozenset[str]
    min_stories: int
    min_cued: int
    min_cued_share: float

    def worth_a_look(self, candidate: Candidate) -> bool:
        cued, stories = len(candidate.cued), len(candidate.stories)
        return stories >= self.min_stories and (
            cued >= self.min_cued or cued >= self.min_cued_share * stories
        )


@cache
def load_rules(path: Path | None = None) -> SuggestRules:
    """The rules in ``path`` (default: the bundled file), checked once."""
    rules: SuggestRules = load_data(path or data_path("gazetteer", "suggest.yaml"), SuggestRules)
    return rules


@dataclass
class Candidate:
    """A name the gazetteer lacks: the stories it is in, those that cue it as a company, examples."""

    name: str
    stories: set[str] = field(default_factory=set)
    cued: set[str] = field(default_factory=set)
    examples: list[str] = field(default_factory=list)


def _trimmed(name: str, rules: SuggestRules) -> str:
    name = re.split(r"\.\s", name, maxsplit=1)[0]  # a run may cross a sentence end
    name = re.sub(r"['’]s$", "", name.rstrip(".'’"))
    words = name.split()
    while words and (words[0] in rules.ignore_words or words[0] in ("of", "de", "&")):
        words.pop(0)
    while words and words[-1] in ("of", "de", "&"):
        words.pop()
    return " ".join(words)


def _cued(text: str, start: int, end: int, name: str, rules: SuggestRules) -> bool:
    before = text[max(0, start - 30) : start].rstrip().lower()
    after = text[end : end + 30]
    return (
        name.split()[-1] in rules.company_suffixes
        or any(before.endswith(cue) for cue in rules.company_cues_before)
        or any(after.startswith(cue) for cue in rules.company_cues_after)
    )


def _known_spans(text: str, gazetteer: Gazetteer) -> list[tuple[int, int]]:
    return [(hit.start, hit.end) for hit in gazetteer.scan(text)]


def candidates_in(article: Article, gazetteer: Gazetteer, rules: SuggestRules) -> Iterable[tuple[str, bool]]:
    """Capitalised names in a story the gazetteer does not know, each with whether a company cue stands next
    to it."""
    for text in (article.title, *article.body_paragraphs):
        known = _known_spans(text, gazetteer)
        for match in _NAME.finditer(text):
            start, end = match.span()
            if any(s < end and start < e for s, e in known):
                continue
            name = _trimmed(match.group(), rules)
            first, _, rest = name.partition(" ")
            led_by_cue = bool(rest) and first.lower() in rules.company_cues_before  # "Startup Zyphonics said"
            name = rest if led_by_cue else name
            if (
                len(name) < 2
                or name in rules.ignore_words
                or name in rules.company_suffixes
                or name.isdigit()
            ):
                continue
            yield name, led_by_cue or _cued(text, start, end, name, rules)


def suggest(
    articles: Iterable[Article], gazetteer: Gazetteer | None = None, limit: int = 50
) -> list[Candidate]:
    """Names most worth a look, best first: frequent, and often next to company cues."""
    gazetteer = gazetteer or load_gazetteer()
    rules = load_rules()
    found: dict[str, Candidate] = {}
    for article in articles:
        story = str(article.source_path)
        for name, cued in candidates_in(article, gazetteer, rules):
            candidate = found.get(name) or found.setdefault(name, Candidate(name))
            candidate.stories.add(story)
            if cued:
                candidate.cued.add(story)
            if len(candidate.examples) < 3 and article.title not in candidate.examples:
                candidate.examples.append(article.title)
    ranked = [c for c in found.values() if rules.worth_a_look(c)]
    return sorted(ranked, key=lambda c: (-len(c.cued), -len(c.stories), c.name))[:limit]
