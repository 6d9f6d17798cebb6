"""Fit the listing decision ("also mentioned") on the odd-numbered stories of both label sets.

    python -m tests.eval.fit_listing [--write]

Every technology a story names below its tag threshold (and at or above the listing floor)
is a case (`newsarchive.gazetteer.tagging.listing_candidates`): positive when the labels
count it (``technologies``), negative when they do not name it at all, left out when they
name it as used in passing (neutral in the evaluation either way). A logistic regression
with a small L2 penalty is fitted on the cases of the odd-numbered stories of both sets
(the half rules are developed on); the cut is the one with the best F1 of tags plus "also
mentioned" (as `tests.eval.tagging` scores them) on the odd halves (`choose_cut`). The report
gives each feature's weight and its ranking power alone (AUC) on each half, the model's
log-loss on each odd story when fitted on the others against that of the base rate, and tags plus
"also mentioned" per set and half (the even half is the check, never fitted on) for the
fitted model, a hand rule (`hand_rule`), listing every case and listing none.
``--write`` writes the weights, bias and cut to ``newsarchive/gazetteer/data/listing.yaml``
(keeping that file's other keys).
"""

from __future__ import annotations

import dataclasses
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

from .tagging import BBC_TECH, GENERAL, LabelSet, evaluate_halves, read

PENALTY = 1.0  # L2 on the weights (not the bias), in units of the log-likelihood
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
        wanted = _keys(gazetteer, gold.get("technologies"))
        passing = _keys(gazetteer, gold.get("technologies_in_passing"))
        article = read(label_set.root / name)
        for slug, values in listing_candidates(article, gazetteer, rules, listing):
            if slug in passing and slug not in wanted:
                continue
            half = "odd" if number % 2 else "even"
            found.append(Case(label_set.labels.stem, half, name, slug, values, slug in wanted))
    return found


def _keys(gazetteer: Gazetteer, names: list[str] | None) -> set[str]:
    return {term_key(gazetteer, Kind.TECHNOLOGY, name) for name in names or []}


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
    a = [[*row, vector[i]] for i, row in enumerate(matrix)]
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
    return (
        (values["sentences"] >= 1.5 or values["lead"] > 0) and values["listed"] < 1 and not values["narrower"]
    )


Baseline = dict[tuple[str, str], tuple[int, int, int]]


def baseline(gazetteer: Gazetteer, listing: ListingRules) -> Baseline:
    """(true positives, predicted, labels) of tags plus "also mentioned" per set and half, with
    every case listed: a decision's figures are these minus the cases it drops."""
    everything = dataclasses.replace(listing, cut=-math.inf)
    found: Baseline = {}
    for label_set in (BBC_TECH, GENERAL):
        for half, scores in evaluate_halves(label_set, gazetteer, everything).items():
            score = scores["technologies_mentioned"]
            found[(label_set.labels.stem, half)] = (score.true_positive, score.predicted, score.gold)
    return found


def figures(every: list[Case], base: Baseline, keep: Callable[[Case], bool]) -> str:
    """Tags plus "also mentioned" precision and recall per set and half under ``keep``."""
    shown = []
    for (set_name, half), (true_positive, predicted, gold) in base.items():
        chosen = [case for case in every if (case.set_name, case.half) == (set_name, half)]
        lost = sum(1 for case in chosen if case.positive and not keep(case))
        dropped = sum(1 for case in chosen if not case.positive and not keep(case))
        kept = true_positive - lost
        shown.append(
            f"{set_name[:3]} {half:4} P {kept / (predicted - lost - dropped):.3f} R {kept / gold:.3f}"
        )
    return " | ".join(shown)


def auc(chosen: list[Case], name: str) -> float:
    """How well one feature alone ranks positives above negatives (0.5: not at all)."""
    positives = [case.values[name] for case in chosen if case.positive]
    negatives = [case.values[name] for case in chosen if not case.positive]
    pairs = [(p > n) + 0.5 * (p == n) for p in positives for n in negatives]
    return sum(pairs) / len(pairs) if pairs else 0.5


def held_out_log_loss(train: list[Case]) -> tuple[float, float]:
    """The model's log-loss on each odd-half story when fitted on the others, and the log-loss
    of always predicting the odd half's share of positives: the first must be lower for the
    features to carry any signal."""
    total = 0.0
    for story in sorted({case.story for case in train}):
        bias, weights = fit([case for case in train if case.story != story])
        total += sum(
            _log_loss(linear(bias, weights, case), case.positive) for case in train if case.story == story
        )
    rate = sum(case.positive for case in train) / len(train)
    constant = -(rate * math.log(rate) + (1 - rate) * math.log(1 - rate))
    return total / len(train), constant


def _log_loss(z: float, positive: bool) -> float:
    p = min(max(_sigmoid(z), 1e-9), 1 - 1e-9)
    return -math.log(p if positive else 1 - p)


def main() -> None:
    gazetteer, listing = load_gazetteer(), load_listing()
    every = cases(BBC_TECH, gazetteer, listing) + cases(GENERAL, gazetteer, listing)
    train = [case for case in every if case.half == "odd"]
    check = [case for case in every if case.half == "even"]
    bias, weights = fit(train)
    base = baseline(gazetteer, listing)
    cut = choose_cut(train, base, bias, weights)
    print(f"fitted on {len(train)} cases of the odd halves ({len(check)} in the even halves)")
    print(f"  bias {bias:+.3f}, cut {cut:+.3f}; weight, and AUC of the feature alone on each half:")
    for name in FEATURES:
        print(f"  {name:10} {weights[name]:+.3f}   odd {auc(train, name):.2f}  even {auc(check, name):.2f}")
    model_loss, constant_loss = held_out_log_loss(train)
    print(f"  log-loss, each odd story held out: {model_loss:.3f}; base rate: {constant_loss:.3f}")
    print("tags plus also mentioned, per set and half:")
    print(f"  list all   {figures(every, base, lambda case: True)}")
    print(f"  model      {figures(every, base, lambda case: linear(bias, weights, case) >= cut)}")
    print(f"  hand rule  {figures(every, base, hand_rule)}")
    print(f"  list none  {figures(every, base, lambda case: False)}")
    if "--write" in sys.argv:
        write(bias, weights, cut)


def choose_cut(train: list[Case], base: Baseline, bias: float, weights: dict[str, float]) -> float:
    """The cut with the best F1 of tags plus "also mentioned" on the odd halves of both sets
    together (the issue weighs precision and recall alike); of equal ones, the highest, placed
    halfway down to the next lower case's score (the widest margin on both sides: a case of
    another story scoring just below the chosen one is not cut by the accident of where the
    training cases fell)."""
    odd = {key: value for key, value in base.items() if key[1] == "odd"}
    true_positive = sum(value[0] for value in odd.values())
    predicted = sum(value[1] for value in odd.values())
    gold = sum(value[2] for value in odd.values())
    values = sorted({linear(bias, weights, case) for case in train})
    best, best_f1 = values[0] - 1.0, -1.0
    for cut in [values[0] - 1.0, *values]:
        dropped = [case for case in train if linear(bias, weights, case) < cut]
        kept = true_positive - sum(case.positive for case in dropped)
        listed = predicted - len(dropped)
        f1 = 2 * kept / (listed + gold) if listed + gold else 0.0
        if f1 >= best_f1:
            best, best_f1 = cut, f1
    lower = [value for value in values if value < best]
    return round((best + lower[-1]) / 2 if lower else best - 1e-4, 4)


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
