"""The evaluation gate itself, on a toy evaluation in a temp folder (no shared corpora needed)."""

from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import pytest
from eval import gate

TODAY = "2026-12-01"
SENTENCES = ("the toy scores {toy.score:pct} and {toy.other:3f}",)


class Toy:
    """A toy evaluation whose counts the test sets; it counts its runs."""

    def __init__(self, root: Path) -> None:
        self.corpus = root / "corpus"
        self.corpus.mkdir()
        for name in ("a.txt", "b.txt"):
            (self.corpus / name).write_text(f"story {name}\n", encoding="utf-8")
        self.labels = root / "labels.yaml"
        self.labels.write_text("a.txt: [x]\n", encoding="utf-8")
        self.readme = root / "README.md"
        self.readme.write_text(
            "# Toy\n\nMeasured (`python -m tests.eval.toy`): the toy scores 0.0% and 0.000 today.\n",
            encoding="utf-8",
        )
        self.baseline = root / "baseline.json"
        self.counts = [{"score": gate.Count(90, 100), "other": gate.Count(5, 8)}]
        self.runs = 0

    def run(self) -> dict[str, gate.Count]:
        self.runs += 1
        return self.counts[(self.runs - 1) % len(self.counts)]

    def files(self) -> list[Path]:
        return sorted(self.corpus.glob("*.txt"))

    @property
    def gate(self) -> gate.Gate:
        evaluation = gate.Evaluation("toy", "toy", self.corpus, self.labels, self.files, self.run)
        return gate.Gate({"toy": evaluation}, self.baseline, self.readme, SENTENCES)

    def main(self, *argv: str) -> int:
        return gate.main(list(argv), self.gate, TODAY)

    def metric(self, name: str) -> dict[str, object]:
        entry: dict[str, object] = self.recorded()["evaluations"]["toy"]["metrics"][name]
        return entry

    def recorded(self) -> gate.Baseline:
        return gate.load(self.baseline)

    def set_score(self, hit: int) -> None:
        self.counts = [{"score": gate.Count(hit, 100), "other": gate.Count(5, 8)}]


@pytest.fixture
def toy(tmp_path: Path) -> Toy:
    toy = Toy(tmp_path)
    assert toy.main("--update") == 0
    return toy


def test_update_pins_the_floor_one_item_below_the_measured_count(toy: Toy) -> None:
    assert toy.metric("score") == {
        "measured": "90/100",
        "value": 0.9,
        "margin": 0.01,
        "margin_reason": "2 runs, identical: one item of 100",
        "floor": 0.89,
    }
    assert toy.metric("other")["floor"] == 0.5  # 5/8 - 1/8, exactly
    recorded = toy.recorded()["evaluations"]["toy"]
    assert recorded["measured_on"] == TODAY
    assert recorded["corpus"]["files"] == 2
    assert recorded["labels"]["files"] == 1
    assert toy.readme.read_text(encoding="utf-8").endswith("the toy scores 90.0% and 0.625 today.\n")


def test_the_margin_is_the_spread_between_runs_when_that_is_larger(tmp_path: Path) -> None:
    toy = Toy(tmp_path)
    toy.counts = [{"score": gate.Count(hit, 100), "other": gate.Count(5, 8)} for hit in (80, 90)]
    assert toy.main("--update") == 0
    assert toy.metric("score")["margin"] == 0.1
    assert toy.metric("score")["margin_reason"] == "2 runs, spread 0.1000: the spread between runs"
    assert toy.metric("score")["floor"] == 0.8


def test_check_passes_within_the_margin_and_fails_beyond_it(
    toy: Toy, capsys: pytest.CaptureFixture[str]
) -> None:
    assert toy.main() == 0
    toy.set_score(89)  # one item down: within the margin
    assert toy.main() == 0
    toy.set_score(88)
    assert toy.main() == 1
    assert "toy.score: 88/100 = 0.8800 is below its floor 0.89" in capsys.readouterr().err


def test_update_refuses_to_lower_a_floor_and_writes_nothing(
    toy: Toy, capsys: pytest.CaptureFixture[str]
) -> None:
    before = toy.baseline.read_bytes(), toy.readme.read_bytes()
    toy.set_score(85)
    capsys.readouterr()
    assert toy.main("--update") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "refusing to lower floors: toy.score 0.89 -> 0.84 (measured 85/100)" in err
    assert "--allow-lower" in err
    assert (toy.baseline.read_bytes(), toy.readme.read_bytes()) == before


def test_allow_lower_lowers_the_floor_and_records_the_reason(toy: Toy) -> None:
    toy.set_score(85)
    assert toy.main("--update", "--allow-lower", "labels corrected: 5 gold tags were wrong") == 0
    assert toy.metric("score")["floor"] == 0.84
    assert toy.recorded()["lowered"] == [
        {
            "on": TODAY,
            "metric": "toy.score",
            "from": 0.89,
            "to": 0.84,
            "reason": "labels corrected: 5 gold tags were wrong",
        }
    ]
    assert "the toy scores 85.0%" in toy.readme.read_text(encoding="utf-8")


def test_dropping_a_metric_counts_as_lowering_its_floor(toy: Toy, capsys: pytest.CaptureFixture[str]) -> None:
    toy.counts = [{"score": gate.Count(90, 100)}]
    assert toy.main("--update") == 2
    assert "refusing to lower floors: toy.other 0.5 -> removed;" in capsys.readouterr().err
    assert "other" in toy.recorded()["evaluations"]["toy"]["metrics"]


def test_raising_a_floor_needs_no_flag(toy: Toy) -> None:
    toy.set_score(95)
    assert toy.main("--update") == 0
    assert toy.metric("score")["floor"] == 0.94
    assert toy.recorded()["lowered"] == []


@pytest.mark.parametrize("argv", [["--allow-lower", "why"], ["--update", "--allow-lower", " "]])
def test_allow_lower_needs_update_and_a_reason(toy: Toy, argv: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        toy.main(*argv)
    assert exit_.value.code == 2


@pytest.mark.parametrize(
    ("change", "part"),
    [
        (lambda toy: (toy.corpus / "a.txt").write_text("story a, edited\n"), "corpus"),
        (lambda toy: (toy.corpus / "c.txt").write_text("a new story\n"), "corpus"),
        (lambda toy: (toy.corpus / "b.txt").rename(toy.corpus / "c.txt"), "corpus"),
        (lambda toy: toy.labels.write_text("a.txt: [x, y]\n"), "labels"),
    ],
    ids=["edited", "added", "renamed", "relabelled"],
)
def test_check_refuses_to_compare_figures_on_another_corpus(
    toy: Toy, capsys: pytest.CaptureFixture[str], change: object, part: str
) -> None:
    runs = toy.runs
    change(toy)  # type: ignore[operator]
    capsys.readouterr()
    assert toy.main() == 1
    err = capsys.readouterr().err
    assert f"toy: the {part} " in err
    assert "is not the one the baseline was measured on" in err
    assert "its figures no longer apply" in err
    assert toy.runs == runs  # not measured: its figures would be compared against the wrong corpus


def test_a_missing_corpus_is_one_clear_line(toy: Toy, capsys: pytest.CaptureFixture[str]) -> None:
    for story in toy.files():
        story.unlink()
    toy.corpus.rmdir()
    assert toy.main() == 2
    assert capsys.readouterr().err == f"gate: toy: the corpus is not present at {toy.corpus}\n"


def test_a_floor_typed_by_hand_is_caught(toy: Toy, capsys: pytest.CaptureFixture[str]) -> None:
    baseline = toy.recorded()
    baseline["evaluations"]["toy"]["metrics"]["score"]["floor"] = 0.8
    toy.baseline.write_text(json.dumps(baseline), encoding="utf-8")
    assert toy.main() == 1
    assert "toy.score: floor 0.8 is not 90/100 - 0.01" in capsys.readouterr().err


def test_the_digest_covers_names_and_bytes(tmp_path: Path) -> None:
    (tmp_path / "a").write_bytes(b"xy")
    (tmp_path / "b").write_bytes(b"")
    first = gate.digest([tmp_path / "a", tmp_path / "b"], tmp_path)
    assert gate.digest([tmp_path / "b", tmp_path / "a"], tmp_path) == first  # order does not matter
    (tmp_path / "a").write_bytes(b"x")
    (tmp_path / "b").write_bytes(b"y")  # the same bytes in all, moved across the boundary
    assert gate.digest([tmp_path / "a", tmp_path / "b"], tmp_path)["blake2b"] != first["blake2b"]


def test_floors_are_exact_fractions() -> None:
    assert gate.floor_of("32/32", 0.03125) == 0.9687  # 31/32 = 0.96875, rounded down
    assert gate.floor_of("3/5", 0.2) == 0.4  # 3/5 - 0.2 in floats is 0.39999999999999997
    assert Fraction(180, 200) >= Fraction(str(gate.floor_of("181/200", 0.005)))
