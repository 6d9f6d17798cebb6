"""Tag precision and recall on 70 hand-labelled BBC technology stories, with floors.

The labels (tests/eval/bbc_tech_labels.yaml) were made by reading the stories,
independently of the tagger. Run ``python -m tests.eval.tagging -v`` for every miss.
"""

from __future__ import annotations

from conftest import needs_shared

from newsarchive.core.models import Kind

# Measured 2026-11-27: companies P 0.968 R 0.905; technologies P 0.788 R 0.577.
FLOORS = {Kind.COMPANY: (0.96, 0.90), Kind.TECHNOLOGY: (0.78, 0.57)}


@needs_shared
def test_tag_precision_and_recall_meet_floors() -> None:
    from eval.tagging import evaluate

    scores = evaluate()
    for kind, (precision, recall) in FLOORS.items():
        score = scores[kind]
        print(kind.value, score)
        assert score.precision >= precision, (kind, str(score), score.false_hits)
        assert score.recall >= recall, (kind, str(score), score.misses[:20])
