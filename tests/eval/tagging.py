"""Tag precision and recall on hand-labelled BBC technology stories.

``bbc_tech_labels.yaml`` lists, for 70 stories, every company the story names and the
technologies it is substantively about, labelled by reading the stories, independent
of the tagger. Names are compared by what the gazetteer resolves them to (so "HP" and
"Hewlett-Packard" agree); a label the gazetteer does not know counts as a miss.
Run ``python -m tests.eval.tagging [-v]`` for the report.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from newsarchive.core.models import Article, Kind
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import tag, term_key
from newsarchive.ingest.importer import read_article

LABELS = Path(__file__).with_name("bbc_tech_labels.yaml")
BBC = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "bbc-news" / "bbc"


@dataclass
class KindScore:
    true_positive: int = 0
    predicted: int = 0
    gold: int = 0
    false_hits: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positive / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.true_positive / self.gold if self.gold else 1.0

    def __str__(self) -> str:
        return (
            f"precision {self.true_positive}/{self.predicted} = {self.precision:.3f}, "
            f"recall {self.true_positive}/{self.gold} = {self.recall:.3f}"
        )


def article(name: str) -> Article:
    parsed = read_article(BBC / name, 10**7)
    assert isinstance(parsed, Article), parsed
    return parsed


def corpus_files() -> list[Path]:
    """Exactly the stories ``evaluate`` reads: those the label file lists."""
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    return [BBC / name for name in labels]


def evaluate(gazetteer: Gazetteer | None = None) -> dict[Kind, KindScore]:
    gazetteer = gazetteer or load_gazetteer()
    labels = yaml.safe_load(LABELS.read_text(encoding="utf-8"))
    scores = {Kind.COMPANY: KindScore(), Kind.TECHNOLOGY: KindScore()}
    for name, gold in labels.items():
        tagged = tag(article(name), gazetteer)
        for kind, key in ((Kind.COMPANY, "companies"), (Kind.TECHNOLOGY, "technologies")):
            want = {term_key(gazetteer, kind, label) for label in gold.get(key) or []}
            got = {term.slug for term in tagged.tagged(kind)}
            score = scores[kind]
            score.true_positive += len(want & got)
            score.predicted += len(got)
            score.gold += len(want)
            score.false_hits += [f"{name}: {slug}" for slug in sorted(got - want)]
            score.misses += [f"{name}: {slug}" for slug in sorted(want - got)]
    return scores


def main() -> None:
    for kind, score in evaluate().items():
        print(f"{kind.value:10} {score}")
        if "-v" in sys.argv:
            print("  false hits:", ", ".join(score.false_hits))
            print("  misses:", ", ".join(score.misses))


if __name__ == "__main__":
    main()
