"""Title, byline and date agreement on Mozilla's 91 Readability test pages, with floors."""

from __future__ import annotations

import pytest
from conftest import needs_shared

FLOORS = {"title": 0.95, "byline": 0.85, "date": 0.90}


@pytest.mark.slow
@needs_shared
def test_metadata_agreement_meets_floors() -> None:
    from eval.readability import evaluate

    scores = evaluate()
    report = {name: f"{s.agreed}/{s.total} ({100 * s.rate:.1f}%)" for name, s in scores.items()}
    print(report)
    for name, floor in FLOORS.items():
        assert scores[name].rate >= floor, (name, report[name], scores[name].misses)


BODY_FLOORS = {"include": 0.97, "kept_out": 0.90}


@pytest.mark.slow
@needs_shared
def test_body_extraction_keeps_article_text_and_drops_furniture() -> None:
    from eval.bodies import evaluate as evaluate_bodies

    score = evaluate_bodies()
    print(score)
    assert score.recall >= BODY_FLOORS["include"], str(score)
    assert score.cleanliness >= BODY_FLOORS["kept_out"], str(score)
