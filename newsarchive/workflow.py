"""What the commands do, as library functions: the one module that uses both sides.

The import side writes posts into content/; the site side builds from them. `build` runs
the two in turn with one warning counter, so ``--strict`` is decided in one place
(`newsarchive.core.errors.Warnings`). The CLI only parses arguments, calls one of these
and prints what they return. `list_deals` reads the deals the import wrote into the posts.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsarchive.core.config import Config
from newsarchive.core.errors import ConfigError, NewsarchiveError, Warnings
from newsarchive.core.models import Article, Status
from newsarchive.core.posts import parse_deals, parse_post
from newsarchive.site.build import BuildResult, build_site, theme_folder

# Each command imports the modules it uses when it runs: a build that only finds the site
# up to date should not wait for the import side, the fetcher and the dev server to load.
if TYPE_CHECKING:
    from newsarchive.gazetteer.deals import MergedDeal
    from newsarchive.gazetteer.suggest import Candidate
    from newsarchive.ingest.add import AddReport, LinkProgress
    from newsarchive.ingest.importer import Progress
    from newsarchive.ingest.report import ImportReport
    from newsarchive.site.export import ExportResult
    from newsarchive.site.serve import Changes, EventWatcher


@dataclass(frozen=True)
class BuildRun:
    """An import (unless skipped) and the build after it."""

    report: ImportReport | None
    build: BuildResult

    @property
    def exit_code(self) -> int:
        return self.report.exit_code if self.report else 0


def import_problems(report: ImportReport) -> list[str]:
    """Every rejected input and every warning of the import, one line each, in input order."""
    problems = []
    for outcome in report.outcomes:
        source = outcome.source.as_posix()
        if outcome.status is Status.REJECTED:
            problems.append(f"{source}: {outcome.detail}")
        problems += [f"{source}: {warning}" for warning in outcome.warnings]
    return problems


def build(
    config: Config,
    *,
    strict: bool = False,
    no_import: bool = False,
    clean: bool = False,
    jobs: int = 0,
    progress: Progress | None = None,
    imported: Callable[[ImportReport], None] | None = None,
    overrides: dict[str, Any] | None = None,
) -> BuildRun:
    """Import the sources (unless ``no_import``), then build the site.

    ``imported`` sees the import's report before the build starts. With ``strict``, a
    problem in the import stops the run before the build, and any warning of the build
    fails it (the previous site stays in place).
    """
    warnings = Warnings(strict)
    report = None
    if not no_import:
        from newsarchive.ingest.importer import import_sources

        report = import_sources(config, progress=progress, jobs=jobs)
        if imported:
            imported(report)
        for problem in import_problems(report):
            warnings.add(problem)
        warnings.check("the import")
    result = build_site(config, overrides=overrides, jobs=jobs, clean=clean, warnings=warnings)
    return BuildRun(report, result)


def serve(config: Config, port: int, interval: float, jobs: int, report: Callable[[str], None]) -> None:
    """Build, serve the output folder on 127.0.0.1, and bring the site up to date after each
    change to a source, post, theme file or setting: an edited post's text as a delta of
    the resident site, anything else by an incremental build in this process (see
    `newsarchive.site.resident`). ``report`` is told each step in one line."""
    from newsarchive.ingest.importer import import_sources
    from newsarchive.site.resident import ResidentSite
    from newsarchive.site.serve import DevSite, EventWatcher, serve_forever, watched

    imported = import_sources(config, jobs=jobs)
    for problem in import_problems(imported):
        report(problem)
    site = ResidentSite(config, jobs)
    report(site.build().summary)
    server = DevSite(config.output, port)
    report(f"serving {config.output} at http://127.0.0.1:{port}/ ; up to date on every change (Ctrl-C stops)")
    watcher = EventWatcher(watched(config, theme_folder(config)))

    def apply(changes: Changes) -> None:
        version = server.version
        # A change that fails is reported without ending `serve`: the next one may fix it.
        try:
            changes = site.known(_imported(config, changes, watcher, jobs, report))
            if not changes:  # a source the import left as it was, or a change already applied
                return
            report(site.apply(changes, served=server.changed).summary)
        except NewsarchiveError as error:
            report(f"newsarchive: error: {error}")
        if server.version == version:  # open pages reload once per change
            server.changed()

    try:
        serve_forever(server, interval, watcher, apply)
    finally:
        watcher.stop()
        site.record()  # what the deltas wrote, for the next build


SETTLE_SECONDS = 0.3


def _imported(
    config: Config, changes: Changes, watcher: EventWatcher, jobs: int, report: Callable[[str], None]
) -> Changes:
    """Import the sources added or changed (their posts change with it); return the changes
    with the posts the import wrote, and without the sources. A source that changes while
    it is imported (a file still being written when its first event came) is imported again."""
    from newsarchive.ingest.importer import import_sources
    from newsarchive.ingest.sources import is_project_file
    from newsarchive.site.serve import Changes

    sources = changes.under(config.sources)
    rest = Changes(
        tuple(p for p in changes.added if p not in sources.added),
        tuple(p for p in changes.modified if p not in sources.modified),
        tuple(p for p in changes.removed if p not in sources.removed),
    )
    while sources:
        paths = [path for path in (*sources.added, *sources.modified) if not is_project_file(path)]
        if not paths:
            break
        imported = import_sources(config, paths, jobs=jobs)
        for problem in import_problems(imported):
            report(problem)
        written = watcher.settle()  # the posts the import wrote (and what changed meanwhile)
        if imported.outcomes and not written.under(config.content):
            time.sleep(SETTLE_SECONDS)  # the system's events of the posts just written may lag
            written |= watcher.settle()
        sources = written.under(config.sources)
        rest |= Changes(*(_outside(paths, config.sources) for paths in dataclasses.astuple(written)))
    return rest


def _outside(paths: tuple[Path, ...], folder: Path) -> tuple[Path, ...]:
    return tuple(path for path in paths if not path.is_relative_to(folder))


def suggest_names(config: Config, paths: Iterable[Path], limit: int) -> list[Candidate]:
    """Organisation-like names in the sources that the gazetteer lacks, most frequent first."""
    from newsarchive.gazetteer.entities import load_gazetteer
    from newsarchive.gazetteer.suggest import suggest
    from newsarchive.ingest.importer import read_article
    from newsarchive.ingest.sources import find_sources, is_project_file

    articles = []
    for path in find_sources(list(paths) or [config.sources]):
        article = read_article(path, config.max_source_bytes) if not is_project_file(path) else None
        if isinstance(article, Article):
            articles.append(article)
    return suggest(articles, load_gazetteer(), limit)


def add_links(
    config: Config,
    urls: Iterable[str] = (),
    from_file: Path | None = None,
    *,
    retry: bool = False,
    progress: LinkProgress | None = None,
    imported: Progress | None = None,
    jobs: int = 0,
) -> AddReport:
    """Fetch ``urls`` and the links in ``from_file`` (and what failed on earlier runs), save
    each page under sources/fetched/, then import the pages saved.

    ``progress`` hears of each link as it is done, ``imported`` of each page's import.
    ``retry`` also tries again links an earlier run found missing, refused, not HTML or
    disallowed.
    """
    from newsarchive.ingest.add import AddReport, LinkFetcher, LinkStatus, with_imports
    from newsarchive.ingest.importer import import_sources
    from newsarchive.ingest.links import LinkList, links_from_arguments, read_link_file
    from newsarchive.ingest.report import ImportReport

    given = list(urls)
    listed = links_from_arguments(given) if given else LinkList()
    if from_file is not None:
        if not from_file.is_file():
            raise NewsarchiveError(f"{from_file}: no such file (--from takes a list of links)")
        found = read_link_file(from_file, config.max_source_bytes)
        listed = LinkList(listed.links + found.links, found.feeds, listed.problems + found.problems)
    links = LinkFetcher(config, retry=retry).run(listed, progress)
    saved = [config.root / link.saved for link in links if link.saved and link.status is LinkStatus.FETCHED]
    report = import_sources(config, saved, progress=imported, jobs=jobs) if saved else ImportReport(())
    return AddReport(with_imports(links, report), report)


EXPORT_FORMATS = ("sqlite",)


def export(config: Config, format_name: str, target: Path) -> ExportResult:
    """The archive as data in ``target``, in one of `EXPORT_FORMATS` (only SQLite so far)."""
    from newsarchive.site.export import export_sqlite

    if format_name != "sqlite":
        raise ConfigError(
            f"{target}: unknown export format {format_name!r} (known: {', '.join(EXPORT_FORMATS)})"
        )
    return export_sqlite(config, target)


@dataclass(frozen=True)
class DealsRun:
    """Every deal the posts report, merged across stories, and the posts whose Deals line is broken."""

    deals: list[MergedDeal]
    problems: list[str]

    @property
    def exit_code(self) -> int:
        return 1 if self.problems else 0


def list_deals(config: Config) -> DealsRun:
    """The deals of every post in the content folder (their ``Deals:`` lines), one per deal."""
    from newsarchive.gazetteer.deals import StoryDeals, merge_deals

    stories, problems = [], []
    for path in sorted(config.content.rglob("*.md")):
        relative = path.relative_to(config.content).as_posix()
        try:
            post = parse_post(path.read_text(encoding="utf-8"))
            deals = parse_deals(post.get("deals"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            problems.append(f"{relative}: {error}")
            continue
        if deals:
            stories.append(StoryDeals(post.get("source") or relative, post.get("date")[:10], deals))
    return DealsRun(merge_deals(stories), problems)
