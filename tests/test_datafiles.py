"""Data files and settings are checked once, on load: a malformed one is one line naming
the file, the key and the problem, and the command exits 2."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from newsarchive.cli import main
from newsarchive.core import datafiles
from newsarchive.core.config import Config
from newsarchive.core.datafiles import load_data
from newsarchive.core.errors import ConfigError
from newsarchive.gazetteer import entities, listing, suggest, tagging
from newsarchive.ingest import furniture
from newsarchive.ingest.containers import exports, webarchive
from newsarchive.ingest.layouts import htmlmeta

BUNDLED = {
    "relevance.yaml": ("gazetteer", tagging.load_relevance),
    "listing.yaml": ("gazetteer", listing.load_listing),
    "suggest.yaml": ("gazetteer", suggest.load_rules),
    "furniture.yaml": ("ingest", furniture.load_rules),
    "html_metadata.yaml": ("ingest", htmlmeta.load_rules),
    "exports.yaml": ("ingest", exports.load_rules),
    "web_archive.yaml": ("ingest", webarchive.load_rules),
}


@dataclass(frozen=True)
class Inner:
    weight: float


@dataclass(frozen=True)
class Schema:
    name: str
    count: int
    inner: Inner
    words: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_file_becomes_its_schema(tmp_path: Path) -> None:
    path = write(tmp_path, "name: x\ncount: 2\ninner: {weight: 1}\nwords: [a, b]\npattern: 'ab+'\n")
    loaded = load_data(path, Schema)
    assert loaded.inner == Inner(1.0) and loaded.words == ("a", "b")
    assert loaded.pattern is not None and loaded.pattern.fullmatch("ABB")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name: x\ncount: 2\ninner: {weight: high}\n", "inner.weight: expected a number, got 'high'"),
        ("name: x\ncount: 2.5\ninner: {weight: 1}\n", "count: expected a whole number, got 2.5"),
        ("name: x\ninner: {weight: 1}\n", "count: missing"),
        ("name: x\ncount: 1\ninner: {weight: 1}\ncolour: red\n", "colour: unknown key"),
        ("name: x\ncount: 1\ninner: {weight: 1}\nwords: a\n", "words: expected a list, got 'a'"),
        ("name: x\ncount: 1\ninner: {weight: 1}\nwords: [a, yes]\n", "words[1]: expected a string, got True"),
        ("name: x\ncount: 1\ninner: {weight: 1}\npattern: '(a'\n", "pattern: bad pattern '(a'"),
        ("- just\n- a list\n", "(top level): expected a mapping"),
        ("name: [unclosed\n", "not valid YAML"),
    ],
)
def test_a_malformed_file_names_the_file_the_key_and_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        load_data(write(tmp_path, text), Schema)
    assert str(raised.value).startswith(f"{tmp_path / 'rules.yaml'}: ")
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_every_bundled_data_file_passes_its_schema(name: str) -> None:
    package, loader = BUNDLED[name]
    assert datafiles.data_path(package, name).is_file()
    loader()


@pytest.mark.parametrize("name", sorted(BUNDLED))
def test_a_broken_bundled_file_stops_the_import_with_one_line(
    name: str,
    seed_project: Config,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    package, loader = BUNDLED[name]
    broken = tmp_path / name
    text = datafiles.data_path(package, name).read_text(encoding="utf-8")
    broken.write_text(text + "\nnot_a_key_of_this_file: 1\n", encoding="utf-8")
    real = datafiles.data_path
    monkeypatch.setattr(datafiles, "data_path", lambda p, n: broken if n == name else real(p, n))
    for module in (tagging, listing, suggest, furniture, htmlmeta, exports, webarchive):
        monkeypatch.setattr(module, "data_path", datafiles.data_path)
    loader.cache_clear()
    try:
        command = "suggest" if name == "suggest.yaml" else "import"
        source = str(_source_for(name, seed_project))
        assert main(["--root", str(seed_project.root), command, source]) == 2
    finally:
        loader.cache_clear()
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"newsarchive: error: {broken}: not_a_key_of_this_file: unknown key")


def _source_for(name: str, project: Config) -> Path:
    """A source whose import reads the data file ``name``."""
    page = "<html><head><title>A story</title></head><body><p>Text.</p></body></html>"
    if name == "html_metadata.yaml":
        (project.sources / "page.html").write_text(page)
        return project.sources / "page.html"
    if name == "exports.yaml":
        (project.sources / "export.jsonl").write_text('{"title": "A story", "text": "Text."}\n')
        return project.sources / "export.jsonl"
    if name == "web_archive.yaml":
        from eval import wrap

        return wrap.warc(
            [wrap.Page("a", "https://example.org/a.html", page.encode(), page)], project.sources / "a.warc"
        )
    return project.sources


def test_a_malformed_gazetteer_entry_names_its_file_and_entry(tmp_path: Path) -> None:
    data = Path(entities.__file__).parent / "data"
    for name in ("technologies.yaml", "countries.yaml"):
        (tmp_path / name).write_bytes((data / name).read_bytes())
    (tmp_path / "companies.yaml").write_text("- slug: acme\n  name: Acme\n  aliases: Acme Inc\n")
    with pytest.raises(
        ConfigError, match=r"companies.yaml entry 1: aliases: expected a list, got 'Acme Inc'"
    ):
        entities.load_gazetteer(tmp_path)


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ("SITENAME = 'x'\nTHEME = 'theme'\nPLUGINS = [\n", "line 3"),
        (
            "SITENAME = 'x'\nTHEME = undefined_name\n",
            "line 2: NameError: name 'undefined_name' is not defined",
        ),
    ],
)
def test_a_broken_settings_file_is_one_line_and_exit_2(
    seed_project: Config, settings: str, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    seed_project.settings.write_text(settings, encoding="utf-8")
    assert main(["--root", str(seed_project.root), "build", "-q"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 1
    assert errors[0].startswith(f"newsarchive: error: {seed_project.settings}: {message}")
