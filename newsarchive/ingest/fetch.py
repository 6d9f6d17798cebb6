"""Fetching pages politely, for `newsarchive add`.

Every request names newsarchive and its version in its User-Agent (with the contact the
settings give), has a timeout for the whole response, waits its turn per host (the
``delay`` setting, or the robots.txt ``Crawl-delay`` when that is longer), and is retried
with a doubling back-off after a 5xx, a 429, a timeout or a connection error. robots.txt
is read once per host and run (RFC 9309: a 4xx robots.txt allows everything; one that
cannot be had leaves the host's pages failed, to be tried on the next run). Redirects are
followed by hand, so each hop is checked against its own host's robots.txt and waits its
own host's turn; the URLs that redirected are recorded. Only HTML bodies are downloaded
for pages; a body over the size limit is cut off, not kept.
"""

from __future__ import annotations

import functools
import ipaddress
import socket
import time
import urllib.robotparser
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from urllib.parse import urljoin, urlsplit

import httpx

from newsarchive import __version__
from newsarchive.core.config import FetchSettings
from newsarchive.ingest.links import normalize_url

HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
MAX_REDIRECTS = 10
MAX_ROBOTS_BYTES = 500 * 1024  # RFC 9309: at least 500 KiB must be parsed
MAX_WAIT = 60.0  # the longest a Retry-After or Crawl-delay may hold one host up


class Problem(StrEnum):
    """Why a URL gave no page. Only FAILED is tried again on the next run."""

    FAILED = "failed"
    NOT_FOUND = "not-found"
    HTTP_ERROR = "http-error"
    DISALLOWED = "disallowed"
    NOT_HTML = "not-html"
    TOO_LARGE = "too-large"


@dataclass(frozen=True)
class Page:
    """A page as the server sent it."""

    requested: str
    url: str  # after redirects
    redirects: tuple[str, ...]  # every URL that answered with a redirect, in order
    status: int
    content_type: str
    charset: str  # as the Content-Type header gave it ("" if it did not)
    body: bytes
    fetched: datetime  # UTC, when the response was complete


@dataclass(frozen=True)
class FetchFailure:
    """A URL that gave no page, and why."""

    requested: str
    problem: Problem
    reason: str
    redirects: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Answer:
    """One response: its status, type and (when wanted) body."""

    status: int
    content_type: str
    charset: str
    location: str
    body: bytes
    retry_after: float | None


class _TooLarge(Exception):
    pass


def user_agent(contact: str = "") -> str:
    """``newsarchive/0.1.0 (+contact)``: who is asking, and how to reach them."""
    return f"newsarchive/{__version__}" + (f" (+{contact})" if contact else "")


def host_of(url: str) -> str:
    return urlsplit(url).netloc


class PoliteFetcher:
    """One run's fetching: a connection pool, each host's robots.txt and last request time.

    ``sleep`` and ``clock`` are the waiting and the timing (tests may record them);
    ``is_private`` tells a host on a private network (tests may pretend).
    """

    def __init__(
        self,
        settings: FetchSettings,
        max_bytes: int,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        is_private: Callable[[str], bool] | None = None,
    ) -> None:
        self.settings = settings
        self.max_bytes = max_bytes
        self.agent = user_agent(settings.contact)
        self._sleep, self._clock = sleep, clock
        self._is_private = functools.cache(is_private or is_private_host)
        self._last: dict[str, float] = {}
        self._robots: dict[str, urllib.robotparser.RobotFileParser | FetchFailure] = {}  # by robots.txt URL
        self._crawl_delay: dict[str, float] = {}  # by host, as its robots.txt asks
        self._client = httpx.Client(
            headers={"User-Agent": self.agent, "Accept": "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"},
            timeout=settings.timeout,
            follow_redirects=False,
        )

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> PoliteFetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch_page(self, url: str) -> Page | FetchFailure:
        """The HTML page at ``url``, following redirects, or why there is none."""
        return self._follow(url, HTML_TYPES)

    def fetch_any(self, url: str) -> Page | FetchFailure:
        """Whatever ``url`` holds (a feed), with the same politeness."""
        return self._follow(url, None)

    def _follow(self, url: str, kinds: frozenset[str] | None) -> Page | FetchFailure:
        redirects: list[str] = []
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            refusal = self._robots_refusal(current)
            if refusal:
                return FetchFailure(url, refusal.problem, refusal.reason, tuple(redirects))
            answer = self._request(current, kinds)
            if isinstance(answer, FetchFailure):
                reason = answer.reason + _where(url, current)
                return FetchFailure(url, answer.problem, reason, tuple(redirects))
            if not (300 <= answer.status < 400 and answer.location):
                return self._page(url, current, tuple(redirects), answer, kinds)
            target = normalize_url(urljoin(current, answer.location))
            refused = self._redirect_refusal(current, target, redirects)
            if refused or target is None:
                return FetchFailure(url, Problem.HTTP_ERROR, refused, tuple(redirects))
            redirects.append(current)
            current = target
        return FetchFailure(url, Problem.HTTP_ERROR, f"more than {MAX_REDIRECTS} redirects", tuple(redirects))

    def _redirect_refusal(self, current: str, target: str | None, redirects: list[str]) -> str:
        """Why a redirect is not followed ("" when it is). A public site may not send
        newsarchive into a private network: what it fetched there would be published."""
        if target is None or target in redirects or target == current:
            return f"redirect loop or bad redirect target at {current}"
        here, there = urlsplit(current).hostname or "", urlsplit(target).hostname or ""
        if self._is_private(there) and not self._is_private(here):
            return f"{current} redirects into a private network ({there}); not followed"
        return ""

    def _page(
        self,
        requested: str,
        url: str,
        redirects: tuple[str, ...],
        answer: _Answer,
        kinds: frozenset[str] | None,
    ) -> Page | FetchFailure:
        status, where = answer.status, _where(requested, url)
        if status in (404, 410):
            return FetchFailure(requested, Problem.NOT_FOUND, f"HTTP {status}{where}", redirects)
        if not 200 <= status < 300:
            return FetchFailure(requested, Problem.HTTP_ERROR, f"HTTP {status}{where}", redirects)
        if kinds is not None and not is_html(answer.content_type, answer.body):
            kind = answer.content_type or "no content type"
            return FetchFailure(requested, Problem.NOT_HTML, f"{kind}{where}", redirects)
        fetched = datetime.now(UTC).replace(microsecond=0)
        return Page(
            requested, url, redirects, status, answer.content_type, answer.charset, answer.body, fetched
        )

    def _request(self, url: str, kinds: frozenset[str] | None, limit: int = 0) -> _Answer | FetchFailure:
        """One GET, tried again after a 5xx, 429, timeout or connection error."""
        attempts = self.settings.retries + 1
        reason, wait = "", 0.0
        for attempt in range(attempts):
            if attempt:
                self._sleep(min(max(wait, self.settings.backoff * 2 ** (attempt - 1)), MAX_WAIT))
            wait = 0.0
            try:
                with self._turn(host_of(url)):
                    answer = self._get(url, kinds, limit)
            except httpx.TimeoutException:
                reason = f"timed out after {self.settings.timeout:g} s"
                continue
            except _TooLarge:
                return FetchFailure(url, Problem.TOO_LARGE, f"larger than {self.max_bytes:,} bytes")
            except (httpx.TransportError, httpx.InvalidURL) as error:
                reason = f"cannot connect: {error or type(error).__name__}"
                continue
            if answer.status >= 500 or answer.status == 429:
                reason, wait = f"HTTP {answer.status}", answer.retry_after or 0.0
                continue
            return answer
        tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
        return FetchFailure(url, Problem.FAILED, f"{reason}, {tries}")

    def ready_at(self, host: str) -> float:
        """When ``host`` may be asked next, on this fetcher's clock (-inf: not asked yet)."""
        last = self._last.get(host)
        return float("-inf") if last is None else last + self._delay(host)

    @contextmanager
    def _turn(self, host: str) -> Iterator[None]:
        """Wait until ``host`` may be asked again; its clock restarts when the answer is in."""
        wait = self.ready_at(host) - self._clock()
        if wait > 0:
            self._sleep(wait)
        try:
            yield
        finally:
            self._last[host] = self._clock()

    def _delay(self, host: str) -> float:
        return max(self.settings.delay, min(self._crawl_delay.get(host, 0.0), MAX_WAIT))

    def _get(self, url: str, kinds: frozenset[str] | None, limit: int) -> _Answer:
        deadline = self._clock() + self.settings.timeout
        with self._client.stream("GET", url) as response:
            content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
            wanted = 200 <= response.status_code < 300 and (
                kinds is None or not content_type or content_type in kinds
            )
            body = self._body(response, deadline, limit) if wanted else b""
            return _Answer(
                status=response.status_code,
                content_type=content_type,
                charset=response.charset_encoding or "",
                location=response.headers.get("location", ""),
                body=body,
                retry_after=_seconds(response.headers.get("retry-after", "")),
            )

    def _body(self, response: httpx.Response, deadline: float, limit: int) -> bytes:
        """The body, read within the deadline; over ``limit`` it is cut there (robots.txt),
        with no limit given, a body over the size limit is refused."""
        chunks, size = [], 0
        for chunk in response.iter_bytes():
            if self._clock() > deadline:
                raise httpx.ReadTimeout("the whole response took too long")
            chunks.append(chunk)
            size += len(chunk)
            if limit and size >= limit:
                return b"".join(chunks)[:limit]
            if size > self.max_bytes:
                raise _TooLarge
        return b"".join(chunks)

    def _robots_refusal(self, url: str) -> FetchFailure | None:
        """None when robots.txt lets newsarchive fetch ``url``; otherwise why not."""
        robots = self._robots_for(url)
        if isinstance(robots, FetchFailure):
            return FetchFailure(url, Problem.FAILED, f"robots.txt unavailable: {robots.reason}")
        if robots.can_fetch(self.agent, url):
            return None
        return FetchFailure(url, Problem.DISALLOWED, f"disallowed by {_robots_url(url)}")

    def _robots_for(self, url: str) -> urllib.robotparser.RobotFileParser | FetchFailure:
        """The robots.txt that governs ``url`` (rules hold per scheme, host and port), read
        once per run; its Crawl-delay becomes the host's delay when longer."""
        where = _robots_url(url)
        if where not in self._robots:
            self._robots[where] = robots = self._read_robots(url)
            if isinstance(robots, urllib.robotparser.RobotFileParser):
                host = host_of(url)
                asked = float(robots.crawl_delay(self.agent) or 0.0)
                self._crawl_delay[host] = max(asked, self._crawl_delay.get(host, 0.0))
        return self._robots[where]

    def _read_robots(self, url: str) -> urllib.robotparser.RobotFileParser | FetchFailure:
        parser = urllib.robotparser.RobotFileParser(_robots_url(url))
        answer = self._follow_robots(_robots_url(url))
        if isinstance(answer, FetchFailure):
            return answer
        ok = 200 <= answer.status < 300  # RFC 9309 2.3.1.3: no robots.txt (a 4xx), no rules
        parser.parse(answer.body.decode("utf-8", errors="replace").splitlines() if ok else [])
        return parser

    def _follow_robots(self, url: str) -> _Answer | FetchFailure:
        """robots.txt, following up to five redirects (RFC 9309 2.3.1.2)."""
        current = url
        for _ in range(5):
            answer = self._request(current, None, limit=MAX_ROBOTS_BYTES)
            if isinstance(answer, FetchFailure) or not (300 <= answer.status < 400 and answer.location):
                return answer
            current = urljoin(current, answer.location)
        return _Answer(404, "", "", "", b"", None)  # too many redirects: as if there were none


def is_private_host(host: str) -> bool:
    """True when ``host`` is, or resolves to, an address that is not public (loopback,
    private, link-local, reserved). A name that does not resolve is not private: the
    request to it fails on its own."""
    try:
        found = socket.getaddrinfo(host, None)
    except (OSError, UnicodeError):
        return False
    addresses = {str(info[4][0]).split("%")[0] for info in found}
    return any(not ipaddress.ip_address(address).is_global for address in addresses)


def _where(requested: str, url: str) -> str:
    """ " at URL" when a redirect led elsewhere: where the trouble was."""
    return f" at {url}" if url != requested else ""


def _robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def is_html(content_type: str, body: bytes) -> bool:
    """An HTML type, or no type at all and a body that starts like an HTML page."""
    if content_type:
        return content_type in HTML_TYPES
    start = body[:1024].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html"))


def _seconds(value: str) -> float | None:
    """A Retry-After given in seconds (an HTTP date is rare enough to ignore)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
