"""Tag precision and recall on 70 hand-labelled BBC technology stories, against the baseline's floors.

The labels (tests/eval/bbc_tech_labels.yaml) were made by reading the stories,
independently of the tagger. The floors, and the digest of the stories and labels they
were measured on, are in tests/eval/baseline.json (``python -m tests.eval.gate --update``
writes it). Run ``python -m tests.eval.tagging -v`` for every miss.
"""

from __future__ import annotations

import pytest
from conftest import needs_shared
from eval import gate

pytestmark = needs_shared
BASELINE = gate.load(gate.BASELINE)


@pytest.fixture(scope="module")
def measured() -> dict[str, gate.Count]:
    """The tagging evaluation, run once, and only on the corpus and labels the baseline was measured on."""
    evaluation = gate.EVALUATIONS["tagging"]
    problems = gate.input_problems(evaluation, BASELINE)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    return evaluation.run()


@pytest.mark.parametrize("metric", sorted(BASELINE["evaluations"]["tagging"]["metrics"]))
def test_tagging_meets_its_floor(measured: dict[str, gate.Count], metric: str) -> None:
    print(f"tagging.{metric}", measured[metric])
    problems = gate.below_floor("tagging", {metric: measured[metric]}, BASELINE)
    assert not problems, problems[0]
