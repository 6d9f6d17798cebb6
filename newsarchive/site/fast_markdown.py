"""A fast converter for the Markdown the importer writes, giving Python-Markdown's HTML.

The importer writes posts in a small subset of Markdown (`newsarchive.core.markdown_text`):
a header of ``Key: value`` lines, then blocks separated by blank lines, each one escaped
paragraph, a ``## `` heading, a ``> `` quote, ``- `` or ``1. `` list items (one per line), an
indented code block, or the ``<!-- -->`` that keeps two lists apart. Converting that with
Python-Markdown costs about 0.85 ms a post, most of a cold build's reading. `convert_post`
reads the subset directly and gives exactly what Pelican's Markdown reader would get from
Python-Markdown (the HTML, the header as the meta extension reads it, and the summary
converted); anything outside the subset (a person's hand edit, another tool's post) makes
it return None, and Python-Markdown converts the post as before.
tests/test_fast_markdown.py compares the two on generated posts and the BBC corpus.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from newsarchive.core.markdown_text import LIST_BREAK

Converted = tuple[str, dict[str, list[str]], dict[str, str]]  # HTML, raw metadata, formatted fields

_HEADER = re.compile(r"([A-Za-z0-9_-]+):[ \t]*(.*)")
_BLANK_LINES = re.compile(r"\n[ \t]*\n")
# Text as escape_paragraph writes it: no character that starts inline markup unescaped,
# and backslashes only before the characters it escapes.
_PLAIN = re.compile(r"(?:[^\\`*_\[\]<>&\n\t]|\\[\\`*_\[\]#+\-.]|&(?:amp|lt|gt);)+")
_UNESCAPE = re.compile(r"\\([\\`*_\[\]#+\-.])")
_LIST_MARKERS = {"- ": "ul", "1. ": "ol"}


# Python-Markdown settings whose output the converter gives: no extension but the meta
# extension Pelican adds (an extension such as smarty, toc or codehilite changes the HTML).
_META_EXTENSIONS = {"meta", "markdown.extensions.meta"}


def applies(markdown_settings: dict[str, Any]) -> bool:
    """Whether the converter gives what Python-Markdown would with these settings."""
    named = [*markdown_settings.get("extensions", []), *markdown_settings.get("extension_configs", {})]
    extensions = {e if isinstance(e, str) else repr(e) for e in named}
    known = {"extensions", "extension_configs", "output_format", "tab_length"}
    return (
        extensions <= _META_EXTENSIONS
        and set(markdown_settings) <= known
        and markdown_settings.get("tab_length", 4) == 4
        and markdown_settings.get("output_format", "xhtml") in ("html5", "html", "xhtml")
    )


class Unsupported(Exception):
    """The post leaves the subset: Python-Markdown converts it."""


def convert_post(text: str, formatted_fields: Iterable[str]) -> Converted | None:
    """``text`` (a whole post file) as Pelican's Markdown reader would convert it, or None
    when it is not in the importer's subset."""
    try:
        header, body = _split(text)
        meta = _meta(header)
        content = convert_body(body)
        formatted = {}
        for name, values in meta.items():
            if name in formatted_fields:
                joined = "\n".join(values)
                formatted[joined] = convert_body(joined)
        return content, meta, formatted
    except Unsupported:
        return None


def _split(text: str) -> tuple[list[str], str]:
    text = text.removeprefix("\ufeff")
    if "\r" in text or "\t" in text or "\x02" in text or "\x03" in text:
        raise Unsupported("characters Python-Markdown rewrites")
    head, separator, body = text.partition("\n\n")
    if not separator:
        raise Unsupported("no blank line after the header")
    return head.split("\n"), body


def _meta(lines: list[str]) -> dict[str, list[str]]:
    """The header as Python-Markdown's meta extension reads it (one line per key)."""
    meta: dict[str, list[str]] = {}
    for line in lines:
        match = _HEADER.fullmatch(line)
        if not match or not line.strip():
            raise Unsupported("a header line of another shape")
        meta.setdefault(match[1].lower(), []).append(match[2].strip())
    return meta


def convert_body(body: str) -> str:
    """The HTML of a post body in the subset (raises Unsupported for anything else)."""
    chunks = [chunk for chunk in _BLANK_LINES.split(body.strip("\n")) if chunk.strip()]
    parts: list[str] = []
    previous = ""
    quotes: list[str] = []
    for chunk in chunks:
        kind = _kind(chunk)
        if kind != "quote" and quotes:
            parts.append(_quote(quotes))
            quotes = []
        if previous in ("ul", "ol") and kind in ("code", "ul", "ol"):
            raise Unsupported("a block Python-Markdown would take into the list before it")
        if previous == "code" and kind == "code":
            raise Unsupported("code blocks Python-Markdown would join")
        if kind == "quote":
            quotes.append(_inline(chunk[2:]))
        elif kind == "break":
            parts.append(LIST_BREAK + "\n")
        elif kind == "code":
            parts.append(_code(chunk))
        elif kind in ("ul", "ol"):
            parts.append(_list(chunk, kind))
        elif kind == "heading":
            parts.append(f"<h2>{_inline(chunk[3:])}</h2>")
        else:
            parts.append(f"<p>{_inline(chunk)}</p>")
        previous = kind
    if quotes:
        parts.append(_quote(quotes))
    return "\n".join(parts)


def _kind(chunk: str) -> str:
    if chunk == LIST_BREAK:
        return "break"
    if chunk.startswith("    "):
        return "code"
    if "\n" in chunk:
        first = chunk.split("\n", 1)[0]
        marker = next((m for m in _LIST_MARKERS if first.startswith(m)), None)
        if marker is None:
            raise Unsupported("a paragraph over several lines")
        return _LIST_MARKERS[marker]
    for marker, tag in _LIST_MARKERS.items():
        if chunk.startswith(marker):
            return tag
    if chunk.startswith("## "):
        if chunk.rstrip().endswith("#"):
            raise Unsupported("a heading ending in #")
        return "heading"
    if chunk.startswith("> "):
        return "quote"
    return "paragraph"


def _inline(text: str) -> str:
    """Escaped text as Python-Markdown renders it: the escapes undone, entities kept."""
    if text != text.strip() or not text or not _PLAIN.fullmatch(text):
        raise Unsupported("inline markup")
    if text[0] in "#+-=" or re.match(r"\d+\.", text) or text.startswith(("> ", "    ")):
        raise Unsupported("a line Python-Markdown would read as a block marker")
    return _UNESCAPE.sub(r"\1", text)


def _list(chunk: str, tag: str) -> str:
    marker = "- " if tag == "ul" else "1. "
    items = []
    for line in chunk.split("\n"):
        if not line.startswith(marker):
            raise Unsupported("a list line without its marker")
        items.append(f"<li>{_inline(line[len(marker) :])}</li>")
    return f"<{tag}>\n" + "\n".join(items) + f"\n</{tag}>"


def _quote(paragraphs: list[str]) -> str:
    return "<blockquote>\n" + "\n".join(f"<p>{text}</p>" for text in paragraphs) + "\n</blockquote>"


def _code(chunk: str) -> str:
    lines = chunk.split("\n")
    if any(line and not line.startswith("    ") for line in lines) or not lines[-1].strip():
        raise Unsupported("a code block of another shape")
    text = "\n".join(line[4:] for line in lines)
    return f"<pre><code>{html.escape(text, quote=False)}\n</code></pre>"
