"""The GitHub Pages workflow: valid for GitHub, clean under zizmor, every action pinned to a commit."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
WORKFLOWS = REPO / ".github" / "workflows"
PAGES = WORKFLOWS / "pages.yml"
PINNED = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[0-9a-f]{40}")


def run_tool(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    """Run a command-line tool installed in this interpreter's environment (the `test` extra)."""
    tool = Path(sys.executable).parent / name
    if not tool.is_file():
        pytest.fail(f"{name} is not installed next to {sys.executable}: run `pip install -e '.[test]'`")
    return subprocess.run([str(tool), *args], capture_output=True, text=True, cwd=REPO, timeout=300)


def uses_values(node: Any) -> Iterator[str]:
    """Every `uses:` value anywhere in a parsed workflow (steps and reusable-workflow jobs)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "uses":
                yield str(value)
            else:
                yield from uses_values(value)
    elif isinstance(node, list):
        for item in node:
            yield from uses_values(item)


def test_workflow_matches_githubs_schema() -> None:
    result = run_tool("check-jsonschema", "--builtin-schema", "vendor.github-workflows", str(PAGES))
    assert result.returncode == 0, result.stdout + result.stderr


def test_zizmor_finds_nothing_of_medium_or_high_severity() -> None:
    result = run_tool("zizmor", "--offline", "--format", "json", str(WORKFLOWS))
    try:
        findings: list[dict[str, Any]] = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"zizmor failed (exit {result.returncode}):\n{result.stderr}")
    serious = [
        f"{finding['ident']} ({finding['determinations']['severity']}): {finding['desc']}"
        for finding in findings
        if not finding.get("ignored") and finding["determinations"]["severity"] in {"Medium", "High"}
    ]
    assert serious == []


def test_every_action_is_pinned_to_a_commit_sha() -> None:
    uses = list(uses_values(yaml.safe_load(PAGES.read_text(encoding="utf-8"))))
    assert uses, "the workflow uses no actions"
    unpinned = [value for value in uses if not value.startswith("./") and not PINNED.fullmatch(value)]
    assert unpinned == []
