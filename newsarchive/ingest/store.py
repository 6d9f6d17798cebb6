"""Write posts under content/ atomically, keep hand edits, and place each story once.

A post is found again by its ``Source`` field, so re-importing a source updates the
same file (and keeps its URL). A post whose fingerprint no longer matches its text
was edited by a person and is never overwritten unless the caller says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from newsarchive.core.files import atomic_write, inside
from newsarchive.core.models import Status
from newsarchive.core.posts import parse_post


@dataclass
class ContentIndex:
    """What already stands in content/: posts by source, and every path in use."""

    root: Path
    by_source: dict[str, Path] = field(default_factory=dict)
    taken: set[Path] = field(default_factory=set)
    source_of_story: dict[str, str] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path) -> ContentIndex:
        """What content/ holds now (and the temporary files a killed import left, removed)."""
        index = cls(root)
        if not root.is_dir():
            return index
        for leftover in root.rglob(".*.md.*.tmp"):  # from an import that was killed mid-write
            leftover.unlink(missing_ok=True)
        for path in sorted(root.rglob("*.md")):
            relative = path.relative_to(root)
            index.taken.add(relative)
            fields = _header_fields(path, ("Source", "Digest"))
            if "Source" in fields:
                index.by_source.setdefault(fields["Source"], relative)
                if "Digest" in fields:
                    index.source_of_story.setdefault(fields["Digest"], fields["Source"])
        return index

    def place(self, source: str, year: int, slug: str) -> Path:
        """The post path for ``source``: its existing one, or a new free one."""
        existing = self.by_source.get(source)
        if existing is not None:
            return existing
        candidate = Path(str(year)) / f"{slug}.md"
        number = 2
        while candidate in self.taken:
            candidate = Path(str(year)) / f"{slug}-{number}.md"
            number += 1
        self.taken.add(candidate)
        self.by_source[source] = candidate
        return candidate


def _header_fields(path: Path, keys: tuple[str, ...]) -> dict[str, str]:
    """The values of ``keys`` in a post's header, reading no further than the header."""
    found: dict[str, str] = {}
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if not line.strip():
                    break
                key, colon, value = line.partition(":")
                if colon and key in keys:
                    found.setdefault(key, value.strip())
    except OSError:
        return {}
    return found


def read_post_text(root: Path, relative: Path) -> str | None:
    """The text of the post at ``root/relative``, or None when there is none yet."""
    target = inside(root, relative)
    return target.read_text(encoding="utf-8", errors="replace") if target.is_file() else None


def write_post(
    root: Path, relative: Path, text: str, overwrite_edited: bool = False, current: str | None = None
) -> Status:
    """Write ``text`` to ``root/relative`` unless that would lose a person's edit.

    ``current`` is the post's present text when the caller has already read it.
    """
    target = inside(root, relative)
    if current is None:
        current = read_post_text(root, relative)
    if current is not None:
        if current == text:
            return Status.UNCHANGED
        if parse_post(current).edited and not overwrite_edited:
            return Status.KEPT_EDITED
        atomic_write(target, text)
        return Status.UPDATED
    atomic_write(target, text)
    return Status.IMPORTED
