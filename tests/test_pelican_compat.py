"""On a Pelican version newsarchive does not know, none of its stand-ins for Pelican's
internals is put in place: Pelican's own code builds the site, with one warning."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

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


class _CachingGenerator:
    """What `shard_content_cache` uses of Pelican's caching generator: its settings, its
    context, the cache dictionary and the two calls that fill and save it."""

    def __init__(self, cache_path: Path, load: bool = True):
        self.settings = {
            "CACHE_CONTENT": True,
            "CONTENT_CACHING_LAYER": "generator",
            "LOAD_CONTENT_CACHE": load,
            "CACHE_PATH": str(cache_path),
        }
        self.context: dict[str, Any] = {"articles": ["every story of the run"]}
        self._cache: dict[str, Any] = {}

    def cache_data(self, filename: str, data: Any) -> None:
        self._cache[filename] = (1.0, data)

    def save_cache(self) -> None:
        raise AssertionError("Pelican's own save_cache wrote its single file")


def _shard_files(folder: Path) -> dict[str, int]:
    return {path.name: path.stat().st_mtime_ns for path in folder.glob("*.pickle")}


def test_the_content_cache_is_kept_in_shards_and_only_shards_read_into_are_written(tmp_path: Path) -> None:
    single = tmp_path / "ArticlesGenerator"
    single.write_bytes(b"Pelican's single cache file")
    first = _CachingGenerator(tmp_path)
    first._cache = {f"{n}.md": (1.0, {"story": n}) for n in range(40)}  # as Pelican loaded it
    pelican_compat.shard_content_cache(first)
    first.save_cache()
    folder = pelican_compat.content_cache_shards(first.settings)
    written = _shard_files(folder)
    assert len(written) >= 2 and not single.exists()

    second = _CachingGenerator(tmp_path)
    pelican_compat.shard_content_cache(second)
    assert second._cache == first._cache
    second.cache_data("new.md", {"story": "new", "context": second.context})
    second.save_cache()
    changed = [name for name, stamp in _shard_files(folder).items() if written.get(name) != stamp]
    assert len(changed) == 1

    third = _CachingGenerator(tmp_path)
    pelican_compat.shard_content_cache(third)
    story = third._cache["new.md"][1]
    assert story["context"] is third.context  # a reference to the run's context, not a copy
    assert len(third._cache) == 41


def test_a_run_that_loads_no_content_cache_leaves_no_shard_of_an_earlier_run(tmp_path: Path) -> None:
    first = _CachingGenerator(tmp_path)
    pelican_compat.shard_content_cache(first)
    for n in range(40):
        first.cache_data(f"{n}.md", {"story": n})
    first.save_cache()
    again = _CachingGenerator(tmp_path, load=False)
    pelican_compat.shard_content_cache(again)
    again.cache_data("0.md", {"story": "read again"})
    again.save_cache()
    reloaded = _CachingGenerator(tmp_path)
    pelican_compat.shard_content_cache(reloaded)
    assert reloaded._cache == {"0.md": (1.0, {"story": "read again"})}
