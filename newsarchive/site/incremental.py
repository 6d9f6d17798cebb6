"""What the previous build left behind, and what the next build may keep of it.

After every successful build a manifest beside the output folder (``.output.manifest.json``)
records the build's input signature and, per page and feed, the key it was rendered with
and the file's size and time stamp. The next build

- stops at once when the input signature is unchanged and every recorded file is still
  the one the build wrote ("up to date", like make);
- otherwise keeps the pages whose key is unchanged as they are (see
  `newsarchive.site.render`): where the manifest lists every file of the last site, they
  stay in it and the build writes only what changed beside it (`newsarchive.site.delta`);
  else they are hard-linked into the build's staging folder; the files of the last site
  that no page of the new build claimed (stories deleted, terms gone) are removed.

A build with warnings keeps nothing for the next one: its warnings must be seen again.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsarchive.core.digests import code_digest, digest, folder_digest, stable_repr
from newsarchive.core.state import StateFile
from newsarchive.site.story_cache import source_digest

log = logging.getLogger(__name__)

MANIFEST_VERSION = 2
# The code every page depends on; core is shared with the import side.
SITE_CODE = ("core", "site")
SITE_TOOLS = ("pelican", "jinja2", "markdown", "pagefind", "babel")
SEARCH_FOLDER = "pagefind"


def post_digest(article: Any) -> str:
    """A story as listings, its neighbours and its search record show it: everything in its
    post file (its digest, from the story cache when the file is unchanged), where it lives
    (the URL decides the file name too, given the settings, which are in every key), and the
    names, local-script names and slugs its tags have in the gazetteer (which is not in the
    build digest). Computed once per story and build, once the plugin has attached the tags:
    it is kept on the story, so forked renderers inherit it."""
    known: str | None = getattr(article, "_newsarchive_post_digest", None)
    if known is None:
        # href: the URL as the plugin keeps it (Pelican computes url on every access)
        terms = [*getattr(article, "companies", ()), *getattr(article, "technologies", ())]
        named = [f"{type(term).__name__}:{term.slug}:{term.name}:{_local_name(term)}" for term in terms]
        known = digest(source_digest(article), str(getattr(article, "href", None) or article.url), *named)
        article._newsarchive_post_digest = known
    return known


def _local_name(term: Any) -> str:
    """The local-script name a term's gazetteer entry gives it (search records index it)."""
    return str(getattr(getattr(term, "entity", None), "local_name", "") or "")


@dataclass(frozen=True)
class PageRecord:
    """What the manifest keeps of one written file: its key and the file's stamp."""

    key: str
    size: int
    mtime_ns: int

    def matches(self, path: str | Path) -> bool:
        try:
            stat = os.stat(path)
        except OSError:
            return False
        return stat.st_size == self.size and stat.st_mtime_ns == self.mtime_ns


@dataclass(frozen=True)
class Manifest:
    """What a build leaves for the next: its input signature, every page's record, warnings, size, the search
    records' digest."""

    inputs: str
    pages: dict[str, PageRecord]
    warnings: tuple[str, ...]
    files: int
    size: int
    search: str = ""  # the digest of the search records the site's index was made from
    # The site's other files (theme, static files, sitemaps, search index, ...) by
    # site-relative path; None in a manifest from before they were kept.
    others: tuple[str, ...] | None = None

    def site_files(self) -> set[str]:
        """Every file of the site this manifest describes (with ``others`` kept)."""
        return set(self.pages) | set(self.others or ())

    def to_json(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs,
            "warnings": list(self.warnings),
            "files": self.files,
            "size": self.size,
            "search": self.search,
            "others": list(self.others) if self.others is not None else None,
            "pages": {name: [r.key, r.size, r.mtime_ns] for name, r in sorted(self.pages.items())},
        }


def manifest_file(output: Path) -> StateFile:
    return StateFile(output.with_name(f".{output.name}.manifest.json"), MANIFEST_VERSION, "build manifest")


def load_manifest(output: Path) -> Manifest | None:
    """The previous build's manifest, or None when there is none or it cannot be read."""
    state = manifest_file(output)
    data = state.load()
    if data is None:
        return None
    try:
        pages = {name: PageRecord(str(k), int(s), int(m)) for name, (k, s, m) in data["pages"].items()}
        return Manifest(
            str(data["inputs"]),
            pages,
            tuple(data["warnings"]),
            int(data["files"]),
            int(data["size"]),
            str(data.get("search", "")),
            tuple(str(name) for name in data["others"]) if data.get("others") is not None else None,
        )
    except (ValueError, KeyError, TypeError) as error:
        log.info("%s: unreadable build manifest (%s); building everything", state.path, error)
        return None


def save_manifest(output: Path, manifest: Manifest) -> None:
    manifest_file(output).save(manifest.to_json())


def forget_manifest(output: Path) -> None:
    manifest_file(output).forget()


def cache_folder(settings: dict[str, Any]) -> Path | None:
    """Where Pelican keeps its caches, when it keeps any (CACHE_CONTENT): the plugin keeps
    its own beside them."""
    return (
        Path(str(settings["CACHE_PATH"]))
        if settings.get("CACHE_CONTENT") and settings.get("CACHE_PATH")
        else None
    )


def build_digest(settings: dict[str, Any]) -> str:
    """Everything every page depends on: theme, settings, the site's code, tool versions.

    The gazetteer is not in it: what a page shows of a company or technology is in the
    page's own key (see `newsarchive.site.render`), so a gazetteer change re-renders the
    pages it affects. Nor is the import side's code: posts are the contract between the
    two, and a post's change is in the keys of the pages that show it."""
    theme = Path(str(settings["THEME"]))
    parts = code_digest(SITE_CODE, SITE_TOOLS) + folder_digest(theme)
    parts += [f"{key}={stable_repr(value)}" for key, value in sorted(settings.items()) if key.isupper()]
    return digest(*parts)


# Settings that do not change what Pelican makes of a post (the staging folder a site is
# built in, whether its content cache is loaded).
_NOT_READING = ("OUTPUT_PATH", "LOAD_CONTENT_CACHE")


def reading_digest(settings: dict[str, Any]) -> str:
    """The build digest without the settings that only say where the site goes: what the
    story objects of Pelican's content cache depend on (two sites of one project, built
    into two folders, share the cache)."""
    return build_digest({key: value for key, value in settings.items() if key not in _NOT_READING})


Stamps = dict[str, tuple[int, int]]  # a content file's path -> its size and time stamp


def content_stamps(content: Path) -> Stamps:
    """Every content file's size and time stamp, by its path (the content folder's path
    joined with the file's, as Pelican names posts), in name order."""
    stamps: Stamps = {}
    root = os.path.abspath(content)
    for folder, _, names in sorted(os.walk(root)):
        for name in sorted(names):
            path = os.path.join(folder, name)
            stat = os.stat(path)
            stamps[path] = (stat.st_size, stat.st_mtime_ns)
    return stamps


def inputs_signature(build: str, content: Path, stamps: Stamps | None = None) -> str:
    """The build digest and every content file's name, size and time stamp."""
    stamps = content_stamps(content) if stamps is None else stamps
    start = len(os.path.abspath(content)) + 1
    return digest(build, *(f"{path[start:]}:{size}:{mtime}" for path, (size, mtime) in stamps.items()))


def count_files(folder: str) -> int:
    """The files under ``folder``, counted as `os.walk` lists them (a link to a folder is not
    entered), with one `scandir` a folder and no other system call: the no-change build's
    look at a site of 20,000 folders."""
    count = 0
    pending = [folder]
    while pending:
        try:
            entries = os.scandir(pending.pop())
        except OSError:
            continue
        with entries:
            for entry in entries:
                if not entry.is_dir():
                    count += 1
                elif not entry.is_symlink():
                    pending.append(entry.path)
    return count


def pages_in_place(output: Path, pages: dict[str, PageRecord]) -> bool:
    """Every recorded page has its recorded size and time stamp (paths joined as strings:
    pathlib's objects cost more than the `stat` calls at 40,000 pages)."""
    root = os.fspath(output)
    for name, record in pages.items():
        try:
            stat = os.stat(os.path.join(root, name))
        except OSError:
            return False
        if stat.st_size != record.size or stat.st_mtime_ns != record.mtime_ns:
            return False
    return True


def site_as_built(manifest: Manifest, output: Path) -> bool:
    """The last build's files are all in place, as it wrote them, and none was added by hand."""
    return count_files(os.fspath(output)) == manifest.files and pages_in_place(output, manifest.pages)


def complete(manifest: Manifest, output: Path) -> bool:
    """The last build left a site that needs nothing more: no warnings, its search index made."""
    return not manifest.warnings and (output / SEARCH_FOLDER).is_dir()


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
        remove_empty_parents(staging / name, staging)
    return stale


def remove_empty_parents(path: Path, top: Path) -> None:
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
