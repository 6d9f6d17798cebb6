"""Title, byline and date agreement, and body snippets, on Mozilla's 91 Readability test pages.

The floors, and the digest of the pages (and snippet file) they were measured on, are in
tests/eval/baseline.json (``python -m tests.eval.gate --update`` writes it).
"""

from __future__ import annotations

import pytest
from conftest import needs_shared
from eval import gate

pytestmark = [pytest.mark.slow, needs_shared]
BASELINE = gate.load(gate.BASELINE)


def run_on_measured_corpus(name: str) -> dict[str, gate.Count]:
    """Run one evaluation, failing first if its corpus or labels are not those the baseline measured."""
    evaluation = gate.EVALUATIONS[name]
    problems = gate.input_problems(evaluation, BASELINE)
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)
    return evaluation.run()


@pytest.fixture(scope="module")
def metadata() -> dict[str, gate.Count]:
    return run_on_measured_corpus("readability")


@pytest.fixture(scope="module")
def bodies() -> dict[str, gate.Count]:
    return run_on_measured_corpus("bodies")


@pytest.mark.parametrize("field", sorted(BASELINE["evaluations"]["readability"]["metrics"]))
def test_metadata_agreement_meets_its_floor(metadata: dict[str, gate.Count], field: str) -> None:
    print(f"readability.{field}", metadata[field])
    problems = gate.below_floor("readability", {field: metadata[field]}, BASELINE)
    assert not problems, problems[0]


@pytest.mark.parametrize("metric", sorted(BASELINE["evaluations"]["bodies"]["metrics"]))
def test_body_extraction_meets_its_floor(bodies: dict[str, gate.Count], metric: str) -> None:
    """include: article sentences kept; kept_out: page furniture left out of the body."""
    print(f"bodies.{metric}", bodies[metric])
    problems = gate.below_floor("bodies", {metric: bodies[metric]}, BASELINE)
    assert not problems, problems[0]
