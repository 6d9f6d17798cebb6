"""Read a saved page's own metadata (title, author, date, deck, site, URL).

Pages state their metadata in several places (OpenGraph, JSON-LD, plain meta tags,
byline elements). Which places are tried, and in what order, is data:
``data/html_metadata.yaml``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from dateutil import parser as dateparser
from lxml import html as lxml_html
from unidecode import unidecode

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.ingest.dates import parse_date_line

_ARTICLE_TYPES = ("Article", "NewsArticle", "BlogPosting", "ReportageNewsArticle", "Report", "WebPage")
_SPACES = re.compile(r"\s+")
FIELDS = ("title", "author", "published", "deck", "publication", "url")


@dataclass(frozen=True)
class MetadataRules:
    """Where each field is looked for, in order of trust (``data/html_metadata.yaml``)."""

    title: tuple[str, ...]
    author: tuple[str, ...]
    published: tuple[str, ...]
    deck: tuple[str, ...]
    publication: tuple[str, ...]
    url: tuple[str, ...]
    title_separators: tuple[str, ...]
    author_noise: tuple[re.Pattern[str], ...]

    def sources(self, field: str) -> tuple[str, ...]:
        found: tuple[str, ...] = getattr(self, field)
        return found


@cache
def load_rules(path: Path | None = None) -> MetadataRules:
    """The rules in ``path`` (default: the bundled file), checked once."""
    rules: MetadataRules = load_data(path or data_path("ingest", "html_metadata.yaml"), MetadataRules)
    return rules


@dataclass(frozen=True)
class PageMetadata:
    title: str = ""
    author: str = ""
    published: datetime | None = None
    deck: str = ""
    publication: str = ""
    url: str = ""


def squash(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


class Page:
    """One parsed page and the lookups the metadata rules name."""

    def __init__(self, tree: Any):
        self.tree = tree
        self._jsonld: dict[str, Any] | None = None

    def meta(self, name: str) -> str:
        lowered = name.lower()
        for element in self.tree.iter("meta"):
            keys = (element.get(a, "").lower() for a in ("name", "property", "itemprop"))
            if lowered in keys and squash(element.get("content")):
                return squash(element.get("content"))
        return ""

    def jsonld(self, key: str) -> str:
        if self._jsonld is None:
            self._jsonld = next(_article_objects(self.tree), {})
        return _jsonld_text(self._jsonld.get(key))

    def first_text(self, predicate: Callable[[Any], bool]) -> str:
        for element in self.tree.iter():
            if isinstance(element.tag, str) and predicate(element):
                text = squash(element.text_content())
                if text:
                    return text
        return ""

    def lookup(self, source: str, rules: MetadataRules) -> str:
        kind, _, name = source.partition(":")
        if kind == "meta":
            return self.meta(name)
        if kind == "jsonld":
            return self.jsonld(name)
        if kind == "itemprop":
            return self.first_text(lambda e: e.get("itemprop", "") == name)
        if kind == "class":
            return self.first_text(lambda e: _has_word(e, name))
        if kind == "rel":
            return self.first_text(lambda e: e.tag == "a" and name in e.get("rel", "").split())
        if kind == "link":
            return next((squash(e.get("href")) for e in self.tree.iter("link") if e.get("rel") == name), "")
        if kind == "time":
            return next((squash(e.get("datetime")) for e in self.tree.iter("time") if e.get("datetime")), "")
        if kind == "title":
            return self.first_text(lambda e: e.tag == "title")
        if kind == "h1":
            return self.first_text(lambda e: e.tag == "h1")
        return ""


def _has_word(element: Any, word: str) -> bool:
    names = f"{element.get('class', '')} {element.get('id', '')}".lower()
    return word in names and element.tag not in ("body", "html", "meta", "script", "style")


def _article_objects(tree: Any) -> Iterator[dict[str, Any]]:
    for script in tree.iter("script"):
        if (script.get("type") or "").lower() != "application/ld+json" or not script.text:
            continue
        try:
            data = json.loads(_strip_cdata(script.text), strict=False)
        except ValueError:
            continue
        for item in _walk(data):
            kinds = item.get("@type", "")
            kinds = kinds if isinstance(kinds, list) else [kinds]
            if any(str(k) in _ARTICLE_TYPES for k in kinds):
                yield item


def _strip_cdata(text: str) -> str:
    """JSON-LD is often wrapped as ``<![CDATA[ ... ]]>``, sometimes behind ``//``."""
    text = text.strip()
    text = re.sub(r"^(?://\s*)?<!\[CDATA\[", "", text)
    return re.sub(r"(?://\s*)?\]\]>$", "", text.strip())


def _walk(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _walk(data["@graph"])


def _jsonld_text(value: Any) -> str:
    if isinstance(value, str):
        return squash(value)
    if isinstance(value, dict):
        return _jsonld_text(value.get("name"))
    if isinstance(value, list):
        names = [_jsonld_text(v) for v in value]
        return ", ".join(n for n in names if n)
    return ""


def clean_author(value: str, rules: MetadataRules) -> str:
    for pattern in rules.author_noise:
        value = pattern.sub("", value).strip()
    if not value or len(value) > 80 or "://" in value or value.startswith("@"):
        return ""
    if parse_date_line(value) is not None or not any(c.isalpha() for c in value):
        return ""
    return value


def parse_published(value: str) -> datetime | None:
    if not value:
        return None
    try:
        return dateparser.isoparse(value)
    except ValueError:
        pass
    return parse_date_line(value)


def first_value(page: Page, field: str, rules: MetadataRules, accept: Callable[[str], Any]) -> Any:
    for source in rules.sources(field):
        value = accept(page.lookup(source, rules))
        if value:
            return value
    return None


def _words(text: str) -> set[str]:
    return set(re.findall(r"\w+", text.casefold()))


def _title_checker(page: Page, rules: MetadataRules) -> Callable[[str], str]:
    """Accept a title that shares most of its words with the page's <title> or <h1>."""
    reference = _words(page.lookup("title", rules)) | _words(page.lookup("h1", rules))

    def accept(value: str) -> str:
        if not 0 < len(value) <= 300:
            return ""
        words = _words(value)
        if reference and len(words & reference) * 2 < len(words):
            return ""
        return value

    return accept


def _letters(text: str) -> str:
    return "".join(c for c in unidecode(text).casefold() if c.isalnum())


def trim_site_suffix(title: str, site_names: list[str], separators: tuple[str, ...]) -> str:
    """Drop a trailing " | Site" when Site names the publication or its host.

    Names compare by letters and digits only, so "Aktuálně.cz" matches host
    "aktualne.cz" and "BBC News" matches host part "bbc".
    """
    names = [n for n in (_letters(name) for name in site_names) if len(n) >= 3]
    for separator in separators:
        head, found, tail = title.rpartition(separator)
        tail_letters = _letters(tail)
        names_site = tail_letters and any(n in tail_letters or tail_letters in n for n in names)
        if found and head.strip() and names_site:
            return head.strip()
    return title


def host_names(url: str) -> list[str]:
    host = urlsplit(url).hostname or ""
    parts = [p for p in host.split(".") if p not in ("www", "com", "org", "net", "co", "uk", "en")]
    return [host, *parts]


def read_metadata(tree: Any) -> PageMetadata:
    rules = load_rules()
    page = Page(tree)
    url = first_value(page, "url", rules, lambda v: v if v.startswith(("http://", "https://")) else "") or ""
    publication = first_value(page, "publication", rules, squash) or ""
    title = first_value(page, "title", rules, _title_checker(page, rules)) or ""
    return PageMetadata(
        title=trim_site_suffix(title, [publication, *host_names(url)], rules.title_separators),
        author=first_value(page, "author", rules, lambda v: clean_author(v, rules)) or "",
        published=first_value(page, "published", rules, parse_published),
        deck=first_value(page, "deck", rules, squash) or "",
        publication=publication,
        url=url,
    )


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


def parse_html(text: str) -> Any:
    """Parse decoded page text (lxml refuses str input that declares its encoding)."""
    return lxml_html.fromstring(_XML_DECLARATION.sub("", text) or "<html></html>")
