"""Write posts under content/ atomically, keep hand edits, and place each story once.

A post is found again by its ``Source`` field, so re-importing a source updates the
same file (and keeps its URL). A post whose fingerprint no longer matches its text
was edited by a person and is never overwritten unless the caller says so.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .models import Status
from .posts import parse_post

MAX_SLUG_CHARS = 80


def pelican_slug(text: str) -> str:
    """What Pelican's own slugify makes of ``text``, with its default substitutions."""
    from pelican.settings import DEFAULT_CONFIG  # imported here: Pelican is slow to import
    from pelican.utils import slugify

    return str(slugify(text, regex_subs=DEFAULT_CONFIG["SLUG_REGEX_SUBSTITUTIONS"]))


def make_slug(title: str, fallback: str) -> str:
    """Pelican's slug of a title, trimmed at a word boundary; ``fallback`` if nothing is left."""
    slug = pelican_slug(title)
    if len(slug) > MAX_SLUG_CHARS:
        slug = slug[:MAX_SLUG_CHARS].rsplit("-", 1)[0]
    return slug.strip("-") or fallback


@dataclass
class ContentIndex:
    """What already stands in content/: posts by source, and every path in use."""

    root: Path
    by_source: dict[str, Path] = field(default_factory=dict)
    taken: set[Path] = field(default_factory=set)
    source_of_story: dict[str, str] = field(default_factory=dict)

    @classmethod
    def scan(cls, root: Path) -> ContentIndex:
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


def inside(root: Path, relative: Path) -> Path:
    """``root / relative``, refusing any path that could leave ``root``."""
    if relative.is_absolute() or any(part in ("..", "") for part in relative.parts) or not relative.parts:
        raise ValueError(f"refusing to write outside {root}: {relative}")
    return root / relative


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


def atomic_write(target: Path, text: str) -> None:
    """Write via a temporary file in the same folder, then rename: never half a file.

    The rename is atomic, so a killed import leaves the old post or the new one. There is
    no fsync: that would guard against power loss at about 1 ms per post.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            os.fchmod(handle.fileno(), 0o644)
            handle.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
