"""`newsarchive serve`: the site on 127.0.0.1, brought up to date when a project's input changes.

The watcher says which files were added, changed or removed, so that the resident site
(`newsarchive.site.resident`) can apply one edit as a delta. `EventWatcher` hears of them
from the operating system (watchfiles: inotify, FSEvents, ReadDirectoryChangesW), at once
and at no cost per file: polling file stamps (`Watcher`) walks every file at each look,
2.5 s at the 80,000 files of 40,000 stories. Polling is what is left where the system
cannot watch (too many watches, some network drives).

The web server is in this process. Beside the site's files it answers two addresses of its
own, never written into output/: ``/__newsarchive/version`` (a number that grows with each
change applied) and ``/__newsarchive/reload.js`` (a small script that polls it and reloads
the page when it grows). Every HTML page it serves gets that script as one ``<script
src>`` before ``</body>``: same-origin, so the pages' Content-Security-Policy allows it.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsarchive.core.config import Config
from newsarchive.core.digests import digest
from newsarchive.core.errors import BuildError

log = logging.getLogger(__name__)

DEV_PREFIX = "/__newsarchive/"
VERSION_PATH = DEV_PREFIX + "version"
SCRIPT_PATH = DEV_PREFIX + "reload.js"
SCRIPT_TAG = f'<script src="{SCRIPT_PATH}" defer></script>'
# Polls the version every half second; reloads when it grew (a failed fetch waits for the
# server to come back). No dependency, nothing inline.
RELOAD_SCRIPT = """\
(function () {
  var seen = null;
  function look() {
    fetch("VERSION", {cache: "no-store"})
      .then(function (response) { return response.text(); })
      .then(function (version) {
        if (seen !== null && version !== seen) { window.location.reload(); }
        seen = version;
      })
      .catch(function () {})
      .then(function () { window.setTimeout(look, 500); });
  }
  look();
})();
""".replace("VERSION", VERSION_PATH)


def watched(config: Config, theme: Path) -> list[Path]:
    """What a rebuild depends on: sources, posts, the theme and the settings."""
    return [config.sources, config.content, theme, config.settings, config.root / "pyproject.toml"]


Stamps = dict[str, tuple[int, int]]


def stamps(paths: Iterable[Path]) -> Stamps:
    """Every file's size and modification time under ``paths`` (files among them too)."""
    found: Stamps = {}
    for path in paths:
        if path.is_file():
            _add_stamp(found, str(path))
        for folder, subfolders, names in os.walk(path):
            subfolders.sort()
            for name in names:
                _add_stamp(found, os.path.join(folder, name))
    return found


def _add_stamp(found: Stamps, path: str) -> None:
    try:
        stat = os.stat(path)
    except OSError:  # removed while we looked: the next look sees it gone
        return
    found[path] = (stat.st_size, stat.st_mtime_ns)


def stamp(paths: Iterable[Path]) -> str:
    """A digest of every file's name, size and modification time under ``paths``."""
    return digest(*(f"{path}:{size}:{mtime}" for path, (size, mtime) in sorted(stamps(paths).items())))


@dataclass(frozen=True)
class Changes:
    """The files added, changed and removed between two looks, each sorted."""

    added: tuple[Path, ...] = ()
    modified: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.modified or self.removed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.modified) + len(self.removed)

    def under(self, folder: Path) -> Changes:
        """Only the changes inside ``folder``."""

        def inside(paths: tuple[Path, ...]) -> tuple[Path, ...]:
            return tuple(path for path in paths if path.is_relative_to(folder))

        return Changes(inside(self.added), inside(self.modified), inside(self.removed))

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            tuple(sorted({*self.added, *other.added})),
            tuple(sorted({*self.modified, *other.modified})),
            tuple(sorted({*self.removed, *other.removed})),
        )


def difference(before: Stamps, after: Stamps) -> Changes:
    """What changed from ``before`` to ``after``."""
    added = sorted(Path(name) for name in after.keys() - before.keys())
    removed = sorted(Path(name) for name in before.keys() - after.keys())
    modified = sorted(Path(name) for name, known in after.items() if before.get(name, known) != known)
    return Changes(tuple(added), tuple(modified), tuple(removed))


class Watcher:
    """Says what changed under ``paths`` since the last time it was asked."""

    def __init__(self, paths: list[Path]):
        self.paths = paths
        self.last = stamps(paths)

    def changes(self) -> Changes:
        current = stamps(self.paths)
        found, self.last = difference(self.last, current), current
        return found

    def changed(self) -> bool:
        return bool(self.changes())

    def settle(self) -> Changes:
        """Take the files as they are now as seen (after an import wrote posts); return what
        changed since the last look."""
        return self.changes()


class EventWatcher:
    """`Watcher`'s answers from the operating system's file events, heard by a thread."""

    def __init__(self, paths: list[Path]):
        self.paths = [path for path in paths if path.exists()]
        self._pending: dict[Path, str] = {}  # path -> "added", "modified" or "removed"
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._failed: Watcher | None = None
        self._thread = threading.Thread(target=self._listen, name="file events", daemon=True)
        self._thread.start()

    def _listen(self) -> None:
        import watchfiles

        try:
            for events in watchfiles.watch(
                *self.paths, stop_event=self._stop, debounce=20, step=10, ignore_permission_denied=True
            ):
                with self._lock:
                    for change, name in events:
                        self._note(Path(name), change.name)
        except Exception as error:  # the system cannot watch here: poll instead
            log.warning("cannot watch %s for changes (%s); looking at file stamps instead", self.paths, error)
            self._failed = Watcher(self.paths)

    def _note(self, path: Path, change: str) -> None:
        """Fold one event into what is pending for ``path`` since the last look."""
        before = self._pending.get(path)
        if change == "added":
            self._pending[path] = "modified" if before == "removed" else "added"
        elif change == "modified":
            self._pending[path] = before if before == "added" else "modified"
        elif before == "added":
            del self._pending[path]  # made and removed between two looks
        else:
            self._pending[path] = "removed"

    def changes(self) -> Changes:
        if self._failed is not None:
            return self._failed.changes()
        with self._lock:
            pending, self._pending = self._pending, {}
        by_kind: dict[str, tuple[Path, ...]] = {
            kind: tuple(sorted(path for path, change in pending.items() if change == kind))
            for kind in ("added", "modified", "removed")
        }
        # a folder made is no input of its own, but the files in it are: the system watches
        # a new folder only once it has heard of it, and misses files written in it before
        # (the importer makes content/2016/ and writes a post in it at once)
        added = sorted({*(path for path in by_kind["added"] if path.is_file()), *_files_in(by_kind["added"])})
        modified = tuple(path for path in by_kind["modified"] if path.is_file() and path not in added)
        return Changes(tuple(added), modified, by_kind["removed"])

    def changed(self) -> bool:
        return bool(self.changes())

    def settle(self) -> Changes:
        return self.changes()

    def stop(self) -> None:
        self._stop.set()


def _files_in(paths: Iterable[Path]) -> Iterator[Path]:
    """Every file under those of ``paths`` that are folders."""
    for path in paths:
        if path.is_dir():
            for folder, _, names in os.walk(path):
                yield from (Path(folder, name) for name in names)


class _Handler(SimpleHTTPRequestHandler):
    """The site's files, the reload script in HTML pages, the version and the script."""

    site: DevSite

    def log_message(self, format: str, *args: Any) -> None:
        return None

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == VERSION_PATH:
            self._answer(str(self.site.version).encode(), "text/plain; charset=utf-8")
        elif path == SCRIPT_PATH:
            self._answer(RELOAD_SCRIPT.encode(), "text/javascript; charset=utf-8")
        elif (page := self._html_file(path)) is not None:
            self._page(page)
        else:
            super().do_GET()

    def _html_file(self, path: str) -> Path | None:
        file = Path(self.translate_path(path))
        if file.is_dir():
            if not path.endswith("/"):
                return None  # the base class redirects to the folder's URL
            file = file / "index.html"
        return file if file.suffix == ".html" and file.is_file() else None

    def _page(self, file: Path) -> None:
        try:
            html = file.read_bytes()
        except OSError:
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        at = html.rfind(b"</body>")
        if at >= 0:
            html = html[:at] + SCRIPT_TAG.encode() + html[at:]
        self._answer(html, "text/html; charset=utf-8")

    def _answer(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)


class DevSite:
    """The web server of ``output`` on 127.0.0.1:``port``, in a thread of this process."""

    def __init__(self, output: Path, port: int):
        self.output = output
        self.version = 0
        handler = type("Handler", (_Handler,), {"site": self})
        try:
            self.server = ThreadingHTTPServer(("127.0.0.1", port), partial(handler, directory=str(output)))
        except OSError as error:
            raise BuildError(
                f"cannot serve on 127.0.0.1:{port}: {error.strerror}; is the port free?"
            ) from error
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, name="web server", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def changed(self) -> None:
        """A change is served: open pages reload."""
        self.version += 1

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def serve_forever(
    site: DevSite, interval: float, watcher: Watcher | EventWatcher, apply: Callable[[Changes], None]
) -> None:
    """Serve ``site`` and call ``apply`` with each change the watcher sees, until Ctrl-C or
    SIGTERM (the web server is stopped with it)."""
    signal.signal(signal.SIGTERM, lambda number, frame: sys.exit(0))
    site.start()
    try:
        while True:
            time.sleep(interval)
            changes = watcher.changes()
            if changes:
                apply(changes)
    except KeyboardInterrupt:
        return
    finally:
        site.stop()
