"""Lighthouse scores (phone preset) for the home, story, company and search pages.

Usage: python bench/audit.py --lighthouse PATH_TO_LIGHTHOUSE OUTPUT_DIR
Serves OUTPUT_DIR on localhost, runs Lighthouse in Chromium (CHROME_PATH), prints a table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from webserver import serve

PAGES = {
    "home": "",
    "story": "2020/06/25/ntt-takes-560m-stake-in-nec-to-forge-5g-optical-alliance/",
    "company": "companies/nec/",
    "search": "search/?q=NEC",
    "deals": "deals/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync"  # noqa: E501


def audit(lighthouse: str, url: str) -> dict[str, int]:
    with tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        command = [
            lighthouse,
            url,
            "--quiet",
            "--output=json",
            f"--output-path={report}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
        ]
        subprocess.run(command, check=True)
        categories = json.loads(report.read_text(encoding="utf-8"))["categories"]
    return {name: round(100 * (categories[name]["score"] or 0)) for name in CATEGORIES}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lighthouse", required=True)
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    print(f"{'page':<10}" + "".join(f"{name:>16}" for name in CATEGORIES))
    perfect = True
    with serve(args.output) as base:
        for name, path in PAGES.items():
            scores = audit(args.lighthouse, base + path)
            perfect &= all(score == 100 for score in scores.values())
            print(f"{name:<10}" + "".join(f"{scores[c]:>16}" for c in CATEGORIES))
    return 0 if perfect else 1


if __name__ == "__main__":
    sys.exit(main())
