"""`newsarchive serve`: the site on localhost, built again when a post changes."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from newsarchive.core.config import Config
from newsarchive.site.serve import Changes, EventWatcher, Watcher


def test_the_watcher_sees_edits_additions_and_deletions(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one", encoding="utf-8")
    watcher = Watcher([tmp_path])
    assert not watcher.changed()
    (tmp_path / "a.md").write_text("two!", encoding="utf-8")
    assert watcher.changed() and not watcher.changed()
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("b", encoding="utf-8")
    assert watcher.changed()
    (tmp_path / "a.md").unlink()
    assert watcher.changed()
    (tmp_path / "c.md").write_text("c", encoding="utf-8")
    watcher.settle()
    assert not watcher.changed()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def fetch(url: str, expected: str, seconds: float) -> str:
    """The page at ``url`` once it contains ``expected`` (or the last text seen)."""
    deadline, text = time.monotonic() + seconds, ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                text = response.read().decode("utf-8")
            if expected in text:
                return text
        except OSError:
            pass
        time.sleep(0.5)
    return text


def test_serve_builds_serves_and_rebuilds_after_an_edit(seed_project: Config) -> None:
    port = free_port()
    command = [sys.executable, "-m", "newsarchive.cli", "--root", str(seed_project.root), "serve"]
    server = subprocess.Popen([*command, "--port", str(port), "--interval", "0.2", "-q"])
    try:
        story = (
            f"http://127.0.0.1:{port}/2020/06/25/ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance/"
        )
        assert "Japan Inc. heavyweights" in fetch(story, "Japan Inc. heavyweights", 120)
        post = next(seed_project.content.rglob("ntt-takes-*.md"))
        text = post.read_text(encoding="utf-8")
        post.write_text(text.replace("Japan Inc. heavyweights", "Japanese heavyweights", 1), encoding="utf-8")
        assert "Japanese heavyweights" in fetch(story, "Japanese heavyweights", 120)
    finally:
        server.terminate()
        server.wait(timeout=30)
    with socket.socket() as probe:  # the web server went with it
        assert probe.connect_ex(("127.0.0.1", port)) != 0


def next_changes(watcher: EventWatcher, seconds: float = 10) -> Changes:
    """The first changes the watcher hears of within ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if changes := watcher.changes():
            return changes
        time.sleep(0.05)
    return Changes()


def test_the_event_watcher_hears_edits_additions_and_deletions(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("one", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    watcher = EventWatcher([tmp_path, tmp_path / "missing"])
    try:
        time.sleep(0.5)  # the watches are set up
        (tmp_path / "a.md").write_text("two!", encoding="utf-8")
        assert next_changes(watcher) == Changes(modified=(tmp_path / "a.md",))
        (tmp_path / "sub" / "b.md").write_text("b", encoding="utf-8")
        assert next_changes(watcher).added == (tmp_path / "sub" / "b.md",)
        (tmp_path / "a.md").unlink()
        assert next_changes(watcher) == Changes(removed=(tmp_path / "a.md",))
        (tmp_path / "c.md").write_text("c", encoding="utf-8")
        (tmp_path / "c.md").unlink()  # made and gone between two looks: nothing to do
        time.sleep(0.5)
        assert not watcher.changes()
    finally:
        watcher.stop()


def test_a_folder_made_brings_the_files_written_in_it_before_it_was_watched(tmp_path: Path) -> None:
    watcher = EventWatcher([tmp_path])
    try:
        time.sleep(0.5)  # the watches are set up
        assert not watcher.changes()
        # what the system may say of `mkdir 2016 && write 2016/post.md` when the write comes
        # before the new folder's watch: that the folder was made, nothing of the file
        (tmp_path / "2016").mkdir()
        (tmp_path / "2016" / "post.md").write_text("a post", encoding="utf-8")
        time.sleep(0.5)  # the events it heard are in; then take the file's away
        with watcher._lock:
            watcher._pending.pop(tmp_path / "2016" / "post.md", None)
            watcher._note(tmp_path / "2016", "added")
        assert watcher.changes().added == (tmp_path / "2016" / "post.md",)
    finally:
        watcher.stop()
