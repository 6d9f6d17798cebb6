"""Build the site: Pelican with the newsarchive plugin, the Pagefind search index beside it.

The site is built in a staging folder beside output/ and put in place only when the whole
build succeeded, so an interrupted or failed build leaves the previous output/ whole: the
whole site swapped in, or, when the last build's pages are kept where they are, the files
this build wrote moved in (`newsarchive.site.delta`).
"""

from __future__ import annotations

import fcntl
import gc
import os
import pickle
import shutil
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from newsarchive.core.config import Config
from newsarchive.core.errors import BuildError, ConfigError, NewsarchiveError, Warnings
from newsarchive.core.parallel import Forked
from newsarchive.site import pelican_compat
from newsarchive.site.delta import can_build_delta, commit, delete_in_background, discard, kept_shard_files
from newsarchive.site.incremental import (
    SEARCH_FOLDER,
    Manifest,
    build_digest,
    complete,
    content_stamps,
    forget_manifest,
    inputs_signature,
    link_previous,
    load_manifest,
    reading_digest,
    save_manifest,
    site_as_built,
)
from newsarchive.site.linkcheck import resolves, site_files, unresolved_links
from newsarchive.site.plugin.settings import plugin_options
from newsarchive.site.render import RenderPlan, TemplateNames, attach
from newsarchive.site.search import SearchIndex
from newsarchive.site.sitemap import sitemap_url, write_sitemaps
from newsarchive.site.story_cache import StoryCache, own_content_cache

PLUGIN = "newsarchive"


@dataclass(frozen=True)
class BuildResult:
    """What a build made: its folder, warnings, file count and size, pages rendered."""

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


def pelican_settings(config: Config, output: Path, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Pelican's settings from the project's settings file, pointed at ``output`` and the project's folders,
    with the plugin added; a settings file that fails is one ConfigError."""
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
    try:
        settings: dict[str, Any] = read_settings(str(config.settings), override=override)
    except SyntaxError as error:
        raise ConfigError(f"{config.settings}: line {error.lineno}: {error.msg}") from error
    except Exception as error:  # the settings file is Python: it can fail in any way
        raise ConfigError(
            f"{config.settings}: {_where(error, config.settings)}{type(error).__name__}: {error}"
        ) from error
    plugin_options(settings, str(config.settings))  # a wrong option names the file
    if settings.get("CACHE_CONTENT") and settings.get("WITH_FUTURE_DATES", True):
        # Pelican then keeps the story objects themselves, not only what its readers
        # parsed: a build does not make 10,000 of them anew (see story_cache.own_content_cache).
        # Pelican warns that future stories would stay hidden from the cache otherwise.
        settings["CONTENT_CACHING_LAYER"] = "generator"
    plugins = settings.setdefault("PLUGINS", []) or []
    if PLUGIN not in plugins:
        settings["PLUGINS"] = [*plugins, PLUGIN]
    return settings


def _where(error: BaseException, settings_file: Path) -> str:
    """ "line N: " of the settings file where ``error`` was raised, when it was raised there."""
    frames = traceback.extract_tb(error.__traceback__)
    lines = [frame.lineno for frame in frames if Path(frame.filename).resolve() == settings_file.resolve()]
    return f"line {lines[-1]}: " if lines else ""


def theme_folder(config: Config) -> Path:
    """The theme folder the settings name (``theme/`` when they cannot be read yet)."""
    try:
        return Path(pelican_settings(config, config.output)["THEME"])
    except (NewsarchiveError, ValueError, OSError):
        return config.root / "theme"


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
        discard(previous, output)


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
    warnings: Warnings | None = None,
    keep: Callable[[RenderPlan], None] | None = None,
) -> BuildResult:
    """Build into ``config.output``. With ``strict``, any warning fails the build.

    ``jobs`` worker processes render pages (0: one per core). Pages whose inputs did not
    change since the last build are kept as they are, unless ``clean`` asks for all.
    ``warnings`` is the run's counter when the build is part of a larger run (it decides
    --strict then). ``keep`` is handed the run's model once the build is in place (the dev
    server's; Pelican runs even when nothing changed, to make it).
    """
    if not config.content.is_dir():
        raise ConfigError(f"{config.content}: content folder not found; run `newsarchive import` first")
    warnings = warnings or Warnings(strict)
    with exclusive(config.output):
        try:
            return _build(config, overrides, jobs or os.cpu_count() or 1, clean, warnings, keep)
        finally:
            # The plugin took the run's model out of the collector's way (plugin/memory.py).
            gc.enable()
            gc.unfreeze()


def _build(
    config: Config,
    overrides: dict[str, Any] | None,
    jobs: int,
    clean: bool,
    warnings: Warnings,
    keep: Callable[[RenderPlan], None] | None = None,
) -> BuildResult:
    recover(config.output)
    start = len(warnings.messages)
    staging, _ = staging_paths(config.output)
    settings = pelican_settings(config, staging, overrides)
    plan = RenderPlan(build_digest(settings), workers=jobs)
    plan.content = content_stamps(config.content)
    signature = inputs_signature(plan.build_digest, config.content, plan.content)
    previous = None if clean else load_manifest(config.output)
    plan.keep_model = keep is not None
    # With the inputs of the last build, the site is up to date if it is as that build left
    # it; if not (a file added to it by hand), it is made afresh, not kept in place (a delta
    # build would keep the stray file). Its files are looked at once, here.
    same_inputs = previous is not None and previous.inputs == signature
    as_built = previous is not None and same_inputs and site_as_built(previous, config.output)
    if previous is not None and as_built and not keep and complete(previous, config.output):
        return BuildResult(config.output, previous.warnings, previous.files, previous.size, up_to_date=True)
    # The last build's manifest, when its pages stay in place (newsarchive.site.delta).
    keeps_last = can_build_delta(previous) and pelican_compat.supported() and (as_built or not same_inputs)
    last_site = previous if keeps_last else None
    indexed = previous.search if previous else ""
    search = SearchIndex(
        config.output / SEARCH_FOLDER,
        indexed,
        staging / SEARCH_FOLDER,
        plan.build_digest,
        jobs,
        in_place=last_site is not None,
    )
    plan.search = search
    cache = Path(settings["CACHE_PATH"])
    plan.stories = StoryCache.load(cache, plan.build_digest, clean, config.output.name)
    plan.stories.stamps = plan.content
    own_content_cache(settings, reading_digest(settings))
    if clean:
        settings["LOAD_CONTENT_CACHE"] = False  # every post read again (not in the digests)
    plan.templates = TemplateNames(cache)
    attach(settings, plan)
    forget_manifest(config.output)
    try:
        with warnings.listening("pelican", "newsarchive"):
            pelican_compat.forget_logged_messages()
            unsupported = pelican_compat.unsupported_warning()
            if unsupported:
                warnings.add(unsupported)
            if last_site:
                plan.previous, plan.kept = dict(last_site.pages), config.output  # kept in place
            elif previous and not previous.warnings and not unsupported:
                # Linking the kept pages is file system work: a child process does it while
                # Pelican reads (one core); the pages are rendered once it is done.
                link = partial(link_previous, previous, config.output, staging)
                plan.linking = Forked(link, "linking the pages kept from the last build")
            try:
                site_url = _run_pelican(settings)
            except BaseException:
                with suppress(BuildError):
                    plan.await_previous()
                raise
            plan.await_previous()
        # Pagefind is indexing the stories meanwhile (started by the plugin); links into
        # its folder are looked up once it is done.
        written = site_files(staging, skip=SEARCH_FOLDER)
        staged = written | set(plan.pages)  # the pages kept in place too (a delta build)
        for sitemap in write_sitemaps(staging, sitemap_url(settings), files=staged):
            name = sitemap.relative_to(staging).as_posix()
            staged.add(name)
            written.add(name)
        pages = _pages_to_check(previous, config.output, staged, plan)
        unresolved = unresolved_links(staging, site_url, pages, jobs, files=staged, kept=plan.kept)
        for message in search.finish():
            warnings.add(message)
        indexed_now = {f"{SEARCH_FOLDER}/{name}" for name in site_files(staging / SEARCH_FOLDER)}
        written |= indexed_now
        staged |= indexed_now | (kept_shard_files(last_site, search.kept) if last_site else set())
        for broken in unresolved:
            if not resolves(broken.target, staged):
                warnings.add(str(broken))
        files, size = measure(staging, staged, written, plan)
        if size > config.max_site_bytes:
            warnings.add(
                f"the site is {size / 1e6:,.1f} MB, over the {config.max_site_bytes / 1e6:,.0f} MB budget "
                "(max_site_bytes); see the README on moving past GitHub Pages' limit"
            )
        warnings.check("the build", start)
    except BaseException:
        search.stop()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if last_site:
        commit(staging, config.output, written, last_site.site_files() - staged, search.reindexed)
    else:
        swap_in(staging, config.output)
    plan.stories.save()
    plan.templates.save()
    found = warnings.since(start)
    others = tuple(sorted(staged - set(plan.pages)))  # files not rendered by Pelican's writer
    save_manifest(config.output, Manifest(signature, plan.pages, found, files, size, search.records, others))
    if keep:
        keep(plan)
    return BuildResult(config.output, found, files, size, rendered=len(plan.rendered))


def _pages_to_check(
    previous: Manifest | None, output: Path, staged: set[str], plan: RenderPlan
) -> list[str] | None:
    """The pages whose links may have broken: all (None), unless this build kept pages from
    the last one and no file of the last site is missing; then only the pages it rendered.
    The last site's files are those its manifest lists (the folder is walked for a manifest
    without the list)."""
    if not plan.previous or previous is None or not output.is_dir():
        return None
    last_site = previous.site_files() if previous.others is not None else site_files(output)
    gone = {name for name in last_site - staged if not name.startswith(SEARCH_FOLDER)}
    if gone:
        return None
    return [name for name in plan.rendered if name.endswith(".html")]


def _run_pelican(settings: dict[str, Any]) -> str:
    """Run Pelican into its OUTPUT_PATH; return the site URL it built for."""
    from pelican import Pelican

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
    return str(settings.get("SITEURL") or "")


def measure(folder: Path, files: set[str], written: set[str], plan: RenderPlan) -> tuple[int, int]:
    """File count and total bytes of ``files`` (site-relative paths): the pages by their
    records (each kept or just written), the other files from ``folder``, where those
    ``written`` are, or from the last site (``plan.kept``, a delta build's kept shards)."""
    root, elsewhere = str(folder), str(plan.kept or folder)
    size = 0
    for name in files:
        record = plan.pages.get(name)
        if record is not None:
            size += record.size
        else:
            size += os.stat(os.path.join(root if name in written else elsewhere, name)).st_size
    return len(files), size
