"""Peak memory of a whole process tree: the command and every process it starts, summed.

Usage: python bench/tree_memory.py [--every 0.2] COMMAND [ARGS...]
Runs COMMAND and samples, every ``--every`` seconds, the proportional set size (PSS, from
/proc/PID/smaps_rollup) of it and all its descendants: memory shared copy-on-write by forked
workers counts once, split between them, and processes that run side by side (Pagefind,
renderers) add up. `/usr/bin/time`'s maximum resident size, which `bench/run.py` reports, is
that of the largest single process. Prints the wall time, the peak sum and the largest
number of processes seen at once. Linux only.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path


def children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (every thread's children)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return found


def tree(pid: int) -> list[int]:
    pids, pending = [], [pid]
    while pending:
        current = pending.pop()
        pids.append(current)
        pending += children(current)
    return pids


def name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return "?"


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0


def main() -> int:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--every", type=float, default=0.2)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if not args.command:
        parser.error("no command given")
    started = time.perf_counter()
    process = subprocess.Popen(args.command)
    peak, most, at_peak = 0, 0, ""
    while process.poll() is None:
        sizes = {pid: pss_kb(pid) for pid in tree(process.pid)}
        if sum(sizes.values()) > peak:
            peak = sum(sizes.values())
            at_peak = ", ".join(f"{name(pid)} {kb / 1024:,.0f}" for pid, kb in sizes.items() if kb)
        most = max(most, len(sizes))
        time.sleep(args.every)
    wall = time.perf_counter() - started
    print(
        f"{wall:.2f} s wall; peak memory of the tree {peak / 1024:,.0f} MB (PSS summed); "
        f"at most {most} processes; at the peak, MB by process: {at_peak}",
        file=sys.stderr,
    )
    return process.returncode or 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())
