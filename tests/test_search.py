"""The search index is made from the stories' search records, beside the rest of the build:
it must hold what indexing the story pages themselves would, and be made again exactly
when a record changes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_project

from newsarchive.core.config import Config
from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site
from newsarchive.site.search import RECORDS_FOLDER

STORY_PAGES = "[0-9][0-9][0-9][0-9]/[0-9][0-9]/[0-9][0-9]/*/index.html"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    config = make_project(tmp_path_factory.mktemp("search") / "site")
    assert import_sources(config, jobs=1).exit_code == 0
    build_site(config, strict=True)
    return config


def fragments(index: Path) -> list[str]:
    """Pagefind's per-page fragments, in every shard (or one bundle): named by a hash of
    what it recorded of the page."""
    return sorted(path.name for path in index.rglob("fragment/*"))


def index_stamps(config: Config) -> dict[str, tuple[int, int]]:
    index = config.output / "pagefind"
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in index.rglob("*") if p.is_file()}


def test_the_index_holds_what_the_story_pages_would_give(site: Config, tmp_path: Path) -> None:
    from_pages = tmp_path / "from-pages"
    command = [sys.executable, "-m", "pagefind", "--site", str(site.output), "--glob", STORY_PAGES]
    subprocess.run([*command, "--output-path", str(from_pages), "--quiet"], check=True)
    assert len(fragments(from_pages)) == 3  # the seed and the two fixture stories
    assert fragments(site.output / "pagefind") == fragments(from_pages)


def test_a_post_saved_again_unchanged_keeps_the_index(site: Config) -> None:
    before = index_stamps(site)
    post = next(site.content.rglob("*.md"))
    os.utime(post)  # a new time stamp, the same text: the build runs, no record changes
    result = build_site(site, strict=True)
    assert not result.up_to_date
    assert index_stamps(site) == before


def test_an_edited_story_is_indexed_again_and_only_its_record_rewritten(site: Config) -> None:
    records = site.cache / RECORDS_FOLDER
    record_stamps = {p: p.stat().st_mtime_ns for p in records.rglob("index.html")}
    before = fragments(site.output / "pagefind")
    post = next(p for p in site.content.rglob("*.md") if p.name.startswith("ntt-takes"))
    post.write_text(post.read_text(encoding="utf-8") + "\nQuokkas were not consulted.\n", encoding="utf-8")
    build_site(site, strict=True)
    changed = [p for p, mtime in record_stamps.items() if p.stat().st_mtime_ns != mtime]
    assert [p.parent.name for p in changed] == [post.stem]
    assert "Quokkas were not consulted." in changed[0].read_text(encoding="utf-8")
    after = fragments(site.output / "pagefind")
    assert len(set(before) - set(after)) == 1 and len(after) == len(before)


def test_a_deleted_story_leaves_the_records_and_the_index(site: Config) -> None:
    post = next(p for p in site.content.rglob("*.md") if not p.name.startswith("ntt-takes"))
    post.unlink()
    build_site(site, strict=True)
    records = site.cache / RECORDS_FOLDER
    assert post.stem not in {p.parent.name for p in records.rglob("index.html")}
    assert len(fragments(site.output / "pagefind")) == 2


def test_records_cut_short_by_a_failed_build_are_all_written_again(
    site: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Records are written in place, not through a temporary file: a build that dies while
    writing them leaves nothing that vouches for a half-written record (neither the last
    manifest's shard digests nor the records' keys), even when the next build's story is
    the one the old key was made from."""
    from newsarchive.site import search

    post = next(p for p in site.content.rglob("*.md") if p.name.startswith("ntt-takes"))
    original = post.read_text(encoding="utf-8")
    post.write_text(original + "\nA sentence the failed build was writing.\n", encoding="utf-8")

    def cut_short(records: Path, name: str, *args: object) -> None:
        (records / name).write_text("<html><body>half a rec", encoding="utf-8")
        raise OSError("the build was killed")

    monkeypatch.setattr(search, "write_record", cut_short)
    with pytest.raises(Exception, match="killed"):
        build_site(site, strict=True)
    monkeypatch.undo()
    post.write_text(original, encoding="utf-8")  # back to the story the last keys were made from
    build_site(site, strict=True)
    record = next(p for p in (site.cache / RECORDS_FOLDER).rglob("index.html") if p.parent.name == post.stem)
    assert "half a rec" not in record.read_text(encoding="utf-8")
    assert "data-pagefind-body" in record.read_text(encoding="utf-8")


def test_pagefind_runs_as_its_binary_without_a_python_interpreter_per_shard() -> None:
    """Each shard's Pagefind is the binary the pagefind package finds, run directly: `python
    -m pagefind` would start an interpreter per shard only to look the binary up."""
    from newsarchive.site.search import pagefind_command

    command = pagefind_command()
    assert len(command) == 1 and command[0] != sys.executable
    assert Path(command[0]).name.startswith("pagefind") and os.access(command[0], os.X_OK)
    shown = subprocess.run([*command, "--version"], capture_output=True, text=True, check=True)
    assert shown.stdout.startswith("pagefind")
