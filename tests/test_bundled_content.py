"""The bundled site is current: content/ in the repository is exactly what importing
sources/ writes today, so a fresh clone's `make html` reports nothing kept-edited."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, site_tree

from newsarchive.core.config import load_config
from newsarchive.core.models import Status
from newsarchive.ingest.importer import import_sources


def test_a_fresh_import_of_sources_gives_the_committed_posts(tmp_path: Path) -> None:
    root = tmp_path / "fresh"
    root.mkdir()
    shutil.copy(REPO / "pyproject.toml", root / "pyproject.toml")
    shutil.copytree(REPO / "sources", root / "sources")
    report = import_sources(load_config(root), jobs=1)
    assert {o.status for o in report.outcomes} == {Status.IMPORTED}
    assert site_tree(root / "content") == site_tree(REPO / "content")
