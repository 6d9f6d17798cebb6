"""What the previous build left behind, and what the next build may keep of it.

After every successful build a manifest beside the output folder (``.output.manifest.json``)
records the build's input signature and, per page and feed, the key it was rendered with
and the file's size and time stamp. The next build

- stops at once when the input signature is unchanged and every recorded file is still
  the one the build wrote ("up to date", like make);
- otherwise hard-links the recorded files into its staging folder, so that pages whose
  key is unchanged are kept as they are (see `newsarchive.render`), and removes the
  linked files no page of the new build claimed (stories deleted, terms gone).

A build with warnings keeps nothing for the next one: its warnings must be seen again.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from .store import atomic_write

log = logging.getLogger(__name__)

MANIFEST_VERSION = 1
PACKAGE = Path(__file__).resolve().parent
SEARCH_FOLDER = "pagefind"


def digest(*parts: str | bytes) -> str:
    """A short hex digest of ``parts``, kept apart (("ab", "c") and ("a", "bc") differ)."""
    hasher = hashlib.blake2b(digest_size=16)
    for part in parts:
        hasher.update(part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part)
        hasher.update(b"\x00")
    return hasher.hexdigest()


def post_digest(article: Any) -> str:
    """A story as listings, its neighbours and its search record show it: everything in its
    post file, and where it lives (the URL decides the file name too, given the settings,
    which are in every key). Read once per story and build: it is kept on the story, so
    forked renderers inherit it."""
    known: str | None = getattr(article, "_newsarchive_post_digest", None)
    if known is None:
        source = Path(str(article.source_path)).read_bytes()
        # href: the URL as the plugin keeps it (Pelican computes url on every access)
        known = digest(source, str(getattr(article, "href", None) or article.url))
        article._newsarchive_post_digest = known
    return known


@dataclass(frozen=True)
class PageRecord:
    """What the manifest keeps of one written file: its key and the file's stamp."""

    key: str
    size: int
    mtime_ns: int

    def matches(self, path: Path) -> bool:
        try:
            stat = path.stat()
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


@dataclass(frozen=True)
class Manifest:
    inputs: str
    pages: dict[str, PageRecord]
    warnings: tuple[str, ...]
    files: int
    size: int
    search: str = ""  # the digest of the search records the site's index was made from

    def to_json(self) -> str:
        data = {
            "version": MANIFEST_VERSION,
            "inputs": self.inputs,
            "warnings": list(self.warnings),
            "files": self.files,
            "size": self.size,
            "search": self.search,
            "pages": {name: list(asdict(record).values()) for name, record in sorted(self.pages.items())},
        }
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def manifest_path(output: Path) -> Path:
    return output.with_name(f".{output.name}.manifest.json")


def load_manifest(output: Path) -> Manifest | None:
    """The previous build's manifest, or None when there is none or it cannot be read."""
    path = manifest_path(output)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != MANIFEST_VERSION:
            return None
        pages = {name: PageRecord(str(k), int(s), int(m)) for name, (k, s, m) in data["pages"].items()}
        return Manifest(
            str(data["inputs"]),
            pages,
            tuple(data["warnings"]),
            int(data["files"]),
            int(data["size"]),
            str(data.get("search", "")),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.info("%s: unreadable build manifest (%s); building everything", path, error)
        return None


def save_manifest(output: Path, manifest: Manifest) -> None:
    atomic_write(manifest_path(output), manifest.to_json())


def forget_manifest(output: Path) -> None:
    manifest_path(output).unlink(missing_ok=True)


def _stable(value: Any) -> str:
    """A repr of a setting that is the same from run to run (no memory addresses)."""
    if value is None or isinstance(value, str | int | float | bool):
        return repr(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{_stable(k)}:{_stable(v)}" for k, v in sorted(value.items(), key=repr)) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=repr) if isinstance(value, set | frozenset) else value
        return "[" + ",".join(_stable(item) for item in items) + "]"
    kind = value if isinstance(value, type) else type(value)
    return f"<{kind.__module__}.{kind.__qualname__}>"


def package_version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "-"


def folder_digest(folder: Path) -> list[str]:
    files = sorted(p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    return [f"{p.relative_to(folder).as_posix()}:{digest(p.read_bytes())}" for p in files]


def build_digest(settings: dict[str, Any]) -> str:
    """Everything every page depends on: theme, settings, code, data, tool versions."""
    theme = Path(str(settings["THEME"]))
    parts = [f"{name}={package_version(name)}" for name in ("pelican", "jinja2", "markdown", "pagefind")]
    parts += folder_digest(PACKAGE) + folder_digest(theme)
    parts += [f"{key}={_stable(value)}" for key, value in sorted(settings.items()) if key.isupper()]
    return digest(*parts)


def inputs_signature(build: str, content: Path) -> str:
    """The build digest and every content file's name, size and time stamp."""
    stamps = []
    for folder, _, names in sorted(os.walk(content)):
        for name in sorted(names):
            stat = os.stat(os.path.join(folder, name))
            stamps.append(
                f"{os.path.relpath(os.path.join(folder, name), content)}:{stat.st_size}:{stat.st_mtime_ns}"
            )
    return digest(build, *stamps)


def up_to_date(manifest: Manifest, output: Path, signature: str) -> bool:
    """The inputs are those of the last build, and its files are all still in place."""
    if manifest.inputs != signature or manifest.warnings or not (output / SEARCH_FOLDER).is_dir():
        return False
    if sum(len(names) for _, _, names in os.walk(output)) != manifest.files:
        return False  # a file was deleted or added by hand
    return all(record.matches(output / name) for name, record in manifest.pages.items())


def link_previous(manifest: Manifest, output: Path, staging: Path) -> dict[str, PageRecord]:
    """Hard-link the previous build's unchanged pages into ``staging``; return those linked."""
    linked: dict[str, PageRecord] = {}
    made_folders: set[Path] = set()
    for name, record in manifest.pages.items():
        source = output / name
        if not record.matches(source):
            continue
        target = staging / name
        if target.parent not in made_folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            made_folders.add(target.parent)
        try:
            os.link(source, target)
        except OSError as error:  # another file system, or no hard links: render it again
            log.debug("cannot link %s: %s", source, error)
            continue
        linked[name] = record
    return linked


def remove_stale(staging: Path, linked: dict[str, PageRecord], made: dict[str, PageRecord]) -> list[str]:
    """Delete linked files that no page of this build claimed; return their names."""
    stale = sorted(set(linked) - set(made))
    for name in stale:
        (staging / name).unlink(missing_ok=True)
        _remove_empty_parents(staging / name, staging)
    return stale


def _remove_empty_parents(path: Path, top: Path) -> None:
    folder = path.parent
    while folder != top and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def link_tree(source: Path, target: Path) -> None:
    """Copy a folder as hard links (the previous search index, when no story changed)."""
    for folder, _, names in os.walk(source):
        destination = target / Path(folder).relative_to(source)
        destination.mkdir(parents=True, exist_ok=True)
        for name in names:
            os.link(Path(folder) / name, destination / name)
