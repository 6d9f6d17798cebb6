"""Tag precision and recall on both hand-labelled sets, against the baseline's floors.

``tagging``: 70 BBC technology stories (tests/eval/bbc_tech_labels.yaml).
``tagging_general``: 100 stories from outside BBC technology, BBC business, entertainment,
politics and sport and 35 Readability news pages (tests/eval/general_labels.yaml, whose
header gives how they were chosen and labelled). Both were labelled by reading the stories,
independently of the tagger. The floors, and the digest of the stories and labels they were
measured on, are in tests/eval/baseline.json (``python -m tests.eval.gate --update`` writes
it). Run ``python -m tests.eval.tagging -v`` for every false hit and miss.
"""

from __future__ import annotations

import pytest
from conftest import needs_shared
from eval import gate

pytestmark = needs_shared
BASELINE = gate.load(gate.BASELINE)
SETS = ("tagging", "tagging_general")
_MEASURED: dict[str, dict[str, gate.Count]] = {}


def measured(name: str) -> dict[str, gate.Count]:
    """An evaluation, run once, and only on the corpus and labels the baseline was measured on."""
    if name not in _MEASURED:
        evaluation = gate.EVALUATIONS[name]
        problems = gate.input_problems(evaluation, BASELINE)
        if problems:
            pytest.fail("\n".join(problems), pytrace=False)
        _MEASURED[name] = evaluation.run()
    return _MEASURED[name]


@pytest.mark.parametrize(
    ("evaluation", "metric"),
    [(name, metric) for name in SETS for metric in sorted(BASELINE["evaluations"][name]["metrics"])],
)
def test_tagging_meets_its_floor(evaluation: str, metric: str) -> None:
    count = measured(evaluation)[metric]
    print(f"{evaluation}.{metric}", count)
    problems = gate.below_floor(evaluation, {metric: count}, BASELINE)
    assert not problems, problems[0]


@pytest.mark.parametrize("evaluation", SETS)
def test_every_metric_the_evaluation_measures_has_a_floor(evaluation: str) -> None:
    assert set(measured(evaluation)) == set(BASELINE["evaluations"][evaluation]["metrics"])
