"""Digests of inputs, and of the code that decides what an input becomes.

Each side hashes only the code it runs (`code_digest`): editing the site's renderer never
makes the next import read every source again, and editing the importer never re-renders
the site. ``core`` is shared by both sides, so a change there counts for both.
"""

from __future__ import annotations

import hashlib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent.parent  # the newsarchive package folder


def digest(*parts: str | bytes) -> str:
    """A short hex digest of ``parts``, kept apart (("ab", "c") and ("a", "bc") differ): each
    part's UTF-8 bytes followed by a zero byte. Page keys take hundreds of thousands of
    digests a build, so parts that are all text are joined and encoded at once (the same
    bytes: a zero between two parts keeps any surrogates apart, as encoding one by one does)."""
    try:
        data = "\x00".join(parts).encode("utf-8", "surrogatepass")  # type: ignore[arg-type]
    except TypeError:  # some part is bytes
        data = b"\x00".join(
            part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part for part in parts
        )
    return hashlib.blake2b(data + b"\x00" if parts else b"", digest_size=16).hexdigest()


def package_version(name: str) -> str:
    """An installed distribution's version, or "-" when it is not installed."""
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def folder_digest(folder: Path) -> list[str]:
    """Every file under ``folder`` (compiled caches left out) as "relative/path:digest"."""
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [f"{p.relative_to(folder).as_posix()}:{digest(p.read_bytes())}" for p in files]


def code_digest(subpackages: tuple[str, ...], tools: tuple[str, ...] = ()) -> list[str]:
    """The parts that say which code decides a result: the named subpackages of newsarchive
    (their data files included) and the versions of the named tools."""
    parts = [f"{name}={package_version(name)}" for name in tools]
    for name in subpackages:
        parts += [f"{name}/{entry}" for entry in folder_digest(PACKAGE / name)]
    return parts


def stable_repr(value: Any) -> str:
    """A repr of a setting that is the same from run to run (no memory addresses)."""
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    if isinstance(value, dict):
        items = sorted(value.items(), key=repr)
        return "{" + ",".join(f"{stable_repr(k)}:{stable_repr(v)}" for k, v in items) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        ordered = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return "[" + ",".join(stable_repr(item) for item in ordered) + "]"
    kind = value if isinstance(value, type) else type(value)
    return f"<{kind.__module__}.{kind.__qualname__}>"
