"""`newsarchive retag`: new gazetteer data reaches old posts; a person's tags stay."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml
from conftest import REPO
from test_import import SEED_POST, statuses

from newsarchive.cli import main
from newsarchive.core.config import Config
from newsarchive.core.posts import parse_post
from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.gazetteer.retag import retag_posts


def post_of(config: Config) -> Path:
    return config.content / SEED_POST


def edit_line(path: Path, key: str, value: str) -> None:
    lines = path.read_text(encoding="utf-8").split("\n")
    path.write_text(
        "\n".join(f"{key}: {value}" if line.startswith(f"{key}:") else line for line in lines), "utf-8"
    )


def test_retag_of_fresh_posts_changes_nothing(seed_project: Config) -> None:
    statuses(seed_project)
    before = post_of(seed_project).read_bytes()
    assert not any(r.changed for r in retag_posts(seed_project))
    assert post_of(seed_project).read_bytes() == before


def test_hand_edited_tags_become_pins_and_survive(seed_project: Config, capsys) -> None:  # type: ignore[no-untyped-def]
    statuses(seed_project)
    edit_line(post_of(seed_project), "Companies", "NTT, NEC, NTT Docomo, Sony")
    assert main(["--root", str(seed_project.root), "retag"]) == 0
    assert "retagged  2020/" in capsys.readouterr().out
    post = parse_post(post_of(seed_project).read_text(encoding="utf-8"))
    assert post.get("companies") == "NTT, NEC, NTT Docomo, Sony Group"  # the gazetteer's name for Sony
    assert post.get("pinned_companies") == "Sony" and post.get("removed") == "Toyota"
    assert "Toyota=1;" in post.get("relevance") or "Toyota=1 |" in post.get("relevance")
    assert not post.edited
    text = post_of(seed_project).read_text(encoding="utf-8")
    assert not any(r.changed for r in retag_posts(seed_project))  # idempotent
    assert statuses(seed_project) == {"000_7e4de2441bf44598.txt": "unchanged"}  # import keeps them too
    assert post_of(seed_project).read_text(encoding="utf-8") == text


def test_new_gazetteer_entry_reaches_old_posts(seed_project: Config, tmp_path: Path) -> None:
    statuses(seed_project)
    edit_line(post_of(seed_project), "Companies", "NTT, NEC, NTT Docomo")  # the person removes Toyota
    data = tmp_path / "data"
    shutil.copytree(REPO / "newsarchive" / "gazetteer" / "data", data)
    companies = yaml.safe_load((data / "companies.yaml").read_text(encoding="utf-8"))
    companies.append({"slug": "japan-inc", "name": "Japan Inc.", "country": "JP"})
    (data / "companies.yaml").write_text(yaml.safe_dump(companies, allow_unicode=True), encoding="utf-8")
    retag_posts(seed_project, load_gazetteer(data))
    post = parse_post(post_of(seed_project).read_text(encoding="utf-8"))
    assert post.get("companies") == "NTT, NEC, Japan Inc., NTT Docomo"  # by score: lead beats body
    assert post.get("removed") == "Toyota"


def test_post_edited_elsewhere_stays_edited(seed_project: Config) -> None:
    statuses(seed_project)
    path = post_of(seed_project)
    path.write_text(path.read_text(encoding="utf-8").replace("a minnow", "a small fish"), encoding="utf-8")
    edit_line(path, "Technologies", "5G")
    retag_posts(seed_project)
    post = parse_post(path.read_text(encoding="utf-8"))
    assert post.edited and "a small fish" in post.body
    assert post.get("technologies") == "5G"
    assert statuses(seed_project) == {"000_7e4de2441bf44598.txt": "kept-edited"}
