"""The dev server's edit-to-served time: a post's text edited, its page polled over HTTP.

Usage: python bench/devserver.py [-n 10000] [--edits 5] [--work DIR] [--port 8765]

Makes (or reuses) the bench project of `bench/run.py` in ``--work`` (``-n`` generated
sources, `bench/corpus.py`), starts ``newsarchive serve`` on it, waits for its first build,
then edits ``--edits`` posts one after the other: a sentence added to the last paragraph.
The time of one edit runs from the moment the file is written to the moment the story's
page, fetched over HTTP every 20 ms, has the new sentence (the server's look for changes,
every ``--interval`` seconds, included). The next edit waits until the server has also
re-indexed the story's search shard. Prints each time and the median, and the server's
line for each change.
"""

from __future__ import annotations

import argparse
import queue
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import BIN, project


def story_url(output: Path, post: Path) -> str:
    """The story's page (site path) as the build wrote it: its slug's folder."""
    slug = re.search(r"^Slug: (.+)$", post.read_text(encoding="utf-8"), re.MULTILINE)
    if slug is None:
        raise SystemExit(f"{post}: no Slug line")
    (page,) = output.glob(f"**/{slug.group(1)}/index.html")
    return page.parent.relative_to(output).as_posix() + "/"


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return str(response.read().decode("utf-8"))


def lines_of(process: subprocess.Popen[str]) -> queue.Queue[str]:
    """The server's output lines, as they come."""
    lines: queue.Queue[str] = queue.Queue()

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))

    threading.Thread(target=read, daemon=True).start()
    return lines


def wait_for_line(lines: queue.Queue[str], pattern: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=1)
        except queue.Empty:
            continue
        print(f"  server: {line}", flush=True)
        if re.search(pattern, line):
            return line
    raise SystemExit(f"the server did not say /{pattern}/ within {seconds:.0f} s")


def edit_and_time(base: str, post: Path, url: str, marker: str, seconds: float = 120) -> float:
    """Add a sentence to the post's last paragraph; the seconds until its page shows it."""
    text = post.read_text(encoding="utf-8").rstrip("\n")
    post.write_text(f"{text} Edited {marker}.\n", encoding="utf-8")
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            if marker in fetch(base + url):
                return time.perf_counter() - started
        except OSError:
            pass
        time.sleep(0.02)
    raise SystemExit(f"{url} did not show the edit within {seconds:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--count", type=int, default=10_000)
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--work", type=Path, required=True, help="work folder (kept: the project is reused)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--interval", type=float, default=0.5, help="the server's seconds between looks")
    args = parser.parse_args()
    root = args.work / "newsarchive"
    if not (root / "sources").is_dir():
        project(args.work, args.count)
    command = [str(BIN / "newsarchive"), "serve", "--port", str(args.port), "--interval", str(args.interval)]
    server = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, text=True)
    lines = lines_of(server)
    times: list[float] = []
    done: list[float] = []
    try:
        started = time.perf_counter()
        wait_for_line(lines, r"^serving ", 3600)
        print(f"first build (import and build, in the server): {time.perf_counter() - started:.1f} s")
        posts = sorted((root / "content").rglob("*.md"))
        base = f"http://127.0.0.1:{args.port}/"
        for number in range(args.edits):
            post = posts[(number * 7919) % len(posts)]  # spread over the years
            url = story_url(root / "output", post)
            edited = time.perf_counter()
            seconds = edit_and_time(base, post, url, f"bench-{number}-{time.time_ns()}")
            times.append(seconds)
            print(f"edit {number + 1}: {url} served after {seconds:.3f} s", flush=True)
            wait_for_line(lines, r"rendered again|built|failed", 600)
            done.append(time.perf_counter() - edited)
            print(f"  search shard re-indexed, the change done, after {done[-1]:.3f} s", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=60)
    median = statistics.median(times)
    print(
        f"edit to served, {len(times)} edits at {len(posts):,} stories: median {median:.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f}); whole change, search included: median "
        f"{statistics.median(done):.3f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
