"""Writing files so that a killed process never leaves half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write(target: Path, text: str) -> None:
    """Write via a temporary file in the same folder, then rename: never half a file.

    The rename is atomic, so a killed import leaves the old post or the new one. There is
    no fsync: that would guard against power loss at about 1 ms per post.
    """
    atomic_write_bytes(target, text.encode("utf-8"))


def inside(root: Path, relative: Path) -> Path:
    """``root / relative``, refusing any path that could leave ``root``."""
    if relative.is_absolute() or any(part in ("..", "") for part in relative.parts) or not relative.parts:
        raise ValueError(f"refusing to write outside {root}: {relative}")
    return root / relative


def atomic_write_bytes(target: Path, data: bytes) -> None:
    """`atomic_write` for bytes kept exactly as they came (a fetched page)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as handle:
            os.fchmod(handle.fileno(), 0o644)
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
