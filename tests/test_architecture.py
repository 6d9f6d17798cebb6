"""The layout is the architecture: the import side and the site side meet only at the post
file, both use the core and the gazetteer, and Pelican's internals are touched in one
module. Read from the code's own import statements, so a new import that crosses a line
fails here."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "newsarchive"

# Which rooms each room may import from (besides itself and the standard library).
ALLOWED = {
    "core": set(),
    "gazetteer": {"core"},
    "ingest": {"core", "gazetteer"},
    "site": {"core", "gazetteer"},
}
# Names of Pelican's that are not its documented interface.
PELICAN_INTERNALS = (
    "_build_period_archives",
    "_open_w",
    "_parse_metadata",
    "get_cached_data",
    "override_url",
)
COMPAT = PACKAGE / "site" / "pelican_compat.py"


def modules() -> list[Path]:
    return sorted(path for path in PACKAGE.rglob("*.py") if "__pycache__" not in path.parts)


def room(path: Path) -> str:
    """The subpackage a module lives in ("" for the top-level modules such as the CLI)."""
    parts = path.relative_to(PACKAGE).parts
    return parts[0] if len(parts) > 1 else ""


def imported(path: Path) -> set[str]:
    """The newsarchive modules ``path`` imports, as dotted names (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = ["newsarchive", *path.relative_to(PACKAGE).parent.parts]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                found.add(".".join([*base, node.module] if node.module else base))
            elif node.module:
                found.add(node.module)
    return {name for name in found if name == "newsarchive" or name.startswith("newsarchive.")}


def rooms_imported(path: Path) -> set[str]:
    names = {name.split(".")[1] for name in imported(path) if name.count(".") >= 1}
    return names - {room(path)}


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_each_room_imports_only_what_it_may(path: Path) -> None:
    owner = room(path)
    if owner not in ALLOWED:
        return  # the CLI and the workflow compose both sides
    crossing = rooms_imported(path) - ALLOWED[owner] - {"__version__"}
    assert not crossing, f"{path.relative_to(PACKAGE)} ({owner}) imports {sorted(crossing)}"


def test_ingest_and_site_never_import_each_other() -> None:
    pairs = [(path, rooms_imported(path)) for path in modules()]
    assert not [p for p, rooms in pairs if room(p) == "ingest" and "site" in rooms]
    assert not [p for p, rooms in pairs if room(p) == "site" and "ingest" in rooms]


def test_the_graph_reader_sees_crossings() -> None:
    """The check above can fail: it finds the imports a crossing module would have."""
    workflow = PACKAGE / "workflow.py"
    assert {"ingest", "site", "core", "gazetteer"} <= rooms_imported(workflow)
    assert "core" in rooms_imported(PACKAGE / "ingest" / "store.py")


def test_pelican_internals_are_touched_only_in_the_compatibility_module() -> None:
    touching = {}
    for path in modules():
        if path == COMPAT:
            continue
        text = path.read_text(encoding="utf-8")
        found = [name for name in PELICAN_INTERNALS if name in text]
        if found:
            touching[path.relative_to(PACKAGE).as_posix()] = found
    assert touching == {}
    compat = COMPAT.read_text(encoding="utf-8")
    assert all(name in compat for name in PELICAN_INTERNALS)
