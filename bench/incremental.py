"""Paired timings of the incremental builds: one story changed, one added, no change.

Usage: python bench/incremental.py LABEL=NEWSARCHIVE:PROJECT [LABEL=...] [-r 3]
Each PROJECT is a built bench project (`bench/run.py --work DIR`, or `bench/corpus.py`
then `newsarchive import` and `newsarchive build`); NEWSARCHIVE is the `newsarchive`
command to time in it (another checkout's, to compare two versions). In each round every
project gets the same change, one after the other, so a busy machine slows them alike.
Prints medians of the whole command's wall time and CPU time (the command and its
children: a shared machine distorts wall time).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import touch_one_story


def timed_build(command: str, project: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one `newsarchive build --no-import` in ``project``."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [command, "build", "--no-import", "-q"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{command} build failed in {project}: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
    return wall, usage.ru_utime + usage.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("runs", nargs="+", help="LABEL=NEWSARCHIVE:PROJECT")
    parser.add_argument("-r", "--rounds", type=int, default=3)
    args = parser.parse_args()
    runs = []
    for spec in args.runs:
        label, _, rest = spec.partition("=")
        command, _, project = rest.partition(":")
        runs.append((label, command, Path(project)))
    results: dict[tuple[str, str], list[tuple[float, float]]] = {}
    # Each added story is new to every project: numbered after those earlier runs added (a
    # number used before would rewrite that story, a change, not an addition).
    first = 1000 + max(len(list((project / "content").rglob("bench-added-*.md"))) for _, _, project in runs)
    for number in range(first, first + args.rounds):
        for step in ("one story changed", "one story added", "no change"):
            for label, command, project in runs:
                content = project / "content"
                if step != "no change":
                    touch_one_story(content, add=step == "one story added", number=number)
                results.setdefault((step, label), []).append(timed_build(command, project))
    print(f"{'step':<20}{'label':<14}{'wall (median)':>14}{'CPU (median)':>14}  runs (wall)")
    for (step, label), timings in results.items():
        walls = [wall for wall, _ in timings]
        cpus = [cpu for _, cpu in timings]
        shown = ", ".join(f"{wall:.2f}" for wall in walls)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"{step:<20}{label:<14}{wall:>12.2f} s{cpu:>12.2f} s  {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
