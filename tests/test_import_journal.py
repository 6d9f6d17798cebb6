"""A second import reads only the sources that changed, and reports exactly what an import
that read everything would report."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import FIXTURES, SEED, count_reads

import newsarchive.ingest.importer
from newsarchive.core.config import Config
from newsarchive.core.models import Outcome
from newsarchive.core.posts import parse_post
from newsarchive.ingest.importer import import_sources

STORY = (
    "Operator picks {vendor}\n\nJune 25, 2020\n\nThe operator picked {vendor} for its radio network. {more}\n"
)
LONG = " ".join(f"Sentence {n} about the radio network deal and its terms." for n in range(40))


@pytest.fixture
def batch(project: Config) -> Config:
    """Seed, fixtures, an exact duplicate, a revision pair, a README and an empty file."""
    for source in (SEED, *sorted((FIXTURES / "sources").iterdir())):
        shutil.copy(source, project.sources / source.name)
    shutil.copy(SEED, project.sources / "copy-of-seed.txt")
    first = STORY.format(vendor="NEC", more=LONG)
    (project.sources / "rev-1.txt").write_text(first, encoding="utf-8")
    (project.sources / "rev-2.txt").write_text(first.replace("Sentence 3 ", "Line 3 "), encoding="utf-8")
    (project.sources / "README.txt").write_text("About these files.\n", encoding="utf-8")
    (project.sources / "empty.txt").write_bytes(b"")
    return project


def rows(outcomes: tuple[Outcome, ...]) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    return [(o.source.name, o.status.value, o.detail, str(o.post), o.warnings) for o in outcomes]


def as_if_read_again(config: Config) -> list[tuple[str, str, str, str, tuple[str, ...]]]:
    """The report of an import that reads every source (no journal)."""
    (config.cache / "newsarchive-import.json").unlink()
    return rows(import_sources(config).outcomes)


def test_unchanged_sources_are_not_read_again(batch: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import_sources(batch)
    read = count_reads(monkeypatch)
    second = rows(import_sources(batch).outcomes)
    assert sorted(read) == ["copy-of-seed.txt", "empty.txt"]  # duplicates and rejections: always
    statuses = {name: status for name, status, *_ in second}
    assert statuses[SEED.name] == "unchanged" and statuses["README.txt"] == "ignored"
    assert statuses["copy-of-seed.txt"] == "duplicate" and statuses["empty.txt"] == "rejected"
    warned = {name: warnings for name, _, _, _, warnings in second if warnings}
    assert any("near-identical to sources/rev-1.txt" in w for w in warned["rev-2.txt"])
    assert second == as_if_read_again(batch)


def test_a_changed_source_is_read_and_updated(batch: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import_sources(batch)
    source = batch.sources / SEED.name
    source.write_text(source.read_text(encoding="utf-8").replace("minnow", "small fish"), encoding="utf-8")
    read = count_reads(monkeypatch)
    outcomes = rows(import_sources(batch).outcomes)
    assert SEED.name in read and "rev-1.txt" not in read
    assert dict((name, status) for name, status, *_ in outcomes)[SEED.name] == "updated"


def test_a_post_edited_or_deleted_by_hand_is_looked_at_again(
    batch: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = import_sources(batch)
    posts = {o.source.name: batch.content / o.post for o in report.outcomes if o.post}
    edited = posts["rev-1.txt"]
    edited.write_text(edited.read_text(encoding="utf-8").replace("picked", "chose"), encoding="utf-8")
    posts["2021-03-02-docomo-open-ran.txt"].unlink()
    read = count_reads(monkeypatch)
    outcomes = {name: status for name, status, *_ in rows(import_sources(batch).outcomes)}
    assert {"rev-1.txt", "2021-03-02-docomo-open-ran.txt"} <= set(read)
    assert outcomes["rev-1.txt"] == "kept-edited"
    assert outcomes["2021-03-02-docomo-open-ran.txt"] == "imported"
    assert "chose" in parse_post(edited.read_text(encoding="utf-8")).body


def test_a_warning_about_a_source_since_deleted_goes(batch: Config) -> None:
    import_sources(batch)
    (batch.sources / "rev-1.txt").unlink()
    outcomes = rows(import_sources(batch).outcomes)
    assert not [w for name, *_, warnings in outcomes if name == "rev-2.txt" for w in warnings]
    assert outcomes == as_if_read_again(batch)


def test_new_importer_code_reads_everything(batch: Config, monkeypatch: pytest.MonkeyPatch) -> None:
    import_sources(batch)
    monkeypatch.setattr(newsarchive.ingest.importer, "import_code_digest", lambda limit: "another version")
    read = count_reads(monkeypatch)
    import_sources(batch)
    assert len(read) == len(list(batch.sources.iterdir())) - 1  # all but the README


def test_a_damaged_journal_only_costs_time(batch: Config) -> None:
    first = rows(import_sources(batch).outcomes)
    journal = batch.cache / "newsarchive-import.json"
    journal.write_text('{"version": 1, "code": ', encoding="utf-8")
    again = rows(import_sources(batch).outcomes)
    assert [row[:2] for row in again] == [
        (name, "unchanged" if status == "imported" else status) for name, status, *_ in first
    ]
    assert os.path.getsize(journal) > 100
