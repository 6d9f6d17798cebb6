"""Evaluation gates: each figure's floor is pinned at the measured value minus a stated margin.

``baseline.json`` (beside this file) holds, per evaluation, the date it was measured and a
digest of exactly the corpus files and the label file it read; per metric, the measured
count, the margin, why that margin, and the floor, computed as measured minus margin and
rounded down to 4 decimals. The README quotes the measured figures; they are rewritten from
the baseline by ``--update`` and checked by tests/test_readme_figures.py.

    python -m tests.eval.gate            measure every evaluation once, print a table; exit 1 if
                                         a metric is below its floor, a corpus or label file is not
                                         the one measured, or the README's figures differ
    python -m tests.eval.gate --update   measure each evaluation twice, write the figures, margins,
                                         floors and digests, rewrite the README's figures; refuse
                                         (exit 2, nothing written) to lower any floor ...
        --allow-lower "REASON"           ... unless told why; the reason is kept in the baseline

Either exits 2, with one line, when a corpus is not present (it sits in ../shared/corpora).

Margins: the evaluations are deterministic (the same counts in repeated runs), so the margin
is one item of the metric's denominator, or the spread seen between the update's runs if that
is larger. A floor therefore lets one story or page flip (a dependency's patch release) and
catches anything more.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib
import json
import math
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
BASELINE = HERE / "baseline.json"
README = REPO / "README.md"
CORPORA = REPO.parent / "shared" / "corpora"
MARGIN_ITEMS = 1
UPDATE_RUNS = 2
ABOUT = (
    "Written by python -m tests.eval.gate --update; do not edit by hand. Per evaluation: the date"
    " measured and blake2b digests of exactly the corpus files and label file it read. Per metric:"
    " measured (hit/of), margin (the larger of one item and the spread between the update's runs),"
    " floor = measured - margin rounded down to 4 decimals. lowered: every floor lowered, and why."
)

Baseline = dict[str, Any]


@dataclass(frozen=True)
class Count:
    """One metric as a count, ``hit`` of ``of``; ``detail`` names the misses for failure messages."""

    hit: int
    of: int
    detail: tuple[str, ...] = ()

    @property
    def value(self) -> Fraction:
        return Fraction(self.hit, self.of) if self.of else Fraction(1)

    def __str__(self) -> str:
        return f"{self.hit}/{self.of}"


@dataclass(frozen=True)
class Evaluation:
    """An evaluation: the corpus folder its digest is relative to, its label file, and how to run it."""

    name: str
    command: str
    corpus: Path
    labels: Path | None
    files: Callable[[], list[Path]]
    run: Callable[[], dict[str, Count]]


class GateError(Exception):
    """The gate cannot proceed (a refused lowering, a missing corpus); the message is one line."""


def _sibling(name: str) -> ModuleType:
    """An evaluation module beside this one, imported only when it is run (it imports newsarchive)."""
    return importlib.import_module(f"{__package__}.{name}")


def _tag_counts(scores: dict[str, Any]) -> dict[str, Count]:
    """Precision and recall of each of a label set's scores (tests/eval/tagging.py KindScore)."""
    metrics = {}
    for name, score in scores.items():
        metrics[f"{name}.precision"] = Count(score.true_positive, score.predicted, tuple(score.false_hits))
        metrics[f"{name}.recall"] = Count(score.true_positive, score.gold, tuple(score.misses))
    return metrics


def _tagging() -> dict[str, Count]:
    return _tag_counts(_sibling("tagging").evaluate())


def _tagging_general() -> dict[str, Count]:
    return _tag_counts(_sibling("tagging").evaluate_general())


def _readability() -> dict[str, Count]:
    scores = _sibling("readability").evaluate()
    return {name: Count(s.agreed, s.total, tuple(s.misses)) for name, s in scores.items()}


def _bodies() -> dict[str, Count]:
    score = _sibling("bodies").evaluate()
    return {
        "include": Count(score.found, score.wanted),
        "kept_out": Count(score.unwanted - score.leaked, score.unwanted),
    }


def _deals() -> dict[str, Count]:
    report = _sibling("deals").evaluate()
    metrics = {}
    for name, score in report.fields.items():
        metrics[f"{name}.precision"] = Count(score.hit, score.predicted, tuple(report.notes))
        metrics[f"{name}.recall"] = Count(score.hit, score.gold, tuple(report.notes))
    return metrics


EVALUATIONS: dict[str, Evaluation] = {
    evaluation.name: evaluation
    for evaluation in (
        Evaluation(
            "tagging",
            "python -m tests.eval.tagging -v",
            CORPORA / "bbc-news",
            HERE / "bbc_tech_labels.yaml",
            lambda: _sibling("tagging").corpus_files(),
            _tagging,
        ),
        Evaluation(
            "tagging_general",
            "python -m tests.eval.tagging -v",
            CORPORA,
            HERE / "general_labels.yaml",
            lambda: _sibling("tagging").general_corpus_files(),
            _tagging_general,
        ),
        Evaluation(
            "deals",
            "python -m tests.eval.deals -v",
            CORPORA / "bbc-news",
            HERE / "deals_labels.yaml",
            lambda: _sibling("deals").corpus_files(),
            _deals,
        ),
        Evaluation(
            "readability",
            "python -m tests.eval.readability -v",
            CORPORA / "readability-pages",
            None,
            lambda: _sibling("readability").corpus_files(),
            _readability,
        ),
        Evaluation(
            "bodies",
            "python -m tests.eval.bodies",
            CORPORA / "readability-pages",
            HERE / "readability_snippets.yaml",
            lambda: _sibling("bodies").corpus_files(),
            _bodies,
        ),
    )
}


# Digests -------------------------------------------------------------------------------


def digest(files: Iterable[Path], root: Path) -> dict[str, Any]:
    """blake2b over the sorted relative paths and bytes of ``files`` (lengths framed, so unambiguous)."""
    named = sorted((path.relative_to(root).as_posix(), path) for path in files)
    hasher = hashlib.blake2b(digest_size=32)
    for name, path in named:
        data = path.read_bytes()
        for part in (name.encode(), data):
            hasher.update(len(part).to_bytes(8, "big") + part)
    return {"path": os.path.relpath(root, REPO), "files": len(named), "blake2b": hasher.hexdigest()}


def inputs(evaluation: Evaluation) -> dict[str, Any]:
    """The digests of what ``evaluation`` reads now: its corpus files and its label file."""
    if not evaluation.corpus.is_dir():
        raise GateError(f"{evaluation.name}: the corpus is not present at {evaluation.corpus}")
    try:
        found = {"corpus": digest(evaluation.files(), evaluation.corpus)}
        if evaluation.labels:
            labels = digest([evaluation.labels], evaluation.labels.parent)
            found["labels"] = {**labels, "path": os.path.relpath(evaluation.labels, REPO)}
    except FileNotFoundError as error:
        raise GateError(f"{evaluation.name}: a file it reads is missing: {error.filename}") from error
    return found


def input_problems(evaluation: Evaluation, baseline: Baseline) -> list[str]:
    """Why the baseline's figures do not apply to the files present (empty if they do)."""
    recorded = baseline["evaluations"].get(evaluation.name)
    if recorded is None:
        return [f"{evaluation.name}: not in the baseline; measure it with python -m tests.eval.gate --update"]
    problems = []
    for part, now in inputs(evaluation).items():
        then = recorded.get(part) or {}
        if (then.get("files"), then.get("blake2b")) != (now["files"], now["blake2b"]):
            problems.append(
                f"{evaluation.name}: the {part} ({now['path']}) is not the one the baseline was measured on "
                f"({then.get('files')} files, blake2b {str(then.get('blake2b'))[:12]} then; "
                f"{now['files']} files, blake2b {now['blake2b'][:12]} now): its figures no longer apply; "
                "re-measure with python -m tests.eval.gate --update"
            )
    return problems


# Margins and floors ----------------------------------------------------------------------


def _ceil(value: Fraction, places: int) -> float:
    """``value`` rounded up to ``places`` decimals, computed on the exact fraction."""
    scale: int = 10**places
    return math.ceil(value * scale) / scale


def _floor(value: Fraction, places: int) -> float:
    """``value`` rounded down to ``places`` decimals, computed on the exact fraction."""
    scale: int = 10**places
    return math.floor(value * scale) / scale


def margin_for(runs: list[Count]) -> tuple[float, str]:
    """The margin for one metric measured in ``runs``: the larger of one item and the runs' spread."""
    values = [run.value for run in runs]
    spread = max(values) - min(values)
    items = Fraction(MARGIN_ITEMS, max(runs[-1].of, 1))
    seen = f"{len(runs)} runs, " + ("identical" if not spread else f"spread {float(spread):.4f}")
    if spread > items:
        return _ceil(spread, 6), f"{seen}: the spread between runs"
    return _ceil(items, 6), f"{seen}: one item of {runs[-1].of}"


def floor_of(measured: str, margin: float) -> float:
    """Measured (as ``hit/of``) minus margin, rounded down to 4 decimals; exact, no float error."""
    return _floor(Fraction(measured) - Fraction(str(margin)), 4)


def metric_entry(runs: list[Count]) -> dict[str, Any]:
    """A metric's baseline entry from the update's runs (the last run is the figure)."""
    margin, reason = margin_for(runs)
    measured = str(runs[-1])
    return {
        "measured": measured,
        "value": round(float(runs[-1].value), 6),
        "margin": margin,
        "margin_reason": reason,
        "floor": floor_of(measured, margin),
    }


# README figures ----------------------------------------------------------------------------

# Each README sentence that quotes figures, with a placeholder {evaluation.metric:format} per
# figure; spaces match any run of whitespace, so the README may wrap them.
README_SENTENCES = (
    "kept {bodies.include:pct} of must-include sentences and kept out {bodies.kept_out:pct} of"
    " must-not-include furniture",
    "companies precision {tagging.companies.precision:3f}, recall {tagging.companies.recall:3f};"
    " technologies precision {tagging.technologies.precision:3f},"
    " recall {tagging.technologies.recall:3f} counting tags alone, and"
    " precision {tagging.technologies_mentioned.precision:3f},"
    " recall {tagging.technologies_mentioned.recall:3f}"
    ' counting tags and "also mentioned"',
    "companies: precision {tagging_general.companies.precision:3f},"
    " recall {tagging_general.companies.recall:3f}; technologies tagged:"
    " precision {tagging_general.technologies.precision:3f}, recall {tagging_general.technologies.recall:3f};"
    ' with "also mentioned": precision {tagging_general.technologies_mentioned.precision:3f},'
    " recall {tagging_general.technologies_mentioned.recall:3f}",
    "title {readability.title:pct}, byline {readability.byline:pct}, date {readability.date:pct}",
    "events (type and parties) precision {deals.events.precision:3f}, recall {deals.events.recall:3f};"
    " parties (any type) precision {deals.parties.precision:3f}, recall {deals.parties.recall:3f};"
    " roles precision {deals.roles.precision:3f}, recall {deals.roles.recall:3f};"
    " amount precision {deals.amount.precision:3f}, recall {deals.amount.recall:3f};"
    " share precision {deals.share.precision:3f}, recall {deals.share.recall:3f}",
)
_PLACEHOLDER = re.compile(r"\{([\w.]+):(\w+)\}")
_FIGURE = re.compile(r"\d+(?:\.\d+)?%|\b\d\.\d{3}\b")


def formatted(measured: str, style: str) -> str:
    """A figure as the README writes it: ``3f`` is 0.968; ``pct`` is 95.6%, and 100% when whole."""
    value = Fraction(measured)
    if style == "3f":
        return f"{float(value):.3f}"
    return "100%" if value == 1 else f"{float(100 * value):.1f}%"


def _sentence_pattern(sentence: str) -> tuple[re.Pattern[str], list[tuple[str, str]]]:
    """A template as a regex with one group per figure, and the (metric, format) of each group."""
    literals = _PLACEHOLDER.split(sentence)[::3]
    slots = _PLACEHOLDER.findall(sentence)
    words = [r"\s+".join(re.escape(word) for word in literal.split(" ")) for literal in literals]
    return re.compile(r"(\d+(?:\.\d+)?%?)".join(words)), slots


@dataclass(frozen=True)
class Figure:
    metric: str
    start: int
    end: int
    found: str
    wanted: str


def _metric(baseline: Baseline, name: str) -> dict[str, Any] | None:
    evaluation, _, metric = name.partition(".")
    entry: dict[str, Any] | None = baseline["evaluations"].get(evaluation, {}).get("metrics", {}).get(metric)
    return entry


def readme_figures(
    text: str, baseline: Baseline, sentences: tuple[str, ...] = README_SENTENCES
) -> tuple[list[Figure], list[str]]:
    """Every figure the README's evaluation sentences quote, and the sentences it does not contain once."""
    figures, problems = [], []
    for sentence in sentences:
        pattern, slots = _sentence_pattern(sentence)
        matches = list(pattern.finditer(text))
        if len(matches) != 1:
            problems.append(f"README.md has {len(matches)} sentences like {sentence!r}, expected 1")
            continue
        for group, (name, style) in enumerate(slots, start=1):
            entry = _metric(baseline, name)
            wanted = formatted(entry["measured"], style) if entry else f"<{name} not in the baseline>"
            found = matches[0].group(group)
            figures.append(Figure(name, matches[0].start(group), matches[0].end(group), found, wanted))
    return figures, problems


def readme_problems(
    text: str, baseline: Baseline, sentences: tuple[str, ...] = README_SENTENCES
) -> list[str]:
    """How the README's figures differ from the baseline, including figures nothing checks."""
    figures, problems = readme_figures(text, baseline, sentences)
    problems += [
        f"README.md quotes {f.metric} as {f.found}, the baseline measured {f.wanted}"
        for f in figures
        if f.found != f.wanted
    ]
    quoted = {f.metric for f in figures}
    for evaluation, recorded in baseline["evaluations"].items():
        problems += [
            f"README.md does not quote {evaluation}.{metric}"
            for metric in recorded["metrics"]
            if f"{evaluation}.{metric}" not in quoted
        ]
    return problems + _unchecked_figures(text, figures)


def _unchecked_figures(text: str, figures: list[Figure]) -> list[str]:
    """Figures typed by hand into a paragraph about the evaluations, outside the checked sentences."""
    checked = [(f.start, f.end) for f in figures]
    problems, offset = [], 0
    for paragraph in re.split(r"(\n\s*\n)", text):
        if "tests.eval" in paragraph:
            for match in _FIGURE.finditer(paragraph):
                start = offset + match.start()
                if not any(low <= start < high for low, high in checked):
                    figure = match.group()
                    problems.append(f"README.md quotes {figure} near an evaluation, not from the baseline")
        offset += len(paragraph)
    return problems


def rewrite_readme(
    text: str, baseline: Baseline, sentences: tuple[str, ...] = README_SENTENCES
) -> tuple[str, list[str]]:
    """The README with every checked figure set from the baseline, and what could not be set."""
    figures, problems = readme_figures(text, baseline, sentences)
    for figure in sorted(figures, key=lambda f: f.start, reverse=True):
        text = text[: figure.start] + figure.wanted + text[figure.end :]
    return text, problems


# Check and update ------------------------------------------------------------------------


def load(path: Path) -> Baseline:
    baseline: Baseline = json.loads(path.read_text(encoding="utf-8"))
    return baseline


def save(baseline: Baseline, path: Path) -> None:
    path.write_text(json.dumps(baseline, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def floor_problems(baseline: Baseline) -> list[str]:
    """Floors that are not measured minus margin (typed by hand, or the margin edited alone)."""
    return [
        f"{evaluation}.{name}: floor {entry['floor']} is not {entry['measured']} - {entry['margin']}"
        for evaluation, recorded in baseline["evaluations"].items()
        for name, entry in recorded["metrics"].items()
        if entry["floor"] != floor_of(entry["measured"], entry["margin"])
    ]


def below_floor(evaluation: str, measured: dict[str, Count], baseline: Baseline) -> list[str]:
    """Each metric of ``evaluation`` below its floor (or missing from the baseline), with its misses."""
    recorded = baseline["evaluations"][evaluation]["metrics"]
    problems = []
    for name, count in measured.items():
        entry = recorded.get(name)
        if entry is None:
            problems.append(f"{evaluation}.{name}: not in the baseline")
        elif count.value < Fraction(str(entry["floor"])):
            misses = "; ".join(count.detail[:20])
            problems.append(
                f"{evaluation}.{name}: {count} = {float(count.value):.4f} is below its floor {entry['floor']}"
                f" (measured {entry['measured']} on {baseline['evaluations'][evaluation]['measured_on']})"
                + (f"; misses: {misses}" if misses else "")
            )
    return problems


def _row(name: str, count: Count | None, entry: dict[str, Any] | None) -> str:
    now = f"{count} = {float(count.value):.4f}" if count else "-"
    if entry is None:
        return f"{name:30} {now:>18} {'(not in the baseline)':>30}"
    ok = "ok" if count and count.value >= Fraction(str(entry["floor"])) else "BELOW"
    return f"{name:30} {now:>18} {entry['measured']:>10} {entry['margin']:>9} {entry['floor']:>7}  {ok}"


def print_table(measured: dict[str, dict[str, Count]], baseline: Baseline) -> None:
    print(f"{'metric':30} {'measured now':>18} {'baseline':>10} {'margin':>9} {'floor':>7}")
    for evaluation, counts in measured.items():
        for name, count in counts.items():
            print(_row(f"{evaluation}.{name}", count, _metric(baseline, f"{evaluation}.{name}")))


@dataclass(frozen=True)
class Gate:
    """What the gate measures and where it keeps the figures (the tests use a toy one)."""

    evaluations: dict[str, Evaluation]
    baseline: Path = BASELINE
    readme: Path = README
    sentences: tuple[str, ...] = README_SENTENCES


def check(gate: Gate) -> int:
    """Measure every evaluation against the baseline; 0 if all hold, 1 with the reasons if not."""
    baseline = load(gate.baseline)
    problems = floor_problems(baseline)
    measured = {}
    for name, evaluation in gate.evaluations.items():
        changed = input_problems(evaluation, baseline)
        problems += changed
        if not changed:  # never compare figures measured on another corpus
            measured[name] = evaluation.run()
            problems += below_floor(name, measured[name], baseline)
    print_table(measured, baseline)
    problems += readme_problems(gate.readme.read_text(encoding="utf-8"), baseline, gate.sentences)
    for problem in problems:
        print(problem, file=sys.stderr)
    print("gate: " + ("FAILED" if problems else "all figures at or above their floors"))
    return 1 if problems else 0


@dataclass(frozen=True)
class Lowering:
    """A floor that an update would lower: ``new`` is None when the metric is no longer measured."""

    metric: str
    old: float
    new: float | None
    measured: str | None

    def __str__(self) -> str:
        return f"{self.metric} {self.old} -> " + (
            f"{self.new} (measured {self.measured})" if self.new else "removed"
        )


def updated(
    baseline: Baseline, evaluation: Evaluation, runs: list[dict[str, Count]], today: str
) -> tuple[Baseline, list[Lowering]]:
    """The baseline with ``evaluation`` re-measured from ``runs``, and every floor that would go down."""
    old = baseline["evaluations"].get(evaluation.name, {}).get("metrics", {})
    metrics = {name: metric_entry([run[name] for run in runs]) for name in runs[-1]}
    lowered = [
        Lowering(f"{evaluation.name}.{name}", entry["floor"], new.get("floor"), new.get("measured"))
        for name, entry in old.items()
        for new in [metrics.get(name, {})]
        if not new or new["floor"] < entry["floor"]
    ]
    recorded = {"command": evaluation.command, "measured_on": today, **inputs(evaluation), "metrics": metrics}
    evaluations = {**baseline["evaluations"], evaluation.name: recorded}
    return {**baseline, "about": ABOUT, "evaluations": evaluations}, lowered


def allowed(baseline: Baseline, lowered: list[Lowering], today: str, reason: str | None) -> Baseline:
    """The baseline with each lowered floor and ``reason`` on record; GateError if there is no reason."""
    if lowered and not reason:
        changes = ", ".join(map(str, lowered))
        raise GateError(f"refusing to lower floors: {changes}; pass --allow-lower REASON to accept")
    history = [
        {"on": today, "metric": x.metric, "from": x.old, "to": x.new, "reason": reason} for x in lowered
    ]
    return {"about": ABOUT, **baseline, "lowered": baseline.get("lowered", []) + history}


def update(gate: Gate, allow_lower: str | None, today: str) -> int:
    """Re-measure everything, write the baseline and the README's figures; nothing is written on refusal."""
    baseline = load(gate.baseline) if gate.baseline.exists() else {"evaluations": {}, "lowered": []}
    measured: dict[str, dict[str, Count]] = {}
    lowered: list[Lowering] = []
    for name, evaluation in gate.evaluations.items():
        runs = [evaluation.run() for _ in range(UPDATE_RUNS)]
        baseline, lowering = updated(baseline, evaluation, runs, today)
        measured[name], lowered = runs[-1], lowered + lowering
    baseline = allowed(baseline, lowered, today, allow_lower)
    save(baseline, gate.baseline)
    print_table(measured, baseline)
    text, problems = rewrite_readme(gate.readme.read_text(encoding="utf-8"), baseline, gate.sentences)
    gate.readme.write_text(text, encoding="utf-8")
    print(f"wrote {gate.baseline.name} and the README's figures")
    for problem in problems:
        print(f"{problem}: set its figures by hand", file=sys.stderr)
    return 1 if problems else 0


def main(argv: list[str] | None = None, gate: Gate | None = None, today: str | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.eval.gate", description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true", help="re-measure and write the baseline and README")
    parser.add_argument("--allow-lower", metavar="REASON", help="with --update: lower floors, for REASON")
    args = parser.parse_args(argv)
    if args.allow_lower is not None and not (args.update and args.allow_lower.strip()):
        parser.error("--allow-lower needs --update and a non-empty reason")
    gate = gate or Gate(EVALUATIONS)
    try:
        if args.update:
            return update(gate, args.allow_lower, today or datetime.date.today().isoformat())
        return check(gate)
    except GateError as error:
        print(f"gate: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
