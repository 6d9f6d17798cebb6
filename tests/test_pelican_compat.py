"""On a Pelican version newsarchive does not know, none of its stand-ins for Pelican's
internals is put in place: Pelican's own code builds the site, with one warning."""

from __future__ import annotations

import inspect

import pytest
from pelican.writers import Writer

from newsarchive.core.config import Config
from newsarchive.core.errors import BuildError
from newsarchive.ingest.importer import import_sources
from newsarchive.site import pelican_compat
from newsarchive.site.build import build_site


def test_known_versions() -> None:
    assert pelican_compat.supported()  # the installed Pelican (the project pins 4.12)
    assert pelican_compat.supported("4.12.0") and pelican_compat.supported("4.12.3")
    assert not pelican_compat.supported("4.13.0") and not pelican_compat.supported("5.0")


def test_an_unknown_pelican_builds_with_its_own_code_and_says_so(
    seed_project: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pelican_compat, "pelican_version", lambda: "9.0.0")
    assert import_sources(seed_project).exit_code == 0
    result = build_site(seed_project, jobs=2)
    assert any("Pelican 9.0.0 is not a version newsarchive knows" in w for w in result.warnings)
    stories = list((seed_project.output / "2020").rglob("index.html"))
    assert stories and "NEC" in stories[-1].read_text(encoding="utf-8")
    assert (seed_project.output / "companies" / "nec" / "index.html").is_file()
    assert (seed_project.output / "pagefind").is_dir()
    with pytest.raises(BuildError, match="is not a version newsarchive knows"):
        build_site(seed_project, strict=True, jobs=2)


def test_the_writers_arguments_are_bound_as_pelican_binds_them() -> None:
    """`pages_written` binds a ``Writer.write_file`` call with a copy of its signature."""
    ours = inspect.signature(pelican_compat._write_file_arguments).parameters
    pelicans = inspect.signature(Writer.write_file).parameters
    assert [(p.name, p.kind, p.default) for p in ours.values()] == [
        (p.name, p.kind, p.default) for p in pelicans.values() if p.name != "self"
    ]
