"""`newsarchive suggest`: organisation-like names missing from the gazetteer, for review."""

from __future__ import annotations

from pathlib import Path

from newsarchive.cli import main
from newsarchive.core.config import Config
from newsarchive.core.models import Article, paragraphs
from newsarchive.gazetteer.suggest import suggest


def story(title: str, *body: str) -> Article:
    return Article(title=title, body=paragraphs(*body), source_path=Path(f"{title}.txt"))


def test_cued_unknown_company_is_suggested_and_known_ones_are_not() -> None:
    articles = [
        story("Virus alert", "Security firm Quarkly said the worm spread fast.", "Microsoft issued a patch."),
        story("Spam rises", "Quarkly Labs counted more junk mail.", "Analysts at Quarkly agreed."),
        story("Worm spreads", "The Quarkly spokesman said users should update.", "In March, things changed."),
        story("Old news", "Mr Smith went home.", "Mr Smith said nothing."),
    ]
    names = {candidate.name: candidate for candidate in suggest(articles)}
    assert "Quarkly" in names and len(names["Quarkly"].stories) == 3
    assert len(names["Quarkly"].cued) == 2  # "Security firm Quarkly", "The Quarkly spokesman"
    assert names["Quarkly"].examples == ["Virus alert", "Spam rises", "Worm spreads"]
    assert "Microsoft" not in names  # already in the gazetteer
    assert "March" not in names and "Smith" not in names  # no company cue


def test_suggest_command_prints_a_table(seed_project: Config, capsys) -> None:  # type: ignore[no-untyped-def]
    for index in range(3):
        text = f"Story {index}\n\nJune {index + 1}, 2021\n\nStartup Zyphonics said it raised money.\n"
        (seed_project.sources / f"s{index}.txt").write_text(text, encoding="utf-8")
    assert main(["--root", str(seed_project.root), "suggest"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["name", "stories", "cued", "examples"]
    assert any(line.startswith("Zyphonics") and line.split()[1:3] == ["3", "3"] for line in out)
