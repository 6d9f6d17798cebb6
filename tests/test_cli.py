"""The command line: exit codes and messages."""

from __future__ import annotations

import subprocess
import sys

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


def test_the_console_script_keeps_its_exit_status_and_its_output(seed_project: Config) -> None:
    """The command's own exit (no object-by-object teardown) still flushes what it printed
    and logged, runs the atexit handlers and exits with main's status."""
    script = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('atexit ran', file=sys.stderr))\n"
        "from newsarchive.cli import command\n"
        "sys.argv = ['newsarchive', *sys.argv[1:]]\n"
        "command()\n"
    )
    root = str(seed_project.root)
    command = [sys.executable, "-c", script, "--root", root]
    done = subprocess.run([*command, "import"], capture_output=True, text=True)
    assert done.returncode == 0 and "1 input(s): 1 imported" in done.stdout and "atexit ran" in done.stderr
    failed = subprocess.run([*command, "build", "--settings", "nope.py"], capture_output=True, text=True)
    assert failed.returncode == 2 and "nope.py: Pelican settings file not found" in failed.stderr
    assert "atexit ran" in failed.stderr
