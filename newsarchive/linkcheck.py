"""Find links in a built site that point at pages or files the site does not have."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urldefrag, urlsplit


class LinkParser(HTMLParser):
    """The href and src values of a page (not mailto:, data: or #fragments)."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("href", "src") and value and not value.startswith(("mailto:", "data:", "#")):
                self.links.append(value)


def links_of(html: str) -> list[str]:
    parser = LinkParser()
    parser.feed(html)
    return parser.links


def broken_links(output: Path, site_url: str = "") -> list[str]:
    """One line per internal link whose target is missing, naming the page and the link."""
    site = urlsplit(site_url)
    base_path = site.path.rstrip("/")
    broken = []
    for page in sorted(output.rglob("*.html")):
        if "pagefind" in page.relative_to(output).parts:
            continue
        for link in links_of(page.read_text(encoding="utf-8", errors="replace")):
            target = _local_target(output, page, urldefrag(link)[0], site.netloc, base_path)
            if target is not None and not (target.is_file() or (target / "index.html").is_file()):
                broken.append(f"{page.relative_to(output)}: broken link {link}")
    return broken


def _local_target(output: Path, page: Path, link: str, host: str, base_path: str) -> Path | None:
    """The file ``link`` names inside the site, or None for links to other sites."""
    parts = urlsplit(link)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return None
    if parts.netloc and parts.netloc != host:
        return None
    path = unquote(parts.path)
    if not path:
        return None
    if not path.startswith("/"):
        return page.parent / path
    if base_path and not path.startswith(base_path + "/"):
        return output / "__outside_the_base_path__"
    return output / path[len(base_path) :].lstrip("/")
