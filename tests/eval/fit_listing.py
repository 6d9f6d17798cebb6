"""Fit the listing decision ("also mentioned") on the odd-numbered stories of both label sets.

    python -m tests.eval.fit_listing [--write]

Every technology a story names below its tag threshold (and at or above the listing floor)
is a case (`newsarchive.gazetteer.tagging.listing_candidates`): positive when the labels
count it (``technologies``), negative when they do not name it at all, left out when they
name it as used in passing (neutral in the evaluation either way). A logistic regression
with a small L2 penalty is fitted on the cases of the odd-numbered stories of both sets
(the half rules are developed on); the cut is the lowest one at which the odd half's
listed cases reach `TARGET_PRECISION` when counted with the tags (tags plus "also
mentioned", as `tests.eval.tagging` scores them). The report gives, for the odd half and
for the even half (the check, never fitted on), the cases kept and dropped at that cut, for
the fitted model and for a hand rule (`hand_rule`) for comparison.
``--write`` writes the weights, bias and cut to ``newsarchive/gazetteer/data/listing.yaml``
(keeping that file's other keys).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from dataclasses import dataclass

import yaml

from newsarchive.core.datafiles import data_path
from newsarchive.core.models import Kind
from newsarchive.gazetteer.entities import Gazetteer, load_gazetteer
from newsarchive.gazetteer.listing import FEATURES, ListingRules, load_listing
from newsarchive.gazetteer.tagging import listing_candidates, load_relevance, term_key
from tests.eval.tagging import BBC_TECH, GENERAL, LabelSet, read

PENALTY = 1.0  # L2 on the weights (not the bias), in units of the log-likelihood
TARGET_PRECISION = 0.88
LISTING_FILE = data_path("gazetteer", "listing.yaml")


@dataclass(frozen=True)
class Case:
    set_name: str
    half: str
    story: str
    slug: str
    values: dict[str, float]
    positive: bool


def cases(label_set: LabelSet, gazetteer: Gazetteer, listing: ListingRules) -> list[Case]:
    """Every listing decision of one label set, with its label (neutral names left out)."""
    found: list[Case] = []
    rules = load_relevance()
    for number, (name, gold) in enumerate(label_set.stories().items(), 1):

        def labels(field: str) -> set[str]:
            return {term_key(gazetteer, Kind.TECHNOLOGY, n) for n in gold.get(field) or []}

        wanted, passing = labels("technologies"), labels("technologies_in_passing")
        article = read(label_set.root / name)
        for slug, values in listing_candidates(article, gazetteer, rules, listing):
            if slug in passing and slug not in wanted:
                continue
            half = "odd" if number % 2 else "even"
            found.append(Case(label_set.labels.stem, half, name, slug, values, slug in wanted))
    return found


def fit(train: list[Case], penalty: float = PENALTY) -> tuple[float, dict[str, float]]:
    """Bias and weights of an L2-penalised logistic regression, by Newton's method."""
    size = len(FEATURES) + 1
    beta = [0.0] * size
    rows = [[1.0] + [case.values[name] for name in FEATURES] for case in train]
    ys = [1.0 if case.positive else 0.0 for case in train]
    for _ in range(50):
        gradient = [0.0] * size
        hessian = [[0.0] * size for _ in range(size)]
        for row, y in zip(rows, ys, strict=True):
            p = _sigmoid(sum(b * x for b, x in zip(beta, row, strict=True)))
            for i in range(size):
                gradient[i] += (y - p) * row[i]
                for j in range(size):
                    hessian[i][j] += p * (1 - p) * row[i] * row[j]
        for i in range(1, size):
            gradient[i] -= penalty * beta[i]
            hessian[i][i] += penalty
        step = _solve(hessian, gradient)
        beta = [b + s for b, s in zip(beta, step, strict=True)]
        if max(abs(s) for s in step) < 1e-9:
            break
    return beta[0], dict(zip(FEATURES, beta[1:], strict=True))


def _sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z)) if z > -500 else 0.0


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix @ x = vector, by Gaussian elimination with partial pivoting."""
    n = len(vector)
    a = [row[:] + [vector[i]] for i, row in enumerate(matrix)]
    for column in range(n):
        pivot = max(range(column, n), key=lambda r: abs(a[r][column]))
        a[column], a[pivot] = a[pivot], a[column]
        for r in range(n):
            if r != column and a[column][column]:
                factor = a[r][column] / a[column][column]
                a[r] = [x - factor * y for x, y in zip(a[r], a[column], strict=True)]
    return [a[i][n] / a[i][i] if a[i][i] else 0.0 for i in range(n)]


def linear(bias: float, weights: dict[str, float], case: Case) -> float:
    return bias + sum(weight * case.values[name] for name, weight in weights.items())


def hand_rule(case: Case) -> bool:
    """The comparison: listed if named in two sentences or more, or in the lead, and not only
    in lists, and not the broader name of a narrower technology the story names as much."""
    values = case.values
    return (values["sentences"] >= 1.5 or values["lead"] > 0) and values["listed"] < 1 and not values["narrower"]


def tally(chosen: list[Case], keep: Callable[[Case], bool]) -> str:
    kept = [case for case in chosen if keep(case)]
    positives = sum(case.positive for case in chosen)
    hits = sum(case.positive for case in kept)
    return f"kept {hits}/{positives} positive, {len(kept) - hits}/{len(chosen) - positives} negative"


def main() -> None:
    gazetteer, listing = load_gazetteer(), load_listing()
    every = cases(BBC_TECH, gazetteer, listing) + cases(GENERAL, gazetteer, listing)
    train = [case for case in every if case.half == "odd"]
    bias, weights = fit(train)
    scored = sorted((linear(bias, weights, case), case.positive) for case in train)
    cut = choose_cut(scored)
    print(f"fitted on {len(train)} cases of the odd halves: bias {bias:.3f}, cut {cut:.3f}")
    for name in FEATURES:
        print(f"  {name:10} {weights[name]:+.3f}")
    for set_name in (BBC_TECH.labels.stem, GENERAL.labels.stem):
        for half in ("odd", "even"):
            chosen = [case for case in every if case.set_name == set_name and case.half == half]
            model = tally(chosen, lambda case: linear(bias, weights, case) >= cut)
            print(f"  {set_name} {half:4} model: {model}; hand rule: {tally(chosen, hand_rule)}")
    if "--write" in sys.argv:
        write(bias, weights, cut)


def choose_cut(scored: list[tuple[float, bool]]) -> float:
    """The cut that keeps the most positives while dropping at least as many negatives as
    positives it loses, weighting a negative by how far precision is from its target."""
    best, best_value = scored[0][0] - 1, -math.inf
    cost = TARGET_PRECISION / (1 - TARGET_PRECISION)  # a kept negative costs this many positives
    for index, (value, _) in enumerate(scored):
        kept = scored[index:]
        gain = sum(1 for _, positive in kept if positive) - cost * sum(1 for _, positive in kept if not positive)
        if gain > best_value:
            best, best_value = value, gain
    return round(best - 1e-6, 4)


MARKER = "# --- Fitted by tests/eval/fit_listing.py"


def write(bias: float, weights: dict[str, float], cut: float) -> None:
    """Rewrite the fitted part of the listing file (everything after its marker line)."""
    text = LISTING_FILE.read_text(encoding="utf-8")
    kept = text[: text.index("\n", text.index(MARKER)) + 1]
    document = {"bias": round(bias, 4), "cut": cut, "weights": {k: round(v, 4) for k, v in weights.items()}}
    explained = "# A technology is listed when bias + the sum of weight * feature is at least `cut`.\n"
    LISTING_FILE.write_text(kept + explained + yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    print(f"wrote {LISTING_FILE}")


if __name__ == "__main__":
    main()
