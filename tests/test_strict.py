"""`build --strict` fails on any warning: import problems, template mistakes, broken links."""

from __future__ import annotations

import pytest

from newsarchive.cli import main
from newsarchive.core.config import Config
from newsarchive.core.errors import BuildError
from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site


def test_an_undated_story_fails_a_strict_build(project: Config, capsys: pytest.CaptureFixture[str]) -> None:
    (project.sources / "undated.txt").write_text("No date here\n\nJust a body.\n", encoding="utf-8")
    assert main(["--root", str(project.root), "build", "--strict", "-q"]) == 1
    assert "--strict: the import had problems, first sources/undated.txt: no date in the story" in (
        capsys.readouterr().err
    )


def test_an_unknown_template_variable_fails_a_strict_build(seed_project: Config) -> None:
    import_sources(seed_project)
    base = seed_project.root / "theme" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body>", "<body>{{ no_such_variable }}"))
    with pytest.raises(BuildError, match="no_such_variable"):
        build_site(seed_project, strict=True)
    assert not seed_project.output.exists()  # a failed build leaves no half site


def test_a_broken_internal_link_fails_a_strict_build(seed_project: Config) -> None:
    import_sources(seed_project)
    footer = seed_project.root / "theme" / "templates" / "partials" / "footer.html"
    footer.write_text(footer.read_text(encoding="utf-8") + '<a href="{{ SITEURL }}/nowhere/">x</a>', "utf-8")
    with pytest.raises(BuildError, match="broken link /nowhere/"):
        build_site(seed_project, strict=True)


def test_a_second_build_in_the_same_process_counts_the_same_warnings(seed_project: Config) -> None:
    """Pelican drops a log message it has logged before in the process; each build must see
    its own warnings (the dev server builds again and again in one process)."""
    import_sources(seed_project)
    base = seed_project.root / "theme" / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace("<body>", "<body>{{ no_such_variable }}"))
    first = build_site(seed_project)
    second = build_site(seed_project)
    assert any("no_such_variable" in w for w in first.warnings)
    assert first.warnings == second.warnings
