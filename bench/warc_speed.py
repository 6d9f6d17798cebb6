"""Pages per minute imported from a WARC of saved pages.

Usage: python bench/warc_speed.py [--pages 1000] [--jobs 0] [--peak]

Writes a gzipped WARC of ``--pages`` responses, cycling through the 91 Readability pages
of ../shared (each copy under its own URL, its headline numbered so that every copy is a
story of its own), imports it into an empty project and prints the pages per minute of
the cold import (everything read, extracted, tagged and written) and of a second import
(the journal: the archive is not read again). ``--peak`` also prints the importing
process's peak resident memory. Wall time depends on what else the machine runs, so the
CPU time of the import (this process and its workers) is printed too, with the rate it
gives on this machine's cores when they are idle.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from conftest import make_project  # noqa: E402
from eval import wrap  # noqa: E402
from eval.containers import PAGES  # noqa: E402

from newsarchive.core.models import Status  # noqa: E402
from newsarchive.ingest.importer import import_sources  # noqa: E402

_TITLES = re.compile(rb"(<title[^>]*>|<h1[^>]*>|property=\"og:title\" content=\"|\"headline\":\s*\")", re.I)


def numbered(data: bytes, number: int) -> bytes:
    """The page with "Copy N" before its title wherever a title is stated."""
    return _TITLES.sub(lambda m: m[0] + f"Copy {number}: ".encode(), data)


def saved_pages(count: int) -> list[wrap.Page]:
    sources = sorted(PAGES.glob("*/source.html"))
    if not sources:
        raise SystemExit(f"no pages at {PAGES} (the shared corpora sit beside the repository)")
    pages = []
    for number in range(count):
        source = sources[number % len(sources)]
        url = f"https://news.example.org/{number}/{source.parent.name}.html"
        data = numbered(source.read_bytes(), number)
        pages.append(wrap.Page(name=f"{number}", url=url, data=data, html=""))
    return pages


def write_archive(count: int, path: Path) -> None:
    wrap.warc(saved_pages(count), path)


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the import's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=0, help="worker processes (0: one per core)")
    parser.add_argument("--peak", action="store_true", help="print peak resident memory")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="warc-speed-"))
    try:
        config = make_project(folder / "site", with_sources=False)
        archive = config.sources / "saved.warc.gz"
        writer = multiprocessing.get_context("fork").Process(target=write_archive, args=(args.pages, archive))
        writer.start()  # in a child, so that the peak memory below is the import's own
        writer.join()
        size = archive.stat().st_size
        started, cpu_before = time.perf_counter(), cpu_seconds()  # the writer's CPU time is in before
        report = import_sources(config, jobs=args.jobs)
        cold, cpu = time.perf_counter() - started, cpu_seconds() - cpu_before
        started = time.perf_counter()
        again = import_sources(config, jobs=args.jobs)
        warm = time.perf_counter() - started
        counts = {status.value: n for status, n in report.counts().items() if n}
        print(f"archive: {args.pages:,} pages, {size / 1e6:.1f} MB gzipped; outcomes {counts}")
        print(f"cold import:   {cold:6.1f} s  {60 * args.pages / cold:8,.0f} pages/minute")
        cores = os.cpu_count() or 1
        print(
            f"  CPU: {cpu:.1f} s, {1000 * cpu / args.pages:.0f} ms a page: "
            f"{60 * args.pages * cores / cpu:,.0f} pages/minute on {cores} idle cores"
        )
        unchanged = again.counts()[Status.UNCHANGED]
        rate = 60 * args.pages / warm
        print(f"second import: {warm:6.1f} s  {rate:8,.0f} pages/minute ({unchanged:,} unchanged)")
        if args.peak:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            print(f"peak resident memory: {peak:.0f} MB (largest worker: {children:.0f} MB)")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
