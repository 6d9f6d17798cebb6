"""Tag precision and recall on 70 hand-labelled BBC technology stories, with floors.

The labels (tests/eval/bbc_tech_labels.yaml) were made by reading the stories,
independently of the tagger. Run ``python -m tests.eval.tagging -v`` for every miss.
"""

from __future__ import annotations

from conftest import needs_shared

from newsarchive.models import Kind

# Measured 2026-11-27: companies P 0.969 R 0.790; technologies P 0.789 R 0.423.
FLOORS = {Kind.COMPANY: (0.95, 0.78), Kind.TECHNOLOGY: (0.75, 0.40)}


@needs_shared
def test_tag_precision_and_recall_meet_floors() -> None:
    from eval.tagging import evaluate

    scores = evaluate()
    for kind, (precision, recall) in FLOORS.items():
        score = scores[kind]
        print(kind.value, score)
        assert score.precision >= precision, (kind, str(score), score.false_hits)
        assert score.recall >= recall, (kind, str(score), score.misses[:20])
