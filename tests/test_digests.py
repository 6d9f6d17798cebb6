"""Each side hashes only the code it runs: a change to the site's code never makes the
import read every source again, a change to the import's code never re-renders the site,
and a gazetteer change re-tags and re-renders what it affects."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import count_reads, make_project
from hypothesis import given
from hypothesis import strategies as st

from newsarchive.core import digests
from newsarchive.core.config import Config
from newsarchive.core.models import Status
from newsarchive.gazetteer import entities
from newsarchive.ingest.importer import import_sources
from newsarchive.ingest.journal import import_code_digest
from newsarchive.site.build import build_site
from newsarchive.site.incremental import build_digest

REPO = Path(__file__).resolve().parent.parent
SETTINGS = {"THEME": str(REPO / "theme")}


@pytest.fixture
def code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the newsarchive package that the digests read instead of the real one
    (the code that runs is the real one: only what the digests see is edited)."""
    copy = tmp_path / "code" / "newsarchive"
    shutil.copytree(digests.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(digests, "PACKAGE", copy)
    return copy


def edit(path: Path) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")


@pytest.mark.parametrize(
    ("module", "import_changes", "site_changes"),
    [
        ("site/render.py", False, True),
        ("site/plugin/terms.py", False, True),
        ("ingest/store.py", True, False),
        ("ingest/data/furniture.yaml", True, False),
        ("gazetteer/data/companies.yaml", True, False),
        ("gazetteer/tagging.py", True, False),
        ("core/models.py", True, True),
    ],
)
def test_each_side_hashes_its_own_code(
    code: Path, module: str, import_changes: bool, site_changes: bool
) -> None:
    before = import_code_digest(100), build_digest(SETTINGS)
    edit(code / module)
    after = import_code_digest(100), build_digest(SETTINGS)
    assert (before[0] != after[0], before[1] != after[1]) == (import_changes, site_changes)


@pytest.fixture
def built(tmp_path: Path, code: Path) -> Config:
    config = make_project(tmp_path / "site")
    assert import_sources(config, jobs=1).exit_code == 0
    build_site(config, strict=True, jobs=1)
    return config


def test_editing_a_site_module_makes_the_import_read_nothing_again(
    built: Config, code: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(code / "site" / "render.py")
    seen = count_reads(monkeypatch)
    report = import_sources(built, jobs=1)
    assert seen == []
    assert {o.status for o in report.outcomes} == {Status.UNCHANGED}


def test_editing_an_import_module_renders_nothing_new(
    built: Config, code: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(code / "ingest" / "store.py")
    seen = count_reads(monkeypatch)
    report = import_sources(built, jobs=1)
    assert len(seen) == len(report.outcomes) == 3  # new import code: every source read again
    assert {o.status for o in report.outcomes} == {Status.UNCHANGED}
    result = build_site(built, strict=True, jobs=1)
    assert result.up_to_date and result.rendered == 0


def test_a_gazetteer_change_retags_and_rerenders_what_it_affects(
    built: Config, code: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = code / "gazetteer" / "data"
    companies = data / "companies.yaml"
    text = companies.read_text(encoding="utf-8")
    renamed = text.replace(
        "- slug: toyota\n  name: Toyota\n  local_name: トヨタ自動車\n  aliases: [",
        "- slug: toyota\n  name: Toyota Group\n  local_name: トヨタ自動車\n  aliases: [Toyota, ",
    )
    assert renamed != text
    companies.write_text(renamed, encoding="utf-8")
    monkeypatch.setattr(entities, "_bundled", lambda: entities.load_gazetteer(data))

    ericsson = built.output / "companies" / "ericsson" / "index.html"  # not in the seed story
    before = (ericsson.stat().st_ino, ericsson.stat().st_mtime_ns)

    report = import_sources(built, jobs=1)
    updated = [o.post for o in report.outcomes if o.status is Status.UPDATED]
    assert len(updated) == 1  # only the seed story names Toyota
    assert "Toyota Group" in (built.content / str(updated[0])).read_text(encoding="utf-8")

    result = build_site(built, strict=True, jobs=1)
    toyota = (built.output / "companies" / "toyota" / "index.html").read_text(encoding="utf-8")
    assert "Toyota Group" in toyota
    assert 0 < result.rendered < result.files / 2
    assert (ericsson.stat().st_ino, ericsson.stat().st_mtime_ns) == before  # kept as it was


def _digest_part_by_part(*parts: str | bytes) -> str:
    """The definition `digests.digest` keeps: each part's UTF-8 bytes, then a zero byte."""
    import hashlib

    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        hasher.update(b"\x00")
    return hasher.hexdigest()


@given(st.lists(st.one_of(st.text(), st.binary()), max_size=8))
def test_a_digest_is_its_parts_bytes_each_ended_by_a_zero(parts: list[str | bytes]) -> None:
    """Joined at once for speed, the digest is still the parts hashed one by one (so
    ("ab", "c") and ("a", "bc") differ, and lone surrogates never pair across parts)."""
    assert digests.digest(*parts) == _digest_part_by_part(*parts)
    assert digests.digest("ab", "c") != digests.digest("a", "bc")
    assert digests.digest("\ud83d", "\ude00") == _digest_part_by_part("\ud83d", "\ude00")
