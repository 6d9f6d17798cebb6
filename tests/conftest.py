"""Shared fixtures: the repository, the seed, and throwaway projects built from it."""

from __future__ import annotations

import dataclasses
import hashlib
import re
import shutil
from pathlib import Path

import pytest

from newsarchive.core.config import Config, load_config

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
SHARED = REPO.parent / "shared"
SEED = REPO / "sources" / "000_7e4de2441bf44598.txt"

needs_shared = pytest.mark.skipif(
    not (SHARED / "corpora").is_dir(),
    reason=f"the shared corpora are not present at {SHARED / 'corpora'} (they sit beside the repository)",
)


@pytest.fixture
def project(tmp_path: Path) -> Config:
    """An empty newsarchive project in a temp folder, using the repository's theme and settings."""
    return make_project(tmp_path / "site", with_sources=False)


def make_project(root: Path, with_sources: bool = True) -> Config:
    """A project folder using the repository's settings and theme, with the seed and fixtures."""
    root.mkdir(parents=True, exist_ok=True)
    for name in ("pelicanconf.py", "publishconf.py", "japaneseconf.py", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "theme", root / "theme")
    (root / "sources").mkdir()
    if with_sources:
        for source in (FIXTURES / "sources").iterdir():
            shutil.copy(source, root / "sources" / source.name)
        shutil.copy(SEED, root / "sources" / SEED.name)
    return load_config(root)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The seed and fixture stories imported and built once per test session (strict)."""
    from newsarchive.ingest.importer import import_sources
    from newsarchive.site.build import build_site

    config = make_project(tmp_path_factory.mktemp("built") / "site")
    assert import_sources(config).exit_code == 0
    build_site(config, strict=True)
    return config


@pytest.fixture(scope="session")
def built_site_ja(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """The same stories built once per session with the Japanese interface (japaneseconf.py)."""
    from newsarchive.ingest.importer import import_sources
    from newsarchive.site.build import build_site

    config = make_project(tmp_path_factory.mktemp("built-ja") / "site")
    assert import_sources(config).exit_code == 0
    config = dataclasses.replace(config, settings=config.root / "japaneseconf.py")
    build_site(config, strict=True)
    return config


@pytest.fixture
def seed_project(project: Config) -> Config:
    shutil.copy(SEED, project.sources / SEED.name)
    return project


# Pagefind writes its word, filter and metadata indexes in hash-map order, so their
# chunking changes from run to run (upstream: Pagefind issue #638; its page fragments
# are stable since 1.3). Those index files are left out of comparisons of built sites;
# every page, feed, search fragment and asset must match.
# (The index is in shards, pagefind/<shard>/..., each a Pagefind bundle.)
UNSTABLE = re.compile(r"pagefind/[^/]+/(?:index/|filter/|pagefind\.|pagefind-entry\.json)")


def site_tree(root: Path) -> dict[str, str]:
    """Every file of a built site (or a content folder) by relative path, with its SHA-256."""
    files = (path for path in sorted(root.rglob("*")) if path.is_file())
    relative = ((path, path.relative_to(root).as_posix()) for path in files)
    return {
        name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path, name in relative
        if not (UNSTABLE.match(name) and not name.endswith(".js"))
    }


def count_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The names of the sources imports read from now on (small batches are read in this
    process, where the count is kept)."""
    import newsarchive.ingest.importer as importer

    seen: list[str] = []
    read = importer.read_document

    def counting(path: Path, max_bytes: int) -> object:
        seen.append(path.name)
        return read(path, max_bytes)

    monkeypatch.setattr(importer, "read_document", counting)
    return seen
