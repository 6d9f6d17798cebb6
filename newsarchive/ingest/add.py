"""The fetching half of `newsarchive add`: each link fetched once, saved, and accounted for.

Every link ends in one :class:`LinkOutcome`. A link listed twice, or already saved by an
earlier run, is not fetched again; a link that failed (5xx, timeout, no connection) is
tried again on the next run, listed or not; one remembered as not found, refused, not
HTML or disallowed is tried again only when asked (``retry``). Nothing stops the batch.
"""

from __future__ import annotations

import itertools
import json
from collections import Counter, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path

from newsarchive.core.config import Config
from newsarchive.core.models import Outcome
from newsarchive.ingest.fetch import FetchFailure, Page, PoliteFetcher, host_of
from newsarchive.ingest.fetched import Attempt, FetchLog, save_page, saved_pages
from newsarchive.ingest.links import Link, LinkList, feed_links
from newsarchive.ingest.report import ImportReport

LOG_EVERY = 50  # links between two saves of the fetch log (a killed run loses little)


class LinkStatus(StrEnum):
    """What became of one link."""

    FETCHED = "fetched"
    ALREADY = "already-fetched"
    DUPLICATE = "duplicate"
    FAILED = "failed"  # tried again on the next run
    NOT_FOUND = "not-found"
    HTTP_ERROR = "http-error"
    DISALLOWED = "disallowed"
    NOT_HTML = "not-html"
    TOO_LARGE = "too-large"
    BAD_LINK = "bad-link"


# Outcomes that mean the link did not give the archive a page it could have had.
UNSUCCESSFUL = frozenset(
    {
        LinkStatus.FAILED,
        LinkStatus.NOT_FOUND,
        LinkStatus.HTTP_ERROR,
        LinkStatus.DISALLOWED,
        LinkStatus.NOT_HTML,
        LinkStatus.TOO_LARGE,
        LinkStatus.BAD_LINK,
    }
)


@dataclass(frozen=True)
class LinkOutcome:
    """One link's fate: its status, why, the saved page, and the import of that page."""

    url: str
    origin: str
    status: LinkStatus
    detail: str = ""
    saved: Path | None = None  # the page file, relative to the project
    redirects: tuple[str, ...] = ()
    final_url: str = ""
    retried: bool = False  # it failed on an earlier run
    imported: Outcome | None = None

    def line(self) -> str:
        """The line the CLI prints for this link."""
        text = f"{self.status.value:<15} {self.url}"
        if self.saved:
            text += f" -> {self.saved.as_posix()}"
        notes = [self.detail] if self.detail else []
        if self.redirects and self.final_url:
            notes.append(f"redirected to {self.final_url}")
        elif self.redirects:
            notes.append(f"after {len(self.redirects)} redirect(s)")
        if self.retried:
            notes.append("failed on an earlier run")
        if self.status is LinkStatus.FAILED:
            notes.append("will be retried on the next run")
        return text + (f" ({'; '.join(notes)})" if notes else "")


LinkProgress = Callable[[LinkOutcome, int, int], None]


class LinkFetcher:
    """One run of `add`: the saved pages and the fetch log, read once, updated as it goes."""

    def __init__(self, config: Config, retry: bool = False, fetcher: PoliteFetcher | None = None) -> None:
        self.config = config
        self.retry = retry
        self.fetcher = fetcher or PoliteFetcher(config.fetch, config.max_source_bytes)
        self.saved = saved_pages(config.sources)
        self.log = FetchLog(config.cache)
        self.seen: dict[str, str] = {}  # URL -> where it was first listed in this run

    def run(self, listed: LinkList, progress: LinkProgress | None = None) -> tuple[LinkOutcome, ...]:
        """Every link of ``listed`` (and its feeds' items), then the earlier failures.

        Links that need no fetching are decided first, in list order; the others are
        fetched host by host in turn (whichever host may be asked soonest goes next), so
        a list of many sites does not wait out one site's delay after each page. The
        outcomes come back in list order; ``progress`` hears of each once it is decided.
        """
        first, links = self._gather(listed)
        decided: list[LinkOutcome | None] = [*first, *(self._without_fetching(link) for link in links)]
        done = itertools.count(1)
        for outcome in decided:
            if outcome:
                _tell(progress, outcome, next(done), len(decided))
        waiting = [(i, link) for i, link in enumerate(links, start=len(first)) if decided[i] is None]
        try:
            for index, link in self._in_turn(waiting):
                decided[index] = outcome = self._fetch(link)
                if _tell(progress, outcome, next(done), len(decided)) % LOG_EVERY == 0:
                    self.log.save()
        finally:
            self.log.save()
            self.fetcher.close()
        return tuple(outcome for outcome in decided if outcome)

    def _gather(self, listed: LinkList) -> tuple[list[LinkOutcome], list[Link]]:
        """The list's bad entries, and every link to consider: the list's, its feeds'
        items, then the failures of earlier runs that it does not name."""
        first = [bad_link(problem) for problem in listed.problems]
        links = list(listed.links)
        for feed in listed.feeds:
            items, problems = self._feed(feed)
            links += items
            first += problems
        return first, links + self._pending(links)

    def _in_turn(self, waiting: list[tuple[int, Link]]) -> Iterator[tuple[int, Link]]:
        """``waiting`` reordered so that the host that may be asked soonest goes next
        (ties: the host listed first); each host's own links keep their order."""
        queues: dict[str, deque[tuple[int, Link]]] = {}
        for item in waiting:
            queues.setdefault(host_of(item[1].url), deque()).append(item)
        while queues:
            host = min(queues, key=self.fetcher.ready_at)
            yield queues[host].popleft()
            if not queues[host]:
                del queues[host]

    def _feed(self, feed: Link) -> tuple[list[Link], list[LinkOutcome]]:
        """A subscribed feed's item links, and its problems (a feed is fetched on every run
        and never saved: its items are what counts)."""
        got = self.fetcher.fetch_any(feed.url)
        if isinstance(got, FetchFailure):
            return [], [LinkOutcome(feed.url, feed.origin, LinkStatus(got.problem.value), got.reason)]
        items = feed_links(got.body, feed.url)
        return list(items.links), [bad_link(problem) for problem in items.problems]

    def _pending(self, links: list[Link]) -> list[Link]:
        """Links that failed on an earlier run and are not in this one's list."""
        listed = {link.url for link in links}
        return [
            Link(url, "failed on an earlier run")
            for url, attempt in self.log.attempts.items()
            if attempt.status == LinkStatus.FAILED and url not in listed
        ]

    def _without_fetching(self, link: Link) -> LinkOutcome | None:
        """The outcome of a link that is not fetched (listed twice, saved, given up on), or
        None: it is to be fetched."""
        if link.url in self.seen:
            detail = f"listed twice, first at {self.seen[link.url]}"
            return LinkOutcome(link.url, link.origin, LinkStatus.DUPLICATE, detail)
        self.seen[link.url] = link.origin
        return self._known(link)

    def _fetch(self, link: Link) -> LinkOutcome:
        known = self._known(link)  # again: another link may have reached this page since
        if known:
            return known
        earlier = self.log.attempts.get(link.url)
        retried = earlier is not None and earlier.status == LinkStatus.FAILED
        got = self.fetcher.fetch_page(link.url)
        outcome = self._saved(link, got) if isinstance(got, Page) else _failed(link, got)
        outcome = replace(outcome, retried=retried)
        self.log.note(link.url, None if outcome.saved else _attempt(outcome))
        return outcome

    def _known(self, link: Link) -> LinkOutcome | None:
        """The outcome of a link that is not fetched again: saved, or given up on."""
        if link.url in self.saved:
            detail = f"saved earlier as {self._relative(self.saved[link.url])}"
            return LinkOutcome(link.url, link.origin, LinkStatus.ALREADY, detail)
        earlier = self.log.attempts.get(link.url)
        if earlier and earlier.status != LinkStatus.FAILED and not self.retry:
            detail = f"{earlier.detail}; on {earlier.when}, not tried again without --retry"
            return LinkOutcome(link.url, link.origin, LinkStatus(earlier.status), detail)
        return None

    def _saved(self, link: Link, page: Page) -> LinkOutcome:
        """Save a fetched page, unless a page already saved is the one it reached."""
        reached = LinkOutcome(
            link.url, link.origin, LinkStatus.FETCHED, redirects=page.redirects, final_url=page.url
        )
        if page.url in self.saved:
            detail = f"reached {page.url}, saved earlier as {self._relative(self.saved[page.url])}"
            return replace(reached, status=LinkStatus.DUPLICATE, detail=detail)
        try:
            path = save_page(self.config.sources, page)
        except OSError as error:
            detail = f"cannot save the page: {error.strerror or error}"
            return replace(reached, status=LinkStatus.FAILED, detail=detail)
        self.saved[page.url] = self.saved[link.url] = path
        return replace(reached, saved=self._relative(path))

    def _relative(self, path: Path) -> Path:
        try:
            return path.relative_to(self.config.root)
        except ValueError:
            return path


def _tell(progress: LinkProgress | None, outcome: LinkOutcome, done: int, total: int) -> int:
    """Tell ``progress`` of an outcome; return ``done``."""
    if progress:
        progress(outcome, done, total)
    return done


def bad_link(problem: str) -> LinkOutcome:
    """An entry of a list that is not a usable URL (the problem names file and entry)."""
    where, _, reason = problem.partition(": links: ")
    return LinkOutcome(where, "", LinkStatus.BAD_LINK, reason or problem)


def _failed(link: Link, failure: FetchFailure) -> LinkOutcome:
    status = LinkStatus(failure.problem.value)
    return LinkOutcome(link.url, link.origin, status, failure.reason, redirects=failure.redirects)


def _attempt(outcome: LinkOutcome) -> Attempt:
    when = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return Attempt(status=outcome.status.value, detail=outcome.detail, when=when)


@dataclass(frozen=True)
class AddReport:
    """Every link's outcome (with the import of its page), and the import's own report."""

    links: tuple[LinkOutcome, ...]
    imported: ImportReport

    @property
    def exit_code(self) -> int:
        """0 when every link gave a page (now or earlier) and every page was imported, else 1."""
        failed = any(link.status in UNSUCCESSFUL for link in self.links)
        return 1 if failed or self.imported.rejected else 0

    def counts(self) -> dict[LinkStatus, int]:
        counted = Counter(link.status for link in self.links)
        return {status: counted[status] for status in LinkStatus if counted[status]}

    def summary(self) -> str:
        parts = [f"{n} {status.value}" for status, n in self.counts().items()]
        retry = self.counts().get(LinkStatus.FAILED, 0)
        note = f"; {retry} will be retried on the next run" if retry else ""
        return f"{len(self.links)} link(s): " + (", ".join(parts) or "nothing to do") + note

    def to_json(self) -> str:
        rows = [
            {
                "url": link.url,
                "origin": link.origin,
                "status": link.status.value,
                "detail": link.detail,
                "redirects": list(link.redirects),
                "final_url": link.final_url,
                "saved": link.saved.as_posix() if link.saved else None,
                "retried": link.retried,
                "import": link.imported.status.value if link.imported else None,
                "post": link.imported.post.as_posix() if link.imported and link.imported.post else None,
            }
            for link in self.links
        ]
        counts = {status.value: n for status, n in self.counts().items()}
        document = {"counts": counts, "links": rows, "import": json.loads(self.imported.to_json())}
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def with_imports(links: tuple[LinkOutcome, ...], report: ImportReport) -> tuple[LinkOutcome, ...]:
    """Each saved link with the import's outcome for its page."""
    by_source = {outcome.source.as_posix(): outcome for outcome in report.outcomes}
    return tuple(
        replace(link, imported=by_source.get(link.saved.as_posix())) if link.saved else link for link in links
    )
