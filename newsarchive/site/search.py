"""The search index: Pagefind over one small record page per story, in shards, started early.

Pagefind reads only the part of a story page marked ``data-pagefind-body``. The theme
renders that part through one partial, for the story page and for a record page
(``search_record.html``). As soon as Pelican knows the stories, the build brings the
records up to date in a folder beside Pelican's cache and starts Pagefind on them: it
indexes while the pages are rendered and checked, instead of after them, and reads small
pages instead of whole ones.

The index is split into shards of bounded size: one per year of stories, or per month in
a year of more than `SHARD_STORIES` stories; each is a Pagefind bundle of its own under
``pagefind/<shard>/``, and the search page merges them in the browser (Pagefind's
``mergeIndex``). A record is written again only when its story's post file or URL, or the
build (theme, settings, code), changed; Pagefind runs only for the shards whose records
differ from those the last site's bundles were made from (the build manifest keeps each
shard's digest): an edited story re-indexes its own shard, the others are kept.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pelican.generators import PelicanTemplateNotFound

from newsarchive.core.digests import digest
from newsarchive.core.errors import BuildError
from newsarchive.core.parallel import fork_map
from newsarchive.core.state import StateFile
from newsarchive.site.incremental import link_tree, post_digest

RECORD_TEMPLATE = "search_record"
RECORDS_FOLDER = "search-records"
KEYS_FILE = ".keys.json"
KEYS_VERSION = 2  # 2: records by shard
# Below this many records to write, forking costs more than it saves.
MIN_PARALLEL = 200


SHARD_STORIES = 2_000  # a year with more stories than this is split by month


def shard_of(article: Any, year_sizes: dict[int, int]) -> str:
    """The shard a story's record goes to: its year, or its month in a large year."""
    year = article.date.year
    return f"{article.date:%Y-%m}" if year_sizes.get(year, 0) > SHARD_STORIES else str(year)


def shards_of(articles: Sequence[Any]) -> dict[str, list[Any]]:
    """The stories by shard, newest shard first."""
    sizes: dict[int, int] = {}
    for article in articles:
        sizes[article.date.year] = sizes.get(article.date.year, 0) + 1
    shards: dict[str, list[Any]] = {}
    for article in articles:
        shards.setdefault(shard_of(article, sizes), []).append(article)
    return dict(sorted(shards.items(), reverse=True))


def parse_digests(text: str) -> dict[str, str]:
    """The shard digests a manifest kept ({} for none, or the layout before shards)."""
    try:
        found = json.loads(text) if text else {}
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else {}


class SearchIndex:
    """This build's search index: a bundle per shard, made from the records, or the last
    build's bundle of a shard whose records did not change."""

    def __init__(
        self,
        previous: Path,
        indexed: str,
        target: Path,
        build_digest: str,
        workers: int,
        in_place: bool = False,
    ):
        self.previous = previous  # the last site's index folder
        self.indexed = parse_digests(indexed)  # the shard digests its bundles were made from
        self.target = target  # this build's index folder
        self.build_digest = build_digest
        self.workers = workers
        # A delta build (newsarchive.site.delta) leaves the bundles it keeps where they are.
        self.in_place = in_place
        self.shards: dict[str, str] = {}  # this build's shard digests, once written
        self.runs = PagefindRuns(workers or os.cpu_count() or 1)
        self.reindexed: list[str] = []  # the shards indexed again, once finished

    @property
    def kept(self) -> list[str]:
        """The shards whose last bundle this build keeps (once finished)."""
        return [shard for shard in self.shards if shard not in self.reindexed]

    @property
    def records(self) -> str:
        """This build's shard digests, as the manifest keeps them."""
        return json.dumps(self.shards, sort_keys=True, separators=(",", ":"))

    def update(self, generator: Any, shards: dict[str, list[Any]]) -> None:
        """Bring the records up to date with the generator's stories (``shards``: them by
        shard, see `shards_of`); start Pagefind on every shard whose records changed (or
        whose bundle the last site lacks)."""
        if not generator.articles:
            raise BuildError(
                f"{generator.path}: no stories to build a site from (Pagefind cannot index an "
                "empty archive); import some sources first"
            )
        folder = Path(generator.settings["CACHE_PATH"]) / RECORDS_FOLDER
        if not self.indexed:  # a clean build, or no record of the last: write them all
            shutil.rmtree(folder, ignore_errors=True)
        self.shards = write_records(folder, generator, shards, self.build_digest, self.workers)
        for shard, records in self.shards.items():
            if records != self.indexed.get(shard) or not (self.previous / shard).is_dir():
                self.runs.add(shard, folder / shard, self.target / shard)
        self.runs.start()

    def finish(self) -> list[str]:
        """Wait for Pagefind (keeping the last bundles of unchanged shards: linked into this
        build's folder, or left in place); return its warnings."""
        warnings = []
        for shard in self.shards:
            if shard not in self.runs.shards and not self.in_place:
                link_tree(self.previous / shard, self.target / shard)
        runs, self.runs = self.runs, PagefindRuns(self.runs.limit)
        self.reindexed = sorted(runs.shards)
        for shard, (returncode, stdout, stderr) in runs.wait().items():
            if returncode != 0:
                raise BuildError(f"Pagefind failed on the {shard} shard: {(stderr or stdout).strip()[-500:]}")
            warnings += [line for line in stdout.splitlines() if "warn" in line.lower()]
        return warnings

    def stop(self) -> None:
        """End any Pagefind still running (the build failed)."""
        self.runs.stop()


class PagefindRuns:
    """Pagefind on each shard to index, at most ``limit`` at a time, started in turn by a
    thread as earlier ones end, so that it indexes beside rendering while its memory stays
    that of ``limit`` shards (a cold build at 40,000 stories has 120 shards: started all at
    once, they ran 120 processes on two cores)."""

    def __init__(self, limit: int):
        self.limit = max(1, limit)
        self.shards: list[str] = []
        self._waiting: deque[tuple[str, Path, Path]] = deque()
        self._running: dict[str, subprocess.Popen[str]] = {}
        self._ended: dict[str, tuple[int, str, str]] = {}
        self._failure: BaseException | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def add(self, shard: str, site: Path, output: Path) -> None:
        self.shards.append(shard)
        self._waiting.append((shard, site, output))

    def start(self) -> None:
        if self._waiting and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="pagefind", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        try:
            active: deque[tuple[str, subprocess.Popen[str]]] = deque()
            while self._waiting or active:
                while self._waiting and len(active) < self.limit:
                    shard, site, output = self._waiting.popleft()
                    with self._lock:
                        if self._stopped:
                            return
                        process = self._running[shard] = start_pagefind(site, output)
                    active.append((shard, process))
                shard, process = active.popleft()
                stdout, stderr = process.communicate()
                self._ended[shard] = (process.returncode, stdout, stderr)
        except BaseException as error:  # given to the build by `wait`
            self._failure = error

    def wait(self) -> dict[str, tuple[int, str, str]]:
        """Each shard's return code, output and error output, once all have ended."""
        if self._thread is not None:
            self._thread.join()
        if self._failure is not None:
            raise BuildError(f"Pagefind could not run: {self._failure}") from self._failure
        return {shard: self._ended[shard] for shard in self.shards}

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            running = list(self._running.values())
        for process in running:
            process.kill()
        if self._thread is not None:
            self._thread.join()


def write_records(
    records: Path, generator: Any, shards: dict[str, list[Any]], build_digest: str, workers: int
) -> dict[str, str]:
    """Write the record of every story whose key changed, delete those of stories gone;
    return each shard's digest of its records' keys."""
    keys_file = keys_state(records)
    saved = keys_file.load()
    if not isinstance(saved, dict):  # no keys of this layout: none of the records there counts
        shutil.rmtree(records, ignore_errors=True)
    previous: dict[str, str] = saved if isinstance(saved, dict) else {}
    # Pelican works out save_as anew at every access, at some cost: once per story here.
    placed = {
        f"{shard}/{article.save_as}": article for shard, articles in shards.items() for article in articles
    }
    keys = {name: record_key(article, build_digest) for name, article in placed.items()}
    root = os.fspath(records)
    stale = [
        (name, article)
        for name, article in placed.items()
        if previous.get(name) != keys[name] or not os.path.isfile(os.path.join(root, name))
    ]
    gone = sorted(set(previous) - set(keys))
    for name in gone:
        (records / name).unlink(missing_ok=True)
    template = record_template(generator)
    context = generator.context

    def render(share: Sequence[tuple[str, Any]]) -> None:
        for name, article in share:
            write_record(records, name, template, context, article)

    if stale:  # until they are all written, no key vouches for any record (`write_record`)
        keys_file.path.unlink(missing_ok=True)
    fork_map(render, stale, workers if len(stale) >= MIN_PARALLEL else 1, "writing search records")
    if stale or gone or not keys_file.path.is_file():
        keys_file.save(keys)
    return shard_digests(keys)


def keys_state(records: Path) -> StateFile:
    """The file of every record's key (``shard/save_as`` -> key), in the records folder."""
    return StateFile(records / KEYS_FILE, KEYS_VERSION, "search record keys")


def shard_digests(keys: dict[str, str]) -> dict[str, str]:
    """Each shard's digest of its records' keys (records named ``shard/save_as``)."""
    by_shard: dict[str, dict[str, str]] = {}
    for name, key in keys.items():
        by_shard.setdefault(name.split("/", 1)[0], {})[name] = key
    return {
        shard: digest(json.dumps(k, sort_keys=True, separators=(",", ":"))) for shard, k in by_shard.items()
    }


def write_record(records: Path, name: str, template: Any, context: dict[str, Any], article: Any) -> None:
    """Write one story's record page (``name``: ``shard/save_as``).

    Written in place, not through a temporary file and a rename (three more file system
    operations per story, on the cold build's 40,000): before it writes any, the build
    removes the keys file and saves it again only once every record is written, so after
    a build killed midway no record counts as up to date and the next build writes them
    all again."""
    target = os.path.join(records, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "w", encoding="utf-8") as file:
        file.write(template.render({**context, "article": article}))


def record_template(generator: Any) -> Any:
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
    command = [*pagefind_command(), "--site", str(site), "--output-path", str(output), "--quiet"]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@functools.cache
def pagefind_command() -> tuple[str, ...]:
    """Pagefind's binary, as the pagefind package finds it (``PAGEFIND_BINARY_PATH``, then
    its own binary packages): run directly, not through ``python -m pagefind``, which
    starts a Python interpreter per shard only to find it (a cold build at 40,000 stories
    indexes 122 shards). Without one, the package's entry point says what is missing."""
    from pagefind.service import get_executable  # here: the package imports asyncio (45 ms a build)

    found = get_executable()
    return (str(found),) if found is not None else (sys.executable, "-m", "pagefind")
