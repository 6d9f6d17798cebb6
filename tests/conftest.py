"""Shared fixtures: the repository, the seed, and throwaway projects built from it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from newsarchive.config import Config, load_config

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
    root = tmp_path / "site"
    root.mkdir()
    for name in ("pelicanconf.py", "publishconf.py", "pyproject.toml"):
        shutil.copy(REPO / name, root / name)
    shutil.copytree(REPO / "theme", root / "theme")
    (root / "sources").mkdir()
    return load_config(root)


@pytest.fixture
def seed_project(project: Config) -> Config:
    shutil.copy(SEED, project.sources / SEED.name)
    return project
