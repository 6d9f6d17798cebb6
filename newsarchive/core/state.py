"""Versioned state files: what one run leaves for the next (the import journal, the build
manifest, cached rankings, search record keys).

Each is JSON ``{"version": N, "key": K, "data": ...}``. A file of another version, made
for another key (other code, other inputs), missing or damaged reads as nothing: state
only saves time, so the caller does the work again. Writes are atomic.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .files import atomic_write

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StateFile:
    """One state file: where it lives, its format version, and what it is (for messages)."""

    path: Path
    version: int
    what: str  # for messages: "import journal", "build manifest" ...

    def load(self, key: str = "") -> Any | None:
        """The data saved with this version and ``key``, or None."""
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as error:
            log.info("%s: unreadable %s (%s); doing the work again", self.path, self.what, error)
            return None
        if not isinstance(document, dict):
            return None
        if document.get("version") != self.version or document.get("key") != key:
            return None
        return document.get("data")

    def save(self, data: Any, key: str = "") -> None:
        document = {"version": self.version, "key": key, "data": data}
        atomic_write(self.path, json.dumps(document, ensure_ascii=False, separators=(",", ":")))

    def forget(self) -> None:
        self.path.unlink(missing_ok=True)
