"""Two builds of the same inputs, in different folders and with one or two rendering
workers, give byte-identical trees."""

from __future__ import annotations

from pathlib import Path

from conftest import make_project, site_tree

from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site


def test_two_builds_in_two_folders_are_identical(tmp_path: Path) -> None:
    trees = []
    for name in ("first", "second"):
        config = make_project(tmp_path / name / "deeper" if name == "second" else tmp_path / name)
        import_sources(config, jobs=1 if name == "first" else 2)
        build_site(config, strict=True, jobs=1 if name == "first" else 2)
        assert site_tree(config.content)
        trees.append((site_tree(config.content), site_tree(config.output)))
    (content_a, output_a), (content_b, output_b) = trees
    assert content_a == content_b
    assert output_a.keys() == output_b.keys()
    assert [p for p in output_a if output_a[p] != output_b[p]] == []
