"""Build the site: Pelican with the newsarchive plugin, the Pagefind search index beside it.

The site is built in a staging folder beside output/ and swapped in only when the whole
build succeeded, so an interrupted or failed build leaves the previous output/ whole.
"""

from __future__ import annotations

import fcntl
import logging
import os
import pickle
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from .config import Config
from .errors import BuildError, ConfigError
from .incremental import (
    SEARCH_FOLDER,
    Manifest,
    build_digest,
    forget_manifest,
    inputs_signature,
    link_previous,
    load_manifest,
    save_manifest,
    up_to_date,
)
from .linkcheck import resolves, site_files, unresolved_links
from .parallel import Forked
from .render import RenderPlan, rendering
from .search import SearchIndex

PLUGIN = "newsarchive.pelican_plugin"


@dataclass(frozen=True)
class BuildResult:
    output: Path
    warnings: tuple[str, ...]
    files: int
    size: int
    rendered: int = 0  # pages and feeds rendered (the rest were kept from the last build)
    up_to_date: bool = False  # nothing changed since the last build: nothing was done

    def summary(self) -> str:
        megabytes = self.size / 1e6
        count = len(self.warnings)
        if self.up_to_date:
            return (
                f"{self.output} is up to date: {self.files:,} files, {megabytes:,.1f} MB, {count} warning(s)"
            )
        return (
            f"built {self.output}: {self.files:,} files, {megabytes:,.1f} MB, "
            f"{self.rendered:,} page(s) rendered, {count} warning(s)"
        )


class _WarningCounter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def pelican_settings(config: Config, output: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    from pelican.settings import read_settings

    if not config.settings.is_file():
        raise ConfigError(f"{config.settings}: Pelican settings file not found")
    override = {
        "PATH": str(config.content),
        "OUTPUT_PATH": str(output),
        "CACHE_PATH": str(config.cache),
        # The staging folder starts empty but for the kept pages linked into it.
        "DELETE_OUTPUT_DIRECTORY": False,
        **(overrides or {}),
    }
    settings: dict[str, Any] = read_settings(str(config.settings), override=override)
    plugins = settings.setdefault("PLUGINS", []) or []
    if PLUGIN not in plugins:
        settings["PLUGINS"] = [*plugins, PLUGIN]
    return settings


def staging_paths(output: Path) -> tuple[Path, Path]:
    """Where the next site is built, and where the previous one waits during the swap."""
    return output.with_name(f".{output.name}.building"), output.with_name(f".{output.name}.previous")


def recover(output: Path) -> None:
    """Finish or undo a swap that a killed build left half done."""
    staging, previous = staging_paths(output)
    if previous.exists() and not output.exists():
        previous.rename(output)
    shutil.rmtree(previous, ignore_errors=True)
    shutil.rmtree(staging, ignore_errors=True)
    for trash in output.parent.glob(f".{output.name}.trash-*"):
        delete_in_background(trash)  # a deletion may still be running: never wait for it


def swap_in(staging: Path, output: Path) -> None:
    """Put the new site in place; the old one is deleted in the background."""
    _, previous = staging_paths(output)
    if output.exists():
        os.replace(output, previous)
    os.replace(staging, output)
    if previous.exists():
        trash = Path(tempfile.mkdtemp(prefix=f".{output.name}.trash-", dir=output.parent))
        os.replace(previous, trash / "site")
        delete_in_background(trash)


def delete_in_background(folder: Path) -> None:
    """Remove a folder without waiting: deleting tens of thousands of files takes seconds,
    and nothing needs them gone. A leftover (machine stopped) goes at the next build."""
    try:
        subprocess.Popen(
            ["rm", "-rf", "--", str(folder)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def exclusive(output: Path) -> Iterator[None]:
    """One build at a time per output folder: a second one stops with a clear message."""
    lock_path = output.with_name(f".{output.name}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise BuildError(f"another build of {output} is running; try again when it ends") from error
        yield


def build_site(
    config: Config,
    strict: bool = False,
    overrides: dict[str, Any] | None = None,
    jobs: int = 0,
    clean: bool = False,
) -> BuildResult:
    """Build into ``config.output``. With ``strict``, any warning fails the build.

    ``jobs`` worker processes render pages (0: one per core). Pages whose inputs did not
    change since the last build are kept as they are, unless ``clean`` asks for all.
    """
    if not config.content.is_dir():
        raise ConfigError(f"{config.content}: content folder not found; run `newsarchive import` first")
    with exclusive(config.output):
        return _build(config, strict, overrides, jobs or os.cpu_count() or 1, clean)


def _build(
    config: Config, strict: bool, overrides: dict[str, Any] | None, jobs: int, clean: bool
) -> BuildResult:
    recover(config.output)
    staging, _ = staging_paths(config.output)
    settings = pelican_settings(config, staging, overrides)
    plan = RenderPlan(build_digest(settings), workers=jobs)
    signature = inputs_signature(plan.build_digest, config.content)
    previous = None if clean else load_manifest(config.output)
    if previous and up_to_date(previous, config.output, signature):
        return BuildResult(config.output, previous.warnings, previous.files, previous.size, up_to_date=True)
    indexed = previous.search if previous else ""
    search = SearchIndex(
        config.output / SEARCH_FOLDER, indexed, staging / SEARCH_FOLDER, plan.build_digest, jobs
    )
    plan.search = search
    forget_manifest(config.output)
    try:
        if previous and not previous.warnings:
            # Linking the kept pages is file system work: a child process does it while
            # Pelican reads (one core); the pages are rendered once it is done.
            link = partial(link_previous, previous, config.output, staging)
            plan.linking = Forked(link, "linking the pages kept from the last build")
        try:
            with rendering(plan):
                warnings, site_url = _run_pelican(settings)
        except BaseException:
            with suppress(BuildError):
                plan.await_previous()
            raise
        plan.await_previous()
        # Pagefind is indexing the stories meanwhile (started by the plugin); links into
        # its folder are looked up once it is done.
        staged = site_files(staging, skip=SEARCH_FOLDER)
        pages = _pages_to_check(config.output, staged, plan)
        unresolved = unresolved_links(staging, site_url, pages, jobs, files=staged)
        warnings += search.finish()
        staged |= {f"{SEARCH_FOLDER}/{name}" for name in site_files(staging / SEARCH_FOLDER)}
        warnings += [str(link) for link in unresolved if not resolves(link.target, staged)]
        files, size = measure(staging, staged)
        if size > config.max_site_bytes:
            warnings.append(
                f"the site is {size / 1e6:,.1f} MB, over the {config.max_site_bytes / 1e6:,.0f} MB budget "
                "(max_site_bytes); see the README on moving past GitHub Pages' limit"
            )
        if strict and warnings:
            raise BuildError(f"--strict: {len(warnings)} warning(s): " + "; ".join(warnings[:5]))
    except BaseException:
        search.stop()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, config.output)
    save_manifest(
        config.output, Manifest(signature, plan.pages, tuple(warnings), files, size, search.records)
    )
    return BuildResult(config.output, tuple(warnings), files, size, rendered=len(plan.rendered))


def _pages_to_check(output: Path, staged: set[str], plan: RenderPlan) -> list[str] | None:
    """The pages whose links may have broken: all (None), unless this build kept pages from
    the last one and no file of the last site is missing; then only the pages it rendered."""
    if not plan.previous or not output.is_dir():
        return None
    gone = {name for name in site_files(output) - staged if not name.startswith(SEARCH_FOLDER)}
    if gone:
        return None
    return [name for name in plan.rendered if name.endswith(".html")]


def _run_pelican(settings: dict[str, Any]) -> tuple[list[str], str]:
    """Run Pelican into its OUTPUT_PATH; return its warnings and the site URL it built for."""
    from pelican import Pelican

    counter = _WarningCounter()
    loggers = [logging.getLogger(name) for name in ("pelican", "newsarchive")]
    for logger in loggers:
        logger.addHandler(counter)
    try:
        try:
            Pelican(settings).run()
        except (EOFError, pickle.UnpicklingError):
            # A build killed while Pelican saved its cache leaves a truncated cache file,
            # which Pelican cannot read: drop the cache (it only saves time) and build again.
            shutil.rmtree(settings["CACHE_PATH"], ignore_errors=True)
            shutil.rmtree(settings["OUTPUT_PATH"], ignore_errors=True)
            Pelican(settings).run()
    except (ConfigError, BuildError):
        raise
    except Exception as error:
        raise BuildError(f"Pelican failed: {type(error).__name__}: {error}") from error
    finally:
        for logger in loggers:
            logger.removeHandler(counter)
    return counter.messages, str(settings.get("SITEURL") or "")


def measure(folder: Path, files: set[str]) -> tuple[int, int]:
    """File count and total bytes of ``files`` (site-relative paths) in ``folder``."""
    root = str(folder)
    return len(files), sum(os.stat(os.path.join(root, name)).st_size for name in files)
