"""How far the relevance thresholds alone can move technology precision and recall.

    python -m tests.eval.sweep

Tags both label sets under a grid of the two listing thresholds of ``relevance.yaml`` for
technologies (`listed_from`, the least score a story gives a technology it lists, and
`listed_share`, the least share of the story's top score) and prints tags plus "also
mentioned" precision and recall for each: the frontier the thresholds can reach with the
gazetteer and senses as they are. It changes nothing; choose thresholds from it by both sets,
not by one.
"""

from __future__ import annotations

import dataclasses
import itertools

from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.tagging import RelevanceRules, load_relevance, tag
from tests.eval.tagging import BBC_TECH, GENERAL, METRICS, KindScore, LabelSet, read, score_story

FLOORS = (1.0, 1.5, 2.0, 3.0)
SHARES = (0.02, 0.1, 0.2, 0.35)
METRIC = "technologies_mentioned"


def with_listing(rules: RelevanceRules, floor: float, share: float) -> RelevanceRules:
    """``rules`` with the technology listing thresholds set to ``floor`` and ``share``."""
    if rules.listed_from is None or rules.listed_share is None:
        raise SystemExit("relevance.yaml has no listed_from / listed_share to sweep")
    return dataclasses.replace(
        rules,
        listed_from=dataclasses.replace(rules.listed_from, technology=floor),
        listed_share=dataclasses.replace(rules.listed_share, technology=share),
    )


def score(label_set: LabelSet, gazetteer: Gazetteer, rules: RelevanceRules) -> KindScore:
    scores = {metric: KindScore() for metric in METRICS}
    for name, gold in label_set.stories().items():
        tagged = tag(read(label_set.root / name), gazetteer, rules)
        score_story(scores, label_set, name, gold, tagged, gazetteer)
    return scores[METRIC]


def main() -> None:
    gazetteer, bundled = load_gazetteer(), load_relevance()
    print(f"{METRIC}: listed_from, listed_share -> first set P R | second set P R")
    for floor, share in itertools.product(FLOORS, SHARES):
        rules = with_listing(bundled, floor, share)
        first, second = (score(label_set, gazetteer, rules) for label_set in (BBC_TECH, GENERAL))
        print(
            f"  {floor:4} {share:5}  {first.precision:.3f} {first.recall:.3f}"
            f" | {second.precision:.3f} {second.recall:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
