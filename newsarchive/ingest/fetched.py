"""Where fetched pages are kept, and what earlier runs of `newsarchive add` left.

A page fetched from a URL is saved as it came, ``sources/fetched/<host>/<name>.html``
(``<name>``: the URL's path made safe, then a digest of the whole URL, so it is stable
and unique per URL), with a sidecar ``<name>.html.json`` beside it::

    {"url": final URL, "requested": URL asked for, "fetched": "2026-12-01T20:00:00Z",
     "redirects": [every URL that answered with a redirect, in order], "status": 200,
     "content_type": "text/html", "charset": the Content-Type header's, or ""}

The sidecars are the record of what was fetched (they stay with the sources, so a URL
is never fetched twice even after ``cache/`` is deleted). What gave no page is kept in
the fetch log, ``cache/newsarchive-fetch.json``: failures are tried again on the next
run; pages not found, refused, not HTML or disallowed are not, unless asked.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from unidecode import unidecode

from newsarchive.core.digests import digest
from newsarchive.core.files import atomic_write, atomic_write_bytes
from newsarchive.core.state import StateFile
from newsarchive.ingest.fetch import Page

log = logging.getLogger(__name__)

FETCHED_FOLDER = "fetched"
SIDECAR_SUFFIX = ".json"  # after the page's own name: story.html.json
LOG_VERSION = 1
MAX_NAME_CHARS = 80


def page_path(sources: Path, url: str) -> Path:
    """Where the page at ``url`` is saved: a safe host folder and a safe, unique name."""
    parts = urlsplit(url)
    host = _safe(parts.netloc.replace(":", "_"), keep="._") or "unknown-host"
    words = _safe(unquote(f"{parts.path} {parts.query}"))
    stem = words[:MAX_NAME_CHARS].rstrip("-") or "index"
    return sources / FETCHED_FOLDER / host / f"{stem}-{digest(url)[:10]}.html"


def _safe(text: str, keep: str = "") -> str:
    """Lower-case ASCII letters, digits and hyphens (and the characters in ``keep``)."""
    pattern = rf"[^a-z0-9{re.escape(keep)}]+"
    return re.sub(pattern, "-", unidecode(text).lower()).strip("-")


def sidecar_of(page: Path) -> Path:
    return page.with_name(page.name + SIDECAR_SUFFIX)


def save_page(sources: Path, page: Page) -> Path:
    """Write the page's bytes and its sidecar (the page first: a sidecar always has its page)."""
    path = page_path(sources, page.url)
    atomic_write_bytes(path, page.body)
    record = {
        "url": page.url,
        "requested": page.requested,
        "fetched": page.fetched.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "redirects": list(page.redirects),
        "status": page.status,
        "content_type": page.content_type,
        "charset": page.charset,
    }
    atomic_write(sidecar_of(path), json.dumps(record, ensure_ascii=False, indent=2) + "\n")
    return path


def saved_pages(sources: Path) -> dict[str, Path]:
    """Every URL (asked for or reached) of a page saved so far, with the page's path."""
    saved: dict[str, Path] = {}
    for sidecar, record in _sidecars(sources / FETCHED_FOLDER):
        page = sidecar.with_name(sidecar.name.removesuffix(SIDECAR_SUFFIX))
        if not page.is_file():
            continue
        for key in ("requested", "url"):
            url = record.get(key)
            if isinstance(url, str):
                saved[url] = page
    return saved


def _sidecars(folder: Path) -> Iterator[tuple[Path, dict[str, object]]]:
    if not folder.is_dir():
        return
    for sidecar in sorted(folder.rglob(f"*.html{SIDECAR_SUFFIX}")):
        try:
            record = json.loads(sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            log.warning("%s: unreadable fetch record (%s); its URL may be fetched again", sidecar, error)
            continue
        if isinstance(record, dict):
            yield sidecar, record


@dataclass(frozen=True)
class Attempt:
    """What the last try of a URL that gave no page ended as."""

    status: str  # a LinkStatus value
    detail: str
    when: str  # ISO 8601 UTC


class FetchLog:
    """The URLs that gave no page, by URL (the fetch log in ``cache/``)."""

    def __init__(self, cache: Path) -> None:
        self._file = StateFile(cache / "newsarchive-fetch.json", LOG_VERSION, "fetch log")
        data = self._file.load()
        self.attempts: dict[str, Attempt] = {}
        if isinstance(data, dict):
            for url, entry in data.items():
                try:
                    self.attempts[url] = Attempt(**entry)
                except TypeError:
                    continue

    def note(self, url: str, attempt: Attempt | None) -> None:
        """Remember how ``url`` ended (None: it gave a page; the sidecar remembers it)."""
        if attempt is None:
            self.attempts.pop(url, None)
        else:
            self.attempts[url] = attempt

    def save(self) -> None:
        self._file.save({url: asdict(attempt) for url, attempt in self.attempts.items()})
