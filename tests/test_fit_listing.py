"""The fit of the listing weights (tests/eval/fit_listing.py): the logistic regression, the
cut and the rewrite of the fitted part of data/listing.yaml, on small made-up cases."""

from __future__ import annotations

from pathlib import Path

import pytest
from eval import fit_listing
from eval.fit_listing import Case, choose_cut, fit, linear

from newsarchive.gazetteer.listing import FEATURES, load_listing


def case(story: str, positive: bool, **values: float) -> Case:
    return Case("set", "odd", story, "slug", dict.fromkeys(FEATURES, 0.0) | values, positive)


CASES = [case(f"s{i}", i % 4 != 0, sentences=1.0 + i % 4, lead=float(i % 2)) for i in range(40)]


def test_the_solver_solves_a_small_system() -> None:
    assert fit_listing._solve([[2.0, 1.0], [1.0, 3.0]], [3.0, 5.0]) == pytest.approx([0.8, 1.4])


def test_a_feature_that_parts_the_cases_gets_a_positive_weight_and_a_constant_one_none() -> None:
    bias, weights = fit(CASES)
    assert weights["sentences"] > 1.0
    assert weights["share"] == 0.0  # the same in every case: the penalty keeps it at zero
    assert all(
        linear(bias, weights, c) > linear(bias, weights, n)
        for c in CASES
        if c.positive
        for n in CASES
        if not n.positive
    )


def test_the_cut_drops_the_cases_that_lower_f1() -> None:
    bias, weights = fit(CASES)
    base = {("set", "odd"): (30, 40, 30)}  # every case listed: 30 of 40 right, 30 labels
    cut = choose_cut(CASES, base, bias, weights)
    kept = [c for c in CASES if linear(bias, weights, c) >= cut]
    assert {c.positive for c in kept} == {True} and len(kept) == 30


def test_write_rewrites_only_the_fitted_part(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "listing.yaml"
    copy.write_text(fit_listing.LISTING_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.setattr(fit_listing, "LISTING_FILE", copy)
    fit_listing.write(-0.5, dict.fromkeys(FEATURES, 0.25), 0.1)
    written = load_listing(copy)
    assert (written.bias, written.cut, written.weights["sentences"]) == (-0.5, 0.1, 0.25)
    assert written.function_words == load_listing().function_words
