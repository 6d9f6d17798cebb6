"""The README's evaluation figures are the baseline's measured values (tests/eval/baseline.json).

``python -m tests.eval.gate --update`` rewrites them; this needs no corpus, only the two files.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from conftest import REPO
from eval import gate

BASELINE = gate.load(gate.BASELINE)
TEXT = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_quotes_every_figure_as_measured() -> None:
    assert gate.readme_problems(TEXT, BASELINE) == []
    figures, _ = gate.readme_figures(TEXT, BASELINE)
    assert {f.metric for f in figures} == {
        f"{evaluation}.{metric}"
        for evaluation, recorded in BASELINE["evaluations"].items()
        for metric in recorded["metrics"]
    }


def test_the_baseline_floors_are_measured_minus_at_least_one_item() -> None:
    assert gate.floor_problems(BASELINE) == []
    for recorded in BASELINE["evaluations"].values():
        for entry in recorded["metrics"].values():
            of = int(entry["measured"].split("/")[1])
            assert Fraction(str(entry["margin"])) >= Fraction(1, of)
            assert entry["floor"] < entry["value"]


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            "precision 0.969, recall 0.935",
            "precision 0.971, recall 0.935",
            "quotes tagging.companies.precision as 0.971",
        ),
        ("title 95.6%", "title 96%", "quotes readability.title as 96%"),
        ("date 100%", "date 100.0%", "quotes readability.date as 100.0%"),
        ("kept out 93.4%", "kept out only 93.4%", "README.md has 0 sentences like 'kept {bodies.include"),
        ("(`python -m tests.eval.tagging`).", "(`python -m tests.eval.tagging`: 99.1%).", "quotes 99.1%"),
    ],
    ids=["changed", "rounded", "reformatted", "reworded", "typed-by-hand"],
)
def test_a_figure_the_baseline_did_not_measure_is_caught(old: str, new: str, problem: str) -> None:
    assert TEXT.count(old) == 1
    edited = TEXT.replace(old, new)
    problems = gate.readme_problems(edited, BASELINE)
    assert any(problem in p for p in problems), problems


def test_update_rewrites_the_readme_figures_from_the_baseline() -> None:
    stale = TEXT.replace("recall 0.577", "recall 0.571").replace("byline 90.0%", "byline 88.6%")
    assert gate.rewrite_readme(stale, BASELINE) == (TEXT, [])
