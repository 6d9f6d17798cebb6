"""Import and tagging speed on the real corpora in ../shared (not a test: figures only).

Usage: python bench/speed.py [--tagging]
Prints: plain-text import (BBC, 2,225 stories), HTML import (the 91 Readability pages,
copied 5 times under new names), and tagging alone on one core, in items per minute (tagging
also by CPU time, which a busy shared machine does not distort); ``--tagging``: tagging only.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from newsarchive.core.models import Article
from newsarchive.core.slugs import make_slug
from newsarchive.gazetteer.entities import load_gazetteer
from newsarchive.gazetteer.tagging import tag
from newsarchive.ingest.importer import read_article

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "corpora"
COPIES = 5


def import_rate(sources: Path, count: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        shutil.copy(REPO / "pyproject.toml", root)
        started = time.perf_counter()
        command = [
            str(Path(sys.executable).parent / "newsarchive"),
            "--root",
            str(root),
            "import",
            "-q",
            str(sources),
        ]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        return count / (time.perf_counter() - started) * 60


def html_pages(folder: Path) -> int:
    pages = sorted((SHARED / "readability-pages").glob("*/source.html"))
    for copy in range(COPIES):
        for page in pages:
            text = page.read_text(encoding="utf-8", errors="replace")
            (folder / f"{page.parent.name}-{copy}.html").write_text(
                text.replace("<title>", f"<title>{copy} "), "utf-8"
            )
    return len(pages) * COPIES


def tag_rates() -> tuple[float, float]:
    """Stories tagged per minute on one core in one pass over 2,000 BBC stories, by wall time
    and by this process's CPU time (what one core does, whatever else the machine is running).

    Outside the timing: loading the gazetteer and reading the stories, and what a tagging
    process does once: the patterns its first story compiles, and Pelican's import (an unlisted
    company's slug is Pelican's; every importing process imports it anyway, naming its posts
    with `make_slug`). Both figures time the same pass: the CPU figure was once taken on a
    second pass over the same stories, where what the first pass had cached was found again."""
    gazetteer = load_gazetteer()
    articles = []
    for path in sorted((SHARED / "bbc-news" / "bbc").rglob("*.txt"))[:2000]:
        article = read_article(path, 10**7)
        if isinstance(article, Article):
            articles.append(article)
    tag(articles[0], gazetteer)
    make_slug(articles[0].title, "story")
    wall, cpu = time.perf_counter(), time.process_time()
    for article in articles:
        tag(article, gazetteer)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return len(articles) / wall * 60, len(articles) / cpu * 60


def main() -> None:
    if "--tagging" not in sys.argv[1:]:
        bbc = import_rate(SHARED / "bbc-news" / "bbc", 2225)
        print(f"plain-text import (BBC): {bbc:,.0f} stories/minute")
        with tempfile.TemporaryDirectory() as folder:
            count = html_pages(Path(folder))
            print(f"HTML import ({count} pages): {import_rate(Path(folder), count):,.0f} pages/minute")
    wall, cpu = tag_rates()
    print(f"tagging alone, one core: {wall:,.0f} articles/minute")
    print(f"tagging alone, one core, CPU time: {cpu:,.0f} articles/minute")


if __name__ == "__main__":
    main()
