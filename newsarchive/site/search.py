"""The search index: Pagefind over one small record page per story, started early.

Pagefind reads only the part of a story page marked ``data-pagefind-body``. The theme
renders that part through one partial, for the story page and for a record page
(``search_record.html``). As soon as Pelican knows the stories, the build brings the
records up to date in a folder beside Pelican's cache and starts Pagefind on them: it
indexes on one core while the pages are rendered and checked, instead of after them, and
reads small pages instead of whole ones. A record is written again only when its story's
post file or URL, or the build (theme, settings, code), changed; Pagefind runs only when
the records differ from those the last site's index was made from (the build manifest
keeps their digest), else that index is kept.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pelican.generators import PelicanTemplateNotFound

from newsarchive.core.digests import digest
from newsarchive.core.errors import BuildError
from newsarchive.core.files import atomic_write
from newsarchive.core.parallel import fork_map
from newsarchive.core.state import StateFile
from newsarchive.site.incremental import link_tree, post_digest

RECORD_TEMPLATE = "search_record"
RECORDS_FOLDER = "search-records"
KEYS_FILE = ".keys.json"
KEYS_VERSION = 1
# Below this many records to write, forking costs more than it saves.
MIN_PARALLEL = 200


class SearchIndex:
    """This build's search index: from the records, or the last build's when none changed."""

    def __init__(self, previous: Path, indexed: str, target: Path, build_digest: str, workers: int):
        self.previous = previous  # the last site's index folder
        self.indexed = indexed  # the digest of the records it was made from ("": unknown)
        self.target = target  # this build's index folder
        self.build_digest = build_digest
        self.workers = workers
        self.records = ""  # the digest of this build's records, once written
        self.process: subprocess.Popen[str] | None = None

    def update(self, generator: Any) -> None:
        """Bring the records up to date with the generator's stories; start Pagefind if
        one changed (or there is no index to keep)."""
        if not generator.articles:
            raise BuildError(
                f"{generator.path}: no stories to build a site from (Pagefind cannot index an "
                "empty archive); import some sources first"
            )
        folder = Path(generator.settings["CACHE_PATH"]) / RECORDS_FOLDER
        if not self.indexed:  # a clean build, or no record of the last: write them all
            shutil.rmtree(folder, ignore_errors=True)
        self.records = write_records(folder, generator, self.build_digest, self.workers)
        if self.records != self.indexed or not self.previous.is_dir():
            self.process = start_pagefind(folder, self.target)

    def finish(self) -> list[str]:
        """Wait for Pagefind (or keep the last index); return its warnings."""
        if self.process is None:
            link_tree(self.previous, self.target)
            return []
        process, self.process = self.process, None
        stdout, stderr = process.communicate()
        if process.returncode != 0:
            raise BuildError(f"Pagefind failed: {(stderr or stdout).strip()[-500:]}")
        return [line for line in stdout.splitlines() if "warn" in line.lower()]

    def stop(self) -> None:
        """End a Pagefind still running (the build failed)."""
        if self.process is not None:
            self.process.kill()
            self.process.communicate()
            self.process = None


def write_records(records: Path, generator: Any, build_digest: str, workers: int) -> str:
    """Write the record of every story whose key changed, delete those of stories gone;
    return a digest of all the records' keys."""
    keys_file = StateFile(records / KEYS_FILE, KEYS_VERSION, "search record keys")
    saved = keys_file.load()
    previous: dict[str, str] = saved if isinstance(saved, dict) else {}
    # Pelican works out save_as anew at every access, at some cost: once per story here.
    stories = {article.save_as: article for article in generator.articles}
    keys = {name: record_key(article, build_digest) for name, article in stories.items()}
    stale = [
        (name, article)
        for name, article in stories.items()
        if previous.get(name) != keys[name] or not (records / name).is_file()
    ]
    gone = sorted(set(previous) - set(keys))
    for name in gone:
        (records / name).unlink(missing_ok=True)
    template = _record_template(generator)
    context = generator.context

    def render(share: Sequence[tuple[str, Any]]) -> None:
        for name, article in share:
            target = records / name
            target.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(target, template.render({**context, "article": article}))

    fork_map(render, stale, workers if len(stale) >= MIN_PARALLEL else 1, "writing search records")
    if stale or gone or not keys_file.path.is_file():
        keys_file.save(keys)
    return digest(json.dumps(keys, sort_keys=True, separators=(",", ":")))


def _record_template(generator: Any) -> Any:
    try:
        return generator.get_template(RECORD_TEMPLATE)
    except PelicanTemplateNotFound as error:
        raise BuildError(
            f"the theme has no {RECORD_TEMPLATE}.html, the page the search index reads of each "
            "story: copy it (and partials/story_body.html) from newsarchive's theme/templates"
        ) from error


def record_key(article: Any, build_digest: str) -> str:
    """What a story's record shows: its post file and URL, given the build."""
    return digest(build_digest, post_digest(article))


def start_pagefind(site: Path, output: Path) -> subprocess.Popen[str]:
    """Start Pagefind indexing the record pages of ``site`` into ``output``."""
    os.makedirs(site, exist_ok=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(output), "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
