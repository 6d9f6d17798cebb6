"""Agreement of imported fields with the expected metadata of Mozilla's Readability test pages.

Run directly for a per-field report: ``python -m tests.eval.readability [-v]``.

How fields are compared (the expectations are Readability's own output, a guide and not
gospel):

* title: equal after Unicode normalisation, case folding and collapsing punctuation; also
  counted equal when the two agree once a trailing site-name segment ("... | eHow") is
  removed, because newsarchive keeps the site name apart, as the Publication;
* byline: the same words, ignoring "by"/"and" and order, or one contained in the other;
* date: the same calendar day as written in the page (the first 10 characters of ISO).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.core.models import Article
from newsarchive.ingest.importer import read_article
from newsarchive.ingest.layouts.htmlmeta import host_names, load_rules, trim_site_suffix

PAGES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "readability-pages"
_FILLER = {"by", "and", "par", "von", "por", "de", "written"}


def normalize(text: str) -> str:
    return re.sub(r"\W+", " ", unicodedata.normalize("NFKC", text).casefold()).strip()


def same_title(expected: str, got: str, sites: list[str]) -> bool:
    if normalize(expected) == normalize(got):
        return True
    separators = load_rules().title_separators
    return normalize(trim_site_suffix(expected, sites, separators)) == normalize(
        trim_site_suffix(got, sites, separators)
    )


def same_byline(expected: str, got: str) -> bool:
    want, have = normalize(expected), normalize(got)
    if not have:
        return False
    return set(want.split()) - _FILLER == set(have.split()) - _FILLER or want in have or have in want


@dataclass
class FieldScore:
    agreed: int = 0
    total: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.agreed / self.total if self.total else 1.0

    def add(self, page: str, ok: bool, expected: str, got: str) -> None:
        self.total += 1
        self.agreed += ok
        if not ok:
            self.misses.append(f"{page}: expected {expected!r}, got {got!r}")


def corpus_files(pages: Path = PAGES) -> list[Path]:
    """Exactly the files ``evaluate`` reads: each page and its expected metadata."""
    folders = sorted(p for p in pages.iterdir() if p.is_dir())
    return [folder / name for folder in folders for name in ("expected-metadata.json", "source.html")]


def evaluate(pages: Path = PAGES) -> dict[str, FieldScore]:
    scores = {"title": FieldScore(), "byline": FieldScore(), "date": FieldScore()}
    for folder in sorted(p for p in pages.iterdir() if p.is_dir()):
        expected = json.loads((folder / "expected-metadata.json").read_text(encoding="utf-8"))
        article = read_article(folder / "source.html", 10 * 1024 * 1024)
        got = article if isinstance(article, Article) else None
        title = got.title if got else ""
        author = got.author if got else ""
        day = got.published.isoformat()[:10] if got and got.published else ""
        if expected.get("title"):
            sites = [expected.get("siteName") or "", *host_names(got.source_url if got else "")]
            ok = same_title(expected["title"], title, sites)
            scores["title"].add(folder.name, ok, expected["title"], title)
        if expected.get("byline"):
            scores["byline"].add(
                folder.name, same_byline(expected["byline"], author), expected["byline"], author
            )
        if expected.get("publishedTime"):
            want = expected["publishedTime"][:10]
            scores["date"].add(folder.name, want == day, want, day)
    return scores


def main() -> None:
    scores = evaluate()
    for name, score in scores.items():
        print(f"{name:7} {score.agreed:3}/{score.total:<3} {100 * score.rate:5.1f}%")
        if "-v" in sys.argv:
            for miss in score.misses:
                print(f"        {miss}")


if __name__ == "__main__":
    main()
