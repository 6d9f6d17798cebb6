"""Exports of scrapers and read-later tools: JSON, JSON Lines, Markdown with front matter.

Which record keys hold the title, byline, dates, URL and body is data
(``data/exports.yaml``: news-please, newspaper4k, Scrapy items, wallabag, Omnivore and
Readwise, JSON Feed); a record is read by the first tool whose keys it has. JSON Lines
files stream line by line; a JSON document is read whole, within the container limit.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import IO, Any, cast

import yaml

from newsarchive.core.datafiles import data_path, load_data
from newsarchive.ingest.containers import (
    HTML,
    SUMMARY,
    TEXT,
    Broken,
    Entry,
    Fields,
    Item,
    Limits,
    Skipped,
    read_whole,
)
from newsarchive.ingest.containers.feeds import written_time

_HTML_TAG = re.compile(
    r"<(?:p|div|br|h[1-6]|article|section|ul|ol|li|blockquote|html|body|span|a)[\s>/]", re.I
)
_FRONT_MATTER = re.compile(
    r"\A(?:\ufeff)?---[ \t]*\n(?P<head>.*?)\n(?:---|\.\.\.)[ \t]*\n?(?P<body>.*)\Z", re.S
)


@dataclass(frozen=True)
class ToolFields:
    """The keys one tool's records use for each field, in order of preference."""

    detect: tuple[str, ...]
    id: tuple[str, ...] = ()
    title: tuple[str, ...] = ()
    author: tuple[str, ...] = ()
    published: tuple[str, ...] = ()
    captured: tuple[str, ...] = ()
    url: tuple[str, ...] = ()
    publication: tuple[str, ...] = ()
    deck: tuple[str, ...] = ()
    html: tuple[str, ...] = ()
    text: tuple[str, ...] = ()
    summary: tuple[str, ...] = ()


@dataclass(frozen=True)
class ExportRules:
    lists: tuple[str, ...]
    tools: dict[str, ToolFields]

    def tool_for(self, record: dict[str, Any]) -> ToolFields:
        for tool in self.tools.values():
            if all(value_at(record, key) for key in tool.detect):
                return tool
        return self.tools["generic"]


@cache
def load_rules(path: Path | None = None) -> ExportRules:
    rules: ExportRules = load_data(path or data_path("ingest", "exports.yaml"), ExportRules)
    return rules


def value_at(record: Any, key: str) -> Any:
    """``record[key]``, looking inside objects ("author.name") and lists of them."""
    value = record
    for part in key.split("."):
        if isinstance(value, list):
            value = [v.get(part) for v in value if isinstance(v, dict)]
        elif isinstance(value, dict):
            value = value.get(part)
        else:
            return None
    return value


def text_of(value: Any) -> str:
    """A field's value as one line of text: lists joined with commas."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, list):
        return ", ".join(t for t in (text_of(v) for v in value) if t)
    if isinstance(value, dict):
        return text_of(value.get("name"))
    return str(value).strip()


def first(record: dict[str, Any], keys: tuple[str, ...]) -> str:
    for key in keys:
        found = text_of(value_at(record, key))
        if found:
            return found
    return ""


def time_of(value: str) -> datetime | None:
    if not value:
        return None
    if re.fullmatch(r"\d{10,13}(?:\.\d+)?", value):  # a Unix time, in seconds or milliseconds
        from datetime import UTC

        seconds = float(value) / (1000 if len(value.split(".")[0]) == 13 else 1)
        return datetime.fromtimestamp(seconds, tz=UTC)
    return written_time(value)


def item_of(record: Any, number: int) -> Entry:
    """One exported record as a story item, or why it cannot be one."""
    if not isinstance(record, dict):
        return Broken(str(number), f"record {number} is {_kind(record)}, not an article object")
    tool = load_rules().tool_for(record)
    name = first(record, tool.id) or str(number)
    fields = Fields(
        title=first(record, tool.title),
        author=first(record, tool.author),
        published=time_of(first(record, tool.published)),
        deck=first(record, tool.deck),
        publication=first(record, tool.publication),
        url=first(record, tool.url),
        captured=time_of(first(record, tool.captured)),
    )
    html, text, summary = first(record, tool.html), first(record, tool.text), first(record, tool.summary)
    if html and _HTML_TAG.search(html):
        return Item(name, html.encode("utf-8"), HTML, fields)
    if text or html:
        return Item(name, (text or html).encode("utf-8"), TEXT, fields)
    if summary and fields.title:
        return Item(name, summary.encode("utf-8"), SUMMARY, fields)
    keys = ", ".join(sorted(str(k) for k in record)[:8])
    return Broken(name, f"record {number} has no body field of a known tool (its keys: {keys})")


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", int: "a number", float: "a number", type(None): "null"}.get(
        type(value), type(value).__name__
    )


def records_of(document: Any) -> list[Any] | str:
    """The records of a JSON document, or why it has none of the expected shape."""
    if isinstance(document, list):
        return document
    if isinstance(document, dict):
        for key in load_rules().lists:
            if isinstance(document.get(key), list):
                return list(document[key])
        return [document]
    return f"wrong shape: expected an article object or a list of them, found {_kind(document)}"


def read_json(path: Path, limits: Limits) -> Iterator[Entry]:
    data = read_whole(path, limits)
    if isinstance(data, Broken):
        yield data
        return
    try:
        document = json.loads(data)
    except (ValueError, RecursionError) as error:
        yield Broken("", f"not valid JSON: {error}")
        return
    records = records_of(document)
    if isinstance(records, str):
        yield Broken("", records)
        return
    del document
    for number, record in enumerate(records, start=1):
        yield item_of(record, number)


def read_json_lines(path: Path, limits: Limits) -> Iterator[Entry]:
    """One record a line, streamed; a line over the size limit is reported and passed over."""
    if path.suffix.lower() == ".gz":
        with gzip.open(path, "rb") as packed:
            yield from _lines(cast(IO[bytes], packed), limits.item_bytes)
    else:
        with path.open("rb") as handle:
            yield from _lines(handle, limits.item_bytes)


def _lines(handle: IO[bytes], limit: int) -> Iterator[Entry]:
    number = 0
    while True:
        line = handle.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while (rest := handle.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield Broken(str(number), f"line {number} is over the {limit:,}-byte limit")
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except (ValueError, RecursionError) as error:
            yield Broken(str(number), f"line {number} is not valid JSON: {error}")
            continue
        yield item_of(record, number)


def read_markdown(path: Path, limits: Limits) -> Iterator[Entry]:
    """A Markdown file with YAML front matter (Omnivore, Readwise, Obsidian clippers)."""
    data = read_whole(path, limits)
    if isinstance(data, Broken):
        yield data
        return
    text = data.decode("utf-8", errors="replace").replace("\r\n", "\n")
    match = _FRONT_MATTER.match(text)
    if match is None:
        yield Skipped("", "Markdown without front matter (--- title: ... ---): not an export")
        return
    try:
        head = yaml.safe_load(match["head"])
    except yaml.YAMLError as error:
        yield Broken("", f"unreadable front matter: {' '.join(str(error).split())}")
        return
    if not isinstance(head, dict):
        yield Broken("", "the front matter is not a list of fields")
        return
    import markdown  # type: ignore[import-untyped]

    html = markdown.markdown(match["body"], extensions=["extra"])
    fields = {str(k): (v.isoformat() if isinstance(v, datetime) else v) for k, v in head.items()}
    entry = item_of({**fields, "html": html}, 1)
    if isinstance(entry, Item):
        entry = Item(path.stem, html.encode("utf-8"), HTML, entry.fields)
    yield entry
