"""Find input files and decode their bytes to text.

Decoding order: a byte-order mark wins; then strict UTF-8; then charset-normalizer's
best guess. Line ends become ``\\n``. Anything that is not text is rejected with a reason.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

from charset_normalizer import from_bytes

from newsarchive.core.models import RawDocument, Rejection
from newsarchive.ingest.containers import is_container

STAGE = "read"
SOURCE_SUFFIXES = frozenset({".txt", ".text", ".html", ".htm", ".xhtml"})
# Files a collector keeps beside the stories that are not stories themselves.
PROJECT_FILE_STEMS = frozenset({"readme", "license", "licence", "source", "copying"})

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control characters above which decoded "text" is really binary data.
_MAX_CONTROL_SHARE = 0.01


def is_project_file(path: Path) -> bool:
    """README, LICENSE and SOURCE files sit beside stories but are not stories."""
    return path.stem.lower() in PROJECT_FILE_STEMS


def find_sources(paths: Iterable[Path]) -> Iterator[Path]:
    """Yield every candidate input under ``paths``, in a stable order."""
    for path in paths:
        if path.is_dir():
            found = (p for p in path.rglob("*") if _is_candidate(p))
            yield from sorted(found)
        else:
            yield path


def source_suffix(path: Path) -> str:
    """The suffix that tells the format: "x.html.gz" -> ".html"."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    return suffixes[-1] if suffixes else ""


def _is_candidate(path: Path) -> bool:
    if not path.is_file() or path.name.startswith("."):
        return False
    # a fetched page's sidecar (ingest/fetched.py) is its provenance, not a story: is_container
    # leaves out "*.html.json"
    return source_suffix(path) in SOURCE_SUFFIXES or is_container(path)


def read_document(path: Path, max_bytes: int) -> RawDocument | Rejection:
    """Read ``path`` and decode it, or say why it cannot be used."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            return Rejection(path, STAGE, f"file is {size:,} bytes, over the {max_bytes:,}-byte limit")
        data = _read_gzip(path, max_bytes) if path.suffix.lower() == ".gz" else path.read_bytes()
    except (OSError, EOFError, zlib.error) as error:
        return Rejection(path, STAGE, f"cannot read file: {getattr(error, 'strerror', None) or error}")
    if data is None:
        return Rejection(path, STAGE, f"decompresses to more than the {max_bytes:,}-byte limit")
    return decode(path, data)


def _read_gzip(path: Path, max_bytes: int) -> bytes | None:
    """Decompress at most ``max_bytes`` (a small .gz can expand enormously)."""
    with gzip.open(path, "rb") as handle:
        data = handle.read(max_bytes + 1)
    return None if len(data) > max_bytes else data


def decode(path: Path, data: bytes, charset: str = "") -> RawDocument | Rejection:
    """The file's bytes as text: BOM, UTF-8, the container's or the page's declared charset,
    else charset-normalizer's guess."""
    if not data.strip():
        return Rejection(path, STAGE, "file is empty")
    decoded = _decode_bytes(data, charset)
    if decoded is None:
        return Rejection(path, STAGE, "not text: no character encoding fits (binary file?)")
    text, encoding = decoded
    text = normalize_newlines(text)
    if _looks_binary(text):
        return Rejection(path, STAGE, "not text: contains binary control characters")
    if not text.strip():
        return Rejection(path, STAGE, "file holds only whitespace")
    return RawDocument(path=path, data=data, text=text, encoding=encoding)


_DECLARED_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in its first few kilobytes, if Python knows it."""
    match = _DECLARED_CHARSET.search(data[:4096])
    if not match:
        return None
    try:
        return codecs.lookup(match[1].decode("ascii")).name
    except LookupError:
        return None


def _known_charset(name: str) -> str | None:
    try:
        return codecs.lookup(name.strip().strip("'\"")).name if name.strip() else None
    except LookupError:
        return None


def _decode_bytes(data: bytes, charset: str = "") -> tuple[str, str] | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                return None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    for declared in (_known_charset(charset), declared_charset(data)):
        if declared:
            try:
                return data.decode(declared), declared
            except UnicodeDecodeError:
                pass
    if b"\x00" in data:
        return None
    if _high_bytes_are_isolated(data):
        return _decode_western(data)
    best = from_bytes(data).best()
    if best is None:
        return None
    return str(best), best.encoding


def _high_bytes_are_isolated(data: bytes) -> bool:
    """True when no two non-ASCII bytes touch: a single-byte Western text with a few
    accented letters or symbols ("£15.8m"). Multi-byte encodings (Shift-JIS, EUC-JP,
    UTF-8) write most characters as runs of high bytes. Statistical detectors misread
    such texts as Japanese because a handful of bytes is too little evidence."""
    previous_high = False
    for byte in data:
        high = byte >= 0x80
        if high and previous_high:
            return False
        previous_high = high
    return True


def _decode_western(data: bytes) -> tuple[str, str]:
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:  # bytes cp1252 leaves undefined
        return data.decode("latin-1"), "latin-1"


def normalize_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")


def _looks_binary(text: str) -> bool:
    if "\x00" in text:
        return True
    controls = sum(1 for _ in _CONTROLS.finditer(text))
    return controls > max(1, len(text) * _MAX_CONTROL_SHARE)
