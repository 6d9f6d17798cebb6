"""The 91 Readability pages wrapped in every container format, each item compared with
importing the page itself (title, byline, date, body).

Run directly for a per-format report: ``python -m tests.eval.containers [-v]``.

Fields compare as the import writes them: the title and byline exactly, the body by its
words (whitespace and block boundaries aside: a scraper's text export has no headings or
lists), the date by its instant where the page states one (where it does not, the direct
import dates it by the file and a web archive by its capture, both marked estimated).
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.core.models import Article, Rejection
from newsarchive.ingest.containers import Item, Limits, read_items
from newsarchive.ingest.duplicates import story_words
from newsarchive.ingest.importer import read_article
from newsarchive.ingest.items import parse_item
from newsarchive.ingest.sources import read_document

from . import wrap

PAGES = Path(__file__).resolve().parents[3] / "shared" / "corpora" / "readability-pages"
LIMIT = 10 * 1024 * 1024


def load_pages(pages: Path = PAGES) -> tuple[list[wrap.Page], dict[str, Article]]:
    """Each page as a collector's tool would state it, and its direct import."""
    found, direct = [], {}
    for folder in sorted(p for p in pages.iterdir() if p.is_dir()):
        source = folder / "source.html"
        article = read_article(source, LIMIT)
        raw = read_document(source, LIMIT)
        if isinstance(article, Rejection) or isinstance(raw, Rejection):
            continue
        url = f"https://news.example.org/{folder.name}/story.html"
        direct[url] = article
        found.append(
            wrap.Page(
                name=folder.name,
                url=url,
                data=source.read_bytes(),
                html=raw.text,
                title=article.title,
                author=article.author,
                published=article.published,
                text="\n".join(article.body_paragraphs),
            )
        )
    return found, direct


def containers(pages: list[wrap.Page], folder: Path) -> dict[str, list[Path]]:
    """Every format's files for ``pages`` under ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    single = folder / "mhtml"
    single.mkdir(exist_ok=True)
    return {
        "warc": [wrap.warc(pages, folder / "pages.warc.gz")],
        "rss": [wrap.rss(pages, folder / "pages.rss")],
        "atom": [wrap.atom(pages, folder / "pages.atom")],
        "jsonfeed": [wrap.json_feed(pages, folder / "pages.json")],
        "news-please": [wrap.news_please(pages, folder / "pages.jsonl")],
        "mhtml": [wrap.mhtml(page, single / f"{page.name}.mhtml") for page in pages],
        "mbox": [wrap.mbox(pages, folder / "pages.mbox")],
    }


def articles(files: list[Path]) -> Iterator[tuple[str, Article | Rejection | str]]:
    """(the item's URL, its story or why it has none) for every item of ``files``."""
    for path in files:
        for entry in read_items(path, Limits(LIMIT)):
            if not isinstance(entry, Item):
                yield entry.name, entry.reason
                continue
            yield entry.fields.url or entry.name, parse_item(entry, f"{path.name}#{entry.name}", LIMIT)


def words(article: Article) -> list[str]:
    return story_words(" ".join(article.body_paragraphs))


@dataclass
class FormatScore:
    items: int = 0
    same: dict[str, int] = field(default_factory=lambda: {"title": 0, "byline": 0, "date": 0, "body": 0})
    dated: int = 0
    misses: list[str] = field(default_factory=list)


CHECKS: dict[str, Callable[[Article, Article], bool]] = {
    "title": lambda a, b: a.title == b.title,
    "byline": lambda a, b: a.author == b.author,
    "body": lambda a, b: words(a) == words(b),
}


def shown(article: Article, check: str) -> str:
    if check == "body":
        return " ".join(words(article))[:2000]
    return repr(article.author if check == "byline" else article.title)


def compare(direct: dict[str, Article], files: list[Path], by_url: Callable[[str], str]) -> FormatScore:
    score = FormatScore()
    for url, got in articles(files):
        score.items += 1
        want = direct.get(by_url(url))
        if want is None or not isinstance(got, Article):
            score.misses.append(f"{url}: {got if not isinstance(got, Article) else 'unknown page'}")
            continue
        for name, check in CHECKS.items():
            ok = check(want, got)
            score.same[name] += ok
            if not ok:
                score.misses.append(f"{url}: {name}: {shown(want, name)} != {shown(got, name)}")
        if want.published is not None and not want.date_estimated:
            score.dated += 1
            score.same["date"] += got.published == want.published
            if got.published != want.published:
                score.misses.append(f"{url}: date: {want.published} != {got.published}")
    return score


def evaluate(pages_folder: Path = PAGES) -> dict[str, FormatScore]:
    pages, direct = load_pages(pages_folder)
    with tempfile.TemporaryDirectory() as folder:
        wrapped = containers(pages, Path(folder))
        names = {f"{page.name}@example.org": page.url for page in pages}  # mbox: by Message-ID
        return {
            kind: compare(direct, files, lambda url: names.get(url, url)) for kind, files in wrapped.items()
        }


def main(argv: list[str]) -> int:
    for kind, score in evaluate().items():
        same = ", ".join(
            f"{k} {v}/{score.dated if k == 'date' else score.items}" for k, v in score.same.items()
        )
        print(f"{kind:<12} {score.items} items: {same}")
        if "-v" in argv:
            for miss in score.misses:
                print("   ", miss)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
