"""The bundled site is current: content/ is exactly what importing sources/ writes today."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import REPO, make_project

from newsarchive.ingest.importer import import_sources


def posts(folder: Path) -> dict[str, str]:
    return {str(path.relative_to(folder)): path.read_text(encoding="utf-8") for path in folder.rglob("*.md")}


def test_a_fresh_import_of_sources_equals_the_committed_content(tmp_path: Path) -> None:
    config = make_project(tmp_path / "site", with_sources=False)
    for source in (REPO / "sources").iterdir():
        shutil.copy(source, config.sources / source.name)
    assert import_sources(config, jobs=1).exit_code == 0
    committed = posts(REPO / "content")
    assert committed, "content/ holds the bundled posts"
    assert posts(config.content) == committed, "re-import sources/ into content/ and commit the posts"
