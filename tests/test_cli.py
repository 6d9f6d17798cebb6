"""The command line: exit codes and messages."""

from __future__ import annotations

from newsarchive.cli import main
from newsarchive.core.config import Config


def test_clean_import_exits_zero(seed_project: Config, capsys) -> None:  # type: ignore[no-untyped-def]
    assert main(["--root", str(seed_project.root), "import"]) == 0
    out = capsys.readouterr().out
    assert "imported    sources/000_7e4de2441bf44598.txt -> 2020/" in out
    assert "1 input(s): 1 imported" in out


def test_unknown_setting_is_a_configuration_error(project: Config, capsys) -> None:  # type: ignore[no-untyped-def]
    pyproject = project.root / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + "\n", encoding="utf-8")
    text = pyproject.read_text().replace("[tool.newsarchive]\n", '[tool.newsarchive]\ncontnet = "x"\n')
    pyproject.write_text(text, encoding="utf-8")
    assert main(["--root", str(project.root), "import"]) == 2
    assert "unknown setting(s) in [tool.newsarchive]: contnet" in capsys.readouterr().err


def test_missing_settings_file_is_a_configuration_error(seed_project: Config, capsys) -> None:  # type: ignore[no-untyped-def]
    code = main(["--root", str(seed_project.root), "build", "--settings", "nope.py"])
    assert code == 2
    assert "nope.py: Pelican settings file not found" in capsys.readouterr().err


def test_a_build_with_no_stories_says_so(project: Config, capsys) -> None:  # type: ignore[no-untyped-def]
    project.content.mkdir()  # as after deleting every post
    code = main(["--root", str(project.root), "build"])
    assert code == 1
    err = capsys.readouterr().err
    assert "no stories to build a site from" in err and "import some sources first" in err
    assert not project.output.exists()
