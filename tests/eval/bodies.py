"""Body extraction quality on the Readability test pages, by must-include/must-not-include snippets.

``readability_snippets.yaml`` holds, per page, sentences a reader sees in the article
(``include``) and page text that is not the article (``exclude``), chosen by reading the
saved pages, not from any extractor's output. Run ``python -m tests.eval.bodies`` to compare
trafilatura's modes through newsarchive's own HTML layout.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from unittest import mock

import yaml

from newsarchive.core.models import Article
from newsarchive.ingest.importer import read_article
from newsarchive.ingest.layouts import html as html_layout

SNIPPETS = Path(__file__).with_name("readability_snippets.yaml")
PAGES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "readability-pages"
MODES: dict[str, dict[str, Any]] = {
    "balanced": {"favor_precision": False, "favor_recall": False},
    "precision": {"favor_precision": True, "favor_recall": False},
    "recall": {"favor_precision": False, "favor_recall": True},
    "fast": {"favor_precision": False, "favor_recall": False, "fast": True},
}


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


@dataclass
class BodyScore:
    found: int = 0
    wanted: int = 0
    leaked: int = 0
    unwanted: int = 0
    seconds: float = 0.0

    @property
    def recall(self) -> float:
        return self.found / self.wanted if self.wanted else 1.0

    @property
    def cleanliness(self) -> float:
        return 1 - self.leaked / self.unwanted if self.unwanted else 1.0

    def __str__(self) -> str:
        return (
            f"include found {self.found}/{self.wanted} ({100 * self.recall:.1f}%), "
            f"exclude kept out {self.unwanted - self.leaked}/{self.unwanted} "
            f"({100 * self.cleanliness:.1f}%), {self.seconds:.1f} s"
        )


def body_text(folder: Path) -> str:
    article = read_article(folder / "source.html", 10 * 1024 * 1024)
    return flat(" ".join(article.body_paragraphs)) if isinstance(article, Article) else ""


def corpus_files() -> list[Path]:
    """Exactly the pages ``evaluate`` reads: those the snippet file lists."""
    snippets = yaml.safe_load(SNIPPETS.read_text(encoding="utf-8"))
    return [PAGES / str(page) / "source.html" for page in sorted(snippets)]


def evaluate(options: dict[str, Any] | None = None) -> BodyScore:
    snippets = yaml.safe_load(SNIPPETS.read_text(encoding="utf-8"))
    chosen = {**html_layout.EXTRACTION_OPTIONS, **(options or {})}
    score = BodyScore()
    started = time.perf_counter()
    with mock.patch.dict(html_layout.EXTRACTION_OPTIONS, chosen, clear=True):
        for page, expected in sorted(snippets.items()):
            text = body_text(PAGES / str(page))
            for snippet in expected.get("include") or []:
                score.wanted += 1
                score.found += flat(snippet) in text
            for snippet in expected.get("exclude") or []:
                score.unwanted += 1
                score.leaked += flat(snippet) in text
    score.seconds = time.perf_counter() - started
    return score


def main() -> None:
    modes = MODES if "--all" in sys.argv else {"configured": {}}
    for name, options in modes.items():
        print(f"{name:10} {evaluate(options)}")


if __name__ == "__main__":
    main()
