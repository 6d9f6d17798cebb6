"""A build or an import killed part-way leaves the previous site whole and no partial posts."""

from __future__ import annotations

import hashlib
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import make_project

from newsarchive.core.config import Config
from newsarchive.core.posts import parse_post
from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site

STORIES = 300
KILL_AFTER = (0.3, 0.8, 1.5, 2.5)


def tree(root: Path) -> dict[str, str]:
    """Every page, feed and asset by content; the Pagefind index by its entry file's presence,
    since Pagefind chunks its index differently on every run (see test_reproducible)."""
    files = {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}
    hashes = {name: hashlib.sha256(path.read_bytes()).hexdigest() for name, path in files.items()}
    search = {
        name: "present"
        for name in hashes
        if re.fullmatch(r"pagefind/[^/]+/pagefind(?:\.js|-entry\.json)", name)
    }
    return {name: h for name, h in hashes.items() if not name.startswith("pagefind/")} | search


def write_stories(config: Config, suffix: str = "") -> None:
    for number in range(STORIES):
        body = "\n\n".join(
            f"Paragraph {p} of story {number} about NEC and 5G networks.{suffix}" for p in range(12)
        )
        text = f"Story number {number}\n\nMarch {1 + number % 28}, 2021\n\n{body}\n"
        (config.sources / f"story-{number:03}.txt").write_text(text, encoding="utf-8")


def run_and_kill(config: Config, command: str, seconds: float) -> None:
    args = [sys.executable, "-m", "newsarchive.cli", "--root", str(config.root), command, "-q"]
    process = subprocess.Popen(
        [*args, "--no-import"] if command == "build" else args, stdout=subprocess.DEVNULL
    )
    time.sleep(seconds)
    process.send_signal(signal.SIGKILL)
    process.wait()


@pytest.fixture
def imported(tmp_path: Path) -> Config:
    config = make_project(tmp_path / "site", with_sources=False)
    write_stories(config)
    import_sources(config)
    return config


@pytest.mark.slow
def test_killed_builds_leave_the_previous_output_whole(imported: Config) -> None:
    build_site(imported)
    before = tree(imported.output)
    for seconds in KILL_AFTER:
        run_and_kill(imported, "build", seconds)
        assert tree(imported.output) == before, f"output changed after a kill at {seconds}s"
    build_site(imported)  # the next build recovers and succeeds
    assert tree(imported.output) == before


@pytest.mark.slow
def test_killed_imports_leave_no_half_written_post(imported: Config) -> None:
    write_stories(imported, suffix=" Updated.")
    for seconds in KILL_AFTER:
        run_and_kill(imported, "import", seconds)
        posts = list(imported.content.rglob("*.md"))
        assert len(posts) == STORIES
        for post in posts:  # each post is whole: the old one or the new one, never a mix
            assert not parse_post(post.read_text(encoding="utf-8")).edited, post
    report = import_sources(imported)
    assert {o.status.value for o in report.outcomes} <= {"updated", "unchanged"}
    assert list(imported.content.rglob("*.tmp")) == []
    assert not orphans(imported), "import workers outlived the killed import"


def orphans(config: Config) -> list[str]:
    found = subprocess.run(
        ["pgrep", "-f", f"--root {config.root}"], capture_output=True, text=True, check=False
    )
    return found.stdout.split()


def test_a_second_build_at_the_same_time_stops_with_a_message(imported: Config) -> None:
    from newsarchive.core.errors import BuildError
    from newsarchive.site.build import exclusive

    with exclusive(imported.output), pytest.raises(BuildError, match=r"another build of .* is running"):
        build_site(imported)


def test_a_truncated_pelican_cache_does_not_stop_the_next_build(imported: Config) -> None:
    build_site(imported)
    for cached in (imported.root / "cache").iterdir():
        if cached.is_file():
            cached.write_bytes(cached.read_bytes()[:10])  # as a build killed mid-save leaves it
    assert build_site(imported).files > STORIES
