"""Tag precision and recall on two hand-labelled sets of stories.

* ``bbc_tech_labels.yaml``: 70 BBC technology stories. Companies are every company the
  story names; technologies were labelled again, blind, by the second set's open-vocabulary
  rule (its header says when and why).
* ``general_labels.yaml``: 100 stories from elsewhere (50 BBC business, 15 BBC
  entertainment, politics and sport, 35 Readability pages read through the importer),
  labelled with an open vocabulary. Its header states the rules.

Both sets are read alike: ``technologies`` are the labels, and names used only in passing
(``companies_in_passing``, ``technologies_in_passing``) are neutral (tagging one is not a
false hit, missing one is not a miss).

Both were labelled by reading the stories, independently of the tagger. Names are
compared by what the gazetteer resolves them to (so "HP" and "Hewlett-Packard" agree); a
label the gazetteer does not know counts as a miss. Per set, three scores:

* ``companies``: company tags;
* ``technologies``: technology tags alone, against ``technologies``;
* ``technologies_mentioned``: technology tags plus "also mentioned", against ``technologies``.

Run ``python -m tests.eval.tagging [-v] [--halves]`` for the report (``-v`` lists every
false hit and miss; ``--halves`` adds each set's companies and technologies with "also mentioned" on its
odd-numbered stories, where rules are developed, and its even-numbered ones, where they are
checked).
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsarchive.core.models import Article, Kind, TaggedArticle
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.listing import ListingRules
from newsarchive.gazetteer.tagging import tag, term_key
from newsarchive.ingest.importer import read_article

HERE = Path(__file__).resolve().parent
CORPORA = HERE.parents[2] / "shared" / "corpora"
BBC = CORPORA / "bbc-news" / "bbc"
LABELS = HERE / "bbc_tech_labels.yaml"
GENERAL_LABELS = HERE / "general_labels.yaml"


@dataclass(frozen=True)
class LabelSet:
    """A label file, the folder its story names are relative to, and which fields hold what."""

    title: str
    labels: Path
    root: Path
    open_technologies: tuple[str, ...]  # label fields counted by technologies_mentioned

    def stories(self) -> dict[str, dict[str, Any]]:
        loaded: dict[str, dict[str, Any]] = yaml.safe_load(self.labels.read_text(encoding="utf-8"))
        return loaded

    def files(self) -> list[Path]:
        """Exactly the stories ``evaluate`` reads: those the label file lists."""
        return [self.root / name for name in self.stories()]


BBC_TECH = LabelSet(
    "70 BBC technology stories (bbc_tech_labels.yaml)",
    LABELS,
    BBC,
    ("technologies",),
)
GENERAL = LabelSet(
    "100 general and business stories and web pages (general_labels.yaml)",
    GENERAL_LABELS,
    CORPORA,
    ("technologies",),
)


@dataclass
class KindScore:
    true_positive: int = 0
    predicted: int = 0
    gold: int = 0
    neutral: int = 0
    false_hits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 1.0

    def add(self, story: str, got: set[str], want: set[str], neutral: set[str]) -> None:
        """One story's tags ``got`` against labels ``want``; tags on ``neutral`` names count neither way."""
        counted = got - (neutral - want)
        self.true_positive += len(counted & want)
        self.predicted += len(counted)
        self.gold += len(want)
        self.neutral += len(got) - len(counted)
        self.false_hits += [f"{story}: {slug}" for slug in sorted(counted - want)]
        self.misses += [f"{story}: {slug}" for slug in sorted(want - got)]

    def __str__(self) -> str:
        text = (
            f"precision {self.true_positive}/{self.predicted} = {self.precision:.3f}, "
            f"recall {self.true_positive}/{self.gold} = {self.recall:.3f}"
        )
        passing = f" ({self.neutral} tags on names used in passing, not counted)" if self.neutral else ""
        return text + passing


METRICS = ("companies", "technologies", "technologies_mentioned")


def read(path: Path) -> Article:
    """A story as the importer reads it (BBC text files and saved pages alike)."""
    parsed = read_article(path, 10**7)
    assert isinstance(parsed, Article), parsed
    return parsed


def article(name: str) -> Article:
    """A story of the first set by its name under bbc/ (``tech/001.txt``)."""
    return read(BBC / name)


def corpus_files() -> list[Path]:
    """Exactly the stories the first set reads."""
    return BBC_TECH.files()


def general_corpus_files() -> list[Path]:
    """Exactly the stories the second set reads."""
    return GENERAL.files()


def _keys(gazetteer: Gazetteer, kind: Kind, names: Iterable[str]) -> set[str]:
    return {term_key(gazetteer, kind, name) for name in names}


def _labels(gold: dict[str, Any], fields: Iterable[str]) -> list[str]:
    return [name for key in fields for name in gold.get(key) or []]


def score_story(
    scores: dict[str, KindScore],
    label_set: LabelSet,
    name: str,
    gold: dict[str, Any],
    tagged: TaggedArticle,
    gazetteer: Gazetteer,
) -> None:
    """Add one story's tags to each metric of ``scores``."""
    companies = {term.slug for term in tagged.tagged(Kind.COMPANY)}
    technologies = {term.slug for term in tagged.tagged(Kind.TECHNOLOGY)}
    mentioned = technologies | {term.slug for term in tagged.also_mentioned(Kind.TECHNOLOGY)}

    def labels(*fields: str) -> set[str]:
        kind = Kind.COMPANY if fields[0].startswith("compan") else Kind.TECHNOLOGY
        return _keys(gazetteer, kind, _labels(gold, fields))

    passing_companies = labels("companies_in_passing")
    passing_technologies = labels("technologies_in_passing")
    scores["companies"].add(name, companies, labels("companies"), passing_companies)
    scores["technologies"].add(name, technologies, labels("technologies"), passing_technologies)
    open_labels = labels(*label_set.open_technologies)
    scores["technologies_mentioned"].add(name, mentioned, open_labels, passing_technologies)


def evaluate_set(label_set: LabelSet, gazetteer: Gazetteer | None = None) -> dict[str, KindScore]:
    """Every metric of one label set, each story tagged as the importer would tag it."""
    gazetteer = gazetteer or load_gazetteer()
    scores = {metric: KindScore() for metric in METRICS}
    for name, gold in label_set.stories().items():
        tagged = tag(read(label_set.root / name), gazetteer)
        score_story(scores, label_set, name, gold, tagged, gazetteer)
    return scores


def evaluate(gazetteer: Gazetteer | None = None) -> dict[str, KindScore]:
    """The first set: 70 BBC technology stories."""
    return evaluate_set(BBC_TECH, gazetteer)


def evaluate_general(gazetteer: Gazetteer | None = None) -> dict[str, KindScore]:
    """The second set: 100 general and business stories and web pages."""
    return evaluate_set(GENERAL, gazetteer)


def evaluate_halves(
    label_set: LabelSet, gazetteer: Gazetteer | None = None, listing: ListingRules | None = None
) -> dict[str, dict[str, KindScore]]:
    """Every metric on the odd-numbered stories (1st, 3rd, ... in the label file: where rules
    are developed) and the even-numbered ones (where they are checked), apart; ``listing``
    replaces the bundled listing rules (`newsarchive.gazetteer.listing`)."""
    gazetteer = gazetteer or load_gazetteer()
    halves = {half: {metric: KindScore() for metric in METRICS} for half in ("odd", "even")}
    for number, (name, gold) in enumerate(label_set.stories().items(), 1):
        tagged = tag(read(label_set.root / name), gazetteer, listing=listing)
        score_story(halves["odd" if number % 2 else "even"], label_set, name, gold, tagged, gazetteer)
    return halves


def report(label_set: LabelSet, scores: dict[str, KindScore], verbose: bool) -> None:
    print(label_set.title)
    for metric, score in scores.items():
        print(f"  {metric:24} {score}")
        if verbose:
            print("    false hits:", ", ".join(score.false_hits))
            print("    misses:", ", ".join(score.misses))


def main() -> None:
    verbose = "-v" in sys.argv
    gazetteer = load_gazetteer()
    for label_set in (BBC_TECH, GENERAL):
        report(label_set, evaluate_set(label_set, gazetteer), verbose)
    if "--halves" in sys.argv:
        for label_set in (BBC_TECH, GENERAL):
            for half, scores in evaluate_halves(label_set, gazetteer).items():
                print(f"{label_set.title}, {half}-numbered stories:")
                for metric in ("companies", "technologies_mentioned"):
                    print(f"  {metric:24} {scores[metric]}")


if __name__ == "__main__":
    main()
