"""Body blocks <-> Markdown that shows exactly their text. Pure functions.

Whatever a source says stays text: the Markdown written here is escaped so that HTML,
Markdown markers and template syntax in a story are shown, not interpreted ("<script>"
is visible text, a leading "#" is not a heading). ``parse_body`` reads it back, so a
post's story can be re-tagged without its source.
"""

from __future__ import annotations

import re

from newsarchive.core.models import Block, BlockStyle

_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]])")
_BLOCK_START = re.compile(r"^(#|[-+]|\d+\.)")
_WHITESPACE = re.compile(r"\s+")
# Control characters: Python-Markdown uses STX/ETX internally, and none belong in prose.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]")
_ESCAPED = re.compile(r"\\([\\`*_\[\]#+\-.])")

_MARKERS = {
    BlockStyle.PARAGRAPH: "",
    BlockStyle.HEADING: "## ",
    BlockStyle.QUOTE: "> ",
    BlockStyle.BULLET: "- ",
    BlockStyle.NUMBERED: "1. ",
    BlockStyle.CODE: "",
}
_LIST_STYLES = (BlockStyle.BULLET, BlockStyle.NUMBERED)
# Between two different lists; without it Markdown would merge a list into the one before.
LIST_BREAK = "<!-- -->"


def clean_text(text: str) -> str:
    """The text as a post keeps it: one line, no control characters, spaces collapsed."""
    return _WHITESPACE.sub(" ", _CONTROL.sub("", text)).strip()


def escape_paragraph(text: str) -> str:
    """Markdown source that renders as exactly ``clean_text(text)`` in one paragraph."""
    text = clean_text(text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE_SPECIALS.sub(r"\\\1", text)
    if _BLOCK_START.match(text):
        text = "\\" + text if text[0] in "#+-" else _escape_list_number(text)
    return text


def unescape_paragraph(markdown: str) -> str:
    """The inverse of :func:`escape_paragraph`."""
    text = _ESCAPED.sub(r"\1", markdown)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _escape_list_number(text: str) -> str:
    """Escape an ordered-list marker ("1. ") by escaping its dot."""
    match = re.match(r"^(\d+)\.", text)
    return f"{match[1]}\\.{text[match.end() :]}" if match else text


def _code(text: str) -> str:
    """An indented code block: shown verbatim (Markdown escapes it), line breaks kept."""
    lines = [_CONTROL.sub("", line).replace("\t", "    ").rstrip() for line in text.split("\n")]
    while lines and not lines[0].strip():
        lines.pop(0)
    while lines and not lines[-1].strip():
        lines.pop()
    return "\n".join(f"    {line}" if line else "" for line in lines)


def render_body(blocks: tuple[Block, ...]) -> str:
    """Markdown for the body: blank lines between blocks, list items of one list together."""
    parts: list[str] = []
    previous: BlockStyle | None = None
    for block in blocks:
        text = _code(block.text) if block.style is BlockStyle.CODE else escape_paragraph(block.text)
        if not text:
            continue
        line = _MARKERS[block.style] + text
        same_list = block.style in _LIST_STYLES and block.style is previous
        if not same_list and previous in _LIST_STYLES and block.style in _LIST_STYLES:
            parts.append("\n\n" + LIST_BREAK)
        parts.append(("\n" if same_list else "\n\n") + line if parts else line)
        previous = block.style
    return "".join(parts)


def parse_body(markdown: str) -> tuple[Block, ...]:
    """Blocks from Markdown written by :func:`render_body` (best effort for hand edits)."""
    blocks: list[Block] = []
    for chunk in re.split(r"\n\s*\n", markdown.strip("\n")):
        if not chunk.strip() or chunk.strip() == LIST_BREAK:
            continue
        if chunk.startswith("    "):
            blocks.append(Block("\n".join(line[4:] for line in chunk.split("\n")), BlockStyle.CODE))
            continue
        blocks.extend(_parse_lines(chunk.split("\n")))
    return tuple(blocks)


def _parse_lines(lines: list[str]) -> list[Block]:
    styles = {marker: style for style, marker in _MARKERS.items() if marker}
    found: list[Block] = []
    for line in lines:
        style = next((s for marker, s in styles.items() if line.startswith(marker)), None)
        if style is None and found and found[-1].style is BlockStyle.PARAGRAPH:
            found[-1] = Block(f"{found[-1].text} {unescape_paragraph(line.strip())}")  # a wrapped line
            continue
        text = line[len(_MARKERS[style]) :] if style else line
        found.append(Block(unescape_paragraph(text.strip()), style or BlockStyle.PARAGRAPH))
    return found
