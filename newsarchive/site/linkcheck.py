"""Find links in a built site that point at pages or files the site does not have."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit

from newsarchive.core.parallel import fork_map


class LinkParser(HTMLParser):
    """The href and src values of a page (not mailto:, data: or #fragments), by a full HTML
    parser: the tests read pages with it, independently of the fast check below."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("mailto:", "data:", "#")):
                self.links.append(value)


_LINK = re.compile(r"""\s(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


def links_of(html: str) -> list[str]:
    """The href and src values of a page, quickly (the pages are ours: attributes are quoted)."""
    values = (unescape(double or single) for double, single in _LINK.findall(html))
    return [value for value in values if value and not value.startswith(("mailto:", "data:", "#"))]


@dataclass(frozen=True)
class Link:
    """A link on a page, and the site-relative path it names."""

    page: str
    href: str
    target: str

    def __str__(self) -> str:
        return f"{self.page}: broken link {self.href}"


def unresolved_links(
    output: Path,
    site_url: str = "",
    pages: Iterable[str] | None = None,
    workers: int = 1,
    files: set[str] | None = None,
    kept: Path | None = None,
) -> list[Link]:
    """The internal links of ``pages`` whose target is not among ``files``, in page order.

    ``pages`` (site-relative paths) limits the pages read; by default every HTML page is.
    ``workers`` processes share the pages. ``files``: the site's files, when known. A build
    checks its pages while the search index is still being written; links into the index
    are then looked up again with ``resolves`` once it is done. ``kept``: where the pages
    not in ``output`` are (the last site, in a delta build).
    """
    site = urlsplit(site_url)
    base_path = site.path.rstrip("/")
    files = site_files(output) if files is None else files
    if pages is None:
        pages = (name for name in files if name.endswith(".html") and not name.startswith("pagefind/"))

    def check(share: Sequence[str]) -> list[Link]:
        # href (or folder and href, for a relative one) -> the missing target, or None
        checked: dict[str | tuple[str, str], str | None] = {}
        missing = []
        for page in share:
            folder = posixpath.dirname(page)
            path = output / page
            if kept is not None and not path.is_file():
                path = kept / page
            text = path.read_text(encoding="utf-8", errors="replace")
            for href in links_of(text):
                key = href if href.startswith("/") else (folder, href)  # "/x" is "/x" anywhere
                if key not in checked:
                    target = _local_target(folder, urldefrag(href)[0], site.netloc, base_path)
                    checked[key] = None if target is None or resolves(target, files) else target
                target = checked[key]
                if target is not None:
                    missing.append(Link(page, href, target))
        return missing

    ordered = sorted(pages)
    shares = fork_map(check, ordered, workers if len(ordered) > 500 else 1, "the link check")
    return sorted((link for share in shares for link in share), key=str)


def resolves(target: str, files: set[str]) -> bool:
    """Whether a site-relative path names one of ``files`` (a folder: by its index.html)."""
    return target in files or posixpath.join(target, "index.html") in files


def site_files(output: Path, skip: str = "") -> set[str]:
    """Every file of a built site, by its site-relative path (none under the ``skip`` folder).

    Walked as `os.walk` walks (folders linked to are not entered, unreadable ones are
    passed over), with each folder's prefix carried down instead of worked out again from
    its path: a site of 10,000 stories has 19,000 folders."""
    files: set[str] = set()
    waiting = [(os.fspath(output), "")]
    while waiting:
        folder, prefix = waiting.pop()
        try:
            with os.scandir(folder) as entries:
                found = list(entries)
        except OSError:
            continue
        for entry in found:
            try:
                is_folder = entry.is_dir()
            except OSError:
                is_folder = False
            if not is_folder:
                files.add(prefix + entry.name)
            elif not entry.is_symlink() and not (prefix == "" and entry.name == skip):
                waiting.append((entry.path, f"{prefix}{entry.name}/"))
    return files


def _local_target(folder: str, link: str, host: str, base_path: str) -> str | None:
    """The site-relative path ``link`` names, or None for links to other sites."""
    parts = urlsplit(link)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != host:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    if not path.startswith("/"):
        path = posixpath.join(folder, path)
    elif base_path and not path.startswith(base_path + "/"):
        return "__outside_the_base_path__"
    else:
        path = path[len(base_path) :]
    normal = posixpath.normpath(path.lstrip("/"))
    return "" if normal == "." else normal
