"""The importer accounts for every input and never loses what a person wrote."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import SEED

from newsarchive.cli import main
from newsarchive.core.config import Config
from newsarchive.core.models import Status
from newsarchive.core.posts import parse_post
from newsarchive.ingest.importer import import_sources

SEED_POST = Path("2020/ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance.md")


def statuses(config: Config) -> dict[str, str]:
    report = import_sources(config)
    return {o.source.name: o.status.value for o in report.outcomes}


def test_seed_post_metadata(seed_project: Config) -> None:
    assert statuses(seed_project) == {SEED.name: "imported"}
    post = parse_post((seed_project.content / SEED_POST).read_text(encoding="utf-8"))
    assert post.get("title") == "NTT takes $560M stake in NEC to forge 5G, optical alliance"
    assert post.get("date") == "2020-06-25"
    assert post.get("author") == "Robert Clark"
    assert post.get("role") == "Contributing Editor"
    assert post.get("publication") == "Light Reading"
    assert post.get("slug") == SEED_POST.stem
    assert post.get("companies") == "NTT, NEC, NTT Docomo, Toyota"
    assert post.get("source") == f"sources/{SEED.name}"
    assert "About the Author" not in post.body and "Subscribe" not in post.body


def test_second_import_changes_nothing(seed_project: Config) -> None:
    statuses(seed_project)
    before = (seed_project.content / SEED_POST).read_bytes()
    assert statuses(seed_project) == {SEED.name: "unchanged"}
    assert (seed_project.content / SEED_POST).read_bytes() == before


def test_changed_source_updates_its_post(seed_project: Config) -> None:
    statuses(seed_project)
    source = seed_project.sources / SEED.name
    source.write_text(source.read_text(encoding="utf-8").replace("minnow", "small fish"), encoding="utf-8")
    assert statuses(seed_project) == {SEED.name: "updated"}
    assert "small fish" in (seed_project.content / SEED_POST).read_text(encoding="utf-8")


def test_hand_edited_post_is_kept(seed_project: Config) -> None:
    statuses(seed_project)
    post = seed_project.content / SEED_POST
    edited = post.read_text(encoding="utf-8").replace("a minnow", "a minnow (editor's note)")
    post.write_text(edited, encoding="utf-8")
    source = seed_project.sources / SEED.name
    source.write_text(source.read_text(encoding="utf-8").replace("minnow", "small fish"), encoding="utf-8")
    assert statuses(seed_project) == {SEED.name: "kept-edited"}
    assert post.read_text(encoding="utf-8") == edited


def test_same_headline_and_date_get_distinct_slugs(project: Config) -> None:
    (project.sources / "a.txt").write_text(
        "Same headline\n\nJune 25, 2020\n\nFirst story.\n", encoding="utf-8"
    )
    (project.sources / "b.txt").write_text(
        "Same headline\n\nJune 25, 2020\n\nSecond story.\n", encoding="utf-8"
    )
    report = import_sources(project)
    assert sorted(o.post.name for o in report.outcomes if o.post) == [
        "same-headline-2.md",
        "same-headline.md",
    ]


def test_exact_duplicate_is_reported_once(project: Config) -> None:
    text = "A headline\n\nJune 25, 2020\n\nThe story.\n"
    (project.sources / "a.txt").write_text(text, encoding="utf-8")
    (project.sources / "b.txt").write_text(text.replace("\n\n", "\n\n\n"), encoding="utf-8")
    outcomes = {o.source.name: (o.status, o.detail) for o in import_sources(project).outcomes}
    assert outcomes["a.txt"][0] is Status.IMPORTED
    assert outcomes["b.txt"] == (
        Status.DUPLICATE,
        "duplicate of sources/a.txt (same story, different whitespace or furniture)",
    )


def test_bad_inputs_are_rejected_with_reasons(project: Config, capsys) -> None:  # type: ignore[no-untyped-def]
    (project.sources / "empty.txt").write_bytes(b"")
    (project.sources / "blank.txt").write_bytes(b"  \n\n \t\n")
    (project.sources / "binary.txt").write_bytes(bytes(range(256)) * 8)
    (project.sources / "title-only.txt").write_text("Only a headline\n", encoding="utf-8")
    (project.sources / "traversal.txt").write_text("../../etc/passwd\n\nBody text.\n", encoding="utf-8")
    (project.sources / "good.txt").write_text("Good story\n\nJune 1, 2021\n\nIt is fine.\n", encoding="utf-8")
    report_file = project.root / "report.json"
    code = main(["--root", str(project.root), "import", "--report", str(report_file)])
    assert code == 1
    report = json.loads(report_file.read_text(encoding="utf-8"))
    by_name = {Path(row["source"]).name: row for row in report["outcomes"]}
    assert by_name["empty.txt"]["detail"] == "read: file is empty"
    assert by_name["blank.txt"]["detail"] == "read: file is empty"
    assert by_name["binary.txt"]["detail"].startswith("read: not text")
    assert by_name["title-only.txt"]["detail"] == "parse: no story text: the file holds only a headline"
    assert by_name["good.txt"]["status"] == "imported"
    assert by_name["traversal.txt"]["status"] == "imported"
    written = [p for p in project.root.rglob("*.md")]
    assert all(p.is_relative_to(project.content) for p in written)
    assert report["counts"]["rejected"] == 4
    printed = capsys.readouterr().out
    assert "rejected    sources/empty.txt (read: file is empty)" in printed


def test_undated_story_gets_documented_date_with_warning(project: Config) -> None:
    source = project.sources / "2005-03-04-story.txt"
    source.write_text("Undated headline\n\nA body.\n", encoding="utf-8")
    (outcome,) = import_sources(project).outcomes
    assert outcome.post == Path("2005/undated-headline.md")
    assert "no date in the story" in outcome.warnings[0]
