"""The whole BBC News corpus (2,225 stories) imports with every file accounted for, and builds."""

from __future__ import annotations

import hashlib
import shutil
from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED, needs_shared

from newsarchive.core.config import Config
from newsarchive.core.models import Status
from newsarchive.ingest.importer import import_sources
from newsarchive.site.build import build_site

BBC = SHARED / "corpora" / "bbc-news"


@pytest.mark.slow
@needs_shared
def test_bbc_corpus_imports_and_builds(project: Config) -> None:
    shutil.copytree(BBC / "bbc", project.sources / "bbc")
    stories = sorted(p for p in (project.sources / "bbc").rglob("*.txt") if p.name != "README.TXT")
    assert len(stories) == 2225

    report = import_sources(project)
    by_source = {o.source.as_posix(): o for o in report.outcomes}
    for story in stories:  # every story ends in exactly one state
        assert f"sources/{story.relative_to(project.sources).as_posix()}" in by_source
    counts = Counter(o.status for o in report.outcomes)
    assert counts[Status.REJECTED] == 0

    copies = Counter(hashlib.sha256(p.read_bytes()).hexdigest() for p in stories)
    exact_extra_copies = sum(n - 1 for n in copies.values())
    assert exact_extra_copies == 98
    assert counts[Status.DUPLICATE] >= exact_extra_copies
    assert counts[Status.IMPORTED] + counts[Status.DUPLICATE] == 2225
    details = [o.detail for o in report.outcomes if o.status is Status.DUPLICATE]
    assert all(d.startswith("duplicate of sources/bbc/") for d in details)
    assert sum(d.endswith("(identical file)") for d in details) == exact_extra_copies
    # The rest are the same story saved with different paragraph breaks.
    assert all(
        d.endswith(("(identical file)", "(same story, different whitespace or furniture)")) for d in details
    )

    again = import_sources(project)
    assert {o.status for o in again.outcomes} == {Status.UNCHANGED, Status.DUPLICATE, Status.IGNORED}

    latin1 = by_source["sources/bbc/sport/199.txt"]
    assert latin1.status is Status.IMPORTED and latin1.post is not None
    assert "£" in (project.content / latin1.post).read_text(encoding="utf-8")

    build_site(project, strict=True)
    pages = list(Path(project.output).glob("[12][0-9][0-9][0-9]/[01][0-9]/[0-3][0-9]/*/index.html"))
    assert len(pages) == counts[Status.IMPORTED]
    assert (project.output / "companies" / "index.html").is_file()
